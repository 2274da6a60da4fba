"""`inferx plan`'s result: the cheapest configurations, the frontier, the exclusions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from inferx.results import ProfileRef
from inferx.results_base import Num, OptNum


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class PlanInputs(_Out):
    model: str
    input_tokens: int
    output_tokens: int
    max_ttft_ms: OptNum
    max_tpot_ms: OptNum
    min_tokens_per_user: OptNum
    tpot_limit_ms: OptNum
    daily_queries: OptNum
    request_rate: OptNum
    peak_qps: OptNum
    peak_to_average: Num
    target_utilization: Num
    min_replicas: int
    hardware: list[str]
    precision: list[str] | None
    pricing: list[str]
    provider: str | None
    engine: str | None
    kv_precision: str | None
    assume: dict[str, float]
    calibration: str | None
    max_gpus: int
    top: int
    ranked_by: str


class PlanConfig(_Out):
    rank: int
    hardware: str
    precision: str
    layout: str
    disaggregate: str | None
    gpus: int
    tp: int
    pp: int
    ep: int
    dp_attention: int
    concurrency: int
    pricing: str
    price: str | None
    usd_per_gpu_hour: Num
    ttft_ms: Num
    tpot_ms: Num
    tokens_per_s_per_user: Num
    output_tokens_per_s: Num
    output_tokens_per_s_per_gpu: Num
    requests_per_s: Num
    usd_per_million_output_tokens: Num
    replicas: int | None
    gpus_total: int | None
    monthly_usd: OptNum
    estimate_args: list[str]
    estimate_command: str


class FrontierPoint(_Out):
    tokens_per_s_per_user: Num
    output_tokens_per_s_per_gpu: Num
    usd_per_million_output_tokens: OptNum
    layout: str
    gpus: int
    concurrency: int
    meets_targets: bool


class Frontier(_Out):
    hardware: str
    precision: str
    pricing: str | None
    usd_per_gpu_hour: OptNum
    points: list[FrontierPoint]


class Exclusion(_Out):
    hardware: str
    precision: str
    reason: str
    detail: str


class SearchStats(_Out):
    families: int
    families_with_configurations: int
    layouts: int
    points: int
    configurations: int
    excluded: dict[str, int]


class PlanResult(_Out):
    inputs: PlanInputs
    configurations: list[PlanConfig]
    frontier: list[Frontier]
    excluded: list[Exclusion]
    search: SearchStats
    profiles: list[ProfileRef]
