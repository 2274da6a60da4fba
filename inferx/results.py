"""Result models and the JSON envelope.  SCHEMA_VERSION versions the JSON contract
(docs/json-output.md): keys may be added within a version, never renamed, removed or re-unitted.

Floats keep full precision (render rounds, data does not): ``Num`` and ``OptNum`` name the
figures that are measurements, for readers of the models, and add no validation.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Literal

from inferx.results_base import (  # noqa: F401 (re-exported: the result models' one import)
    Assumption,
    Num,
    OptNum,
    Out,
    PhaseBreakdown,
    ProfileRef,
    Warning_,
    result,
)
from inferx.results_deployment import DeploymentResult

SCHEMA_VERSION = "1"
# the fixed-workload (per inference) models: re-exported lazily, an LLM estimate needs none
FIXED = ("FixedCostResult", "FixedEnergyResult", "FixedEstimateResult", "FixedInputs",
         "FixedLatencyResult", "FixedMemoryResult", "FixedThroughputResult",
         "FixedWorkloadFacts")


def __getattr__(name: str) -> Any:
    if name in FIXED:
        from inferx import results_fixed

        return getattr(results_fixed, name)
    raise AttributeError(f"module 'inferx.results' has no attribute {name!r}")


@result
class ModelFacts(Out):
    params_b: Num
    active_params_b: Num
    stated_params_b: OptNum = None


@result
class MemoryResult(Out):
    capacity_gb_per_gpu: Num
    usable_gb_per_gpu: Num
    weights_gb: Num
    weights_gb_per_gpu: Num
    kv_cache_bytes_per_token: Num
    kv_cache_gb_per_gpu: Num
    activations_gb_per_gpu: Num
    overhead_gb_per_gpu: Num
    total_gb_per_gpu: Num
    fits: bool
    min_gpus: int | None
    max_concurrency: int


@result
class LatencyResult(Out):
    ttft_ms: OptNum
    tpot_ms: OptNum
    e2e_s: OptNum
    prefill: PhaseBreakdown | None
    decode: PhaseBreakdown | None


@result
class ThroughputResult(Out):
    output_tokens_per_s: OptNum
    output_tokens_per_s_per_gpu: OptNum
    input_tokens_per_s: OptNum
    requests_per_s: OptNum


@result
class CostResult(Out):
    currency: Literal["USD"] = "USD"
    usd_per_gpu_hour: OptNum
    usd_per_hour: OptNum
    usd_per_million_output_tokens: OptNum
    usd_per_million_input_tokens: OptNum
    usd_per_million_tokens: OptNum
    usd_per_request: OptNum


@result
class EnergyResult(Out):
    power_w: OptNum
    joules_per_output_token: OptNum
    wh_per_request: OptNum
    gco2_per_request: OptNum
    grid_gco2_per_kwh: Num
    pue: Num


@result
class EstimateInputs(Out):
    model: str
    hardware: str
    precision: str
    kv_precision: str
    compute_dtype: str
    weight_only_fallback: bool
    gpus: int
    input_tokens: int
    output_tokens: int
    concurrency: int
    concurrency_mode: Literal["fixed", "max", "clients", "rate", "burst"]
    price: str | None
    pricing: str
    engine: str | None = None
    batching: Literal["continuous", "static"] = "continuous"


@result
class PresetInfo(Out):
    """The serving-engine preset a result used (docs/methodology.md#presets)."""

    engine: str
    description: str
    origin: str  # "built-in", or the calibration file's path
    fitted_on: list[str]  # measurement sources the knob values were fitted on
    fitted_rows: int
    values_from: str | None  # "generic" with no measurements of its own; or the era it shares


@result
class RangeValue(Out):
    """Low/high bound on one figure from the measured error spread (docs/accuracy.md)."""

    low: OptNum
    high: OptNum
    basis: str  # which metric's predicted/measured p10-p90 band bounds it


@result
class ServingResult(Out):
    """How requests reach the replica (engine/serving.py) and what that does to it."""

    mode: Literal["concurrency", "max", "clients", "rate", "burst"]
    clients: int | None = None          # closed-loop clients (mode "clients")
    request_rate: OptNum = None         # offered requests/s (modes "rate", "burst")
    requests: int | None = None         # requests in a finite run (mode "burst")
    server_concurrency: int             # requests in flight at the server
    queue_wait_ms: OptNum = None        # mean wait in the server's queue (mode "clients")
    overloaded: bool = False            # the offered rate exceeds what the replica sustains
    sustainable_requests_per_s: OptNum = None  # the most the replica serves (modes "rate")


@result
class EstimateResult(Out):
    inputs: EstimateInputs
    model: ModelFacts
    memory: MemoryResult
    latency: LatencyResult
    throughput: ThroughputResult
    cost: CostResult
    energy: EnergyResult
    assumptions: list[Assumption]
    profiles: list[ProfileRef] = field(default_factory=list)
    preset: PresetInfo | None = None
    # figure path ("latency.ttft_ms") → low/high; figures without a measured band are absent
    ranges: dict[str, RangeValue] = field(default_factory=dict)
    serving: ServingResult | None = None
    overridden: list[str] = field(default_factory=list)  # assumptions the user set (--assume)
    deployment: DeploymentResult | None = None
    # no measured row shares this scenario's hardware family or serving mode: the ranges are
    # the widest measured band (docs/accuracy.md#ranges)
    extrapolated: bool = False


@result
class ErrorInfo(Out):
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@result(frozen=False)  # --batch sets `batch` on the envelope it answers
class Envelope(Out):
    """The one JSON document every ``--format json`` run writes to stdout."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    inferx_version: str
    command: list[str]
    status: Literal["ok", "error"]
    data: Any = None
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[ErrorInfo] = field(default_factory=list)

    @classmethod
    def ok(cls, command: list[str], data: Any,
           warnings: list[Warning_] | None = None) -> Envelope:
        from inferx import __version__

        return cls(inferx_version=__version__, command=command, status="ok", data=data,
                   warnings=warnings or [])

    @classmethod
    def error(cls, command: list[str], errors: list[ErrorInfo]) -> Envelope:
        from inferx import __version__

        return cls(inferx_version=__version__, command=command, status="error", errors=errors)


@result
class BatchInfo(Out):
    """Which line of a --batch file an envelope answers, and the line's optional id."""

    line: int
    id: str | int | float | None = None


@result(frozen=False)
class BatchEnvelope(Envelope):
    """One line of `--batch` output: the envelope plus ``batch`` {line, id}."""

    batch: BatchInfo | None = None
