"""Fixed (non-LLM) workloads: one inference is a known number of FLOPs and bytes.

An image classifier, an embedding encoder or a speech model is described by its FLOPs per
inference, its weights and the activation bytes one inference moves
(docs/methodology.md#fixed-workloads).  Requests are served in batches of B = concurrency on
each device (data parallel: every GPU holds a full copy of the weights):

    FLOPs per batch  = B · gflops_per_inference · 10^9
    bytes per batch  = weights_bytes + B · activation_bytes_per_inference
    t_batch          = max(FLOPs / (peak · compute_eff), bytes / (bandwidth · bandwidth_eff))
                       + step_overhead
    latency          = t_batch                          (every request in the batch waits for it)
    inferences / s   = gpus · B / t_batch
    USD per 1k inf.  = usd_per_hour / (inferences_per_s · 3600) · 1000
    memory per GPU   = weights_bytes + B · activation_bytes_per_inference + runtime overhead

Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.roofline import PassTime, pass_time
from inferx.units import SECONDS_PER_HOUR

BYTES_PER_MB = 1e6
INFERENCES_PER_THOUSAND = 1000


@dataclass(frozen=True)
class FixedPerformance:
    """One batched pass on one GPU and what it implies."""

    batch: int
    gpus: int
    time: PassTime

    @property
    def latency_s(self) -> float:
        return self.time.total_s

    @property
    def inferences_per_s(self) -> float:
        return self.gpus * self.batch / self.time.total_s


def batch_memory_bytes(*, weights_bytes: float, activation_bytes_per_inference: float,
                       batch: int) -> float:
    """Device memory one batch needs (runtime overhead excluded):
    weights_bytes + batch · activation_bytes_per_inference."""
    return weights_bytes + batch * activation_bytes_per_inference


def max_batch_that_fits(*, usable_bytes: float, weights_bytes: float,
                        activation_bytes_per_inference: float, limit: int) -> int:
    """Largest B ≤ limit with weights + B · activations ≤ usable; 0 if the weights don't fit.
    With no activation figure the batch is bounded by limit only."""
    free = usable_bytes - weights_bytes
    if free < 0:
        return 0
    if activation_bytes_per_inference <= 0:
        return limit
    return int(min(limit, free // activation_bytes_per_inference))


def fixed_batch_performance(
    *, gflops_per_inference: float, weights_bytes: float, activation_bytes_per_inference: float,
    batch: int, gpus: int, peak_flops: float, bandwidth_bytes_per_s: float,
    compute_efficiency: float, bandwidth_efficiency: float, overhead_s: float,
) -> FixedPerformance:
    """Roofline time of one batch of `batch` inferences on one GPU (formulas in the module doc).
    peak_flops = 0 means no compute figure: only the memory term is modelled."""
    time = pass_time(
        flops_per_gpu=batch * gflops_per_inference * 1e9,
        bytes_per_gpu=weights_bytes + batch * activation_bytes_per_inference,
        peak_flops=peak_flops, bandwidth_bytes_per_s=bandwidth_bytes_per_s,
        compute_efficiency=compute_efficiency, bandwidth_efficiency=bandwidth_efficiency,
        comm_s=0.0, overhead_s=overhead_s)
    return FixedPerformance(batch=batch, gpus=gpus, time=time)


def usd_per_thousand_inferences(*, usd_per_hour: float, inferences_per_s: float) -> float:
    """usd_per_hour / (inferences_per_s · 3600) · 1000."""
    return usd_per_hour / (inferences_per_s * SECONDS_PER_HOUR) * INFERENCES_PER_THOUSAND


def joules_per_inference(*, power_w: float, inferences_per_s: float) -> float:
    """power_w / inferences_per_s (J = W · s)."""
    return power_w / inferences_per_s
