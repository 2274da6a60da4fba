"""Result models of `inferx compare` (one row per swept value), with units in the key names;
every key is documented in docs/compare.md."""

from __future__ import annotations

from typing import Literal

from dataclasses import field

from inferx.results import Num, OptNum, ProfileRef
from inferx.results_base import Out, result


@result
class QualityImpact(Out):
    """One published evaluation of this model at this scheme (a ``quality`` profile)."""

    profile: str
    benchmark: str
    metric: str
    higher_is_better: bool
    baseline_precision: str
    baseline_score: OptNum
    quantized_score: OptNum
    delta: OptNum  # quantized_score − baseline_score, in the metric's units
    recovery_pct: OptNum  # as the source states it
    evaluated_model: str | None
    source: str
    as_of: str


@result
class VsBaseline(Out):
    """This row divided by the baseline row (None where either side has no figure)."""

    weights_ratio: OptNum
    gpus_ratio: OptNum
    ttft_ratio: OptNum
    tpot_ratio: OptNum
    output_tokens_per_s_ratio: OptNum
    output_tokens_per_s_per_gpu_ratio: OptNum
    usd_per_million_output_tokens_ratio: OptNum


@result
class CompareRow(Out):
    row: str  # the swept value: a scheme id, a hardware id or a model id
    model: str
    hardware: str
    precision: str
    precision_name: str
    kv_precision: str
    compute_dtype: str
    weight_only: bool  # the scheme keeps 16-bit activations by design (W4A16, W8A16)
    native_compute: bool  # False: the hardware lacks the scheme's compute dtype
    not_native_reason: str | None
    weights_gb: Num
    kv_cache_bytes_per_token: Num
    min_gpus: int | None
    gpus: int
    fits: bool
    max_concurrency: int
    concurrency: int
    ttft_ms: OptNum
    tpot_ms: OptNum
    prefill_bound: str | None
    decode_bound: str | None
    prefill_compute_ms: OptNum
    decode_memory_ms: OptNum
    output_tokens_per_s: OptNum
    output_tokens_per_s_per_gpu: OptNum
    usd_per_hour: OptNum
    usd_per_million_output_tokens: OptNum
    is_baseline: bool
    vs_baseline: VsBaseline | None
    meets_targets: bool | None  # None when no --max-ttft / --max-tpot was given
    cheapest_meeting_targets: bool
    quality_summary: str
    quality: QualityImpact | None
    warnings: list[str] = field(default_factory=list)  # warning codes for this row


@result
class CompareInputs(Out):
    across: str
    models: list[str]
    hardware: list[str]
    precisions: list[str]
    kv_precision: str | None
    gpus: int | None
    gpus_mode: Literal["fewest-per-row", "fixed"]
    input_tokens: int
    output_tokens: int
    concurrency: int | str
    pricing: str
    max_ttft_ms: OptNum
    max_tpot_ms: OptNum


@result
class CompareResult(Out):
    inputs: CompareInputs
    baseline: str | None
    cheapest_meeting_targets: str | None
    rows: list[CompareRow]
    profiles: list[ProfileRef] = field(default_factory=list)
