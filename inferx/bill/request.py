"""BillRequest: traffic, a serving setup (or a direct unit price), prices and what-ifs, validated.

The serving setup is the one scenario every command shares (inferx.inputs.EstimateRequest:
model, hardware, precision, KV precision, GPUs, tokens, engine preset or calibration file,
assumptions, pricing tier, provider, price); the bill adds traffic volume, targets, prices
of ownership and what-ifs.  Whole numbers and positive amounts go through inferx.inputs'
check_int / check_positive, so their messages match `inferx estimate`'s."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
from inferx.bill.percent import parse_fraction
from inferx.bill.request_rules import _finite, check_economics, parse_redundancy
from inferx.bill.shapes import SHAPES
from inferx.checks import Check, flag, integer, number, numbers, optional, strings, text, whole
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.inputs_layout import MAX_DRAFT_TOKENS, between

MAX_DAILY_QUERIES = 1e13
MIN_DAILY_QUERIES = 1e-3  # one query every 1,000 days; below it per-query figures overflow
MAX_USERS = 1e11
MAX_QUERIES_PER_USER = 1e6
MAX_MONTHS = 120
MAX_USD_PER_QUERY = 1000.0
MAX_USD_PER_MILLION_TOKENS = 100_000.0
MAX_PEAK_TO_AVERAGE = 24.0  # all of a day's traffic in one hour



def _fraction(*, high: float = 1.0, low: float = 0.0, low_inclusive: bool = True) -> Check:
    """A percentage (15%) or a fraction (0.15) within [low, high]."""
    return lambda field_, value: parse_fraction(field_, value, low=low, high=high,
                                                low_inclusive=low_inclusive)


_NUMBER, _TEXT = optional(number), optional(text)
# Fields with a plain type are only read here; their ranges and the cross-field rules are
# checked in BillRequest._rules (and bill/request_rules.py).
_CHECKS: dict[str, Check] = {
    **dict.fromkeys(("daily_queries", "users", "queries_per_user", "peak_to_average",
                     "cost_per_query", "cost_per_million_tokens", "max_ttft_ms", "max_tpot_ms",
                     "purchase_usd", "usd_per_kwh", "pue", "sessions", "cache_capacity_tokens",
                     "cache_ttl_s", "turn_interval_s", "grid_gco2_per_kwh", "server_capex_usd",
                     "colocation_usd_per_kw_month"), _NUMBER),
    **dict.fromkeys(("days_per_month", "amortize_years", "hosting_usd_per_gpu_month",
                     "scale_up_delay_s", "idle_timeout_s", "storage_mib_per_s"), number),
    **dict.fromkeys(("router_model", "draft_model", "what_if_precision", "distill_model",
                     "traffic_shape", "redundancy", "grid_region"), _TEXT),
    "routing": text, "api_cache_ttl": text, "api_batch": flag, "apis": strings,
    "hourly_weights": optional(numbers), "shared_prefix_tokens": optional(integer),
    "target_utilization": _fraction(low_inclusive=False),
    "min_replicas": whole(high=100_000),
    "max_batch": optional(whole(high=100_000)),
    "draft_tokens": between(MAX_DRAFT_TOKENS),
    "months": optional(whole(high=MAX_MONTHS)),
    "turns_per_session": optional(whole(high=10_000)),
    "gpus_per_server": optional(whole(high=1024)),
    **{name: optional(_fraction(high=1.0)) for name in (
        "cache_hit_rate", "router_share", "acceptance_rate", "cost_reduction")},
    "growth": optional(_fraction(high=10.0)), "host_overhead": optional(_fraction(high=10.0)),
    "residual_value": _fraction(), "replica_availability": _fraction(),
}


@dataclass(frozen=True, init=False)
class BillRequest(EstimateRequest):
    """Traffic, a serving setup (or a direct unit price), prices and what-ifs for `inferx bill`.

    The serving setup's fields (model, hardware, precision, gpus, tokens, engine, calibration,
    assume, pricing, provider, price, gpu_hour_price, kv_precision) are EstimateRequest's; the
    bill sizes each replica's concurrency itself, so the traffic-model fields stay unset."""

    # traffic
    daily_queries: float | None = None
    users: float | None = None
    queries_per_user: float | None = None
    peak_to_average: float | None = None
    hourly_weights: list[float] | None = None  # from --traffic-profile
    days_per_month: float = F.DEFAULT_DAYS_PER_MONTH
    # direct arithmetic (no profiles)
    cost_per_query: float | None = None
    cost_per_million_tokens: float | None = None
    # serving targets
    max_ttft_ms: float | None = None
    max_tpot_ms: float | None = None
    target_utilization: float = F.DEFAULT_TARGET_UTILIZATION
    min_replicas: int = F.DEFAULT_MIN_REPLICAS
    # prices (GPU-hour prices: EstimateRequest's price, gpu_hour_price, pricing, provider)
    apis: list[str] = field(default_factory=list)
    # ownership
    purchase_usd: float | None = None
    amortize_years: float = F.DEFAULT_AMORTIZE_YEARS
    usd_per_kwh: float | None = None
    pue: float | None = None
    hosting_usd_per_gpu_month: float = 0.0
    # what-ifs
    cache_hit_rate: float | None = None
    router_share: float | None = None
    router_model: str | None = None
    draft_model: str | None = None
    acceptance_rate: float | None = None
    draft_tokens: int = F.DEFAULT_DRAFT_TOKENS
    max_batch: int | None = None
    what_if_precision: str | None = None
    distill_model: str | None = None
    cost_reduction: float | None = None
    # growth
    growth: float | None = None
    months: int | None = None
    # utilization over the hourly shape (rental policies)
    traffic_shape: str | None = None
    scale_up_delay_s: float = E.DEFAULT_SCALE_UP_DELAY_S
    idle_timeout_s: float = E.DEFAULT_IDLE_TIMEOUT_S
    storage_mib_per_s: float = E.DEFAULT_STORAGE_MIB_PER_S
    # redundancy
    redundancy: str | None = None
    replica_availability: float = E.DEFAULT_REPLICA_AVAILABILITY
    # prefix cache derived from the workload (else EstimateRequest's prefix_cache_hit)
    sessions: float | None = None
    turns_per_session: int | None = None
    shared_prefix_tokens: int | None = None
    cache_capacity_tokens: float | None = None
    cache_ttl_s: float | None = None
    turn_interval_s: float | None = None
    routing: str = "random"
    # API price tiers
    api_cache_ttl: str = "5m"
    api_batch: bool = False
    # energy
    host_overhead: float | None = None
    grid_gco2_per_kwh: float | None = None
    grid_region: str | None = None
    # owned hardware
    residual_value: float = 0.0
    server_capex_usd: float | None = None
    gpus_per_server: int | None = None
    colocation_usd_per_kw_month: float | None = None

    CHECKS: ClassVar[dict[str, Check]] = _CHECKS

    def _rules(self) -> None:
        super()._rules()
        if self.daily_queries is not None and (self.users is not None
                                               or self.queries_per_user is not None):
            raise InputError("--daily-queries", "give either --daily-queries or --users with "
                             "--queries-per-user, not both")
        if self.daily_queries is None:
            if self.users is None or self.queries_per_user is None:
                raise InputError("--daily-queries", "required (or --users N --queries-per-user N)")
            _finite("--users", self.users, high=MAX_USERS)
            _finite("--queries-per-user", self.queries_per_user, high=MAX_QUERIES_PER_USER)
            if self.users * self.queries_per_user < MIN_DAILY_QUERIES:
                raise InputError("--users", f"users x queries per user is below "
                                 f"{MIN_DAILY_QUERIES:g} queries a day: too small to bill")
        else:
            _finite("--daily-queries", self.daily_queries, low=MIN_DAILY_QUERIES,
                    high=MAX_DAILY_QUERIES)
        if self.peak_to_average is not None:
            if self.hourly_weights is not None:
                raise InputError("--peak-to-average", "give either --peak-to-average or "
                                 "--traffic-profile (which implies its own peak), not both")
            _finite("--peak-to-average", self.peak_to_average, low=1.0, high=MAX_PEAK_TO_AVERAGE)
        if self.hourly_weights is not None:
            w = self.hourly_weights
            if len(w) not in (24, 168) or any(not math.isfinite(x) or x < 0 for x in w) \
                    or sum(w) <= 0:
                raise InputError("--traffic-profile", "expected 24 or 168 finite non-negative "
                                 "weights, not all zero")
        if self.traffic_shape is not None:
            if self.traffic_shape not in SHAPES:
                raise InputError("--traffic-shape", f"unknown shape {self.traffic_shape!r}; "
                                 f"expected one of {', '.join(SHAPES)}")
            if self.hourly_weights is not None or self.peak_to_average is not None:
                raise InputError("--traffic-shape", "give one of --traffic-shape, "
                                 "--traffic-profile or --peak-to-average")
        check_economics(self)
        _finite("--days-per-month", self.days_per_month, low=28.0, high=31.0)
        _finite("--cost-per-query", self.cost_per_query, high=MAX_USD_PER_QUERY, allow_zero=True)
        _finite("--cost-per-million-tokens", self.cost_per_million_tokens,
                high=MAX_USD_PER_MILLION_TOKENS, allow_zero=True)
        if self.cost_per_query is not None and self.cost_per_million_tokens is not None:
            raise InputError("--cost-per-query", "give --cost-per-query or "
                             "--cost-per-million-tokens, not both")
        _finite("--max-ttft", self.max_ttft_ms, high=3_600_000)
        _finite("--max-tpot", self.max_tpot_ms, high=60_000)
        _finite("--purchase-usd", self.purchase_usd, high=10_000_000)
        _finite("--amortize-years", self.amortize_years, high=20)
        _finite("--usd-per-kwh", self.usd_per_kwh, high=10, allow_zero=True)
        if self.pue is not None:
            _finite("--pue", self.pue, low=1.0, high=3.0)
        _finite("--hosting-usd-per-gpu-month", self.hosting_usd_per_gpu_month, high=100_000,
                allow_zero=True)
        if (self.router_share is None) != (self.router_model is None):
            raise InputError("--router-share", "give --router-share together with --router-model")
        if (self.draft_model is None) != (self.acceptance_rate is None):
            raise InputError("--draft-model", "give --draft-model together with --acceptance-rate")
        if self.months is not None and self.growth is None:
            object.__setattr__(self, "growth", 0.0)
        if self.growth is not None and self.months is None:
            object.__setattr__(self, "months", 12)

    def spare(self) -> tuple[int, float]:
        """(spare replicas, reserve fraction) from --redundancy; (0, 0) without it."""
        return (0, 0.0) if self.redundancy is None else parse_redundancy(self.redundancy)

    def daily_sessions(self) -> float | None:
        """Sessions a day: --sessions, else queries / turns per session (None without turns)."""
        if self.sessions is not None:
            return float(self.sessions)
        if self.turns_per_session is None:
            return None
        return self.volume() / self.turns_per_session

    @property
    def direct(self) -> bool:
        return self.cost_per_query is not None or self.cost_per_million_tokens is not None

    def volume(self) -> float:
        if self.daily_queries is not None:
            return float(self.daily_queries)
        assert self.users is not None and self.queries_per_user is not None
        return F.daily_queries_from_users(users=self.users, queries_per_user=self.queries_per_user)
