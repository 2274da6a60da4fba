"""The result models of `inferx bill`: what `--format json` prints under `data`.

Floats are rounded once here (Num / OptNum from inferx.results); keys are in docs/json-output.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from inferx.bill import arithmetic as F
from inferx.results import Num, OptNum, ProfileRef


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
