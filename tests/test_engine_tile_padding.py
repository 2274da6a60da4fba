"""The matmuls' tile padding (engine/roofline.py::tile_padding): a pass of M tokens on one
device computes its linear layers as M + min(M, gemm_padding_tokens) rows."""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.api import estimate
from inferx.engine.roofline import tile_padding
from inferx.inputs import EstimateRequest
from inferx.registry import Registry, builtin_dir

REGISTRY = Registry.from_dirs(builtin_dir())
TODAY = dt.date(2026, 12, 1)


def test_formula() -> None:
    assert tile_padding(100, 20) == pytest.approx(1.2)
    assert tile_padding(8192, 20) == pytest.approx(1 + 20 / 8192)


@pytest.mark.parametrize("m", [1, 2, 7, 20])
def test_a_small_pass_at_most_doubles(m: int) -> None:
    """M-tiles are sized to small passes: batch 1 is not charged a whole tile."""
    assert tile_padding(m, 20) == 2.0


def _latency(pad: float, **kw):
    req = EstimateRequest(model="llama-3.1-70b", hardware="h100-sxm", precision="fp8",
                          input_tokens=2000, output_tokens=500, assume={
                              "gemm_padding_tokens": pad, "max_batched_tokens": 8192}, **kw)
    return estimate(req, REGISTRY, TODAY).result.latency


@pytest.mark.parametrize("c", [8, 64, 512])
def test_decode_compute_scales_by_m_plus_pad_over_m(c: int) -> None:
    """A decode step's M is its running sequences; the prefill chunk's M is its 2000 tokens."""
    bare, padded = _latency(0.0, concurrency=c, gpus=4), _latency(32.0, concurrency=c, gpus=4)
    assert padded.decode.compute_ms == pytest.approx(
        bare.decode.compute_ms * (c + min(c, 32)) / c)
    assert padded.prefill.compute_ms == pytest.approx(bare.prefill.compute_ms * 2032 / 2000)
    assert padded.decode.memory_ms == bare.decode.memory_ms  # the weights stream as before


def test_attention_data_parallel_pads_the_rank_tokens() -> None:
    """Under attention DP each rank's pass holds C / dp sequences."""
    kw = dict(concurrency=256, gpus=8, ep=8, dp_attention=8)
    req = {p: EstimateRequest(model="qwen3-235b-a22b", hardware="h200", precision="fp8",
                              assume={"gemm_padding_tokens": p}, **kw) for p in (0.0, 32.0)}
    bare, padded = (estimate(req[p], REGISTRY, TODAY).result.latency for p in (0.0, 32.0))
    assert padded.decode.compute_ms == pytest.approx(bare.decode.compute_ms * (32 + 32) / 32)


def test_more_padding_never_speeds_a_pass_and_prefill_feels_it_least() -> None:
    low, high = _latency(1.0, concurrency=16, gpus=4), _latency(128.0, concurrency=16, gpus=4)
    assert high.tpot_ms >= low.tpot_ms and high.ttft_ms >= low.ttft_ms
    decode_slowdown = high.decode.compute_ms / low.decode.compute_ms
    prefill_slowdown = high.prefill.compute_ms / low.prefill.compute_ms
    assert decode_slowdown > 5 * (prefill_slowdown - 1) + 1
    assert high.decode.compute_ms <= 2 * _latency(0.0, concurrency=16, gpus=4).decode.compute_ms


def test_batch_one_int4_decode_stays_memory_bound() -> None:
    """A 4-bit model's batch-1 step on a consumer GPU streams its weights; padding must not
    turn it compute-bound (a whole-tile charge at M = 1 did)."""
    req = EstimateRequest(model="llama-2-7b", hardware="rtx-4090", precision="int4-wo",
                          input_tokens=1, output_tokens=512, concurrency=1,
                          engine="lmdeploy@2023", assume={"gemm_padding_tokens": 128.0})
    assert estimate(req, REGISTRY, TODAY).result.latency.decode.bound == "memory"


def test_linear_padding_weights_the_dense_and_the_per_expert_gemms() -> None:
    from inferx.engine.roofline import linear_padding

    assert linear_padding(256, 8, 0.0, 32) == tile_padding(256, 32)  # dense model
    assert linear_padding(256, 8, 0.75, 32) == pytest.approx(
        0.25 * tile_padding(256, 32) + 0.75 * tile_padding(8, 32))


@pytest.mark.parametrize("model", ["mixtral-8x7b", "deepseek-v3"])
def test_an_moe_step_pads_each_experts_gemm_at_its_own_tokens(model: str) -> None:
    """At 256 sequences Mixtral's experts (8, top-2) see 64 tokens each and DeepSeek-V3's
    (256, top-8) 8: the fine-grained model's routed GEMMs pad far more."""
    from inferx.engine.architecture import param_counts
    from inferx.engine.decoder import routed_time_weight
    from inferx.engine.roofline import linear_padding

    m = REGISTRY.get("model", model)
    kw = dict(concurrency=256, gpus=8, input_tokens=2000, output_tokens=500)
    lat = {p: estimate(EstimateRequest(model=model, hardware="h200", precision="fp8",
                                       assume={"gemm_padding_tokens": p}, **kw),
                       REGISTRY, TODAY).result.latency for p in (0.0, 32.0)}
    from inferx.engine.assumptions import Assumptions

    w = routed_time_weight(m, param_counts(m),
                           moe_compute_efficiency=Assumptions().moe_compute_efficiency)
    t = 256 * m.experts_per_token / m.num_experts
    want = linear_padding(256, t, w, 32.0)
    assert lat[32.0].decode.compute_ms == pytest.approx(lat[0.0].decode.compute_ms * want)
    assert want > tile_padding(256, 32.0)
