"""Serving modes (engine/serving.py) through the library and the CLI: closed-loop clients,
offered request rates, finite bursts; the spine's acceptance points."""

from __future__ import annotations

import pytest

from inferx.api import estimate
from inferx.engine.serving import Traffic, operate
from inferx.inputs import EstimateRequest

# The spine issue's scenario: 70B fp8 on 2 x H100, 5,000 tokens in, 500 out.
SCENARIO = dict(model="llama-3.3-70b", hardware="h100-sxm", precision="fp8", gpus=2,
                input_tokens=5000, output_tokens=500, gpu_hour_price=2.0)


def _run(registry, **kw):
    return estimate(EstimateRequest(**{**SCENARIO, **kw}), registry)


def test_more_clients_than_fit_queue_at_the_server(registry) -> None:
    fixed = _run(registry, concurrency=100).result
    assert not fixed.memory.fits  # what the issue reported: "does not fit"
    top = _run(registry, concurrency="max").result
    cap = top.inputs.concurrency
    assert 1 <= cap < 100
    answer = _run(registry, clients=100)
    r = answer.result
    assert r.memory.fits and r.serving.mode == "clients"
    assert r.serving.server_concurrency == cap
    assert r.latency.ttft_ms > top.latency.ttft_ms  # the wait in the queue
    assert r.serving.queue_wait_ms == pytest.approx(r.latency.ttft_ms - top.latency.ttft_ms,
                                                    rel=1e-4)
    assert r.throughput.output_tokens_per_s == pytest.approx(top.throughput.output_tokens_per_s)
    assert r.latency.tpot_ms == pytest.approx(top.latency.tpot_ms)
    assert "clients_queue" in [w.code for w in answer.warnings]


def test_clients_that_fit_are_a_fixed_concurrency(registry) -> None:
    a = _run(registry, clients=8).result
    b = _run(registry, concurrency=8).result
    assert a.latency.ttft_ms == b.latency.ttft_ms and a.serving.queue_wait_ms is None


def test_rate_above_capacity_is_overloaded_with_the_sustainable_rate(registry) -> None:
    top = _run(registry, concurrency="max").result
    capacity = top.throughput.requests_per_s
    answer = _run(registry, request_rate=capacity * 3)
    r = answer.result
    assert r.serving.overloaded
    assert r.serving.sustainable_requests_per_s == pytest.approx(capacity, rel=1e-5)
    assert r.latency.ttft_ms is None  # the queue grows without bound
    assert r.throughput.output_tokens_per_s == pytest.approx(top.throughput.output_tokens_per_s)
    assert "overloaded" in [w.code for w in answer.warnings]


def test_rate_below_capacity_serves_the_offered_load(registry) -> None:
    r = _run(registry, request_rate=0.5).result
    assert not r.serving.overloaded
    assert r.throughput.output_tokens_per_s == pytest.approx(0.5 * 500, rel=1e-5)
    assert 1 <= r.inputs.concurrency < _run(registry, concurrency="max").result.inputs.concurrency
    # a lightly loaded replica costs more per token than a full one
    full = _run(registry, concurrency="max").result
    assert r.cost.usd_per_million_output_tokens > full.cost.usd_per_million_output_tokens


@pytest.mark.parametrize("kw", [dict(), dict(model="llama-3.1-8b", gpus=1, input_tokens=2000)])
def test_burst_ttft_is_at_least_half_the_cohorts_prefill(registry, kw) -> None:
    """--requests 128 --arrival burst: the mean TTFT includes waiting behind the others'
    prefills: at least half the admitted cohort's total (batched) prefill time."""
    from inferx.api import operating_point
    from inferx.scenario import build

    r = _run(registry, requests=128, arrival="burst", **kw).result
    sc = build(EstimateRequest(**{**SCENARIO, **kw}), registry, __import__("datetime").date.today())
    cap = min(128, _run(registry, concurrency="max", **kw).result.inputs.concurrency)
    import dataclasses

    static = operating_point(dataclasses.replace(
        sc, traffic=Traffic("concurrency", concurrency=cap),
        preset=dataclasses.replace(sc.preset, id="hf-transformers")))  # static batch of cap
    cohort_prefill_ms = static.point.timing.prefill.total_s * 1e3
    assert r.serving.mode == "burst" and r.serving.requests == 128
    assert r.latency.ttft_ms >= 0.5 * cohort_prefill_ms
    one = _run(registry, concurrency=1, **kw).result
    assert r.latency.ttft_ms > 10 * one.latency.ttft_ms


def test_operate_rejects_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="unknown traffic mode"):
        operate(Traffic("sometimes"), lambda c, s: None, output_tokens=1)  # type: ignore


@pytest.mark.parametrize(("args", "flag"), [
    (["--clients", "10", "--concurrency", "4"], "--clients"),
    (["--requests", "10", "--clients", "4"], "--requests"),
    (["--arrival", "burst"], "--arrival"),
    (["--arrival", "poisson", "--requests", "5"], "--arrival"),
    (["--arrival", "burst", "--requests", "5", "--request-rate", "2"], "--arrival"),
    (["--arrival", "sometimes", "--requests", "5"], "--arrival"),
    (["--request-rate", "0"], "--request-rate"),
    (["--request-rate", "nan"], "--request-rate"),
    (["--clients", "0"], "--clients"),
])
def test_traffic_flags_are_validated(invoke, args, flag) -> None:
    result, env = invoke("estimate", *args, "--format", "json")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"error: {flag}")
    assert env["errors"][0]["details"]["field"] == flag


def test_cli_burst_and_rate_round_trip(invoke) -> None:
    result, env = invoke("estimate", "--requests", "64", "--request-rate", "4", "--format", "json")
    assert result.exit_code == 0, result.stderr
    s = env["data"]["serving"]
    assert s["mode"] == "burst" and s["requests"] == 64 and s["request_rate"] == 4


def test_perf_curve_is_the_log_log_interpolation_of_the_engine_points(registry) -> None:
    """perf_curve's lookup (bisect over the grid) against a scan written out: the same floats
    at the grid points, between them and past both ends; and finite_run asks perf again only
    when the number in flight changes (perf is pure), not twice per time step."""
    import datetime as dt
    import math

    from inferx.engine.estimate import Workload, decoder_point
    from inferx.engine.queueing import finite_run
    from inferx.engine.serving import perf_curve
    from inferx.scenario import build

    sc = build(EstimateRequest(**SCENARIO), registry, dt.date(2026, 1, 1))

    def run(c, static):  # noqa: ANN001, ANN202
        return decoder_point(model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
                             kv_bytes_per_element=sc.kv_bytes_per_element, gpus=2,
                             workload=Workload(5000, 500, c, static),
                             assumptions=sc.assumptions)

    cap = run(None, False).concurrency
    perf = perf_curve(run, cap, output_tokens=500, request_overhead_s=0.0)
    grid = sorted({1, cap} | {int(round(cap ** (i / 10))) for i in range(1, 10)})
    pts = []
    for c in grid:
        t = run(c, False).timing
        pts.append((math.log(c), math.log(t.ttft_s), math.log(t.tpot_s), math.log(t.e2e_s)))

    def scanned(n: float) -> tuple[float, ...]:
        x = math.log(min(max(n, 1.0), math.exp(pts[-1][0])))
        i = next((k for k in range(1, len(pts)) if pts[k][0] >= x), len(pts) - 1)
        lo, hi = pts[max(i - 1, 0)], pts[i]
        w = 0.0 if hi[0] == lo[0] else (x - lo[0]) / (hi[0] - lo[0])
        return tuple(math.exp(lo[j] + w * (hi[j] - lo[j])) for j in (1, 2, 3))

    for n in [0.5, 1.0, 1.7, *grid, *(c + 0.25 for c in grid), cap * 3.0]:
        assert perf(n) == scanned(n), n

    calls = []

    def counted(n: float) -> tuple[float, float, float]:
        calls.append(n)
        return perf(n)

    run_s = finite_run(rate_per_s=math.inf, num_requests=3 * cap, output_tokens=500, cap=cap,
                       perf=counted)["run_s"]
    assert run_s > 0 and len(calls) < 50  # a few cohorts, not two calls per 400+ steps
