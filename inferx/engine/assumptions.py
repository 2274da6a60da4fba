"""Efficiencies and overheads the engine assumes, with documented defaults.

Every field is listed in each result (``assumptions``) and can be overridden per run
(``--assume NAME=VALUE``).  Defaults and their justification: docs/methodology.md#assumptions.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Fraction = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Assumptions(BaseModel):
    """Knobs of the performance model.  Units are in the names."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    # The six performance knobs below default to the pooled ("generic") fit on the published
    # measurements (inferx/calibration/fitted.json, docs/accuracy.md); test_engine_presets
    # checks they stay equal after a refit.
    compute_efficiency: Fraction = Field(
        0.554, description="achieved / peak dense tensor FLOPS in matmul-heavy phases")
    bandwidth_efficiency: Fraction = Field(
        0.95, description="achieved / peak memory bandwidth when streaming weights and KV")
    interconnect_efficiency: Fraction = Field(
        0.5, description="achieved / peak unidirectional link bandwidth in all-reduce")
    allreduce_hop_latency_us: NonNeg = Field(
        10.0, description="latency of one hop of an all-reduce (2·⌈log2 tp⌉ hops each)")
    gqa_kv_reread: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = Field(
        0.104, description="share of a GQA group's extra query heads that re-read the KV cache "
                         "in decode (0: GQA-aware kernel; 1: one read per query head)")
    step_overhead_ms: NonNeg = Field(
        3.81, description="fixed time per forward pass: scheduling, kernel launches, sampling")
    sequence_overhead_us: NonNeg = Field(
        7.86, description="host time per running sequence per decode step (bookkeeping, "
                         "sampling, detokenization)")
    request_overhead_ms: NonNeg = Field(
        0.0121, description="fixed time per request outside the forward passes (tokenize, queue)")
    moe_compute_efficiency: Fraction = Field(
        0.382, description="routed-expert (grouped GEMM) matmul rate / the dense matmuls' rate")
    moe_load_imbalance: Annotated[float, Field(ge=1, le=8, allow_inf_nan=False)] = Field(
        1.0, description="busiest expert-parallel rank's routed tokens / the mean (1: perfectly "
                         "balanced, as with redundant experts; not measured, override to stress)")
    memory_utilization: Fraction = Field(
        0.90, description="share of device memory the runtime may use (vLLM default 0.90)")
    runtime_overhead_gb: NonNeg = Field(
        1.0, description="per-GPU memory for CUDA context, CUDA graphs and comm buffers")
    max_batched_tokens: Annotated[int, Field(gt=0, le=1_000_000)] = Field(
        8192, description="tokens per forward pass in chunked prefill; sizes activation memory")
    max_num_seqs: Annotated[int, Field(gt=0, le=100_000)] = Field(
        256, description="runtime's limit on concurrent sequences (vLLM default 256)")
    power_fraction_of_tdp: Fraction = Field(
        0.75, description="average board power while serving, as a share of TDP (not measured)")
    grid_gco2_per_kwh: NonNeg = Field(
        480.0, description="grid carbon intensity (world average 2023, Ember)")
    pue: Annotated[float, Field(ge=1, le=3, allow_inf_nan=False)] = Field(
        1.0, description="data-centre power usage effectiveness applied to energy figures")

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        return {name: f.description or "" for name, f in cls.model_fields.items()}
