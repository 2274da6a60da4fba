"""Result models of `inferx estimate` for fixed (non-LLM) and encoder workloads: per
inference, not per token (inferx/fixed_answer.py assembles them)."""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from inferx.results_base import (
    Assumption,
    Num,
    OptNum,
    Out,
    PhaseBreakdown,
    ProfileRef,
    result,
)


@result
class FixedInputs(Out):
    model: str
    hardware: str
    precision: str
    compute_dtype: str
    gpus: int
    batch_size: int
    concurrency_mode: Literal["fixed", "max"]
    price: str | None
    pricing: str


@result
class FixedWorkloadFacts(Out):
    gflops_per_inference: Num
    weights_mb: Num
    activation_mb_per_inference: OptNum
    workload_unit: str | None


@result
class FixedMemoryResult(Out):
    capacity_gb_per_gpu: Num
    usable_gb_per_gpu: Num
    weights_gb_per_gpu: Num
    activations_gb_per_gpu: Num
    overhead_gb_per_gpu: Num
    total_gb_per_gpu: Num
    fits: bool
    max_batch_size: int


@result
class FixedLatencyResult(Out):
    latency_ms: OptNum
    batch: PhaseBreakdown | None


@result
class FixedThroughputResult(Out):
    inferences_per_s: OptNum
    inferences_per_s_per_gpu: OptNum


@result
class FixedCostResult(Out):
    currency: Literal["USD"] = "USD"
    usd_per_gpu_hour: OptNum
    usd_per_hour: OptNum
    usd_per_thousand_inferences: OptNum


@result
class FixedEnergyResult(Out):
    power_w: OptNum
    joules_per_inference: OptNum


@result
class FixedEstimateResult(Out):
    """`inferx estimate` on a model profile with architecture = "fixed"."""

    workload_kind: Literal["fixed", "encoder"] = "fixed"
    inputs: FixedInputs
    workload: FixedWorkloadFacts
    memory: FixedMemoryResult
    latency: FixedLatencyResult
    throughput: FixedThroughputResult
    cost: FixedCostResult
    energy: FixedEnergyResult
    assumptions: list[Assumption]
    profiles: list[ProfileRef] = field(default_factory=list)
