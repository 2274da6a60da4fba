"""The result models of `inferx bill`: what `--format json` prints under `data`.

Floats are rounded once here (Num / OptNum from inferx.results); keys are in docs/json-output.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from inferx.bill import arithmetic as F
from inferx.results import Num, OptNum, ProfileRef, RangeValue


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
    peak_to_average_source: Literal["default", "flag", "traffic_profile", "traffic_shape"]
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
    totals: Totals | None  # null when a price tier the traffic needs is unknown
    break_even_daily_queries: OptNum
    break_even_note: str
    priced: bool = True
    unknown_prices: list[str] = Field(default_factory=list)
    price_notes: list[str] = Field(default_factory=list)
    long_context: bool = False
    usd_per_million_output_tokens_effective: OptNum = None


class CacheSection(_Out):
    source: Literal["flag", "derived"]
    prefix_cache_hit: Num            # share of prompt tokens the self-hosted fleet serves cached
    shared_prefix_share: OptNum
    session_history_share: OptNum
    single_replica_hit_rate: OptNum
    replicas: int
    routing: str
    p_shared_resident: OptNum
    p_within_ttl: OptNum
    p_within_capacity: OptNum
    p_same_replica: OptNum
    api_cached_input_share: Num
    api_cache_write_share: Num
    api_cache_ttl: str
    prefill_tokens_saved_per_day: Num
    note: str


class Policy(_Out):
    policy: Literal["always_on", "autoscaled", "scale_to_zero"]
    priced: bool
    reason: str | None
    replicas_by_hour: list[Num] | None
    replica_starts_per_period: OptNum
    gpu_hours_per_month: OptNum
    monthly_usd: OptNum
    usd_per_million_output_tokens: OptNum
    underutilization_factor: OptNum
    mean_utilization: OptNum
    kwh_per_month: OptNum
    kg_co2_per_month: OptNum


class Utilization(_Out):
    pricing: str
    usd_per_gpu_hour: Num
    fully_loaded_usd_per_million_output_tokens: Num
    weights_gb: OptNum
    storage_mib_per_s: Num
    cold_start_s: OptNum
    idle_timeout_s: Num
    scale_up_delay_s: Num
    redundancy: str | None
    replicas_needed_at_peak: int
    replicas_billed_at_peak: int
    replica_availability: Num
    availability_at_peak: Num
    policies: list[Policy]


class Energy(_Out):
    gpu_power_w: OptNum
    host_overhead: Num
    pue: Num
    grid_gco2_per_kwh: Num
    reason: str | None
    grid_source: str = ""


class OwnershipRent(_Out):
    pricing: str
    rent_monthly_usd: Num
    own_minus_rent_monthly_usd: Num
    payback_months: OptNum = None


class OwnershipApi(_Out):
    id: str
    api_monthly_usd: Num
    payback_months: OptNum


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
    residual_value: Num = 0.0
    capex_usd: OptNum = None
    capex_source: str | None = None
    opex_monthly_usd: OptNum = None
    colocation_usd_per_kw_month: OptNum = None
    vs_apis: list[OwnershipApi] = Field(default_factory=list)


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
    utilization: Utilization | None = None
    cache: CacheSection | None = None
    energy: Energy | None = None
    # figure path → low/high from the estimate's measured error band (docs/methodology.md#ranges)
    ranges: dict[str, RangeValue] = Field(default_factory=dict)
