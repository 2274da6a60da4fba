"""Deployments of 2026: expert and attention-data parallelism, multi-node topology,
disaggregated prefill/decode, speculative decoding, prefix caching (issue 10's acceptance;
physics checked by hand, not fitted numbers)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inferx.api import estimate
from inferx.engine.architecture import param_counts
from inferx.engine.comm import alltoall_bytes_per_token, alltoall_time_s, gathers_tokens
from inferx.engine.decoder import weight_layout
from inferx.engine.deployed import weights_bytes_per_device
from inferx.engine.deployment import Deployment, check_deployment, link_for
from inferx.engine.memory import weight_bytes
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.quant import SCHEMES

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
R1_B200 = dict(model="deepseek-r1", hardware="b200", precision="fp4", kv_precision="fp8",
               gpus=8, input_tokens=1024, output_tokens=2048, concurrency=3072,
               gpu_hour_price=5.0)


def test_deepseek_r1_fits_with_attention_dp_and_ep_but_not_tp8(registry) -> None:
    tp8 = estimate(EstimateRequest(**R1_B200), registry).result
    assert not tp8.memory.fits
    dp = estimate(EstimateRequest(**R1_B200, ep=8, dp_attention=8), registry).result
    assert dp.memory.fits and dp.throughput.output_tokens_per_s is not None
    assert dp.deployment.layout == "TP1 x attention-DP8 x EP8"
    assert dp.deployment.chosen_by == "user" and dp.inputs.gpus == 8
    # each attention-DP rank keeps the KV of its own 3072 / 8 requests (MLA: not head-split)
    per_seq = dp.memory.kv_cache_bytes_per_token * (1024 + 2048)
    assert dp.memory.kv_cache_gb_per_gpu == pytest.approx(math.ceil(3072 / 8) * per_seq / 1e9,
                                                          rel=1e-5)
    assert tp8.memory.kv_cache_gb_per_gpu == pytest.approx(3072 * per_seq / 1e9, rel=1e-5)


@pytest.mark.parametrize(("model", "hidden", "k"), [("deepseek-v3", 7168, 8),
                                                    ("qwen3-235b-a22b", 4096, 8)])
def test_alltoall_bytes_per_token_by_hand(registry, model, hidden, k) -> None:
    m = registry.get("model", model)
    assert (m.hidden_size, m.experts_per_token) == (hidden, k)
    # dispatch + combine of a 16-bit hidden state to each of k experts
    assert alltoall_bytes_per_token(hidden=hidden, experts_per_token=k) == hidden * k * 2 * 2


@pytest.mark.parametrize("ep", [1, 2, 4, 8, 16])
def test_alltoall_latency_is_two_ring_exchanges_over_the_peers(ep) -> None:
    # no tokens: only the latency, 2·(ep − 1) hops (a ring all-gather dispatch and a ring
    # reduce-scatter combine); with tokens the bytes term adds (ep − 1)/ep of them at the link
    kw = dict(hidden=4096, experts_per_token=8, ep=ep, link_gb_per_s=900.0,
              link_efficiency=0.5, hop_latency_us=5.0)
    assert alltoall_time_s(tokens_per_device=0, **kw) == pytest.approx(2 * (ep - 1) * 5e-6)
    bytes_out = 100 * 4096 * 8 * 2 * 2 * (ep - 1) / ep
    assert alltoall_time_s(tokens_per_device=100, **kw) == pytest.approx(
        bytes_out / (900e9 / 2 * 0.5) + 2 * (ep - 1) * 5e-6)


def test_gathered_dispatch_moves_every_token_to_every_peer() -> None:
    # all-gather + reduce-scatter: (ep − 1) · tokens · 2 · hidden · 2 bytes, whatever k;
    # the all-to-all moves k copies, of which (ep − 1)/ep leave: equal when ep = k
    kw = dict(tokens_per_device=100, hidden=4096, link_gb_per_s=900.0, link_efficiency=0.5,
              hop_latency_us=0.0)
    rate = 900e9 / 2 * 0.5
    assert alltoall_time_s(experts_per_token=1, ep=8, gather=True, **kw) == pytest.approx(
        7 * 100 * 2 * 4096 * 2 / rate)
    assert alltoall_time_s(experts_per_token=1, ep=8, gather=False, **kw) == pytest.approx(
        7 / 8 * 100 * 2 * 4096 * 2 / rate)
    assert alltoall_time_s(experts_per_token=8, ep=8, gather=True, **kw) == pytest.approx(
        alltoall_time_s(experts_per_token=8, ep=8, gather=False, **kw))


@pytest.mark.parametrize(("ep", "k", "domain", "gathers"), [
    (8, 8, 72, True),     # NVL72 but ep <= k: TensorRT-LLM keeps the all-gather
    (16, 8, 72, False),   # NVL72 and ep > k: the fabric all-to-all
    (4, 1, 72, False),
    (8, 1, 8, True),      # an 8-GPU HGX board: no multi-node NVLink fabric
    (32, 8, 8, False),    # EP across four 8-GPU nodes: DeepEP's all-to-all
    (16, 1, 8, False),
    (8, 1, None, True),   # domain unknown
])
def test_which_exchange_an_expert_parallel_group_runs(ep, k, domain, gathers) -> None:
    assert gathers_tokens(ep=ep, experts_per_token=k, scale_up_domain=domain) is gathers


def test_sixteen_hgx_gpus_cross_the_network_and_are_slower_than_one_nvl72_domain(
        registry) -> None:
    req = dict(model="deepseek-r1", precision="fp8", gpus=16, concurrency=16,
               gpu_hour_price=5.0)
    h100 = estimate(EstimateRequest(hardware="h100-sxm", **req), registry)
    r = h100.result
    assert r.deployment.nodes == 2
    assert [(lk.collective, lk.link, lk.field) for lk in r.deployment.links] == [
        ("all-reduce", "scale-out", "scale_out_gb_per_s")]
    assert "spans_nodes" in [w.code for w in h100.warnings]
    gb200 = estimate(EstimateRequest(hardware="gb200", **req), registry).result
    assert gb200.deployment.nodes == 1 and gb200.deployment.links[0].link == "scale-up"
    assert r.latency.tpot_ms > gb200.latency.tpot_ms
    # the same H100s in one 16-GPU domain would be faster: the network is what costs
    hw = registry.get("hardware", "h100-sxm")
    assert link_for(hw, 16).gb_per_s < link_for(hw, 8).gb_per_s
    one = estimate(EstimateRequest(hardware="h100-sxm", **req,
                                   assume={"scale_out_gb_per_s": 900.0}), registry).result
    assert one.latency.tpot_ms < r.latency.tpot_ms


def test_disaggregated_ttft_carries_the_kv_transfer_and_tpot_no_prefill(registry) -> None:
    base = dict(model="llama-3.1-70b", hardware="h100-sxm", gpus=4, concurrency=16,
                gpu_hour_price=2.0)
    agg = estimate(EstimateRequest(**base), registry).result
    r = estimate(EstimateRequest(**base, disaggregate="1:3"), registry).result
    d = r.deployment.disaggregation
    assert (d.prefill_instances, d.decode_instances, d.gpus_per_instance) == (1, 3, 4)
    assert r.inputs.gpus == 16
    kv_bytes = r.memory.kv_cache_bytes_per_token * 2000
    assert d.kv_transfer_mb == pytest.approx(kv_bytes / 1e6, rel=1e-5)
    hw = registry.get("hardware", "h100-sxm")
    link = link_for(hw, 16)  # both pools: 16 GPUs, two HGX boxes: the network
    a = r.assumptions
    eff = next(x.value for x in a if x.name == "interconnect_efficiency")
    hop = next(x.value for x in a if x.name == "allreduce_hop_latency_us")
    expect_ms = (kv_bytes / 4 / (link.gb_per_s * 1e9 / 2 * eff) + hop * 1e-6) * 1e3
    assert d.kv_transfer_ms == pytest.approx(expect_ms, rel=1e-5)
    assert r.latency.ttft_ms >= d.prefill_ms + d.kv_transfer_ms
    # decode alone: no other request's prefill rides along
    assert r.latency.tpot_ms == d.decode_tpot_ms < agg.latency.tpot_ms
    assert d.balanced_prefill_per_decode > 0


@pytest.mark.parametrize("model", ["deepseek-r1", "llama-3.1-8b", "qwen3-30b-a3b"])
def test_speculation_with_nothing_accepted_is_never_faster(registry, model) -> None:
    req = dict(model=model, hardware="h200", precision="fp8", concurrency=1,
               gpu_hour_price=3.0)
    plain = estimate(EstimateRequest(**req), registry).result
    for method in ("mtp", "eagle", "draft:llama-3.2-1b"):
        spec = estimate(EstimateRequest(**req, gpus=plain.inputs.gpus, speculative=method,
                                        acceptance_length=1.0), registry).result
        assert spec.latency.tpot_ms >= plain.latency.tpot_ms, method


def test_mtp_at_acceptance_1_8_cuts_deepseek_r1_batch_1_tpot_by_a_third(registry) -> None:
    req = dict(model="deepseek-r1", hardware="h200", precision="fp8", gpus=8, concurrency=1,
               gpu_hour_price=3.0)
    plain = estimate(EstimateRequest(**req), registry).result
    mtp = estimate(EstimateRequest(**req, speculative="mtp", acceptance_length=1.8),
                   registry).result
    assert mtp.latency.tpot_ms <= 0.7 * plain.latency.tpot_ms
    assert mtp.memory.weights_gb_per_gpu > plain.memory.weights_gb_per_gpu  # the MTP layer
    assert mtp.deployment.speculative.method == "mtp"


@SETTINGS
@given(model=st.sampled_from(["deepseek-v3", "qwen3-235b-a22b", "mixtral-8x7b",
                              "qwen3-30b-a3b", "gpt-oss-120b"]),
       scheme=st.sampled_from(["bf16", "fp8", "fp4"]))
def test_more_expert_parallel_ranks_never_add_weight_bytes_per_gpu(registry, model,
                                                                   scheme) -> None:
    m = registry.get("model", model)
    counts = param_counts(m)
    layout = weight_layout(m, counts, SCHEMES[scheme], weight_bytes(counts, SCHEMES[scheme]))
    sizes = [e for e in (1, 2, 4, 8, 16, 32) if m.num_experts % e == 0]
    per_gpu = []
    for ep in sizes:
        d = Deployment(tp=1, dp_attention=ep, ep=ep) if ep > 1 else Deployment()
        check_deployment(m, d)
        per_gpu.append(weights_bytes_per_device(layout, m, d))
    assert all(b <= a * (1 + 1e-12) for a, b in zip(per_gpu, per_gpu[1:]))


@SETTINGS
@given(model=st.sampled_from(["llama-3.1-8b", "qwen3-30b-a3b", "deepseek-v3"]),
       hits=st.lists(st.floats(0.0, 0.95), min_size=2, max_size=2),
       tokens=st.integers(64, 32_000), concurrency=st.integers(1, 64))
def test_a_higher_prefix_cache_hit_never_raises_ttft(registry, model, hits, tokens,
                                                     concurrency) -> None:
    lo, hi = sorted(hits)
    req = dict(model=model, hardware="h200", precision="fp8", input_tokens=tokens,
               output_tokens=200, concurrency=concurrency, gpus=8, gpu_hour_price=3.0)
    a = estimate(EstimateRequest(**req, prefix_cache_hit=lo), registry).result
    b = estimate(EstimateRequest(**req, prefix_cache_hit=hi), registry).result
    if a.latency.ttft_ms is None:
        return
    assert b.latency.ttft_ms <= a.latency.ttft_ms * (1 + 1e-9)


@pytest.mark.parametrize(("kw", "field"), [
    (dict(model="llama-3.1-70b", ep=8), "ep"),                        # dense model
    (dict(model="deepseek-r1", gpus=8, ep=3), "ep"),                  # does not divide
    (dict(model="deepseek-r1", gpus=8, dp_attention=8, ep=4), "ep"),  # DP needs ep = world
    (dict(model="deepseek-r1", gpus=12, dp_attention=8), "gpus"),     # 12 != dp x pp
    (dict(model="llama-3.1-8b", tp=3), "tp"),                         # heads
    (dict(model="llama-3.1-8b", pp=40), "pp"),                        # layers
    (dict(speculative="mtp"), "acceptance_length"),
    (dict(speculative="mtp", acceptance_length=2.5), "acceptance_length"),  # > k + 1
    (dict(disaggregate="2-3"), "disaggregate"),
    (dict(prefix_cache_hit="100%"), "prefix_cache_hit"),
])
def test_layouts_are_validated_naming_the_field(registry, kw, field) -> None:
    with pytest.raises(InputError) as err:
        estimate(EstimateRequest(**kw), registry)
    assert err.value.field == field


def test_cli_layout_flags_round_trip(invoke) -> None:
    result, env = invoke("estimate", "--model", "qwen3-235b-a22b", "--hardware", "h200",
                         "--precision", "fp8", "--tp", "4", "--ep", "4", "--gpus", "4",
                         "--format", "json")
    assert result.exit_code == 0, result.stderr
    dep = env["data"]["deployment"]
    assert (dep["tp"], dep["ep"], dep["dp_attention"]) == (4, 4, 1)
    # an 8-GPU H200 board and k = 8 >= ep: the exchange gathers (comm.gathers_tokens)
    assert [lk["collective"] for lk in dep["links"]] == ["all-reduce",
                                                         "all-gather + reduce-scatter"]


@pytest.mark.parametrize(("hardware", "collective"), [
    ("gb200", "all-to-all"),                    # NVL72 fabric and ep 4 > k 1
    ("b200", "all-gather + reduce-scatter"),    # an 8-GPU board
])
def test_the_expert_parallel_link_names_the_exchange_modelled(invoke, hardware,
                                                               collective) -> None:
    result, env = invoke("estimate", "--model", "llama-4-maverick", "--hardware", hardware,
                         "--precision", "fp8", "--gpus", "4", "--ep", "4",
                         "--dp-attention", "4", "--format", "json")
    assert result.exit_code == 0, result.stderr
    links = env["data"]["deployment"]["links"]
    assert [lk["collective"] for lk in links] == [collective]


def test_compare_takes_the_layout_flags(invoke) -> None:
    """compare rows run the same deployment estimate does (EP + attention DP on 8 x B200)."""
    result, env = invoke("compare", "--model", "deepseek-r1", "--hardware", "b200",
                         "--precisions", "fp8,fp4", "--gpus", "8", "--ep", "8",
                         "--dp-attention", "8", "--concurrency", "1024", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["fits"] for r in env["data"]["rows"]] == [True, True]
    one, _ = invoke("estimate", "--model", "deepseek-r1", "--hardware", "b200", "--precision",
                    "fp4", "--gpus", "8", "--ep", "8", "--dp-attention", "8", "--concurrency",
                    "1024", "--format", "json")
    est = __import__("json").loads(one.stdout)["data"]
    fp4 = next(r for r in env["data"]["rows"] if r["row"] == "fp4")
    assert fp4["output_tokens_per_s"] == est["throughput"]["output_tokens_per_s"]


@pytest.mark.parametrize("hw_id", ["gaudi2", "gaudi3", "mi300x", "mi325x", "mi355x"])
def test_a_mesh_gives_a_group_only_its_peers_links(registry, hw_id) -> None:
    """Direct links, one bundle to each of the 7 other devices of an 8-device domain: a group
    of g devices uses g − 1 of them, a point-to-point send one (link_for's formula)."""
    hw = registry.get("hardware", hw_id)
    assert hw.scale_up_topology == "mesh" and hw.scale_up_domain == 8
    full = hw.interconnect_gb_per_s
    assert [link_for(hw, g).gb_per_s for g in (2, 4, 8)] == pytest.approx(
        [full / 7, full * 3 / 7, full])
    assert link_for(hw, 8, peers=1).gb_per_s == pytest.approx(full / 7)


@pytest.mark.parametrize("hw_id", ["h100-sxm", "b200", "gb200"])
def test_a_switch_gives_any_group_the_whole_interconnect(registry, hw_id) -> None:
    hw = registry.get("hardware", hw_id)
    assert hw.scale_up_topology is None
    assert {link_for(hw, g).gb_per_s for g in (2, 4, 8)} | {
        link_for(hw, 8, peers=1).gb_per_s} == {hw.interconnect_gb_per_s}


def test_tp2_on_gaudi3_all_reduces_slower_than_on_a_switch(registry, tmp_path) -> None:
    """The same Gaudi 3 profile read as a switch (its whole interconnect to every group):
    slower decode communication at tp 2, the same at tp 8, where a mesh uses every link."""
    import re

    from inferx.registry import Registry, builtin_dir

    src = registry.entry("hardware", "gaudi3").path.read_text()
    src = re.sub(r'^id = .*$', 'id = "gaudi3-switch"', src, flags=re.M)
    src = re.sub(r'^(aliases|scale_up_topology) = .*\n', '', src, flags=re.M)
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "gaudi3-switch.toml").write_text(src)
    both = Registry.from_dirs(builtin_dir(), tmp_path)

    def comm_ms(hw: str, gpus: int) -> float:
        req = EstimateRequest(model="llama-3.1-70b", hardware=hw, precision="fp8", gpus=gpus,
                              concurrency=64, gpu_hour_price=5.0)
        return estimate(req, both).result.latency.decode.communication_ms

    assert comm_ms("gaudi3", 2) > comm_ms("gaudi3-switch", 2)
    assert comm_ms("gaudi3", 8) == comm_ms("gaudi3-switch", 8)


def test_a_mesh_without_a_domain_is_a_profile_error(registry) -> None:
    import tomllib

    from inferx.profile_hardware import HardwareProfile

    src = registry.entry("hardware", "gaudi3").path.read_text()
    data = tomllib.loads(src.replace("scale_up_domain = 8\n", ""))
    with pytest.raises(ValueError, match="scale_up_topology"):
        HardwareProfile.model_validate(data)
