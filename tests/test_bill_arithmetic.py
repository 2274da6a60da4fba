"""inferx.bill.arithmetic: hand-worked cases and invariants (docs/methodology.md#fleet-and-bill)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inferx.bill import arithmetic as F

volumes = st.floats(min_value=0, max_value=1e10, allow_nan=False)
capacities = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
utilizations = st.floats(min_value=0.05, max_value=1.0)
peaks = st.floats(min_value=1.0, max_value=24.0)
prices = st.floats(min_value=0.01, max_value=100.0)
weights = st.lists(st.floats(min_value=0, max_value=1e3), min_size=24, max_size=24).filter(
    lambda w: sum(w) > 0)


def test_users_times_queries_and_direct_arithmetic() -> None:
    daily = F.daily_queries_from_users(users=1_000_000, queries_per_user=5)
    assert daily == 5_000_000
    monthly = F.direct_monthly_usd(daily_queries=daily, usd_per_query=0.01, days_per_month=30)
    t = F.totals(monthly_usd=monthly, daily_queries=daily, days_per_month=30, tokens_per_query=1000)
    assert t["daily_usd"] == pytest.approx(50_000)
    assert t["monthly_usd"] == pytest.approx(1_500_000)
    assert t["yearly_usd"] == pytest.approx(18_000_000)
    assert t["usd_per_query"] == pytest.approx(0.01)
    assert t["usd_per_1k_queries"] == pytest.approx(10)
    assert t["usd_per_million_tokens"] == pytest.approx(10)  # 0.01 $/query / 1000 tokens


def test_default_month_is_730_hours() -> None:
    assert F.hours_per_month(days_per_month=F.DEFAULT_DAYS_PER_MONTH) == pytest.approx(730)


def test_replicas_hand_worked() -> None:
    # 864,000 queries/day = 10 q/s average, 20 q/s at peak 2x; a replica does 5 q/s at 80 %
    # = 4 q/s → 5 replicas.
    peak = F.peak_qps(daily_queries=864_000, peak_to_average=2)
    assert peak == pytest.approx(20)
    assert F.replicas_for(qps=peak, replica_requests_per_s=5, target_utilization=0.8,
                          min_replicas=1) == 5
    assert F.replicas_for(qps=0, replica_requests_per_s=5, target_utilization=0.8,
                          min_replicas=2) == 2
    # 5 replicas x 2 GPUs x 730 h x $2 = $14,600
    assert F.always_on_monthly_usd(
        daily_queries=864_000, replica_requests_per_s=5, target_utilization=0.8,
        peak_to_average=2, min_replicas=1, gpus_per_replica=2, usd_per_gpu_hour=2,
        days_per_month=F.DEFAULT_DAYS_PER_MONTH) == pytest.approx(14_600)


def test_exact_multiple_does_not_round_up() -> None:
    assert F.whole(3.0000000000004) == 3
    assert F.whole(3.01) == 4


def test_hourly_profile_and_autoscaling() -> None:
    w = [1.0] * 12 + [3.0] * 12
    shares = F.hourly_shares(weights=w)
    assert sum(shares) == pytest.approx(1)
    assert F.peak_to_average_of(shares=shares) == pytest.approx(1.5)
    # 4,800 q/h at the busy hours = 1.333 q/s; capacity 1 q/s at 100 %: 2 replicas busy, 1 quiet
    reps = F.autoscaled_replicas(daily_queries=12 * 1600 + 12 * 4800, shares=shares,
                                 replica_requests_per_s=1, target_utilization=1, min_replicas=1)
    assert reps == [1] * 12 + [2] * 12
    assert F.gpu_hours_autoscaled(replicas_by_hour=reps, gpus_per_replica=2,
                                  days_per_month=30) == 36 * 2 * 30


def test_ownership_hand_worked() -> None:
    o = F.ownership_usd_per_gpu_month(purchase_usd=36_000, amortize_years=3, power_w=500,
                                      pue=1.2, usd_per_kwh=0.1, hosting_usd_per_gpu_month=50,
                                      hours_per_month=730)
    assert o["capital_usd"] == pytest.approx(1000)
    assert o["energy_usd"] == pytest.approx(0.5 * 1.2 * 730 * 0.1)
    assert o["total_usd"] == pytest.approx(1000 + 43.8 + 50)


def test_growth_and_speculative() -> None:
    assert F.growth_volumes(daily_queries=100, growth_rate=0.15, months=3) == pytest.approx(
        [100, 115, 132.25])
    # α = 1: γ + 1 tokens per verify; free draft → speed-up γ + 1
    assert F.speculative_speedup(acceptance_rate=1, draft_tokens=4,
                                 draft_to_target_step_ratio=0) == pytest.approx(5)
    # α = 0: one token per verify step, paid γ draft steps on top → slower
    assert F.speculative_speedup(acceptance_rate=0, draft_tokens=4,
                                 draft_to_target_step_ratio=0.1) == pytest.approx(1 / 1.4)


def _always_on(v: float, cap: float, util: float, p2a: float, m: int, gpus: int,
               price: float) -> float:
    return F.always_on_monthly_usd(daily_queries=v, replica_requests_per_s=cap,
                                   target_utilization=util, peak_to_average=p2a, min_replicas=m,
                                   gpus_per_replica=gpus, usd_per_gpu_hour=price,
                                   days_per_month=30)


@settings(max_examples=200, deadline=None)
@given(v=volumes, cap=capacities, util=utilizations, p2a=peaks, m=st.integers(1, 10),
       gpus=st.integers(1, 8), price=prices, w=weights)
def test_doubling_queries_never_lowers_the_bill(v, cap, util, p2a, m, gpus, price, w) -> None:
    assert _always_on(2 * v, cap, util, p2a, m, gpus, price) >= _always_on(
        v, cap, util, p2a, m, gpus, price)
    shares = F.hourly_shares(weights=w)
    one = F.autoscaled_replicas(daily_queries=v, shares=shares, replica_requests_per_s=cap,
                                target_utilization=util, min_replicas=m)
    two = F.autoscaled_replicas(daily_queries=2 * v, shares=shares, replica_requests_per_s=cap,
                                target_utilization=util, min_replicas=m)
    assert sum(two) >= sum(one)
    assert F.direct_monthly_usd(daily_queries=2 * v, usd_per_query=price, days_per_month=30) \
        >= F.direct_monthly_usd(daily_queries=v, usd_per_query=price, days_per_month=30)


@settings(max_examples=200, deadline=None)
@given(v=volumes, h1=st.floats(0, 1), h2=st.floats(0, 1), cap=capacities, util=utilizations,
       p2a=peaks, m=st.integers(1, 10), price=prices)
def test_higher_cache_hit_rate_never_raises_the_bill(v, h1, h2, cap, util, p2a, m, price) -> None:
    lo, hi = sorted((h1, h2))
    served_lo = F.served_queries(daily_queries=v, cache_hit_rate=lo)
    served_hi = F.served_queries(daily_queries=v, cache_hit_rate=hi)
    assert _always_on(served_hi, cap, util, p2a, m, 1, price) <= _always_on(
        served_lo, cap, util, p2a, m, 1, price)


@settings(max_examples=300, deadline=None)
@given(cap=capacities, util=utilizations, p2a=peaks, m=st.integers(1, 20),
       gpus=st.integers(1, 8), price=prices, api_per_query=st.floats(1e-7, 1.0),
       probe=st.floats(1.0, 1e3))
def test_break_even_bills_agree_and_self_hosting_wins_above(cap, util, p2a, m, gpus, price,
                                                           api_per_query, probe) -> None:
    replica_usd = _always_on(0, cap, util, p2a, 1, gpus, price)  # one replica's month
    q = F.daily_queries_per_replica(replica_requests_per_s=cap, target_utilization=util,
                                    peak_to_average=p2a)
    a = api_per_query * 30
    be = F.break_even_daily_queries(replica_monthly_usd=replica_usd, queries_per_replica=q,
                                    api_monthly_usd_per_daily_query=a, min_replicas=m)
    if be is None:
        assert a * q <= replica_usd * (1 + 1e-12)
        return
    own = _always_on(be, cap, util, p2a, m, gpus, price)
    api = F.direct_monthly_usd(daily_queries=be, usd_per_query=api_per_query, days_per_month=30)
    assert own == pytest.approx(api, rel=0.01)
    above = be * probe
    assert _always_on(above, cap, util, p2a, m, gpus, price) <= F.direct_monthly_usd(
        daily_queries=above, usd_per_query=api_per_query, days_per_month=30) * (1 + 1e-9)
    below = be * (1 - 1e-6)  # just below, on the same whole-replica step the API undercuts
    if math.ceil(below / q) == math.ceil(be / q):  # (V* can sit right at a step's start)
        assert _always_on(below, cap, util, p2a, m, gpus, price) > F.direct_monthly_usd(
            daily_queries=below, usd_per_query=api_per_query, days_per_month=30)
    assert math.isfinite(be)
