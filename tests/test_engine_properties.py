"""Invariants of the engine (hypothesis), over the shipped profiles."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inferx.api import estimate
from inferx.engine import Assumptions, Workload, decoder_point
from inferx.engine.architecture import param_counts
from inferx.engine.memory import weight_bytes
from inferx.inputs import EstimateRequest
from inferx.quant import SCHEMES, kv_bytes_per_element

MODELS = ["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen2.5-72b", "llama-3.2-1b",
          "mistral-7b"]
HARDWARE = ["h100-sxm", "a100-80gb", "l40s", "mi300x", "h200", "l4"]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

models = st.sampled_from(MODELS)
hardware = st.sampled_from(HARDWARE)
tokens = st.integers(min_value=1, max_value=8000)
concurrency = st.integers(min_value=1, max_value=128)


@SETTINGS
@given(m=models, hw=hardware, t_in=tokens, out_a=tokens, out_b=tokens, c=concurrency)
def test_more_output_tokens_never_lower_cost_per_request(registry, m, hw, t_in, out_a, out_b, c):
    lo, hi = sorted((out_a, out_b))
    req = dict(model=m, hardware=hw, input_tokens=t_in, concurrency=c, gpu_hour_price=2.5)
    a = estimate(EstimateRequest(output_tokens=lo, **req), registry).result
    b = estimate(EstimateRequest(output_tokens=hi, gpus=a.inputs.gpus, **req), registry).result
    assume(a.cost.usd_per_request is not None and b.cost.usd_per_request is not None)
    assert b.cost.usd_per_request >= a.cost.usd_per_request * (1 - 1e-9)


@SETTINGS
@given(m=models, a=st.sampled_from(list(SCHEMES)), b=st.sampled_from(list(SCHEMES)))
def test_fewer_bits_never_raise_weight_memory(registry, m, a, b):
    sa, sb = SCHEMES[a], SCHEMES[b]
    assume(sa.bits_per_weight <= sb.bits_per_weight)
    # GGUF bits are a whole-file mix (embeddings quantized too); compare like with like
    assume(sa.quantizes_embeddings == sb.quantizes_embeddings)
    counts = param_counts(registry.get("model", m))
    assert weight_bytes(counts, sa) <= weight_bytes(counts, sb)


@SETTINGS
@given(m=models, hw=hardware, price=st.floats(min_value=0.01, max_value=20), k=st.integers(2, 40))
def test_cost_per_million_tokens_is_linear_in_gpu_hour_price(registry, m, hw, price, k):
    one = estimate(EstimateRequest(model=m, hardware=hw, gpu_hour_price=price), registry).result
    assume(one.cost.usd_per_hour is not None)  # fits, and the hardware figures are known
    scaled = estimate(EstimateRequest(model=m, hardware=hw, gpu_hour_price=price * k),
                      registry).result
    for key in ("usd_per_million_output_tokens", "usd_per_million_input_tokens",
                "usd_per_request", "usd_per_hour"):
        assert getattr(scaled.cost, key) == pytest.approx(k * getattr(one.cost, key), rel=1e-5)


@SETTINGS
@given(m=models, hw=hardware, t_in=tokens, t_out=tokens, c=concurrency,
       factor=st.floats(min_value=1.0, max_value=10.0))
def test_throughput_never_falls_when_bandwidth_rises(registry, m, hw, t_in, t_out, c, factor):
    model, base = registry.get("model", m), registry.get("hardware", hw)
    faster = dataclasses.replace(base, memory_bandwidth_gb_per_s=base.memory_bandwidth_gb_per_s
                                 * factor)

    def tps(h):
        return decoder_point(
            model=model, hardware=h, scheme=SCHEMES["bf16"],
            kv_bytes_per_element=kv_bytes_per_element("bf16"), gpus=None,
            workload=Workload(t_in, t_out, c), assumptions=Assumptions())

    slow, fast = tps(base), tps(faster)
    assume(slow.memory.fits)
    assume(slow.timing is not None)
    assert fast.timing.output_tokens_per_s >= slow.timing.output_tokens_per_s * (1 - 1e-9)


@pytest.mark.xfail(strict=True, reason="known defect: the M/D/1 prefill-contention term uses "
                   "rho = (C-1) t_pf / E2E, so a faster decode raises rho and, at T_out = 1, "
                   "the extra wait outweighs the saving (closed systems are monotone; the "
                   "approximation is not). Found by the bandwidth property; fix needs a refit.")
def test_known_contention_non_monotonicity(registry):
    # 256-token prompts (at 152 the elementwise term, engine/activations.py, which shrinks
    # with bandwidth too, offsets the extra wait) and the knob values the defect was found at
    # (the 2026-11 pooled fit): the defect is the formula's, whether one point shows it
    # depends on the knobs
    knobs = Assumptions(compute_efficiency=0.554, bandwidth_efficiency=0.95,
                        step_overhead_ms=3.81, sequence_overhead_us=7.86,
                        request_overhead_ms=0.0121, gqa_kv_reread=0.104,
                        allreduce_hop_latency_us=10.0, moe_compute_efficiency=0.382)
    model, base = registry.get("model", "llama-3.1-8b"), registry.get("hardware", "h100-sxm")
    faster = dataclasses.replace(base, memory_bandwidth_gb_per_s=base.memory_bandwidth_gb_per_s
                                 * 10)

    def tps(h):
        return decoder_point(model=model, hardware=h, scheme=SCHEMES["bf16"],
                             kv_bytes_per_element=kv_bytes_per_element("bf16"), gpus=None,
                             workload=Workload(256, 1, 4), assumptions=knobs)

    assert tps(faster).timing.output_tokens_per_s >= tps(base).timing.output_tokens_per_s
