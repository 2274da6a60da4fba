"""Acceptance cases of the core engine (issue 2), against the shipped profiles."""

from __future__ import annotations

import pytest

from inferx.api import estimate
from inferx.engine import Assumptions
from inferx.inputs import EstimateRequest


def run(registry, **kw):
    return estimate(EstimateRequest(**kw), registry)


def test_8b_decode_at_batch_1_is_memory_bound_and_matches_the_bandwidth_formula(registry):
    ans = run(registry, model="llama-3.1-8b", hardware="h100-sxm", precision="bf16", gpus=1,
              input_tokens=1000, output_tokens=200, concurrency=1)
    r, a = ans.result, Assumptions()
    assert r.latency.decode.bound == "memory"
    hw = registry.get("hardware", "h100-sxm")
    mean_context = 1000 + 200 / 2
    bytes_read = r.memory.weights_gb * 1e9 + r.memory.kv_cache_bytes_per_token * mean_context
    expected_ms = bytes_read / (hw.memory_bandwidth_gb_per_s * 1e9 * a.bandwidth_efficiency) * 1e3
    expected_ms += a.step_overhead_ms
    assert r.latency.tpot_ms == pytest.approx(expected_ms, rel=0.10)


def test_8b_prefill_of_4096_tokens_is_compute_bound(registry):
    r = run(registry, model="llama-3.1-8b", hardware="h100-sxm", precision="bf16", gpus=1,
            input_tokens=4096, output_tokens=1, concurrency=1).result
    assert r.latency.prefill.bound == "compute"


def test_70b_at_16_bit_does_not_fit_one_80gb_gpu(registry):
    ans = run(registry, model="llama-3.1-70b", hardware="h100-sxm", precision="bf16", gpus=1,
              input_tokens=2000, output_tokens=500, concurrency=1)
    r = ans.result
    assert r.memory.fits is False
    assert r.memory.min_gpus is not None and r.memory.min_gpus >= 2
    assert r.latency.tpot_ms is None and r.cost.usd_per_request is None
    assert "does_not_fit" in [w.code for w in ans.warnings]


def test_70b_default_gpus_is_the_fewest_that_fit(registry):
    r = run(registry, model="llama-3.1-70b", hardware="h100-sxm", precision="bf16",
            concurrency=1).result
    # 141 GB of weights on 2 x H100 (81,559 MiB each as nvidia-smi reports, 90% usable): fits
    # with a little KV room, as 70B bf16 on TP=2 H100 deployments do in practice.
    assert r.memory.fits and r.inputs.gpus == r.memory.min_gpus == 2


def test_capacity_uses_the_driver_reported_total_when_sourced(registry):
    h100 = registry.get("hardware", "h100-sxm")
    assert h100.capacity_bytes == 81559 * 2**20
    assert registry.get("hardware", "h200").capacity_bytes == 141e9  # no MiB figure sourced


def test_70b_int4_weight_only_fits_on_one_80gb_gpu(registry):
    r = run(registry, model="llama-3.1-70b", hardware="h100-sxm", precision="int4-wo", gpus=1,
            input_tokens=2000, output_tokens=500, concurrency=1).result
    assert r.memory.fits is True and r.memory.min_gpus == 1


def test_concurrency_max_reports_the_batch_it_found(registry):
    r = run(registry, model="llama-3.1-8b", hardware="h100-sxm", concurrency="max",
            assume={"max_num_seqs": 100_000}).result
    assert r.inputs.concurrency_mode == "max"
    assert r.inputs.concurrency == r.memory.max_concurrency > 1
    assert r.memory.fits
    over = run(registry, model="llama-3.1-8b", hardware="h100-sxm", gpus=r.inputs.gpus,
               concurrency=r.memory.max_concurrency + 1, assume={"max_num_seqs": 100_000}).result
    assert not over.memory.fits


def test_fp8_on_a100_gets_no_fp8_compute(registry):
    ans = run(registry, model="llama-3.1-8b", hardware="a100-80gb", precision="fp8")
    assert ans.result.inputs.compute_dtype in ("bf16", "fp16")
    assert ans.result.inputs.weight_only_fallback is True
    assert "no_native_compute" in [w.code for w in ans.warnings]


def test_int4_weight_only_stores_about_4_25_bits_but_computes_16_bit(registry):
    r16 = run(registry, model="llama-3.1-8b", hardware="h100-sxm", precision="bf16").result
    r4 = run(registry, model="llama-3.1-8b", hardware="h100-sxm", precision="int4-wo").result
    assert r4.inputs.compute_dtype in ("bf16", "fp16")
    # same FLOPs: prefill compute time is unchanged; fewer bytes: decode memory time drops
    assert r4.latency.prefill.compute_ms == pytest.approx(r16.latency.prefill.compute_ms)
    assert r4.latency.decode.memory_ms < r16.latency.decode.memory_ms


def test_tensor_parallel_adds_communication(registry):
    r = run(registry, model="llama-3.1-70b", hardware="h100-sxm", gpus=4).result
    assert r.latency.decode.communication_ms > 0
    assert r.latency.prefill.communication_ms > 0


def test_moe_decode_touches_more_experts_as_batch_grows(registry):
    one = run(registry, model="mixtral-8x7b", hardware="h100-sxm", gpus=2, concurrency=1).result
    many = run(registry, model="mixtral-8x7b", hardware="h100-sxm", gpus=2, concurrency=64).result
    weights_per_gpu_bytes = one.memory.weights_gb_per_gpu * 1e9
    bw = 3350e9 * Assumptions().bandwidth_efficiency
    # batch 1 reads 2 of 8 experts: well under all the weights
    assert one.latency.decode.memory_ms < 0.5 * weights_per_gpu_bytes / bw * 1e3
    assert many.latency.decode.memory_ms > one.latency.decode.memory_ms


def test_assumptions_are_listed_and_overridable(registry):
    base = run(registry).result
    slow = run(registry, assume={"bandwidth_efficiency": 0.4}).result
    names = {a.name: a.value for a in slow.assumptions}
    assert names["bandwidth_efficiency"] == 0.4
    assert slow.latency.tpot_ms > base.latency.tpot_ms


def test_cost_and_energy_follow_from_throughput(registry):
    r = run(registry, gpu_hour_price=2.0, gpus=1).result
    per_hour_tokens = r.throughput.output_tokens_per_s * 3600
    assert r.cost.usd_per_hour == 2.0
    assert r.cost.usd_per_million_output_tokens == pytest.approx(2.0 / per_hour_tokens * 1e6,
                                                                 rel=1e-5)
    assert r.cost.usd_per_request == pytest.approx(2.0 / (r.throughput.requests_per_s * 3600),
                                                   rel=1e-5)
    assert r.energy.joules_per_output_token == pytest.approx(
        r.energy.power_w / r.throughput.output_tokens_per_s, rel=1e-5)
    assert r.energy.gco2_per_request == pytest.approx(
        r.energy.wh_per_request / 1000 * r.energy.grid_gco2_per_kwh, rel=1e-5)
