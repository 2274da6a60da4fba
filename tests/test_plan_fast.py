"""plan's fast path (engine/timing_curve.py) is decoder_timing with the C-independent parts
computed once: the two agree at every point of the concurrency grid."""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.engine.deployment import Deployment
from inferx.engine.estimate import Workload, decoder_point
from inferx.engine.point import compute_dtype_for
from inferx.engine.timing_curve import TimingCurve
from inferx.inputs import EstimateRequest
from inferx.plan.search import concurrency_grid
from inferx.scenario import build

CASES = [
    ("llama-3.3-70b", "h100-sxm", "fp8", 2),
    ("llama-3.1-8b", "l40s", "int4-wo", 1),
    ("mixtral-8x7b", "a100-80gb", "bf16", 4),  # MoE: experts touched depend on C
    ("deepseek-v3", "h200", "fp8", 8),          # MLA + MoE
    ("qwen2.5-72b", "mi300x", "bf16", 8),
    ("llama-3.1-8b", "h100-sxm", "bf16", 16),  # spans two scale-up domains
    ("qwen3-30b-a3b", "gb200", "fp4", 1),      # Grace host: overheads scaled
]


@pytest.mark.parametrize(("model", "hw", "prec", "tp"), CASES)
@pytest.mark.parametrize(("t_in", "t_out"), [(2000, 500), (100_000, 7), (3, 1)])
def test_curve_equals_decoder_timing(registry, model, hw, prec, tp, t_in, t_out):
    sc = build(EstimateRequest(model=model, hardware=hw, precision=prec, input_tokens=t_in,
                               output_tokens=t_out), registry, dt.date(2026, 1, 1))

    def engine(c: int):
        return decoder_point(model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
                             kv_bytes_per_element=sc.kv_bytes_per_element, gpus=tp,
                             workload=Workload(t_in, t_out, c, False, require_fit=False),
                             assumptions=sc.assumptions, deployment=Deployment(tp=tp))

    first = engine(1)
    dtype, _ = compute_dtype_for(sc.scheme, sc.hardware)
    curve = TimingCurve(m=sc.model, hw=sc.hardware, scheme=sc.scheme, counts=first.counts,
                        weights_total=first.memory.weights_bytes,
                        kv_bytes_per_element=sc.kv_bytes_per_element, tp=tp, input_tokens=t_in,
                        output_tokens=t_out, peak_tflops=sc.hardware.compute_tflops_for(dtype),
                        a=sc.assumptions)
    checked = 0
    for c in concurrency_grid(300):
        t = engine(c).timing
        if t is None:
            continue
        f = curve.at(c)
        for name in ("ttft_s", "tpot_s", "e2e_s", "output_tokens_per_s", "requests_per_s",
                     "prefill_share"):
            assert getattr(f, name) == pytest.approx(getattr(t, name), rel=1e-12), (c, name)
        checked += 1
    assert checked > 10


def test_grid_is_fixed_and_ends_at_the_cap():
    assert concurrency_grid(1) == [1]
    assert concurrency_grid(5) == [1, 2, 3, 4, 5]
    g = concurrency_grid(256)
    assert g[:8] == list(range(1, 9)) and g[-1] == 256 and g == sorted(set(g))
    assert all(b / a <= 1.2 for a, b in zip(g[8:], g[9:], strict=False))
    assert set(concurrency_grid(100)) <= set(concurrency_grid(256)) | {100}


@pytest.mark.parametrize(("model", "hw", "engine", "d"), [
    ("mixtral-8x7b", "h100-sxm", None, Deployment(tp=1, ep=4, dp_attention=4)),
    ("deepseek-v3", "h200", None, Deployment(tp=1, ep=8, dp_attention=8)),
    ("deepseek-r1", "gb200", "tensorrt-llm", Deployment(tp=1, ep=8, dp_attention=8)),
    ("llama-3.1-70b", "a100-80gb", None, Deployment(tp=4, pp=2)),
    ("llama-3.1-8b", "a100-80gb", "hf-transformers", Deployment(tp=2)),  # static batch
    ("mixtral-8x7b", "h100-sxm", "hf-transformers", Deployment(tp=1, ep=2, dp_attention=2)),
])
def test_plan_layout_points_equal_decoder_point(registry, model, hw, engine, d):
    from inferx.plan.search import time_layout

    sc = build(EstimateRequest(model=model, hardware=hw, precision="fp8", engine=engine),
               registry, dt.date(2026, 1, 1))
    perf, reason, _ = time_layout(sc, d)
    assert reason is None and perf
    for p in perf[::5]:
        t = decoder_point(model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
                          kv_bytes_per_element=sc.kv_bytes_per_element,
                          gpus=d.gpus_per_replica if d.plain_tp else None,
                          workload=Workload(2000, 500, p.concurrency, sc.static_batch),
                          assumptions=sc.assumptions, deployment=d).timing
        assert (p.ttft_s, p.tpot_s, p.output_tokens_per_s) == (t.ttft_s, t.tpot_s,
                                                              t.output_tokens_per_s)
