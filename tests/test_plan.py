"""`inferx plan` (issue 11): every answer reproduces through `inferx estimate`, the cheapest
answer moves the right way when targets, hardware or volume change, the frontier is monotone,
and `bill` reports the planned fleet."""

from __future__ import annotations

import datetime as dt
import itertools
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inferx.plan import PlanRequest, parse_duration_ms, plan
from inferx.plan.search import pareto

TODAY = dt.date(2026, 1, 1)
SMALL = dict(model="llama-3.1-8b", hardware=["h100-sxm", "l40s", "a100-80gb"])


def run(registry, **kw):
    return plan(PlanRequest(**kw), registry, TODAY).result


def best(registry, **kw) -> float:
    r = run(registry, **kw)
    c = r.configurations[0]
    return c.monthly_usd if c.monthly_usd is not None else c.usd_per_million_output_tokens


def test_every_configuration_reproduces_through_estimate(registry, invoke):
    r = run(registry, model="llama-3.3-70b", hardware=["h100-sxm", "mi300x", "h200"],
            max_ttft_ms="1s", max_tpot_ms="50ms", top=6)
    assert len(r.configurations) == 6
    for c in r.configurations:
        result, doc = invoke("estimate", *c.estimate_args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert shlex.split(c.estimate_command)[2:] == c.estimate_args
        d = doc["data"]
        assert d["latency"]["ttft_ms"] <= 1000 and d["latency"]["tpot_ms"] <= 50
        assert d["latency"]["ttft_ms"] == pytest.approx(c.ttft_ms, rel=1e-5)
        assert d["latency"]["tpot_ms"] == pytest.approx(c.tpot_ms, rel=1e-5)
        assert d["cost"]["usd_per_million_output_tokens"] == pytest.approx(
            c.usd_per_million_output_tokens, rel=1e-5)


def test_moe_layouts_reproduce_through_estimate(registry, invoke):
    r = run(registry, model="mixtral-8x7b", hardware=["h100-sxm"], precision=["bf16"], top=50)
    moe = [c for c in r.configurations if c.dp_attention > 1]
    assert moe, "expert parallelism with attention DP is searched for MoE models"
    c = moe[0]
    result, doc = invoke("estimate", *c.estimate_args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["data"]["cost"]["usd_per_million_output_tokens"] == pytest.approx(
        c.usd_per_million_output_tokens, rel=1e-5)


@pytest.mark.parametrize("tpots", [("20ms", "30ms", "50ms", "200ms")])
def test_raising_max_tpot_never_makes_the_cheapest_dearer(registry, tpots):
    costs = [best(registry, **SMALL, max_tpot_ms=t) for t in tpots]
    assert costs == sorted(costs, reverse=True)


def test_adding_hardware_never_makes_the_cheapest_dearer(registry):
    hw = ["l40s", "a100-80gb", "h100-sxm", "mi300x", "b200"]
    costs = [best(registry, model="llama-3.1-70b", hardware=hw[:k], max_tpot_ms=50,
                  daily_queries=1e5) for k in range(1, len(hw) + 1)]
    assert costs == sorted(costs, reverse=True)


def test_doubling_daily_queries_never_lowers_the_monthly_bill(registry):
    costs = [best(registry, **SMALL, max_tpot_ms=40, daily_queries=v)
             for v in (1e3, 2e3, 4e3, 8e4, 1.6e5, 3.2e6, 6.4e6)]
    assert costs == sorted(costs)


def test_bill_scenario_plans_at_most_the_cheaper_quoted_figure_and_bill_reports_it(
        registry, invoke):
    r = run(registry, model="llama-3.3-70b", hardware=["h100"], precision=["fp8"],
            daily_queries=200_000)
    top = r.configurations[0]
    assert top.monthly_usd <= min(44_968, 11_242)
    result, doc = invoke("bill", "--daily-queries", "200000", "--model", "llama-3.3-70b",
                         "--hardware", "h100", "--precision", "fp8", "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = doc["data"]
    assert d["replica"]["gpus"] == top.gpus and d["replica"]["concurrency"] == top.concurrency
    assert d["headline"]["totals"]["monthly_usd"] == pytest.approx(top.monthly_usd)


def test_bill_gpus_still_pins_the_replica(invoke):
    result, doc = invoke("bill", "--daily-queries", "200000", "--model", "llama-3.3-70b",
                         "--hardware", "h100", "--precision", "fp8", "--gpus", "8",
                         "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["data"]["replica"]["gpus"] == 8


def test_frontier_is_monotone(registry):
    r = run(registry, model="llama-3.1-70b", hardware=["h100-sxm", "mi300x"])
    assert r.frontier
    for f in r.frontier:
        pts = f.points
        assert pts
        for a, b in itertools.pairwise(pts):
            assert b.tokens_per_s_per_user <= a.tokens_per_s_per_user
            assert b.output_tokens_per_s_per_gpu >= a.output_tokens_per_s_per_gpu


def test_pareto_drops_dominated_points():
    from inferx.engine.deployment import Deployment
    from inferx.engine.timing_curve import CurvePoint
    from inferx.plan.search import Point

    def pt(tpot: float, tps: float) -> Point:
        return Point("x", "bf16", Deployment(), CurvePoint(1, 0.1, tpot, 1.0, tps, 1.0, 0.1))

    pts = [pt(0.01, 100), pt(0.02, 90), pt(0.02, 300), pt(0.04, 250), pt(0.05, 400)]
    assert [(p.perf.tpot_s, p.perf.output_tokens_per_s) for p in pareto(pts)] == [
        (0.01, 100), (0.02, 300), (0.05, 400)]


def test_exclusions_are_counted_with_a_reason(registry):
    r = run(registry, model="llama-3.1-70b", max_tpot_ms=30, max_ttft_ms=500)
    s = r.search
    assert sum(s.excluded.values()) == len(r.excluded)
    assert s.families == len(r.excluded) + s.families_with_configurations
    assert {"precision_not_native", "no_price"} <= set(s.excluded)
    assert all(e.detail for e in r.excluded)


def test_no_configuration_is_an_answer_not_an_error(invoke):
    result, doc = invoke("plan", "--model", "llama-3.1-405b", "--hardware", "l4",
                         "--max-gpus", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["data"]["configurations"] == []
    assert set(doc["data"]["search"]["excluded"]) <= {"does_not_fit", "precision_not_native"}
    assert "does_not_fit" in doc["data"]["search"]["excluded"]
    assert [w["code"] for w in doc["warnings"]] == ["no_configuration"]


@pytest.mark.parametrize(("text", "ms"), [("500ms", 500.0), ("1.5s", 1500.0), ("50", 50.0),
                                          (" 2 s ", 2000.0), (20, 20.0)])
def test_durations_take_units(text, ms):
    assert parse_duration_ms("max_tpot_ms", text) == ms


@pytest.mark.parametrize(("args", "flag"), [
    (["--max-tpot", "fast"], "--max-tpot"),
    (["--max-ttft", "-1s"], "--max-ttft"),
    (["--daily-queries", "10", "--request-rate", "1"], "--request-rate"),
    (["--pricing", "cheap"], "--pricing"),
    (["--precision", "fp7"], "--precision"),
    (["--max-gpus", "0"], "--max-gpus"),
    (["--hardware", "nope-gpu"], None),
])
def test_bad_input_is_one_error_line_naming_the_flag(invoke, args, flag):
    result, _ = invoke("plan", *args)
    assert result.exit_code in (2, 3)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")
    if flag:
        assert flag in lines[0]


def test_plan_json_envelope_and_table(invoke):
    result, doc = invoke("plan", "--model", "llama-3.1-8b", "--hardware", "h100,l40s",
                         "--max-tpot", "30ms", "--request-rate", "5", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["command"] == ["plan"] and doc["status"] == "ok"
    d = doc["data"]
    assert d["inputs"]["ranked_by"] == "monthly_usd" and d["inputs"]["peak_qps"] == 5
    assert all(c["tpot_ms"] <= 30 for c in d["configurations"])
    result, _ = invoke("plan", "--model", "llama-3.1-8b", "--hardware", "h100,l40s",
                       "--max-tpot", "30ms")
    assert result.exit_code == 0 and "Frontier" in result.stdout and "excluded" in \
        result.stdout.lower()


def test_disaggregated_pools_are_searched_and_reproduce(registry, invoke):
    r = run(registry, model="llama-3.3-70b", hardware=["b200", "h100-sxm"], max_tpot_ms=20,
            max_ttft_ms="1s", top=30)
    pools = [c for c in r.configurations if c.disaggregate]
    assert pools, "a tight TPOT target is where disaggregated pools pay"
    for c in pools[:3]:
        assert "--disaggregate" in c.estimate_args
        result, doc = invoke("estimate", *c.estimate_args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        d = doc["data"]
        assert d["latency"]["tpot_ms"] <= 20 and d["latency"]["ttft_ms"] <= 1000
        assert d["cost"]["usd_per_million_output_tokens"] == pytest.approx(
            c.usd_per_million_output_tokens, rel=1e-5)


def test_pool_ratios_straddle_the_balanced_one():
    from inferx.plan.disagg import ratios

    assert set(ratios(0.3, 64)) == {(1, 4), (1, 2), (1, 1)}
    assert (3, 4) in ratios(0.8, 64) and (1, 1) in ratios(0.8, 64)
    assert all(p + d <= 3 for p, d in ratios(2.5, 3))


def test_pool_fast_path_equals_engine_disaggregate(registry):
    from inferx.engine.deployment import Deployment
    from inferx.inputs import EstimateRequest
    from inferx.plan.disagg import engine_pools, pool_points
    from inferx.plan.search import time_layout
    from inferx.scenario import build

    for model, hw, tp in (("llama-3.3-70b", "h100-sxm", 2), ("mixtral-8x7b", "b200", 1)):
        sc = build(EstimateRequest(model=model, hardware=hw, precision="fp8"), registry, TODAY)
        d = Deployment(tp=tp)
        perf, _, _ = time_layout(sc, d)
        pools = pool_points(sc, d, perf, max_gpus=64)
        assert len(pools) > len(perf)
        by_c = {p.concurrency: p for p in perf}
        for (p, dn), fast in pools[::7]:
            assert fast == engine_pools(sc, d, by_c[fast.concurrency], p, dn)


def test_pipeline_layouts_only_beyond_what_tensor_parallelism_reaches(registry):
    from inferx.engine.deployment import Deployment
    from inferx.inputs import EstimateRequest
    from inferx.plan.search import layouts
    from inferx.scenario import build

    sc = build(EstimateRequest(model="llama-2-13b", hardware="l40s"), registry, TODAY)
    first, piped = layouts(sc, 64, "all")
    assert [d.tp for d in first] == [1, 2, 4, 8]  # 40 heads: no TP16
    assert piped == [Deployment(tp=8, pp=2), Deployment(tp=8, pp=4), Deployment(tp=8, pp=8)]
    assert layouts(sc, 64, "tp")[1] == []


def test_csv_has_one_line_per_configuration(invoke):
    result, _ = invoke("plan", "--hardware", "h100", "--top", "3", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4 and lines[0].startswith("rank,hardware,precision,layout")


@pytest.mark.parametrize("engine", ["tensorrt-llm", "hf-transformers"])
def test_engine_presets_reproduce_through_estimate(registry, invoke, engine):
    r = run(registry, model="llama-3.1-8b", hardware=["h100-sxm", "l40s"], engine=engine,
            max_tpot_ms=40, top=3)
    assert r.configurations
    for c in r.configurations:
        assert c.estimate_args[-2:] == ["--engine", engine]
        result, doc = invoke("estimate", *c.estimate_args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert doc["data"]["latency"]["tpot_ms"] == pytest.approx(c.tpot_ms, rel=1e-5)
        assert doc["data"]["cost"]["usd_per_million_output_tokens"] == pytest.approx(
            c.usd_per_million_output_tokens, rel=1e-5)


def test_progress_line_only_on_a_terminal_after_a_second(monkeypatch, capsys):
    import sys

    from inferx.cli.plan import _Progress

    p = _Progress()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    p(1, 10)
    assert capsys.readouterr().err == ""  # under a second: nothing
    p.start -= 2.0
    p(5, 10)
    p(10, 10)
    err = capsys.readouterr().err
    assert "5/10 families" in err and err.endswith("\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    p(3, 10)
    assert capsys.readouterr().err == ""


PROPERTY_HW = ["h100-sxm", "l40s", "mi300x"]


@given(st.floats(5, 200), st.floats(1.01, 3))
@settings(max_examples=12, deadline=None)
def test_property_looser_tpot_never_dearer(registry, tpot, factor):
    def cost(t: float) -> float:
        r = run(registry, model="llama-3.1-8b", hardware=PROPERTY_HW, max_tpot_ms=t)
        return r.configurations[0].usd_per_million_output_tokens if r.configurations \
            else float("inf")

    assert cost(tpot * factor) <= cost(tpot)


@given(st.floats(10, 1e7))
@settings(max_examples=12, deadline=None)
def test_property_double_volume_never_cheaper(registry, daily):
    def cost(v: float) -> float:
        return run(registry, model="llama-3.1-8b", hardware=PROPERTY_HW, max_tpot_ms=40,
                   daily_queries=v).configurations[0].monthly_usd

    assert cost(2 * daily) >= cost(daily)


def test_assumptions_pass_through_and_reproduce(registry, invoke):
    r = run(registry, model="llama-3.1-70b", hardware=["a10g"], precision=["bf16"],
            assume={"interconnect_gb_per_s": 64.0, "compute_efficiency": 0.5}, top=2)
    assert r.configurations, "an assumed link lets a10g's multi-GPU layouts be timed"
    c = r.configurations[0]
    assert "--assume" in c.estimate_args
    result, doc = invoke("estimate", *c.estimate_args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["data"]["cost"]["usd_per_million_output_tokens"] == pytest.approx(
        c.usd_per_million_output_tokens, rel=1e-5)
