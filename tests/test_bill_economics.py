"""Issue 16 acceptance: bills that hold at low traffic (utilization, cache, API tiers, FOCUS)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inferx.bill import BillRequest, bill
from inferx.bill import econ as E
from inferx.bill.api_tiers import quote
from inferx.profile_prices import ApiPriceProfile
from inferx.render.focus import MANDATORY

TODAY = dt.date(2026, 11, 22)
BASE = dict(input_tokens=800, output_tokens=300, model="llama-3.1-8b", hardware="h100-sxm",
            gpu_hour_price=2.0)
ONE_PER_S = 86_400.0


def run(registry, **kw):
    return bill(BillRequest(**{**BASE, **kw}), registry, TODAY)


def policies(result):
    return {p.policy: p for p in result.utilization.policies}


def test_low_traffic_always_on_is_5x_fully_loaded_and_scale_to_zero_falls(registry) -> None:
    flat = run(registry, daily_queries=ONE_PER_S, traffic_shape="flat").result
    u = flat.utilization
    always = policies(flat)["always_on"]
    assert always.usd_per_million_output_tokens >= 5 * u.fully_loaded_usd_per_million_output_tokens
    office = run(registry, daily_queries=ONE_PER_S, traffic_shape="business-hours").result
    p = policies(office)
    assert p["scale_to_zero"].usd_per_million_output_tokens \
        < p["always_on"].usd_per_million_output_tokens
    assert office.utilization.cold_start_s > 0
    assert "utilization.policies.always_on.monthly_usd" in office.ranges


@settings(max_examples=200, deadline=None, derandomize=True)
@given(c=st.floats(1, 1e5), q=st.floats(1, 1e6), v=st.floats(1, 1e9), k=st.integers(1, 50),
       m=st.integers(1, 8))
def test_more_traffic_never_raises_the_always_on_price_per_token(c, q, v, k, m) -> None:
    """k times the volume never raises always-on $/token; the saw-tooth's ceiling falls."""
    def eff(vol):
        return c * max(m, E.whole(vol / q)) / vol
    assert eff(k * v) <= eff(v) * (1 + 1e-9)
    assert c * (k * v / q + m) / (k * v) <= c * (v / q + m) / v * (1 + 1e-9)


def test_more_traffic_never_raises_effective_price_through_the_bill(registry) -> None:
    prices = [policies(run(registry, daily_queries=ONE_PER_S * k).result)["always_on"]
              .usd_per_million_output_tokens for k in (1, 2, 4, 8)]
    assert prices == sorted(prices, reverse=True)


def test_random_routing_loses_history_reuse_and_cache_aware_recovers_it() -> None:
    kw = dict(shared_share=0.25, history_share=0.5, arrivals_per_s=10.0, sessions_per_s=2.0,
              turns_per_session=5, history_tokens=2000.0, ttl_s=None, turn_interval_s=None,
              capacity_tokens=None)
    single = E.prefix_hit_rate(replicas=1, routing="cache-aware", **kw)
    rnd = E.prefix_hit_rate(replicas=8, routing="random", **kw)
    aware = E.prefix_hit_rate(replicas=8, routing="cache-aware", **kw)
    assert rnd["hit_rate"] <= single["history"] / 8 + rnd["shared"] + 1e-12
    assert aware["hit_rate"] == pytest.approx(single["hit_rate"])
    assert rnd["hit_rate"] < aware["hit_rate"]


def test_derived_cache_through_the_bill(registry) -> None:
    r = run(registry, daily_queries=5e6, sessions=1e6, turns_per_session=5,
            shared_prefix_tokens=200, routing="cache-aware").result
    assert r.cache.source == "derived" and 0 < r.cache.prefix_cache_hit < 1
    assert r.cache.prefill_tokens_saved_per_day > 0


def _api(**kw):
    return ApiPriceProfile(id="x-api", name="x", provider="x", api_model="x",
                           usd_per_million_input_tokens=3.0, usd_per_million_output_tokens=15.0,
                           usd_per_million_cached_input_tokens=0.3, source="test",
                           as_of=TODAY, **kw)


def test_long_context_prompt_priced_at_the_higher_tier_and_cached_reads_at_cached_rate() -> None:
    a = _api(long_context_threshold_tokens=200_000,
             usd_per_million_input_tokens_long_context=6.0,
             usd_per_million_output_tokens_long_context=22.5)
    args = dict(output_tokens=1000, write_share=0.0, ttl="5m", batch=False, shares=None)
    short = quote(a, input_tokens=100_000, cached_share=0.0, **args)
    long = quote(a, input_tokens=300_000, cached_share=0.0, **args)
    assert short.usd_per_query == pytest.approx((100_000 * 3 + 1000 * 15) / 1e6)
    assert long.long_context and long.usd_per_query == pytest.approx(
        (300_000 * 6 + 1000 * 22.5) / 1e6)
    cached = quote(a, input_tokens=100_000, cached_share=0.5, **args)
    assert cached.usd_per_query == pytest.approx((50_000 * 3 + 50_000 * 0.3 + 1000 * 15) / 1e6)


def test_unknown_price_is_excluded_from_break_even_never_zero(registry) -> None:
    answer = run(registry, daily_queries=5e6, input_tokens=250_000,
                 apis=["anthropic-claude-sonnet-4", "anthropic-claude-sonnet-4.5"], api_batch=True)
    by_id = {a.id: a for a in answer.result.apis}
    for a in by_id.values():  # no batch discount is published for either
        assert not a.priced and a.totals is None and a.break_even_daily_queries is None
        assert a.unknown_prices
    assert any(w.code == "api_price_unknown" for w in answer.warnings)
    long = run(registry, daily_queries=5e6, input_tokens=250_000,
               apis=["anthropic-claude-sonnet-4.5"]).result.apis[0]
    assert long.priced and long.long_context and long.totals.monthly_usd > 0


def test_redundancy_adds_replicas_and_availability(registry) -> None:
    base = run(registry, daily_queries=5e6).result
    red = run(registry, daily_queries=5e6, redundancy="N+1").result
    assert red.fleet.replicas_always_on == base.fleet.replicas_always_on + 1
    assert red.utilization.availability_at_peak > base.utilization.availability_at_peak


def test_focus_csv_has_every_mandatory_column(invoke) -> None:
    result, _ = invoke("bill", "--daily-queries", "100000", "--gpu-hour-price", "2",
                       "--format", "focus-csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(MANDATORY) == 21 and rows
    assert set(MANDATORY) <= set(rows[0])
    for col in ("BilledCost", "BillingCurrency", "BillingPeriodStart", "ChargeCategory",
                "ServiceCategory", "ServiceName"):
        assert rows[0][col] != ""
    assert float(rows[0]["BilledCost"]) > 0


def test_seed_example_still_holds(invoke) -> None:
    result, doc = invoke("bill", "--users", "1000000", "--queries-per-user", "5",
                         "--cost-per-query", "0.01", "--days-per-month", "30", "--format", "json")
    assert result.exit_code == 0
    t = doc["data"]["headline"]["totals"]
    assert t["daily_usd"] == 50_000 and t["monthly_usd"] == 1_500_000


@settings(max_examples=200, deadline=None, derandomize=True)
@given(c=st.floats(1, 1e5), q=st.floats(1, 1e6), a=st.floats(1e-4, 1e3), m=st.integers(1, 5))
def test_break_even_scan_matches_the_closed_form_without_a_reserve(c, q, a, m) -> None:
    from inferx.bill import arithmetic as F

    closed = F.break_even_daily_queries(replica_monthly_usd=c, queries_per_replica=q,
                                        api_monthly_usd_per_daily_query=a, min_replicas=m)
    scan = E.break_even_steps(replica_monthly_usd=c, queries_per_replica=q,
                              api_monthly_usd_per_daily_query=a, min_replicas=m,
                              billed=lambda n: n, slope=1.0, extra=0.0, max_steps=100_000)
    if closed is None or closed / (c / a) > 90_000:
        return
    assert scan == pytest.approx(closed, rel=1e-6)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(c=st.floats(1, 1e4), q=st.floats(1, 1e5), a=st.floats(1e-3, 10), k=st.integers(0, 3))
def test_with_a_reserve_the_fleet_is_never_dearer_above_break_even(c, q, a, k) -> None:
    billed = lambda n: n + k
    v_star = E.break_even_steps(replica_monthly_usd=c, queries_per_replica=q,
                                api_monthly_usd_per_daily_query=a, min_replicas=1,
                                billed=billed, slope=1.0, extra=k, max_steps=20_000)
    if v_star is None or v_star / q > 10_000:
        return
    for f in (1.0, 1.3, 2.0, 7.5):
        v = v_star * f
        assert c * billed(max(1, E.whole(v / q))) <= a * v * (1 + 1e-6)


def test_week_long_profile_and_shapes(tmp_path, registry) -> None:
    from inferx.bill import read_traffic_profile
    from inferx.bill.shapes import SHAPES

    f = tmp_path / "week.csv"
    f.write_text("\n".join(f"{h},{1 + (h % 24 >= 9)}" for h in range(168)))
    assert len(read_traffic_profile(f)) == 168
    assert {len(w) for _, w in SHAPES.values()} <= {24, 168}
    r = run(registry, daily_queries=1e6, hourly_weights=read_traffic_profile(f)).result
    assert len(r.fleet.replicas_by_hour) == 168
    assert r.traffic.peak_to_average == pytest.approx(2 * 168 / sum(
        1 + (h % 24 >= 9) for h in range(168)))


def test_off_peak_window_share() -> None:
    flat = [1 / 24] * 24
    assert E.share_in_window(shares=flat, start_hour=16.5, end_hour=0.5) == pytest.approx(8 / 24)


@pytest.mark.parametrize(("flag", "value"), [("--redundancy", "M+1"), ("--routing", "sticky"),
                                             ("--traffic-shape", "lunar"),
                                             ("--api-cache-ttl", "2h")])
def test_bad_inputs_name_their_flag(invoke, flag, value) -> None:
    result, _ = invoke("bill", "--daily-queries", "1000", flag, value)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {flag}")
