"""`inferx bill` as a library: BillRequest → BillResult.

    from inferx.billing import BillRequest, bill
    answer = bill(BillRequest(daily_queries=5e6, model="llama-3.1-8b", hardware="h100"))
    answer.result.headline.monthly_usd

Per-replica capacity and latency come from inferx.api.estimate; everything volume-dependent is
the pure arithmetic in inferx.engine.fleet (docs/methodology.md#fleet-and-bill).
Percent inputs accept ``15%`` (percent) or ``0.15`` (a fraction): a number without ``%`` is a
fraction, so ``15`` means 1,500 % and is rejected where that is absurd.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inferx.api import Answer, default_price_profile, profile_ref, stale_price_warning
from inferx.engine import Assumptions
from inferx.engine import fleet as F
from inferx.errors import InputError
from inferx.inputs import (
    DEFAULT_HARDWARE,
    DEFAULT_INPUT_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_OUTPUT_TOKENS,
    DEFAULT_PRECISION,
    MAX_GPUS,
    MAX_TOKENS,
    MAX_USD_PER_GPU_HOUR,
    EstimateRequest,
    check_int,
    check_positive,
)
from inferx.registry import Registry
from inferx.results import Num, OptNum, ProfileRef, Warning_

MAX_DAILY_QUERIES = 1e13
MAX_USERS = 1e11
MAX_QUERIES_PER_USER = 1e6
MAX_MONTHS = 120
MAX_USD_PER_QUERY = 1000.0
MAX_USD_PER_MILLION_TOKENS = 100_000.0
MAX_PEAK_TO_AVERAGE = 24.0  # all of a day's traffic in one hour
PRICINGS = ("on-demand", "reserved-1y", "reserved-3y", "spot", "capacity-block")


# ---------------------------------------------------------------- input parsing

def parse_fraction(flag: str, value: object, *, low: float = 0.0, high: float = 1.0,
                   low_inclusive: bool = True) -> float:
    """'15%' → 0.15; '0.15' or 0.15 → 0.15.  Rejects NaN, infinities, and values outside
    [low, high]; the error names the flag."""
    text = str(value).strip()
    pct = text.endswith("%")
    try:
        number = float(text[:-1] if pct else text)
    except ValueError:
        raise InputError(flag, f"expected a percentage like 15% or a fraction like 0.15, "
                         f"got {text!r}") from None
    if not math.isfinite(number):
        raise InputError(flag, f"expected a finite number, got {text!r}")
    frac = number / 100.0 if pct else number
    if frac < low or (frac == low and not low_inclusive):
        raise InputError(flag, f"must be {'at least' if low_inclusive else 'above'} "
                         f"{low:.0%}, got {text}")
    if frac > high:
        raise InputError(flag, f"must be at most {high:.0%} ({high:g} as a fraction), got {text}"
                         + ("" if pct else " (a number without % is a fraction)"))
    return frac


def read_traffic_profile(path: str | Path) -> list[float]:
    """24 hourly weights from a text file: one weight per line (hours 0..23 in order), or
    `HOUR,WEIGHT` lines; blank lines and `#` comments ignored.  Weights are relative (any
    scale); they must be finite, non-negative and not all zero.  Errors name file and line."""
    flag = "--traffic-profile"
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(flag, f"{p}: cannot read: {exc}") from None
    weights: list[float] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [s.strip() for s in line.replace(",", " ").split()]
        if len(parts) == 2:
            try:
                hour = int(parts[0])
            except ValueError:
                raise InputError(flag, f"{p} line {lineno}: hour {parts[0]!r} is not a whole "
                                 "number") from None
            if hour != len(weights):
                raise InputError(flag, f"{p} line {lineno}: expected hour {len(weights)}, "
                                 f"got {hour} (hours 0..23 in order)")
            parts = parts[1:]
        if len(parts) != 1:
            raise InputError(flag, f"{p} line {lineno}: expected one weight or HOUR,WEIGHT, "
                             f"got {raw.strip()!r}")
        try:
            w = float(parts[0])
        except ValueError:
            raise InputError(flag, f"{p} line {lineno}: weight {parts[0]!r} is not a "
                             "number") from None
        if not math.isfinite(w) or w < 0:
            raise InputError(flag, f"{p} line {lineno}: weight must be a finite number >= 0, "
                             f"got {parts[0]}")
        weights.append(w)
    if len(weights) != 24:
        raise InputError(flag, f"{p}: expected 24 hourly weights, found {len(weights)}")
    if sum(weights) <= 0:
        raise InputError(flag, f"{p}: weights are all zero (no traffic)")
    return weights


def _finite(flag: str, value: float | None, *, high: float, low: float = 0.0,
            allow_zero: bool = False) -> float | None:
    if value is None:
        return None
    if allow_zero and value == 0:
        return 0.0
    if low and value < low:
        raise InputError(flag, f"must be at least {low:g}, got {value:g}")
    return check_positive(flag, value, high=high)


class BillRequest(BaseModel):
    """Traffic, a serving setup (or a direct unit price), prices and what-ifs for `inferx bill`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # traffic
    daily_queries: float | None = None
    users: float | None = None
    queries_per_user: float | None = None
    input_tokens: int = DEFAULT_INPUT_TOKENS
    output_tokens: int = DEFAULT_OUTPUT_TOKENS
    peak_to_average: float | None = None
    hourly_weights: list[float] | None = None  # from --traffic-profile
    days_per_month: float = F.DEFAULT_DAYS_PER_MONTH
    # direct arithmetic (no profiles)
    cost_per_query: float | None = None
    cost_per_million_tokens: float | None = None
    # serving setup
    model: str = DEFAULT_MODEL
    hardware: str = DEFAULT_HARDWARE
    precision: str = DEFAULT_PRECISION
    gpus: int | None = None
    max_ttft_ms: float | None = None
    max_tpot_ms: float | None = None
    target_utilization: float = F.DEFAULT_TARGET_UTILIZATION
    min_replicas: int = F.DEFAULT_MIN_REPLICAS
    # prices
    price: str | None = None
    gpu_hour_price: float | None = None
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

    @field_validator("input_tokens")
    @classmethod
    def _in(cls, v: int) -> int:
        return check_int("--input-tokens", v, high=MAX_TOKENS)

    @field_validator("output_tokens")
    @classmethod
    def _out(cls, v: int) -> int:
        return check_int("--output-tokens", v, high=MAX_TOKENS)

    @field_validator("gpus")
    @classmethod
    def _gpus(cls, v: int | None) -> int | None:
        return None if v is None else check_int("--gpus", v, high=MAX_GPUS)

    @field_validator("min_replicas")
    @classmethod
    def _minr(cls, v: int) -> int:
        return check_int("--min-replicas", v, low=1, high=100_000)

    @field_validator("max_batch")
    @classmethod
    def _mb(cls, v: int | None) -> int | None:
        return None if v is None else check_int("--max-batch", v, high=100_000)

    @field_validator("draft_tokens")
    @classmethod
    def _dt(cls, v: int) -> int:
        return check_int("--draft-tokens", v, high=64)

    @field_validator("months")
    @classmethod
    def _months(cls, v: int | None) -> int | None:
        return None if v is None else check_int("--months", v, high=MAX_MONTHS)

    @field_validator("target_utilization", mode="before")
    @classmethod
    def _util(cls, v: object) -> float:
        return parse_fraction("--target-utilization", v, low=0.0, low_inclusive=False)

    @field_validator("cache_hit_rate", "router_share", "acceptance_rate", "cost_reduction",
                     "growth", mode="before")
    @classmethod
    def _fractions(cls, v: object, info: Any) -> float | None:
        if v is None:
            return None
        flag = {"cache_hit_rate": "--cache-hit-rate", "router_share": "--router-share",
                "acceptance_rate": "--acceptance-rate",
                "cost_reduction": "--what-if-cost-reduction", "growth": "--growth"}[info.field_name]
        high = 10.0 if info.field_name == "growth" else 1.0
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
        else:
            _finite("--daily-queries", self.daily_queries, high=MAX_DAILY_QUERIES)
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
        _finite("--gpu-hour-price", self.gpu_hour_price, high=MAX_USD_PER_GPU_HOUR)
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


# ---------------------------------------------------------------- result models

class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Totals(_Out):
    daily_usd: Num
    monthly_usd: Num
    yearly_usd: Num
    usd_per_query: OptNum
    usd_per_1k_queries: OptNum
    usd_per_million_tokens: OptNum


class Conventions(_Out):
    hours_per_month: Num
    days_per_month: Num
    months_per_year: int = F.MONTHS_PER_YEAR
    statement: str


class Traffic(_Out):
    daily_queries: Num
    monthly_queries: Num
    tokens_per_query: int
    average_qps: Num
    peak_qps: Num
    peak_to_average: Num
    peak_to_average_source: Literal["default", "flag", "traffic_profile"]
    hourly_shares: list[Num] | None


class Replica(_Out):
    model: str
    hardware: str
    precision: str
    gpus: int
    concurrency: int
    concurrency_limit: int
    requests_per_s: Num
    ttft_ms: Num
    tpot_ms: Num
    e2e_s: Num


class Fleet(_Out):
    replicas_always_on: int
    gpus_always_on: int
    gpu_hours_per_month_always_on: Num
    peak_utilization: Num
    replicas_by_hour: list[int] | None
    gpu_hours_per_month_autoscaled: OptNum


class SelfHostedPrice(_Out):
    pricing: str
    price: str
    usd_per_gpu_hour: Num
    always_on: Totals
    autoscaled: Totals | None


class ApiBill(_Out):
    id: str
    provider: str
    api_model: str
    usd_per_million_input_tokens: Num
    usd_per_million_output_tokens: Num
    totals: Totals
    break_even_daily_queries: OptNum
    break_even_note: str


class OwnershipRent(_Out):
    pricing: str
    rent_monthly_usd: Num
    own_minus_rent_monthly_usd: Num


class Ownership(_Out):
    priced: bool
    reason: str | None
    gpus: int | None
    purchase_usd_per_gpu: OptNum
    purchase_source: str | None
    amortize_years: Num
    usd_per_kwh: OptNum
    pue: OptNum
    power_w_per_gpu: OptNum
    hosting_usd_per_gpu_month: Num
    capital_usd_per_gpu_month: OptNum
    energy_usd_per_gpu_month: OptNum
    total_usd_per_gpu_month: OptNum
    totals: Totals | None
    vs_renting: list[OwnershipRent]


class Lever(_Out):
    lever: str
    description: str
    monthly_usd: OptNum
    monthly_saving_usd: OptNum
    saving_fraction: OptNum
    note: str | None = None


class GrowthMonth(_Out):
    month: int
    daily_queries: Num
    replicas_always_on: int | None
    self_hosted_monthly_usd: OptNum
    autoscaled_monthly_usd: OptNum
    direct_monthly_usd: OptNum
    api_monthly_usd: dict[str, Num]


class Growth(_Out):
    growth_per_month: Num
    months: int
    basis: str
    series: list[GrowthMonth]


class Headline(_Out):
    basis: str
    totals: Totals


class BillDefault(_Out):
    name: str
    value: Any
    description: str


class BillResult(_Out):
    inputs: dict[str, Any]
    conventions: Conventions
    traffic: Traffic
    direct: Totals | None
    replica: Replica | None
    fleet: Fleet | None
    self_hosted: list[SelfHostedPrice]
    headline: Headline | None
    apis: list[ApiBill]
    ownership: Ownership | None
    levers: list[Lever]
    growth: Growth | None
    defaults: list[BillDefault]
    profiles: list[ProfileRef] = Field(default_factory=list)


# ---------------------------------------------------------------- replica sizing

@dataclass
class _Fit:
    replica: Replica
    tpot_decode_step_ms: float
    tdp_w: float | None


@dataclass
class _Ctx:
    req: BillRequest
    registry: Registry
    today: dt.date
    warnings: list[Warning_] = field(default_factory=list)
    profiles: dict[tuple[str, str], ProfileRef] = field(default_factory=dict)

    def ref(self, kind: str, p: Any) -> None:
        self.profiles.setdefault((kind, p.id), profile_ref(kind, p))

    def warn(self, code: str, message: str) -> None:
        if not any(w.code == code and w.message == message for w in self.warnings):
            self.warnings.append(Warning_(code=code, message=message))


def _decode_step_ms(result: Any) -> float:
    d = result.latency.decode
    return max(d.compute_ms, d.memory_ms) + d.attention_ms + d.communication_ms + d.overhead_ms


def size_replica(ctx: _Ctx, *, model: str, precision: str, gpus: int | None,
                 batch_limit: int | None, label: str) -> _Fit | None:
    """The largest batch (≤ the runtime limit or --max-batch, and ≤ what memory holds) whose
    TTFT and TPOT meet the targets; None (with a warning) when none does."""
    from inferx.api import estimate

    req = ctx.req

    def run(conc: int | str, tp: int | None) -> Any:
        er = EstimateRequest(model=model, hardware=req.hardware, precision=precision, gpus=tp,
                             input_tokens=req.input_tokens, output_tokens=req.output_tokens,
                             concurrency=conc, gpu_hour_price=1.0)
        return estimate(er, ctx.registry, ctx.today).result

    first = run("max", gpus)
    hw = ctx.registry.get("hardware", req.hardware)
    ctx.ref("model", ctx.registry.get("model", model))
    ctx.ref("hardware", hw)
    if not first.memory.fits:
        ctx.warn("does_not_fit", f"{label}: {first.inputs.model} at {precision} does not fit on "
                 f"{first.inputs.gpus} x {hw.id}; self-hosted cost not estimated")
        return None
    tp = first.inputs.gpus
    limit = first.inputs.concurrency if batch_limit is None else min(
        first.memory.max_concurrency, batch_limit)
    cache: dict[int, Any] = {}

    def at(c: int) -> Any:
        if c not in cache:
            cache[c] = run(c, tp)
        return cache[c]

    def ok(c: int) -> bool:
        r = at(c)
        if not r.memory.fits or r.latency.tpot_ms is None:
            return False
        return ((req.max_ttft_ms is None or r.latency.ttft_ms <= req.max_ttft_ms)
                and (req.max_tpot_ms is None or r.latency.tpot_ms <= req.max_tpot_ms))

    if limit < 1 or not ok(1):
        ctx.warn("latency_target_unmet", f"{label}: even one request at a time on {tp} x {hw.id} "
                 "misses --max-ttft/--max-tpot; self-hosted cost not estimated")
        return None
    lo, hi = 1, limit  # ok(lo) holds; find the largest ok c (TPOT rises with the batch)
    if ok(hi):
        lo = hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    r = at(lo)
    rep = Replica(model=r.inputs.model, hardware=r.inputs.hardware, precision=r.inputs.precision,
                  gpus=tp, concurrency=lo, concurrency_limit=limit,
                  requests_per_s=r.throughput.requests_per_s, ttft_ms=r.latency.ttft_ms,
                  tpot_ms=r.latency.tpot_ms, e2e_s=r.latency.e2e_s)
    return _Fit(replica=rep, tpot_decode_step_ms=_decode_step_ms(r), tdp_w=hw.tdp_w)


# ---------------------------------------------------------------- money

@dataclass
class _Price:
    pricing: str
    label: str
    usd: float


def _prices(ctx: _Ctx) -> list[_Price]:
    req, reg = ctx.req, ctx.registry
    if req.gpu_hour_price is not None:
        return [_Price("user", "--gpu-hour-price", req.gpu_hour_price)]
    hw = reg.get("hardware", req.hardware)
    if req.price is not None:
        profile = reg.get("price", req.price)
        if profile.hardware != hw.id:
            ctx.warn("price_hardware_mismatch", f"price profile {profile.id} is for "
                     f"{profile.hardware}, not {hw.id}")
    else:
        profile = (default_price_profile(reg, hw.id, "on-demand")
                   or default_price_profile(reg, hw.id, "any"))
        if profile is None:
            ctx.warn("no_price", f"no price profile for {hw.id}: self-hosted dollars not "
                     "estimated; pass --gpu-hour-price or --price")
            return []
    ctx.ref("price", profile)
    stale = stale_price_warning(profile, ctx.today)
    if stale:
        ctx.warn(stale.code, stale.message)
    return [_Price(k, profile.id, profile.price_for(k)) for k in PRICINGS
            if profile.price_for(k) is not None]


def _totals(monthly: float, daily_queries: float, req: BillRequest) -> Totals:
    return Totals(**F.totals(monthly_usd=monthly, daily_queries=daily_queries,
                             days_per_month=req.days_per_month,
                             tokens_per_query=req.input_tokens + req.output_tokens))


@dataclass
class _Sizing:
    """What the fleet arithmetic needs about one replica type and the traffic shape."""

    requests_per_s: float
    gpus: int
    peak_to_average: float
    shares: list[float] | None
    utilization: float
    min_replicas: int
    days_per_month: float

    def replicas(self, daily: float) -> int:
        return F.replicas_for(qps=F.peak_qps(daily_queries=daily,
                                             peak_to_average=self.peak_to_average),
                              replica_requests_per_s=self.requests_per_s,
                              target_utilization=self.utilization,
                              min_replicas=self.min_replicas)

    def always_on(self, daily: float, usd: float) -> float:
        return F.always_on_monthly_usd(
            daily_queries=daily, replica_requests_per_s=self.requests_per_s,
            target_utilization=self.utilization, peak_to_average=self.peak_to_average,
            min_replicas=self.min_replicas, gpus_per_replica=self.gpus, usd_per_gpu_hour=usd,
            days_per_month=self.days_per_month)

    def by_hour(self, daily: float) -> list[int] | None:
        if self.shares is None:
            return None
        return F.autoscaled_replicas(daily_queries=daily, shares=self.shares,
                                     replica_requests_per_s=self.requests_per_s,
                                     target_utilization=self.utilization,
                                     min_replicas=self.min_replicas)

    def autoscaled(self, daily: float, usd: float) -> float | None:
        hours = self.by_hour(daily)
        if hours is None:
            return None
        return F.usd_for_gpu_hours(gpu_hours=F.gpu_hours_autoscaled(
            replicas_by_hour=hours, gpus_per_replica=self.gpus,
            days_per_month=self.days_per_month), usd_per_gpu_hour=usd)


def _sizing(fit: _Fit, req: BillRequest, p2a: float, shares: list[float] | None,
            rps: float | None = None) -> _Sizing:
    return _Sizing(requests_per_s=rps or fit.replica.requests_per_s, gpus=fit.replica.gpus,
                   peak_to_average=p2a, shares=shares, utilization=req.target_utilization,
                   min_replicas=req.min_replicas, days_per_month=req.days_per_month)


# ---------------------------------------------------------------- the bill

def bill(request: BillRequest, registry: Registry | None = None,
         today: dt.date | None = None) -> Answer:
    """Project daily, monthly and yearly bills for a query volume (see module docstring)."""
    ctx = _Ctx(request, registry or Registry.default(), today or dt.date.today())
    req = request
    volume = req.volume()
    tokens = req.input_tokens + req.output_tokens
    shares = None if req.hourly_weights is None else F.hourly_shares(weights=req.hourly_weights)
    if shares is not None:
        p2a, p2a_source = F.peak_to_average_of(shares=shares), "traffic_profile"
    elif req.peak_to_average is not None:
        p2a, p2a_source = req.peak_to_average, "flag"
    else:
        p2a, p2a_source = F.DEFAULT_PEAK_TO_AVERAGE, "default"
    hours = F.hours_per_month(days_per_month=req.days_per_month)
    conventions = Conventions(
        hours_per_month=hours, days_per_month=req.days_per_month,
        statement=(f"a month is {hours:g} hours ({req.days_per_month:g} days"
                   + ("; the 8,760 h / 12 cloud convention" if req.days_per_month
                      == F.DEFAULT_DAYS_PER_MONTH else ", from --days-per-month")
                   + "); a year is 12 months; daily = monthly / days per month"))
    traffic = Traffic(
        daily_queries=volume,
        monthly_queries=F.monthly_queries(daily_queries=volume,
                                          days_per_month=req.days_per_month),
        tokens_per_query=tokens, average_qps=F.average_qps(daily_queries=volume),
        peak_qps=F.peak_qps(daily_queries=volume, peak_to_average=p2a), peak_to_average=p2a,
        peak_to_average_source=p2a_source, hourly_shares=shares)

    direct_usd_per_query: float | None = None
    if req.cost_per_query is not None:
        direct_usd_per_query = req.cost_per_query
    elif req.cost_per_million_tokens is not None:
        direct_usd_per_query = req.cost_per_million_tokens * tokens / 1e6
    direct = None
    if direct_usd_per_query is not None:
        direct = _totals(F.direct_monthly_usd(daily_queries=volume,
                                              usd_per_query=direct_usd_per_query,
                                              days_per_month=req.days_per_month), volume, req)

    fit = fleet = None
    sizing: _Sizing | None = None
    prices: list[_Price] = []
    self_hosted: list[SelfHostedPrice] = []
    if not req.direct:
        fit = size_replica(ctx, model=req.model, precision=req.precision, gpus=req.gpus,
                           batch_limit=None, label="baseline")
        prices = _prices(ctx)
        if fit is not None:
            sizing = _sizing(fit, req, p2a, shares)
            n = sizing.replicas(volume)
            by_hour = sizing.by_hour(volume)
            fleet = Fleet(
                replicas_always_on=n, gpus_always_on=n * fit.replica.gpus,
                gpu_hours_per_month_always_on=F.gpu_hours_always_on(
                    replicas=n, gpus_per_replica=fit.replica.gpus, hours_per_month=hours),
                peak_utilization=traffic.peak_qps / (n * fit.replica.requests_per_s),
                replicas_by_hour=by_hour,
                gpu_hours_per_month_autoscaled=None if by_hour is None else
                F.gpu_hours_autoscaled(replicas_by_hour=by_hour, gpus_per_replica=fit.replica.gpus,
                                       days_per_month=req.days_per_month))
            for p in prices:
                auto = sizing.autoscaled(volume, p.usd)
                self_hosted.append(SelfHostedPrice(
                    pricing=p.pricing, price=p.label, usd_per_gpu_hour=p.usd,
                    always_on=_totals(sizing.always_on(volume, p.usd), volume, req),
                    autoscaled=None if auto is None else _totals(auto, volume, req)))
            if shares is None:
                ctx.warn("no_traffic_profile", "no --traffic-profile: the autoscaled fleet is not "
                         "priced (it needs the hourly shape); the always-on fleet is sized for "
                         f"peak = {p2a:g} x average")

    headline = None
    if direct is not None:
        headline = Headline(basis="direct: --cost-per-query" if req.cost_per_query is not None
                            else "direct: --cost-per-million-tokens", totals=direct)
    elif self_hosted:
        headline = Headline(basis=f"self-hosted, always-on fleet sized for peak, "
                            f"{self_hosted[0].pricing} ({self_hosted[0].price})",
                            totals=self_hosted[0].always_on)
    primary = prices[0] if prices and sizing is not None else None

    def headline_at(daily: float, s: _Sizing | None = sizing) -> float | None:
        if direct_usd_per_query is not None:
            return F.direct_monthly_usd(daily_queries=daily, usd_per_query=direct_usd_per_query,
                                        days_per_month=req.days_per_month)
        if primary is None or s is None:
            return None
        return s.always_on(daily, primary.usd)

    apis = _apis(ctx, volume, sizing, primary)
    ownership = None if fit is None or fleet is None else _ownership(ctx, fit, fleet, self_hosted,
                                                                     volume)
    levers = _levers(ctx, volume, fit, sizing, primary, headline_at, p2a, shares)
    growth = None
    if req.growth is not None and req.months is not None:
        series = []
        for m, v in enumerate(F.growth_volumes(daily_queries=volume, growth_rate=req.growth,
                                               months=req.months), 1):
            series.append(GrowthMonth(
                month=m, daily_queries=v,
                replicas_always_on=None if sizing is None else sizing.replicas(v),
                self_hosted_monthly_usd=None if primary is None or sizing is None
                else sizing.always_on(v, primary.usd),
                autoscaled_monthly_usd=None if primary is None or sizing is None
                else sizing.autoscaled(v, primary.usd),
                direct_monthly_usd=None if direct_usd_per_query is None else headline_at(v),
                api_monthly_usd={a.id: F.direct_monthly_usd(
                    daily_queries=v, usd_per_query=a.totals.usd_per_query or 0.0,
                    days_per_month=req.days_per_month) for a in apis}))
        growth = Growth(growth_per_month=req.growth, months=req.months,
                        basis=headline.basis if headline else "no priced bill", series=series)

    inputs = req.model_dump(exclude={"hourly_weights"})
    inputs["daily_queries"] = volume
    if req.direct:
        for k in ("model", "hardware", "precision", "gpus"):
            inputs[k] = None
    result = BillResult(
        inputs=inputs, conventions=conventions, traffic=traffic, direct=direct,
        replica=None if fit is None else fit.replica, fleet=fleet, self_hosted=self_hosted,
        headline=headline, apis=apis, ownership=ownership, levers=levers, growth=growth,
        defaults=_defaults(req), profiles=list(ctx.profiles.values()))
    return Answer(result=result, warnings=ctx.warnings)


def _apis(ctx: _Ctx, volume: float, sizing: _Sizing | None,
          primary: _Price | None) -> list[ApiBill]:
    req, out = ctx.req, []
    for api_id in req.apis:
        a = ctx.registry.get("api", api_id)
        ctx.ref("api", a)
        per_query = F.usd_per_query_from_tokens(
            input_tokens=req.input_tokens, output_tokens=req.output_tokens,
            usd_per_million_input_tokens=a.usd_per_million_input_tokens,
            usd_per_million_output_tokens=a.usd_per_million_output_tokens)
        monthly = F.direct_monthly_usd(daily_queries=volume, usd_per_query=per_query,
                                       days_per_month=req.days_per_month)
        be, note = None, "no self-hosted bill to compare (no price or no fit)"
        if sizing is not None and primary is not None:
            be = F.break_even_daily_queries(
                replica_monthly_usd=sizing.always_on(0.0, primary.usd) / req.min_replicas,
                queries_per_replica=F.daily_queries_per_replica(
                    replica_requests_per_s=sizing.requests_per_s,
                    target_utilization=sizing.utilization, peak_to_average=sizing.peak_to_average),
                api_monthly_usd_per_daily_query=per_query * req.days_per_month,
                min_replicas=req.min_replicas)
            note = ("always-on whole-replica fleet at " + primary.pricing + ": from this daily "
                    "volume up, self-hosting is never dearer than this API; at it the two "
                    "monthly bills are equal") if be is not None else (
                "self-hosting is dearer than this API at every volume (a replica's monthly cost "
                "exceeds what its full load would cost through the API)")
        out.append(ApiBill(id=a.id, provider=a.provider, api_model=a.api_model,
                           usd_per_million_input_tokens=a.usd_per_million_input_tokens,
                           usd_per_million_output_tokens=a.usd_per_million_output_tokens,
                           totals=_totals(monthly, volume, req), break_even_daily_queries=be,
                           break_even_note=note))
    return out


def _ownership(ctx: _Ctx, fit: _Fit, fleet: Fleet, rent: list[SelfHostedPrice],
               volume: float) -> Ownership:
    req = ctx.req
    hw = ctx.registry.get("hardware", req.hardware)
    purchase, source = req.purchase_usd, "--purchase-usd"
    if purchase is None and hw.purchase is not None:
        purchase, source = hw.purchase.usd, f"{hw.purchase.source} (as of {hw.purchase.as_of})"
    pue = req.pue if req.pue is not None else Assumptions().pue
    power = None if fit.tdp_w is None else fit.tdp_w * Assumptions().power_fraction_of_tdp
    reasons = []
    if purchase is None:
        reasons.append(f"no purchase price for {hw.id} in its profile: pass --purchase-usd")
        source = None
    if req.usd_per_kwh is None:
        reasons.append("no electricity price: pass --usd-per-kwh")
    if power is None:
        reasons.append(f"{hw.id} has no published TDP, so power cannot be priced")
    base = dict(gpus=fleet.gpus_always_on, purchase_usd_per_gpu=purchase,
                purchase_source=source, amortize_years=req.amortize_years,
                usd_per_kwh=req.usd_per_kwh, pue=pue, power_w_per_gpu=power,
                hosting_usd_per_gpu_month=req.hosting_usd_per_gpu_month)
    if reasons:
        return Ownership(priced=False, reason="ownership cannot be priced: " + "; ".join(reasons),
                         capital_usd_per_gpu_month=None, energy_usd_per_gpu_month=None,
                         total_usd_per_gpu_month=None, totals=None, vs_renting=[], **base)
    assert purchase is not None and power is not None and req.usd_per_kwh is not None
    per_gpu = F.ownership_usd_per_gpu_month(
        purchase_usd=purchase, amortize_years=req.amortize_years, power_w=power, pue=pue,
        usd_per_kwh=req.usd_per_kwh, hosting_usd_per_gpu_month=req.hosting_usd_per_gpu_month,
        hours_per_month=F.hours_per_month(days_per_month=req.days_per_month))
    monthly = per_gpu["total_usd"] * fleet.gpus_always_on
    return Ownership(
        priced=True, reason=None, capital_usd_per_gpu_month=per_gpu["capital_usd"],
        energy_usd_per_gpu_month=per_gpu["energy_usd"], total_usd_per_gpu_month=per_gpu["total_usd"],
        totals=_totals(monthly, volume, req),
        vs_renting=[OwnershipRent(pricing=r.pricing, rent_monthly_usd=r.always_on.monthly_usd,
                                  own_minus_rent_monthly_usd=monthly - r.always_on.monthly_usd)
                    for r in rent], **base)


def _lever(name: str, description: str, base: float | None, new: float | None,
           note: str | None = None) -> Lever:
    if base is None or new is None:
        return Lever(lever=name, description=description, monthly_usd=new,
                     monthly_saving_usd=None, saving_fraction=None,
                     note=note or "not priced: no baseline or what-if bill")
    return Lever(lever=name, description=description, monthly_usd=new,
                 monthly_saving_usd=base - new, saving_fraction=(base - new) / base if base else None,
                 note=note)


def _levers(ctx: _Ctx, volume: float, fit: _Fit | None, sizing: _Sizing | None,
            primary: _Price | None, headline_at: Any, p2a: float,
            shares: list[float] | None) -> list[Lever]:
    req, out = ctx.req, []
    base = headline_at(volume)
    if req.cost_reduction is not None:
        out.append(_lever("cost_reduction", f"unit cost {req.cost_reduction:.0%} lower "
                          "(--what-if-cost-reduction)", base,
                          None if base is None else base * (1 - req.cost_reduction)))
    if req.cache_hit_rate is not None:
        out.append(_lever("cache", f"a response cache answers {req.cache_hit_rate:.0%} of "
                          "queries (--cache-hit-rate)", base,
                          headline_at(F.served_queries(daily_queries=volume,
                                                       cache_hit_rate=req.cache_hit_rate))))
    if req.direct:
        for flag, given in (("--router-model", req.router_model), ("--draft-model",
                            req.draft_model), ("--max-batch", req.max_batch),
                            ("--what-if-precision", req.what_if_precision),
                            ("--distill-model", req.distill_model)):
            if given is not None:
                ctx.warn("lever_needs_profiles", f"{flag} needs a self-hosted bill (model and "
                         "hardware), not --cost-per-query/--cost-per-million-tokens: ignored")
        return out

    def refit(label: str, **kw: Any) -> _Sizing | None:
        args = dict(model=req.model, precision=req.precision, gpus=req.gpus, batch_limit=None)
        args.update(kw)
        try:
            f = size_replica(ctx, label=label, **args)
        except InputError as exc:
            ctx.warn("lever_not_estimated", f"{label}: {exc}")
            return None
        return None if f is None else _sizing(f, req, p2a, shares)

    def cost(s: _Sizing | None, daily: float) -> float | None:
        return None if s is None or primary is None else s.always_on(daily, primary.usd)

    if req.router_share is not None and req.router_model is not None:
        small = refit("router", model=req.router_model, gpus=None)
        main_part = cost(sizing, volume * (1 - req.router_share))
        small_part = 0.0 if req.router_share == 0 else cost(small, volume * req.router_share)
        new = None if main_part is None or small_part is None else main_part + small_part
        out.append(_lever("router", f"{req.router_share:.0%} of queries routed to "
                          f"{req.router_model} on its own fleet", base, new))
    if req.draft_model is not None and req.acceptance_rate is not None and fit is not None:
        new, note = None, None
        try:
            draft = size_replica(ctx, model=req.draft_model, precision=req.precision,
                                 gpus=fit.replica.gpus, batch_limit=fit.replica.concurrency,
                                 label="draft")
        except InputError as exc:
            draft, note = None, f"draft model not estimated: {exc}"
        if draft is not None and sizing is not None:
            ratio = draft.tpot_decode_step_ms / fit.tpot_decode_step_ms
            speedup = F.speculative_speedup(acceptance_rate=req.acceptance_rate,
                                            draft_tokens=req.draft_tokens,
                                            draft_to_target_step_ratio=ratio)
            r = fit.replica
            rps = F.requests_per_s_after_decode_speedup(
                concurrency=r.concurrency, ttft_s=r.ttft_ms / 1e3, tpot_s=r.tpot_ms / 1e3,
                output_tokens=req.output_tokens, speedup=speedup)
            new = cost(_sizing(fit, req, p2a, shares, rps), volume)
            note = (f"decode speed-up {speedup:.2f}x (draft/target step {ratio:.2f}, "
                    f"{req.draft_tokens} draft tokens); memory-bound verify assumed, draft "
                    "weights' memory not deducted")
        out.append(_lever("speculative_decoding", f"draft {req.draft_model} at "
                          f"{req.acceptance_rate:.0%} acceptance", base, new, note))
    if req.max_batch is not None:
        out.append(_lever("max_batch", f"batch limit {req.max_batch} sequences per replica",
                          base, cost(refit("max-batch", batch_limit=req.max_batch), volume)))
    if req.what_if_precision is not None:
        try:
            prec = EstimateRequest(precision=req.what_if_precision).precision
        except InputError as exc:
            raise InputError("--what-if-precision", str(exc).split(": ", 1)[1]) from None
        out.append(_lever("precision", f"weights at {prec}", base,
                          cost(refit("precision", precision=prec), volume)))
    if req.distill_model is not None:
        out.append(_lever("distillation", f"serve distilled {req.distill_model} instead", base,
                          cost(refit("distillation", model=req.distill_model, gpus=None), volume),
                          "quality of the distilled model not assessed"))
    return out


def _defaults(req: BillRequest) -> list[BillDefault]:
    return [
        BillDefault(name="peak_to_average", value=F.DEFAULT_PEAK_TO_AVERAGE,
                    description="peak hour / average hour when no --traffic-profile or "
                    "--peak-to-average is given"),
        BillDefault(name="target_utilization", value=F.DEFAULT_TARGET_UTILIZATION,
                    description="share of a replica's capacity used at peak (headroom)"),
        BillDefault(name="min_replicas", value=F.DEFAULT_MIN_REPLICAS,
                    description="fewest replicas kept running"),
        BillDefault(name="days_per_month", value=F.DEFAULT_DAYS_PER_MONTH,
                    description="730 hours / 24 (8,760 h / 12)"),
        BillDefault(name="amortize_years", value=F.DEFAULT_AMORTIZE_YEARS,
                    description="straight-line life of a purchased GPU"),
        BillDefault(name="draft_tokens", value=F.DEFAULT_DRAFT_TOKENS,
                    description="speculative tokens proposed per verify step"),
    ]
