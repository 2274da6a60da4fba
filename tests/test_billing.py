"""inferx.bill: the library behind `inferx bill` (relations and arithmetic, not engine numbers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inferx.bill import BillRequest, bill, parse_fraction, read_traffic_profile
from inferx.bill import arithmetic as F
from inferx.errors import InputError

TRAFFIC = Path(__file__).parent / "fixtures" / "traffic"
TODAY = dt.date(2026, 11, 22)
BASE = dict(input_tokens=800, output_tokens=300, model="llama-3.1-8b", hardware="h100-sxm",
            gpu_hour_price=2.0)


def run(registry, **kw):
    return bill(BillRequest(**{**BASE, **kw}), registry, TODAY)


@pytest.mark.parametrize(("text", "expected"), [("15%", 0.15), ("0.15", 0.15), (0.2, 0.2),
                                                ("100%", 1.0), ("0", 0.0)])
def test_percent_or_fraction(text, expected) -> None:
    assert parse_fraction("--x", text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["-5%", "nan", "inf", "15", "150%", "abc", ""])
def test_percent_rejects(text) -> None:
    with pytest.raises(InputError, match="x"):
        parse_fraction("--x", text)


def test_traffic_profile_files() -> None:
    assert read_traffic_profile(TRAFFIC / "flat.txt") == [1.0] * 24
    w = read_traffic_profile(TRAFFIC / "business-hours.csv")
    assert F.peak_to_average_of(shares=F.hourly_shares(weights=w)) == pytest.approx(3 * 24 / 42)
    with pytest.raises(InputError, match=r"bad-negative.txt line 7"):
        read_traffic_profile(TRAFFIC / "bad-negative.txt")


@pytest.mark.parametrize(("content", "match"), [
    ("1\n" * 23, "expected 24 or 168 hourly weights, found 23"),
    ("0\n" * 24, "all zero"),
    ("1\n" * 23 + "nan\n", "line 24: weight must be a finite"),
    ("1\n" * 23 + "x\n", "line 24: weight 'x' is not a number"),
    ("0,1\n2,1\n", "line 2: expected hour 1"),
])
def test_traffic_profile_errors_name_file_and_line(tmp_path, content, match) -> None:
    p = tmp_path / "t.txt"
    p.write_text(content)
    with pytest.raises(InputError, match=match) as exc:
        read_traffic_profile(p)
    assert "traffic_profile" in str(exc.value) and "t.txt" in str(exc.value)


@pytest.mark.parametrize(("kw", "flag"), [
    ({}, "--daily-queries"),
    ({"daily_queries": -1}, "--daily-queries"),
    ({"daily_queries": float("nan")}, "--daily-queries"),
    ({"daily_queries": 10, "users": 5, "queries_per_user": 2}, "--daily-queries"),
    ({"daily_queries": 10, "peak_to_average": 0.5}, "--peak-to-average"),
    ({"daily_queries": 10, "target_utilization": "0%"}, "--target-utilization"),
    ({"daily_queries": 10, "cache_hit_rate": "-1%"}, "--cache-hit-rate"),
    ({"daily_queries": 10, "growth": "5000%"}, "--growth"),
    ({"daily_queries": 10, "days_per_month": 45}, "--days-per-month"),
    ({"daily_queries": 10, "router_share": "10%"}, "--router-share"),
    ({"daily_queries": 10, "cost_per_query": 1, "cost_per_million_tokens": 1}, "--cost-per-query"),
])
def test_request_errors_name_the_flag(kw, flag) -> None:
    from inferx.cli._errors import flag_for

    with pytest.raises(InputError) as err:
        BillRequest(**kw)
    assert flag_for(err.value.field) == flag


def test_direct_arithmetic_acceptance(registry) -> None:
    r = bill(BillRequest(users=1_000_000, queries_per_user=5, cost_per_query=0.01,
                         days_per_month=30, cost_reduction="20%"), registry, TODAY).result
    assert r.direct.daily_usd == 50_000
    assert r.direct.monthly_usd == 1_500_000
    (lever,) = r.levers
    assert lever.lever == "cost_reduction" and lever.monthly_saving_usd == 300_000
    assert r.replica is None and r.self_hosted == []


def test_self_hosted_bill_is_replicas_times_gpu_hours_times_price(registry) -> None:
    r = run(registry, daily_queries=5e6).result
    fl, rep = r.fleet, r.replica
    assert fl.gpus_always_on == fl.replicas_always_on * rep.gpus
    assert fl.gpu_hours_per_month_always_on == pytest.approx(fl.gpus_always_on * 730)
    (sh,) = r.self_hosted
    assert sh.always_on.monthly_usd == pytest.approx(fl.gpu_hours_per_month_always_on * 2.0,
                                                     rel=1e-5)
    # enough replicas for peak at the target utilization, and one fewer would not be
    need = r.traffic.peak_qps / (rep.requests_per_s * 0.7)
    assert fl.replicas_always_on - 1 < need <= fl.replicas_always_on
    assert r.conventions.hours_per_month == 730
    assert r.headline.totals == sh.always_on


def test_autoscaled_with_profile_costs_no_more_than_always_on(registry) -> None:
    w = read_traffic_profile(TRAFFIC / "business-hours.csv")
    r = run(registry, daily_queries=5e6, hourly_weights=w).result
    (sh,) = r.self_hosted
    assert sh.autoscaled.monthly_usd <= sh.always_on.monthly_usd
    assert max(r.fleet.replicas_by_hour) == r.fleet.replicas_always_on


def test_latency_target_shrinks_the_batch(registry) -> None:
    free = run(registry, daily_queries=5e6).result.replica
    tight = run(registry, daily_queries=5e6, max_tpot_ms=free.tpot_ms * 0.6).result.replica
    assert tight.tpot_ms <= free.tpot_ms * 0.6
    assert tight.concurrency < free.concurrency


def test_unmeetable_target_is_an_answer_not_an_error(registry) -> None:
    ans = run(registry, daily_queries=5e6, max_tpot_ms=0.001)
    assert ans.result.replica is None and ans.result.headline is None
    assert any(w.code == "latency_target_unmet" for w in ans.warnings)


def test_break_even_volume_bills_agree_within_one_percent(registry) -> None:
    r = run(registry, daily_queries=1e5, apis=["openai-gpt-4o"]).result
    (api,) = r.apis
    be = api.break_even_daily_queries
    assert be is not None
    at = run(registry, daily_queries=be, apis=["openai-gpt-4o"]).result
    own, buy = at.self_hosted[0].always_on.monthly_usd, at.apis[0].totals.monthly_usd
    assert own == pytest.approx(buy, rel=0.01)
    far = run(registry, daily_queries=be * 10, apis=["openai-gpt-4o"]).result
    assert far.self_hosted[0].always_on.monthly_usd <= far.apis[0].totals.monthly_usd


def test_levers_report_savings_against_the_headline(registry) -> None:
    r = run(registry, daily_queries=2e7, cache_hit_rate="50%", what_if_precision="fp8",
            distill_model="llama-3.2-1b", router_share="50%", router_model="llama-3.2-1b",
            draft_model="llama-3.2-1b", acceptance_rate="80%", max_batch=8).result
    base = r.headline.totals.monthly_usd
    levers = {lv.lever: lv for lv in r.levers}
    assert set(levers) == {"cache", "precision", "distillation", "router",
                           "speculative_decoding", "max_batch"}
    for lv in levers.values():
        assert lv.monthly_saving_usd == pytest.approx(base - lv.monthly_usd, rel=1e-5, abs=0.01)
    assert levers["cache"].monthly_saving_usd > 0
    assert levers["distillation"].monthly_usd < base  # 1B on the same GPUs is cheaper
    assert levers["max_batch"].monthly_usd >= base  # a batch of 8 cannot beat the default limit


def test_ownership_needs_a_purchase_price_and_never_guesses(registry) -> None:
    r = run(registry, daily_queries=5e6, usd_per_kwh=0.1).result
    hw = registry.get("hardware", "h100-sxm")
    if hw.purchase is None:
        assert not r.ownership.priced and "--purchase-usd" in r.ownership.reason
    owned = run(registry, daily_queries=5e6, usd_per_kwh=0.1, purchase_usd=36_000, pue=1.2,
                hosting_usd_per_gpu_month=50).result.ownership
    assert owned.priced and owned.capital_usd_per_gpu_month == pytest.approx(1000)
    assert owned.totals.monthly_usd == pytest.approx(owned.total_usd_per_gpu_month * owned.gpus,
                                                     rel=1e-5)


def test_growth_series(registry) -> None:
    r = run(registry, daily_queries=1e6, growth="15%", months=12).result
    s = r.growth.series
    assert len(s) == 12 and s[0].daily_queries == 1e6
    assert s[-1].daily_queries == pytest.approx(1e6 * 1.15**11, rel=1e-5)
    bills = [m.self_hosted_monthly_usd for m in s]
    assert bills == sorted(bills) and bills[0] == r.headline.totals.monthly_usd


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(v=st.floats(min_value=1, max_value=1e9), h=st.floats(0, 0.99))
def test_library_doubling_never_lowers_and_cache_never_raises(registry, v, h) -> None:
    r = run(registry, daily_queries=v, cache_hit_rate=h).result
    r2 = run(registry, daily_queries=2 * v).result
    assert r2.headline.totals.monthly_usd >= r.headline.totals.monthly_usd
    (cache,) = r.levers
    assert cache.monthly_usd <= r.headline.totals.monthly_usd


def test_price_profile_gives_a_row_per_published_pricing(registry) -> None:
    hw_prices = [p for p in registry.all("price") if p.hardware == "h100-sxm"]
    profile = max(hw_prices, key=lambda p: sum(p.price_for(k) is not None for k in
                                               ("on-demand", "reserved-1y", "spot")))
    r = bill(BillRequest(daily_queries=1e7, price=profile.id), registry, TODAY).result
    rows = {s.pricing: s for s in r.self_hosted}
    assert rows, "a price profile yields at least one priced row"
    for kind, row in rows.items():
        assert row.usd_per_gpu_hour == pytest.approx(profile.price_for(kind), rel=1e-5)
        assert row.always_on.monthly_usd == pytest.approx(
            r.fleet.gpu_hours_per_month_always_on * profile.price_for(kind), rel=1e-5)
