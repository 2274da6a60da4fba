"""BillRequest: traffic, a serving setup (or a direct unit price), prices and what-ifs, validated.

The serving setup is the one scenario every command shares (inferx.inputs.EstimateRequest:
model, hardware, precision, KV precision, GPUs, tokens, engine preset or calibration file,
assumptions, pricing tier, provider, price); the bill adds traffic volume, targets, prices
of ownership and what-ifs.  Whole numbers and positive amounts go through inferx.inputs'
check_int / check_positive, so their messages match `inferx estimate`'s."""

from __future__ import annotations

import math
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from inferx.bill import arithmetic as F
from inferx.bill.percent import parse_fraction
from inferx.errors import InputError
from inferx.inputs import EstimateRequest, check_int, check_positive

MAX_DAILY_QUERIES = 1e13
MIN_DAILY_QUERIES = 1e-3  # one query every 1,000 days; below it per-query figures overflow
MAX_USERS = 1e11
MAX_QUERIES_PER_USER = 1e6
MAX_MONTHS = 120
MAX_USD_PER_QUERY = 1000.0
MAX_USD_PER_MILLION_TOKENS = 100_000.0
MAX_PEAK_TO_AVERAGE = 24.0  # all of a day's traffic in one hour

# whole-number fields: (flag, low, high); check_int's default low is 1
_INTS: dict[str, tuple[str, int, int]] = {
    "min_replicas": ("--min-replicas", 1, 100_000),
    "max_batch": ("--max-batch", 1, 100_000),
    "draft_tokens": ("--draft-tokens", 1, 64),
    "months": ("--months", 1, MAX_MONTHS),
}
# percent-or-fraction fields: (flag, high)
_FRACTIONS: dict[str, tuple[str, float]] = {
    "cache_hit_rate": ("--cache-hit-rate", 1.0),
    "router_share": ("--router-share", 1.0),
    "acceptance_rate": ("--acceptance-rate", 1.0),
    "cost_reduction": ("--what-if-cost-reduction", 1.0),
    "growth": ("--growth", 10.0),
}


def _finite(flag: str, value: float | None, *, high: float, low: float = 0.0,
            allow_zero: bool = False) -> float | None:
    if value is None:
        return None
    if allow_zero and value == 0:
        return 0.0
    if low and value < low:
        raise InputError(flag, f"must be at least {low:g}, got {value:g}")
    return check_positive(flag, value, high=high)


class BillRequest(EstimateRequest):
    """Traffic, a serving setup (or a direct unit price), prices and what-ifs for `inferx bill`.

    The serving setup's fields (model, hardware, precision, gpus, tokens, engine, calibration,
    assume, pricing, provider, price, gpu_hour_price, kv_precision) are EstimateRequest's; the
    bill sizes each replica's concurrency itself, so the traffic-model fields stay unset."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=False)

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
    apis: list[str] = Field(default_factory=list)
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

    @field_validator(*_INTS)
    @classmethod
    def _ints(cls, v: int | None, info: Any) -> int | None:
        if v is None:
            return None
        flag, low, high = _INTS[info.field_name]
        return check_int(flag, v, low=low, high=high)

    @field_validator("target_utilization", mode="before")
    @classmethod
    def _util(cls, v: object) -> float:
        return parse_fraction("--target-utilization", v, low=0.0, low_inclusive=False)

    @field_validator(*_FRACTIONS, mode="before")
    @classmethod
    def _fractions(cls, v: object, info: Any) -> float | None:
        if v is None:
            return None
        flag, high = _FRACTIONS[info.field_name]
        return parse_fraction(flag, v, high=high)

    @model_validator(mode="after")
    def _rules(self) -> BillRequest:
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
            if len(w) != 24 or any(not math.isfinite(x) or x < 0 for x in w) or sum(w) <= 0:
                raise InputError("--traffic-profile", "expected 24 finite non-negative weights, "
                                 "not all zero")
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
        return self

    @property
    def direct(self) -> bool:
        return self.cost_per_query is not None or self.cost_per_million_tokens is not None

    def volume(self) -> float:
        if self.daily_queries is not None:
            return float(self.daily_queries)
        assert self.users is not None and self.queries_per_user is not None
        return F.daily_queries_from_users(users=self.users, queries_per_user=self.queries_per_user)
