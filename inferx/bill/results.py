"""The result models of `inferx bill`: what `--format json` prints under `data`.

Floats are rounded once here (Num / OptNum from inferx.results); keys are in docs/json-output.md.
"""

from __future__ import annotations

from typing import Any, Literal

from dataclasses import field

from inferx.bill import arithmetic as F
from inferx.results import Num, OptNum, ProfileRef, RangeValue
from inferx.results_base import Out, result


@result
class Totals(Out):
    daily_usd: Num
    monthly_usd: Num
    yearly_usd: Num
    usd_per_query: OptNum
    usd_per_1k_queries: OptNum
    usd_per_million_tokens: OptNum


@result
class Conventions(Out):
    hours_per_month: Num
    days_per_month: Num
    months_per_year: int = F.MONTHS_PER_YEAR
    statement: str


@result
class Traffic(Out):
    daily_queries: Num
    monthly_queries: Num
    tokens_per_query: int
    average_qps: Num
    peak_qps: Num
    peak_to_average: Num
    peak_to_average_source: Literal["default", "flag", "traffic_profile", "traffic_shape"]
    hourly_shares: list[Num] | None


@result
class Replica(Out):
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


@result
class Fleet(Out):
    replicas_always_on: int
    gpus_always_on: int
    gpu_hours_per_month_always_on: Num
    peak_utilization: Num
    replicas_by_hour: list[int] | None
    gpu_hours_per_month_autoscaled: OptNum


@result
class SelfHostedPrice(Out):
    pricing: str
    price: str
    usd_per_gpu_hour: Num
    always_on: Totals
    autoscaled: Totals | None


@result
class ApiBill(Out):
    id: str
    provider: str
    api_model: str
    usd_per_million_input_tokens: Num
    usd_per_million_output_tokens: Num
    totals: Totals | None  # null when a price tier the traffic needs is unknown
    break_even_daily_queries: OptNum
    break_even_note: str
    priced: bool = True
    unknown_prices: list[str] = field(default_factory=list)
    price_notes: list[str] = field(default_factory=list)
    long_context: bool = False
    usd_per_million_output_tokens_effective: OptNum = None


@result
class CacheSection(Out):
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


@result
class Policy(Out):
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


@result
class Utilization(Out):
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


@result
class Energy(Out):
    gpu_power_w: OptNum
    host_overhead: Num
    pue: Num
    grid_gco2_per_kwh: Num
    reason: str | None
    grid_source: str = ""


@result
class OwnershipRent(Out):
    pricing: str
    rent_monthly_usd: Num
    own_minus_rent_monthly_usd: Num
    payback_months: OptNum = None


@result
class OwnershipApi(Out):
    id: str
    api_monthly_usd: Num
    payback_months: OptNum


@result
class Ownership(Out):
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
    vs_apis: list[OwnershipApi] = field(default_factory=list)


@result
class Lever(Out):
    lever: str
    description: str
    monthly_usd: OptNum
    monthly_saving_usd: OptNum
    saving_fraction: OptNum
    note: str | None = None


@result
class GrowthMonth(Out):
    month: int
    daily_queries: Num
    replicas_always_on: int | None
    self_hosted_monthly_usd: OptNum
    autoscaled_monthly_usd: OptNum
    direct_monthly_usd: OptNum
    api_monthly_usd: dict[str, Num]


@result
class Growth(Out):
    growth_per_month: Num
    months: int
    basis: str
    series: list[GrowthMonth]


@result
class Headline(Out):
    basis: str
    totals: Totals


@result
class BillDefault(Out):
    name: str
    value: Any
    description: str


@result
class BillResult(Out):
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
    profiles: list[ProfileRef] = field(default_factory=list)
    utilization: Utilization | None = None
    cache: CacheSection | None = None
    energy: Energy | None = None
    # figure path → low/high from the estimate's measured error band (docs/methodology.md#ranges)
    ranges: dict[str, RangeValue] = field(default_factory=dict)
