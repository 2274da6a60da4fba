"""Fleets and monthly bills from daily query volume.  Pure functions, no I/O.

Formulas and the reasoning behind each default: docs/methodology.md#fleet-and-bill.
A "replica" is one copy of the model on ``gpus`` accelerators; its capacity (requests/s at the
largest batch that meets the latency targets) comes from the estimate engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from inferx.units import HOURS_PER_DAY, HOURS_PER_MONTH, SECONDS_PER_HOUR, TOKENS_PER_MILLION

SECONDS_PER_DAY = SECONDS_PER_HOUR * HOURS_PER_DAY
MONTHS_PER_YEAR = 12

# Documented defaults (docs/methodology.md#fleet-and-bill explains each choice).
DEFAULT_PEAK_TO_AVERAGE = 2.0
DEFAULT_TARGET_UTILIZATION = 0.7
DEFAULT_MIN_REPLICAS = 1
DEFAULT_DAYS_PER_MONTH = HOURS_PER_MONTH / HOURS_PER_DAY  # 30.4167: the 730-hour month
DEFAULT_AMORTIZE_YEARS = 3.0
DEFAULT_DRAFT_TOKENS = 4
# Tolerance for whole-replica rounding: 3.0000000001 replicas is 3 replicas, not 4.
_CEIL_EPS = 1e-9


def whole(x: float) -> int:
    """ceil(x), forgiving float noise of 1e-9 (so exact multiples do not round up)."""
    return max(0, math.ceil(x - _CEIL_EPS))


def daily_queries_from_users(*, users: float, queries_per_user: float) -> float:
    """daily_queries = users · queries_per_user (queries per user per day)."""
    return users * queries_per_user


def hourly_shares(*, weights: Sequence[float]) -> list[float]:
    """24 hourly weights → shares of the day's queries: w_h / Σw (sums to 1)."""
    total = sum(weights)
    return [w / total for w in weights]


def peak_to_average_of(*, shares: Sequence[float]) -> float:
    """Peak-to-average ratio of an hourly profile: max(share_h) · 24."""
    return max(shares) * len(shares)


def average_qps(*, daily_queries: float) -> float:
    """daily_queries / 86,400 s."""
    return daily_queries / SECONDS_PER_DAY


def peak_qps(*, daily_queries: float, peak_to_average: float) -> float:
    """Peak queries/s = daily_queries / 86,400 · peak_to_average."""
    return average_qps(daily_queries=daily_queries) * peak_to_average


def hourly_qps(*, daily_queries: float, shares: Sequence[float]) -> list[float]:
    """Queries/s in each hour h: daily_queries · share_h / 3,600."""
    return [daily_queries * s / SECONDS_PER_HOUR for s in shares]


def replicas_for(*, qps: float, replica_requests_per_s: float, target_utilization: float,
                 min_replicas: int) -> int:
    """Whole replicas: max(min_replicas, ceil(qps / (replica_requests_per_s · utilization)))."""
    return max(min_replicas, whole(qps / (replica_requests_per_s * target_utilization)))


def daily_queries_per_replica(*, replica_requests_per_s: float, target_utilization: float,
                              peak_to_average: float) -> float:
    """Daily volume one always-on replica carries: capacity · utilization · 86,400 / peak factor.

    replicas_always_on(V) = max(min_replicas, ceil(V / this))."""
    return replica_requests_per_s * target_utilization * SECONDS_PER_DAY / peak_to_average


def hours_per_month(*, days_per_month: float) -> float:
    """days_per_month · 24 (the default 730 h ⇔ 30.4167 days)."""
    return days_per_month * HOURS_PER_DAY


def gpu_hours_always_on(*, replicas: int, gpus_per_replica: int, hours_per_month: float) -> float:
    """GPU-hours per month of a fleet that never scales: replicas · gpus · hours_per_month."""
    return replicas * gpus_per_replica * hours_per_month


def autoscaled_replicas(*, daily_queries: float, shares: Sequence[float],
                        replica_requests_per_s: float, target_utilization: float,
                        min_replicas: int) -> list[int]:
    """Replicas each hour when the fleet follows the hourly profile (hour-granular scaling)."""
    return [replicas_for(qps=q, replica_requests_per_s=replica_requests_per_s,
                         target_utilization=target_utilization, min_replicas=min_replicas)
            for q in hourly_qps(daily_queries=daily_queries, shares=shares)]


def gpu_hours_autoscaled(*, replicas_by_hour: Sequence[int], gpus_per_replica: int,
                         days_per_month: float) -> float:
    """GPU-hours per month: Σ_h replicas_h · gpus · days_per_month (every day alike)."""
    return sum(replicas_by_hour) * gpus_per_replica * days_per_month


def usd_for_gpu_hours(*, gpu_hours: float, usd_per_gpu_hour: float) -> float:
    """Monthly USD = GPU-hours · USD per GPU-hour."""
    return gpu_hours * usd_per_gpu_hour


def monthly_queries(*, daily_queries: float, days_per_month: float) -> float:
    """daily_queries · days_per_month."""
    return daily_queries * days_per_month


def totals(*, monthly_usd: float, daily_queries: float, days_per_month: float,
           tokens_per_query: float) -> dict[str, float | None]:
    """Daily, monthly and yearly USD and unit costs from a monthly bill.

    daily = monthly / days_per_month; yearly = 12 · monthly;
    per query = monthly / (daily_queries · days_per_month); per 1k queries = 1,000 · per query;
    per 1M tokens = per query / tokens_per_query · 10^6 (input + output tokens).
    Unit costs are None when there is no traffic."""
    q = monthly_queries(daily_queries=daily_queries, days_per_month=days_per_month)
    per_query = monthly_usd / q if q > 0 else None
    return {
        "daily_usd": monthly_usd / days_per_month,
        "monthly_usd": monthly_usd,
        "yearly_usd": monthly_usd * MONTHS_PER_YEAR,
        "usd_per_query": per_query,
        "usd_per_1k_queries": None if per_query is None else per_query * 1000,
        "usd_per_million_tokens": (None if per_query is None or tokens_per_query <= 0
                                   else per_query / tokens_per_query * TOKENS_PER_MILLION),
    }


def usd_per_query_from_tokens(*, input_tokens: float, output_tokens: float,
                              usd_per_million_input_tokens: float,
                              usd_per_million_output_tokens: float) -> float:
    """API price of one query: (T_in · p_in + T_out · p_out) / 10^6."""
    return (input_tokens * usd_per_million_input_tokens
            + output_tokens * usd_per_million_output_tokens) / TOKENS_PER_MILLION


def direct_monthly_usd(*, daily_queries: float, usd_per_query: float,
                       days_per_month: float) -> float:
    """Direct arithmetic (and API bills): daily_queries · usd_per_query · days_per_month."""
    return daily_queries * usd_per_query * days_per_month


def served_queries(*, daily_queries: float, cache_hit_rate: float) -> float:
    """Queries that reach a model when a response cache answers a share: V · (1 − hit rate)."""
    return daily_queries * (1.0 - cache_hit_rate)


def always_on_monthly_usd(*, daily_queries: float, replica_requests_per_s: float,
                          target_utilization: float, peak_to_average: float, min_replicas: int,
                          gpus_per_replica: int, usd_per_gpu_hour: float,
                          days_per_month: float) -> float:
    """Monthly USD of an always-on fleet sized for peak:
    max(min, ceil(peak_qps / (capacity · utilization))) · gpus · hours_per_month · price."""
    replicas = replicas_for(qps=peak_qps(daily_queries=daily_queries,
                                         peak_to_average=peak_to_average),
                            replica_requests_per_s=replica_requests_per_s,
                            target_utilization=target_utilization, min_replicas=min_replicas)
    return usd_for_gpu_hours(
        gpu_hours=gpu_hours_always_on(replicas=replicas, gpus_per_replica=gpus_per_replica,
                                      hours_per_month=hours_per_month(
                                          days_per_month=days_per_month)),
        usd_per_gpu_hour=usd_per_gpu_hour)


def break_even_daily_queries(*, replica_monthly_usd: float, queries_per_replica: float,
                             api_monthly_usd_per_daily_query: float,
                             min_replicas: int) -> float | None:
    """Daily volume from which an always-on, whole-replica fleet is never dearer than the API.

    With C = monthly USD of one replica, q = daily queries one replica carries and
    a = API monthly USD per daily query, the fleet costs C · max(m, ceil(V/q)) and the API a · V.
    If a · q ≤ C the API is at least as cheap at every volume: None.  Otherwise the fleet
    can be dearer only just after a step, on steps n < a·q / (a·q − C); the last such step
    n* = max(m, ceil(a·q / (a·q − C)) − 1) is where the two bills last cross, at
    V* = n* · C / a (the API bill reaches the flat n*-replica bill).  At V* both bills are
    equal; for every V ≥ V* the fleet is no dearer."""
    c, q, a = replica_monthly_usd, queries_per_replica, api_monthly_usd_per_daily_query
    if a <= 0 or q <= 0 or a * q <= c:
        return None
    steps = a * q / (a * q - c)
    # a whole number of steps that float noise puts just above itself must not add a step
    n_star = max(min_replicas, math.ceil(steps * (1 - 1e-9)) - 1, 1)
    return n_star * c / a


def ownership_usd_per_gpu_month(*, purchase_usd: float, amortize_years: float, power_w: float,
                                pue: float, usd_per_kwh: float, hosting_usd_per_gpu_month: float,
                                hours_per_month: float) -> dict[str, float]:
    """Owning one GPU for a month: straight-line capital + energy + hosting.

    capital = purchase_usd / (amortize_years · 12); energy = power_w / 1000 · PUE ·
    hours_per_month · usd_per_kwh; hosting as given; total = the sum."""
    capital = purchase_usd / (amortize_years * MONTHS_PER_YEAR)
    energy = power_w / 1000.0 * pue * hours_per_month * usd_per_kwh
    return {"capital_usd": capital, "energy_usd": energy,
            "hosting_usd": hosting_usd_per_gpu_month,
            "total_usd": capital + energy + hosting_usd_per_gpu_month}


def growth_volumes(*, daily_queries: float, growth_rate: float, months: int) -> list[float]:
    """Month m (1-based) carries daily_queries · (1 + growth_rate)^(m − 1)."""
    return [daily_queries * (1.0 + growth_rate) ** (m - 1) for m in range(1, months + 1)]


def speculative_speedup(*, acceptance_rate: float, draft_tokens: int,
                        draft_to_target_step_ratio: float) -> float:
    """Decode speed-up from speculative decoding (Leviathan et al. 2023, eq. 1 and thm 3.8).

    Tokens per target verify step E = (1 − α^(γ+1)) / (1 − α) (E = γ + 1 when α = 1);
    cost per verify step = 1 + γ · c (c = draft step time / target step time);
    speed-up = E / (1 + γ · c).  Assumes the verify pass costs one decode step (memory-bound)."""
    a, g = acceptance_rate, draft_tokens
    expected = g + 1.0 if a >= 1.0 else (1.0 - a ** (g + 1)) / (1.0 - a)
    return expected / (1.0 + g * draft_to_target_step_ratio)


def requests_per_s_after_decode_speedup(*, concurrency: int, ttft_s: float, tpot_s: float,
                                        output_tokens: int, speedup: float) -> float:
    """Little's law with a faster decode: C / (TTFT + (T_out − 1) · TPOT / speedup)."""
    return concurrency / (ttft_s + (output_tokens - 1) * tpot_s / speedup)
