"""Round-2 physics of the engine: ring all-reduce latency, KV read amplification for GQA,
attention timed as its own kernel (docs/methodology.md#latency)."""

from __future__ import annotations

import pytest

from inferx.api import estimate
from inferx.engine.decoder import kv_read_amplification
from inferx.engine.roofline import allreduce_time_s, pass_time
from inferx.inputs import EstimateRequest


def test_ring_allreduce_latency_is_two_tp_minus_one_hops():
    def lat(tp):
        return allreduce_time_s(message_bytes=0.0, tp=tp, link_gb_per_s=900,
                                link_efficiency=1.0, hop_latency_us=5.0)
    assert lat(1) == 0.0
    assert lat(2) == pytest.approx(2 * 1 * 5e-6)
    assert lat(8) == pytest.approx(2 * 7 * 5e-6)


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
