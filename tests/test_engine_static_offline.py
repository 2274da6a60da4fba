"""A static batch is an offline run (session benchmark, `generate` loop): its TTFT is the
batched prefill, with no per-request overhead; served traffic (continuous batching, bursts)
pays request_overhead_ms per request."""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.api import estimate
from inferx.inputs import EstimateRequest
from inferx.registry import Registry, builtin_dir

REGISTRY = Registry.from_dirs(builtin_dir())
TODAY = dt.date(2026, 12, 1)


def _ttft_ms(overhead_ms: float, **kw) -> float:
    model = "qwen3-30b-a3b" if "dp_attention" in kw else "llama-3.1-8b"
    req = EstimateRequest(model=model, hardware="h100-sxm", input_tokens=128,
                          output_tokens=64, assume={"request_overhead_ms": overhead_ms}, **kw)
    return estimate(req, REGISTRY, TODAY).result.latency.ttft_ms


@pytest.mark.parametrize("kw", [{"engine": "hf-transformers", "concurrency": 8},
                                {"engine": "tensorrt-llm@2023", "concurrency": 1},
                                {"engine": "hf-transformers", "concurrency": 4, "gpus": 2,
                                 "dp_attention": 2}])  # the deployed path
def test_static_batch_ttft_ignores_the_request_overhead(kw: dict) -> None:
    assert _ttft_ms(0.1, **kw) == _ttft_ms(50.0, **kw)


def test_served_requests_pay_it() -> None:
    kw = {"engine": "vllm", "concurrency": 1}
    assert _ttft_ms(50.0, **kw) - _ttft_ms(0.1, **kw) == pytest.approx(49.9)


def test_a_served_burst_pays_it_on_top_of_half_the_cohorts_prefill() -> None:
    kw = {"engine": "vllm", "requests": 64}
    assert _ttft_ms(50.0, **kw) - _ttft_ms(0.1, **kw) == pytest.approx(49.9, rel=0.02)
