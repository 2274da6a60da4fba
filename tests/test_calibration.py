"""Calibration harness: reading measurements, mapping rows, scoring, fitting (fast)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from inferx.calibration.fitting import evaluate, fit
from inferx.calibration.optimise import levenberg_marquardt
from inferx.calibration.harness import (
    CannotEstimate,
    closed_loop,
    finite_run,
    predict,
    resolve,
)
from inferx.calibration.measurements import (
    classify_batch,
    read_csv,
    requests_in_run,
)
from inferx.calibration.scoring import Pair, quantile, stats
from inferx.engine import Assumptions
from inferx.calibration.vllm_json import read_vllm_json
from inferx.errors import InputError, InvalidFileError
from inferx.registry import Registry

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"


@pytest.fixture(scope="module")
def rows():
    return read_csv(DATA / "published_measurements.csv")


@pytest.fixture(scope="module")
def builtin():
    return Registry.default()


def test_published_csv_is_read_whole(rows):
    assert len(rows) == 109
    assert len({r.case_id for r in rows}) == 109
    by_id = {r.case_id: r for r in rows}
    assert by_id["trtllm017_001"].batch_mode == "max"
    assert by_id["trtllm017_001"].metrics == {"throughput_out_tok_s": 29526.04}
    assert by_id["trtllm014_001"].batch_mode == "rate"
    assert by_id["trtllm014_001"].request_rate == 2.0
    assert by_id["trtllm014_003"].request_rate == math.inf
    assert by_id["trtllm061_001"].batch_mode == "static"
    assert by_id["amd_perf_001"].batch_mode == "max" and by_id["amd_perf_001"].batch == 3200
    assert by_id["gaudi2lat_001"].output_tokens == 1
    assert by_id["lmdeploy_001"].source_key == "lmdeploy"
    assert by_id["lmdeploy_w4_001"].source_key == "lmdeploy_w4"


@pytest.mark.parametrize(("value", "notes", "expected"), [
    ("max", "", ("max", None, None)),
    ("qps=2", "", ("rate", None, 2.0)),
    ("64", "static batch 64", ("static", 64, None)),
    ("32", "fixed client concurrency", ("concurrency", 32, None)),
    ("3200", "num prompts = max num seqs = 3200", ("max", 3200, None)),
])
def test_classify_batch(value, notes, expected):
    assert classify_batch(value, notes) == expected


def test_classify_batch_rejects_garbage():
    with pytest.raises(ValueError, match="batch_or_concurrency"):
        classify_batch("lots", "")


def test_bad_csv_names_the_file(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InvalidFileError, match="missing column") as info:
        read_csv(bad)
    assert info.value.path == str(bad) and info.value.field == "case_id"


def test_vllm_json_maps_to_a_concurrency_row(tmp_path):
    f = tmp_path / "run.json"
    f.write_text('{"completed": 100, "total_input_tokens": 102400, "total_output_tokens": '
                 '12800, "output_throughput": 2500.0, "mean_ttft_ms": 80.0, "mean_tpot_ms": '
                 '20.0, "max_concurrency": 32, "model_id": "meta-llama/Llama-3.1-8B-Instruct"}')
    (row,) = read_vllm_json(f, hardware="h100-sxm", gpus=1, precision="bf16")
    assert (row.input_tokens, row.output_tokens) == (1024, 128)
    assert (row.batch_mode, row.batch) == ("concurrency", 32)
    assert row.metrics == {"throughput_out_tok_s": 2500.0, "ttft_ms": 80.0, "tpot_ms": 20.0}


def test_unknown_profiles_are_not_estimable_with_reason(rows, builtin):
    row = rows[0]
    from dataclasses import replace

    with pytest.raises(CannotEstimate, match="no model profile for nobody/None-1B"):
        resolve(replace(row, model="nobody/None-1B"), builtin)
    with pytest.raises(CannotEstimate, match="no hardware profile for TPU-v99"):
        resolve(replace(row, hardware="TPU-v99"), builtin)


def test_static_batch_row_uses_the_static_model(rows, builtin):
    row = next(r for r in rows if r.case_id == "trtllm05blog_001")  # static batch 64
    s = resolve(row, builtin)
    p = predict(s, Assumptions())
    assert p.concurrency == 64
    # static: throughput = B·T_out / (TTFT + (T_out − 1)·TPOT) exactly
    ttft, tpot = p.values["ttft_ms"] / 1e3, p.values["tpot_ms"] / 1e3
    assert p.values["throughput_out_tok_s"] == pytest.approx(
        64 * 128 / (ttft + 127 * tpot), rel=1e-4)


def test_rate_row_throughput_is_the_offered_load_below_capacity(rows, builtin):
    row = next(r for r in rows if r.case_id == "trtllm014_005")  # qps=2, 256 out, 500 requests
    steady = dataclasses.replace(row, num_requests=None)  # no request count: steady state
    p = predict(resolve(steady, builtin), Assumptions())
    assert p.values["throughput_out_tok_s"] == pytest.approx(2 * 256)
    # the finite run: 500 requests over 250 s, then the last one's E2E
    pf = predict(resolve(row, builtin), Assumptions())
    run_s = 500 / 2 + pf.values["e2e_latency_s"]
    assert pf.values["throughput_out_tok_s"] == pytest.approx(500 * 256 / run_s, rel=0.02)
    burst = next(r for r in rows if r.case_id == "trtllm014_006")  # qps=inf
    pb = predict(resolve(burst, builtin), Assumptions())
    assert "ttft_ms" in pb.skipped and "tpot_ms" in pb.values


def test_burst_tpot_carries_half_the_cohorts_prefill_not_every_others_prefill(rows, builtin):
    """qps=inf, 500 requests, all fit: one cohort; its prefill work P happens once, and each
    request's decode overlaps on average half of it (harness._perf_curve, burst)."""
    from inferx.calibration.harness import _run

    row = next(r for r in rows if r.case_id == "trtllm014_006")  # qps=inf, 500 requests
    s = resolve(row, builtin)
    a = Assumptions(max_num_seqs=2048)  # all 500 fit: one cohort
    p = predict(s, a)
    assert p.concurrency >= 500
    static = _run(s, a, 500, True).timing
    steady = _run(s, a, 500, False).timing
    p_s = static.ttft_s  # a static batch's TTFT is its prefill: no request overhead
    burst_tpot_ms = (static.tpot_s + p_s / (2 * (row.output_tokens - 1))) * 1e3
    assert p.values["tpot_ms"] == pytest.approx(burst_tpot_ms, rel=5e-3)
    assert static.tpot_s * 1e3 < p.values["tpot_ms"] < steady.tpot_s * 1e3


def test_request_count_is_read_from_the_source_detail(rows):
    by_id = {r.case_id: r for r in rows}
    assert by_id["trtllm014_002"].num_requests == 500
    assert by_id["trtllm017_001"].num_requests is None
    assert requests_in_run("num_prompts=1,000") == 1000


def _flat_perf(seen: list[float], ttft_s=0.05, tpot_s=0.02, t_out=100):
    def perf(n: float):
        seen.append(n)
        tpot = tpot_s * (1 + n / 100)  # slower per token as more requests share a step
        return ttft_s, tpot, ttft_s + (t_out - 1) * tpot
    return perf


def test_finite_run_below_capacity_is_the_offered_load_plus_the_drain():
    seen: list[float] = []
    perf = _flat_perf(seen)
    run = finite_run(rate_per_s=1.0, num_requests=200, output_tokens=100, cap=1000, perf=perf)
    # ~E2E(n≈2) in flight; the run lasts the arrivals (200 s) plus the last request's E2E
    e2e = perf(2.1)[2]
    assert run["run_s"] == pytest.approx(200 + e2e, rel=0.03)
    assert run["tpot_s"] == pytest.approx(perf(2.1)[1], rel=0.03)
    assert run["ttft_s"] == pytest.approx(0.05, rel=1e-6)  # nothing queues


def test_finite_burst_holds_at_most_the_requests_sent_and_the_cap():
    seen: list[float] = []
    run = finite_run(rate_per_s=math.inf, num_requests=50, output_tokens=100, cap=1000,
                     perf=_flat_perf(seen))
    assert max(seen) <= 50 + 1e-9
    # all 50 start together and leave together: TTFT + 99 steps at TPOT(50)
    tpot = 0.02 * 1.5
    assert run["tpot_s"] == pytest.approx(tpot, rel=1e-6)
    assert run["run_s"] == pytest.approx(0.05 + 99 * tpot, rel=0.02)
    seen.clear()
    capped = finite_run(rate_per_s=math.inf, num_requests=50, output_tokens=100, cap=10,
                        perf=_flat_perf(seen))
    assert max(seen) <= 10 + 1e-9
    assert capped["ttft_s"] > 0.05 + 2 * 99 * 0.02  # later requests queue for earlier ones


def test_finite_run_above_capacity_builds_up_only_what_the_run_sends():
    """λ far above capacity for a short run: concurrency stays below the cap, TPOT below the
    cap's, unlike the steady state C = λ·E2E(C) which tips to the cap."""
    seen: list[float] = []
    perf = _flat_perf(seen)
    run = finite_run(rate_per_s=20.0, num_requests=100, output_tokens=100, cap=5000,
                     perf=perf)
    assert max(seen) <= 100 + 1e-9
    assert run["tpot_s"] < perf(100)[1]


def test_closed_loop_clients_beyond_the_server_cap_queue_for_a_slot():
    """N closed-loop clients, server holds cap: throughput stays the cap's, every extra round
    of clients adds one E2E(cap) to the time to first token (Little's law)."""
    e2e = 0.4 + 499 * 0.09
    run = closed_loop(clients=170, cap=85, ttft_s=0.4, tpot_s=0.09, output_tokens=500)
    assert run["throughput"] == pytest.approx(85 * 500 / e2e)
    assert run["e2e_s"] == pytest.approx(2 * e2e)
    assert run["ttft_s"] == pytest.approx(0.4 + e2e)  # waits one full turn, then prefills
    assert run["tpot_s"] == 0.09
    more = closed_loop(clients=255, cap=85, ttft_s=0.4, tpot_s=0.09, output_tokens=500)
    assert more["ttft_s"] - run["ttft_s"] == pytest.approx(e2e)
    assert more["throughput"] == run["throughput"]


def test_concurrency_row_beyond_memory_runs_at_the_cap(rows, builtin):
    base = next(r for r in rows if r.case_id == "trtllm05blog_001")
    row = dataclasses.replace(base, batch_mode="concurrency", batch=100000, input_tokens=128,
                              output_tokens=128)
    s = resolve(row, builtin)
    p = predict(s, Assumptions())
    cap = p.concurrency
    assert cap is not None and cap < 100000
    at_cap = predict(resolve(dataclasses.replace(row, batch=cap), builtin), Assumptions())
    assert p.values["throughput_out_tok_s"] == pytest.approx(
        at_cap.values["throughput_out_tok_s"], rel=1e-4)
    assert p.values["tpot_ms"] == pytest.approx(at_cap.values["tpot_ms"], rel=1e-4)
    assert p.values["ttft_ms"] > 100 * at_cap.values["ttft_ms"]  # queued behind many turns


def test_quantile_and_stats():
    assert quantile([1, 2, 3, 4, 5], 0.5) == 3
    assert quantile([0, 10], 0.9) == pytest.approx(9)
    pairs = [Pair("a", "s", "h", "p", "e", "ttft_ms", 100.0, x) for x in (50.0, 100.0, 200.0)]
    st = stats(pairs)
    assert st.median_ape == pytest.approx(0.5)
    assert st.bias == pytest.approx(1.0)


def test_levenberg_marquardt_solves_a_least_squares_problem_from_any_start():
    """r_i = a·t_i + b − y_i with y from a = 2, b = −1: every start reaches (2, −1)."""
    ts = [0.0, 0.5, 1.0, 1.5, 2.0]

    def residuals(x):
        return {t: x[0] * t + x[1] - (2 * t - 1) for t in ts}

    for start in ([0.0, 0.0], [3.0, 2.5], [-2.0, -3.0]):
        best, loss = levenberg_marquardt(residuals, start, [-5, -5], [5, 5], prior=[0, 0],
                                         prior_weights=[0, 0], scale=None, evaluations=60)
        assert best == pytest.approx([2, -1], abs=1e-4) and loss == pytest.approx(0, abs=1e-6)


def test_levenberg_marquardt_keeps_knobs_in_their_box_and_lets_the_prior_settle_a_flat_one():
    """The rows fix x0 + x1 = 1 only (a knob standing in for another): the prior picks the
    point on that line nearest to it, and the box [−5, 0.2] holds x0 at its bound."""
    def residuals(x):
        return {i: x[0] + x[1] - 1 for i in range(3)}

    best, _ = levenberg_marquardt(residuals, [0.0, 0.0], [-5, -5], [5, 5], prior=[0, 0],
                                  prior_weights=[0.01, 0.01], scale=None, evaluations=60)
    assert best[0] == pytest.approx(best[1], abs=1e-3) and sum(best) == pytest.approx(1, abs=0.02)
    best, _ = levenberg_marquardt(residuals, [0.0, 0.0], [-5, -5], [0.2, 5], prior=[0, 0],
                                  prior_weights=[0.01, 0.01], scale=None, evaluations=60)
    assert best[0] == pytest.approx(0.2) and best[1] == pytest.approx(0.8, abs=0.02)


def test_pooled_prior_is_the_log_centre_of_the_bounds_not_the_last_fit():
    from inferx.calibration.fitting import BOUNDS, PRIOR

    for k, (lo, hi) in BOUNDS.items():
        assert PRIOR[k] == pytest.approx(math.sqrt(lo * hi))


def test_fit_recovers_bandwidth_efficiency_from_synthetic_measurements(rows, builtin):
    """Rows 'measured' with bandwidth_efficiency 0.6: the fit must move toward 0.6."""
    from dataclasses import replace

    from inferx.calibration.fitting import assumptions_for

    picks = [r for r in rows if r.case_id in ("lmdeploy_001", "lmdeploy_005", "lmdeploy_008")]
    truth = assumptions_for("lmdeploy@2023", {"bandwidth_efficiency": 0.6})
    scen = []
    for r in picks:
        s = resolve(r, builtin)
        vals = predict(s, truth).values
        scen.append(replace(s, row=replace(r, metrics={"tpot_ms": vals["tpot_ms"]})))
    prior = {"bandwidth_efficiency": 0.9}
    got = fit(scen, engine="lmdeploy@2023", prior=prior, prior_weight=0.0,
              knobs=["bandwidth_efficiency"], iterations=60)
    assert got.values["bandwidth_efficiency"] == pytest.approx(0.6, rel=0.02)
    pairs, _ = evaluate(scen, lambda _e: got.values)
    assert max(abs(math.log(p.ratio)) for p in pairs) < 0.02
