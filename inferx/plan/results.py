"""`inferx plan`'s result: the cheapest configurations, the frontier, the exclusions."""

from __future__ import annotations

from inferx.results import ProfileRef
from inferx.results_base import Num, OptNum, Out, result


@result
class PlanInputs(Out):
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


@result
class PlanConfig(Out):
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


@result
class FrontierPoint(Out):
    tokens_per_s_per_user: Num
    output_tokens_per_s_per_gpu: Num
    usd_per_million_output_tokens: OptNum
    layout: str
    gpus: int
    concurrency: int
    meets_targets: bool


@result
class Frontier(Out):
    hardware: str
    precision: str
    pricing: str | None
    usd_per_gpu_hour: OptNum
    points: list[FrontierPoint]


@result
class Exclusion(Out):
    hardware: str
    precision: str
    reason: str
    detail: str


@result
class SearchStats(Out):
    families: int
    families_with_configurations: int
    layouts: int
    points: int
    configurations: int
    excluded: dict[str, int]


@result
class PlanResult(Out):
    inputs: PlanInputs
    configurations: list[PlanConfig]
    frontier: list[Frontier]
    excluded: list[Exclusion]
    search: SearchStats
    profiles: list[ProfileRef]
