"""Pure arithmetic for bills that hold at low traffic: rental policies over an hourly shape,
cold starts, redundancy and availability, a derived prefix-cache hit rate, tiered API prices,
facility energy and ownership payback.  No I/O; formulas in docs/methodology.md#fleet-and-bill.

Hourly shapes have L = 24 (every day alike) or L = 168 (a week, Monday 00:00 first) entries;
one period lasts L / 24 days.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from inferx.bill.arithmetic import whole
from inferx.units import SECONDS_PER_HOUR, TOKENS_PER_MILLION

# --- documented, sourced defaults (docs/methodology.md#bill-defaults-and-why) ----------------
DEFAULT_IDLE_TIMEOUT_S = 60.0        # Knative stable-window default: scale to zero after 60 s idle
DEFAULT_STORAGE_MIB_PER_S = 1000.0   # AWS EBS gp3 maximum provisioned throughput (CreateVolume)
DEFAULT_SCALE_UP_DELAY_S = 0.0       # Kubernetes HPA scale-up stabilization window default: 0 s
DEFAULT_REPLICA_AVAILABILITY = 0.995  # AWS EC2 instance-level SLA, monthly uptime
DEFAULT_FACILITY_PUE = 1.58          # Uptime Institute industry-average PUE, 2023
DEFAULT_HOST_OVERHEAD = 25.0 / 58.0  # Google 2025: host CPU+DRAM 25 % vs accelerators 58 %
BYTES_PER_MIB = 2 ** 20


def period_days(shares: Sequence[float]) -> float:
    """Days one hourly shape spans: L / 24."""
    return len(shares) / 24.0


def qps_by_hour(*, daily_queries: float, shares: Sequence[float]) -> list[float]:
    """Queries/s in hour h of the period: V · (L / 24) · share_h / 3,600."""
    days = period_days(shares)
    return [daily_queries * days * s / SECONDS_PER_HOUR for s in shares]


def cold_start_s(*, weight_bytes: float, storage_bytes_per_s: float) -> float:
    """Model load time from storage: weight bytes / storage bandwidth (engine start-up, CUDA
    graph capture and download from a registry are not counted: a lower bound)."""
    return weight_bytes / storage_bytes_per_s


def with_redundancy(replicas: int, *, spare: int, fraction: float) -> int:
    """Replicas plus the reserve: n + k (N+k) or ceil(n · (1 + p)) (a percentage); 0 stays 0."""
    if replicas <= 0:
        return 0
    return replicas + spare + (whole(replicas * fraction) if fraction else 0)


def availability(*, needed: int, running: int, replica_availability: float) -> float:
    """P(at least `needed` of `running` independent replicas are up), each up with probability a:
    Σ_{j=needed}^{running} C(running, j) · a^j · (1 − a)^(running − j)."""
    if needed <= 0:
        return 1.0
    a = replica_availability
    return sum(math.comb(running, j) * a ** j * (1 - a) ** (running - j)
               for j in range(needed, running + 1))


def warm_fraction(*, qps: float, busy_s: float, idle_timeout_s: float, cold_s: float) -> float:
    """Share of an hour a scale-to-zero replica is billed, Poisson arrivals at `qps`:
    it stays up until T = busy_s + idle_timeout_s pass without an arrival, so
    f = 1 − e^(−λT) + λ · cold_s · e^(−λT) (up-time per gap plus a cold start after each long
    gap), capped at 1; 0 without traffic."""
    if qps <= 0:
        return 0.0
    tail = math.exp(-qps * (busy_s + idle_timeout_s))
    return min(1.0, 1.0 - tail + qps * cold_s * tail)


def scale_up_starts(replicas_by_hour: Sequence[int]) -> int:
    """Replica starts per period: Σ_h max(0, r_h − r_(h−1)), cyclic (the period repeats)."""
    return sum(max(0, r - replicas_by_hour[h - 1]) for h, r in enumerate(replicas_by_hour))


def replica_hours_per_month(*, replica_hours_per_period: float, shares: Sequence[float],
                            days_per_month: float) -> float:
    """Replica-hours per month: per-period replica-hours · days_per_month / period days."""
    return replica_hours_per_month_factor(shares, days_per_month) * replica_hours_per_period


def replica_hours_per_month_factor(shares: Sequence[float], days_per_month: float) -> float:
    return days_per_month / period_days(shares)


def usd_per_million_output(*, monthly_usd: float, monthly_queries: float,
                           output_tokens: float) -> float | None:
    """Effective $/1M output tokens: monthly USD / (queries · T_out) · 10^6 (None: no traffic)."""
    tokens = monthly_queries * output_tokens
    return None if tokens <= 0 else monthly_usd / tokens * TOKENS_PER_MILLION


def fully_loaded_usd_per_million_output(*, gpus: int, usd_per_gpu_hour: float,
                                        replica_requests_per_s: float,
                                        output_tokens: float) -> float:
    """One replica busy every second at its capacity: gpus · $/GPU-h / (rps · T_out · 3,600)
    · 10^6."""
    return (gpus * usd_per_gpu_hour / (replica_requests_per_s * output_tokens * SECONDS_PER_HOUR)
            * TOKENS_PER_MILLION)


# --- prefix cache ----------------------------------------------------------------------------

def reusable_shares(*, input_tokens: float, shared_prefix_tokens: float,
                    turns_per_session: int) -> tuple[float, float]:
    """(shared-prefix share, session-history share) of all input tokens.

    Each prompt starts with S shared tokens; turn k of K re-sends the k − 1 earlier turns
    (each u new tokens) so prompt_k = S + k·u and the mean prompt is T: u = 2(T − S)/(K + 1).
    History tokens re-sent per session = u · K(K − 1)/2 of K·T, so the history share is
    (T − S)(K − 1) / ((K + 1) T); the shared share is S / T."""
    t, s, k = input_tokens, min(shared_prefix_tokens, input_tokens), turns_per_session
    return s / t, (t - s) * (k - 1) / ((k + 1) * t)


def prefix_hit_rate(*, shared_share: float, history_share: float, replicas: int,
                    routing: str, arrivals_per_s: float, sessions_per_s: float,
                    turns_per_session: int, history_tokens: float,
                    ttl_s: float | None, turn_interval_s: float | None,
                    capacity_tokens: float | None) -> dict[str, float]:
    """Share of input tokens served from the prefix cache across `replicas` replicas.

    shared prefix: resident on a replica when it was used within the TTL there:
        p_shared = 1 − exp(−λ_r · TTL), λ_r = arrivals per replica (1 without a TTL);
    session history: kept when the next turn comes within the TTL, p_ttl = 1 − exp(−TTL / g)
        (g = turn interval), and while the replica's cache holds the working set of live
        sessions: p_cap = min(1, C / W), W = sessions per replica · K · g · history tokens
        (LRU approximation; 1 without a capacity);
    routing: cache-aware keeps a session on one replica; random sends the next turn to the
        same replica with probability 1 / N.
    hit = shared · p_shared + history · p_ttl · p_cap · p_route."""
    n = max(1, replicas)
    lam_r = arrivals_per_s / n
    p_shared = 1.0 if ttl_s is None else 1.0 - math.exp(-lam_r * ttl_s)
    p_ttl = 1.0 if ttl_s is None or turn_interval_s is None else 1.0 - math.exp(
        -ttl_s / turn_interval_s)
    p_cap = 1.0
    if capacity_tokens is not None and turn_interval_s is not None:
        working = sessions_per_s / n * turns_per_session * turn_interval_s * history_tokens
        p_cap = 1.0 if working <= 0 else min(1.0, capacity_tokens / working)
    p_route = 1.0 if routing == "cache-aware" else 1.0 / n
    return {"shared": shared_share * p_shared,
            "history": history_share * p_ttl * p_cap * p_route,
            "hit_rate": shared_share * p_shared + history_share * p_ttl * p_cap * p_route,
            "p_shared": p_shared, "p_ttl": p_ttl, "p_capacity": p_cap, "p_route": p_route}


# --- APIs ------------------------------------------------------------------------------------

def api_usd_per_query(*, input_tokens: float, output_tokens: float, cached_share: float,
                      write_share: float, p_in: float, p_out: float, p_cached: float,
                      p_write: float) -> float:
    """(T_in · ((1 − c − w) · p_in + c · p_cached + w · p_write) + T_out · p_out) / 10^6,
    c = share of input tokens read from the cache, w = share written to it."""
    fresh = max(0.0, 1.0 - cached_share - write_share)
    return (input_tokens * (fresh * p_in + cached_share * p_cached + write_share * p_write)
            + output_tokens * p_out) / TOKENS_PER_MILLION


def share_in_window(*, shares: Sequence[float], start_hour: float, end_hour: float) -> float:
    """Share of traffic in a daily UTC window [start, end) (wrapping past midnight), with
    hours partly inside counted pro rata; every day of a 168-hour shape alike."""
    out = 0.0
    for h, s in enumerate(shares):
        hod = h % 24
        out += s * _overlap(hod, hod + 1, start_hour, end_hour)
    return out


def _overlap(a: float, b: float, start: float, end: float) -> float:
    spans = [(start, end)] if start < end else [(start, 24.0), (0.0, end)]
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in spans)


# --- energy and ownership --------------------------------------------------------------------

def facility_kwh(*, gpu_hours: float, gpu_power_w: float, host_overhead: float,
                 pue: float) -> float:
    """kWh = GPU-hours · W per GPU · (1 + host overhead) · PUE / 1,000."""
    return gpu_hours * gpu_power_w * (1.0 + host_overhead) * pue / 1000.0


def payback_months(*, capex_usd: float, alternative_monthly_usd: float,
                   owned_opex_monthly_usd: float) -> float | None:
    """Months until the purchase is paid back by what it saves each month:
    capex / (alternative − owned opex); None when owning saves nothing a month."""
    saving = alternative_monthly_usd - owned_opex_monthly_usd
    return None if saving <= 0 else capex_usd / saving


def break_even_steps(*, replica_monthly_usd: float, queries_per_replica: float,
                     api_monthly_usd_per_daily_query: float, min_replicas: int,
                     billed: Callable[[int], int], slope: float, extra: float,
                     max_steps: int = 10_000_000) -> float | None:
    """Break-even daily volume when the fleet bills `billed(n)` replicas for n needed
    (redundancy included), billed(n) ≤ slope · n + extra.  The fleet costs C · billed(n) on
    step n (V in ((n−1)q, nq]) and the API a · V; it is dearer just after a step when
    C · billed(n) > a (n − 1) q.  No such step exists beyond (a q + C · extra) / (a q − C · slope),
    so the steps are scanned up to there; the last dearer step n* gives V* = C · billed(n*) / a.
    None when a q ≤ C · slope (the API is cheaper at every large volume)."""
    c, q, a = replica_monthly_usd, queries_per_replica, api_monthly_usd_per_daily_query
    if a <= 0 or q <= 0 or a * q <= c * slope:
        return None
    top = min(max_steps, math.ceil((a * q + c * extra) / (a * q - c * slope)) + 1)
    n_star = min_replicas
    for n in range(min_replicas, top + 1):
        if c * billed(n) > a * (n - 1) * q * (1 + 1e-12):
            n_star = n
    return c * billed(n_star) / a
