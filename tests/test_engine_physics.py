"""Engine physics: all-reduce latency (2·⌈log2 tp⌉ hops), KV read amplification for GQA,
attention timed as its own kernel (docs/methodology.md#latency)."""

from __future__ import annotations

import pytest

from inferx.api import estimate
from inferx.engine.decoder import kv_read_amplification
from inferx.engine.roofline import allreduce_time_s, pass_time
from inferx.inputs import EstimateRequest


def test_allreduce_latency_is_two_log2_tp_hops_and_bandwidth_is_the_ring():
    def lat(tp, message_bytes=0.0):
        return allreduce_time_s(message_bytes=message_bytes, tp=tp, link_gb_per_s=900,
                                link_efficiency=1.0, hop_latency_us=5.0)
    assert lat(1) == 0.0
    assert lat(2) == pytest.approx(2 * 1 * 5e-6)
    assert lat(4) == pytest.approx(2 * 2 * 5e-6)
    assert lat(8) == pytest.approx(2 * 3 * 5e-6)   # a ring would pay 2·7 hops
    assert lat(6) == pytest.approx(2 * 3 * 5e-6)   # ⌈log2 6⌉ = 3
    # bandwidth term: 2·(tp−1)/tp of the message over the one-way link (450 GB/s)
    assert lat(8, 1e9) - lat(8) == pytest.approx(2 * 7 / 8 * 1e9 / 450e9)


def test_kv_read_amplification_follows_the_gqa_group(registry):
    mha = registry.get("model", "llama-2-7b")       # 32 query heads, 32 KV heads
    gqa = registry.get("model", "llama-2-70b")      # 64 query heads, 8 KV heads
    assert kv_read_amplification(mha, gqa_kv_reread=1.0) == 1.0
    assert kv_read_amplification(gqa, gqa_kv_reread=0.0) == 1.0
    assert kv_read_amplification(gqa, gqa_kv_reread=1.0) == pytest.approx(8.0)
    assert kv_read_amplification(gqa, gqa_kv_reread=0.5) == pytest.approx(4.5)


def test_attention_adds_to_the_linear_roofline_instead_of_hiding_under_it():
    t = pass_time(flops_per_gpu=1e15, bytes_per_gpu=1e9, peak_flops=1e15, bandwidth_bytes_per_s=1e12,
                  compute_efficiency=1.0, bandwidth_efficiency=1.0, comm_s=0.0, overhead_s=0.0,
                  attention_flops_per_gpu=0.0, attention_bytes_per_gpu=5e11)
    assert t.bound == "compute"
    assert t.attention_s == pytest.approx(0.5)
    assert t.total_s == pytest.approx(1.0 + 0.5)


def test_gqa_reread_slows_decode_of_a_gqa_model_only(registry):
    def tpot(model, reread):
        req = EstimateRequest(model=model, hardware="h100-sxm", precision="fp8", gpus=4,
                              input_tokens=128, output_tokens=2048, concurrency=256,
                              assume={"gqa_kv_reread": reread})
        return estimate(req, registry).result.latency.tpot_ms
    assert tpot("llama-2-70b", 1.0) > 1.5 * tpot("llama-2-70b", 0.0)
    assert tpot("llama-2-7b", 1.0) == pytest.approx(tpot("llama-2-7b", 0.0))


def test_prefill_contention_is_zero_alone_and_grows_with_the_running_batch():
    from inferx.engine.timing import prefill_contention_s

    kw = dict(prefill_s=0.4, prefill_chunks=1, step_s=0.03, step_attention_s=0.005, e2e_s=20.0)
    assert prefill_contention_s(concurrency=1, **kw) == 0.0
    two = prefill_contention_s(concurrency=2, **kw)
    rho = 0.4 / 20.0
    assert two == pytest.approx(0.015 + 0.005 + rho * 0.4 / (2 * (1 - rho)))
    many = prefill_contention_s(concurrency=40, **kw)
    assert many > two
    # the prefill share is capped below 1: finite even when prefills alone saturate the GPU
    assert prefill_contention_s(concurrency=10_000, **kw) == pytest.approx(
        0.015 + 0.005 + 0.9 * 0.4 / (2 * 0.1))


def test_ttft_under_continuous_batching_grows_with_concurrency(registry):
    def ttft(concurrency):
        req = EstimateRequest(model="llama-3.1-8b", hardware="h100-sxm", input_tokens=2000,
                              output_tokens=200, concurrency=concurrency)
        return estimate(req, registry).result.latency.ttft_ms

    assert ttft(32) > ttft(1)
    assert ttft(64) > ttft(32)
