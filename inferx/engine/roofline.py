"""Time of one forward pass from a roofline over its FLOPs and bytes moved.

    t = max(FLOPs / (peak · compute_eff), bytes / (bandwidth · bandwidth_eff))
        + t_allreduce + step_overhead

Formulas and sources: docs/methodology.md#latency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Bound = Literal["compute", "memory"]


@dataclass(frozen=True)
class PassTime:
    """One forward pass on one GPU of a tensor-parallel group (seconds)."""

    compute_s: float
    memory_s: float
    comm_s: float
    overhead_s: float

    @property
    def bound(self) -> Bound:
        return "compute" if self.compute_s >= self.memory_s else "memory"

    @property
    def total_s(self) -> float:
        return max(self.compute_s, self.memory_s) + self.comm_s + self.overhead_s

    @property
    def busy_fraction(self) -> float:
        """Share of the pass the binding resource is busy: 1 − (comm + overhead)/total."""
        return max(self.compute_s, self.memory_s) / self.total_s if self.total_s else 0.0


def allreduce_time_s(
    *, message_bytes: float, tp: int, link_gb_per_s: float, link_efficiency: float,
    latency_us: float,
) -> float:
    """Ring all-reduce of message_bytes over tp GPUs:
    2·(tp−1)/tp · bytes / (link_unidirectional · efficiency) + latency.
    link_gb_per_s is the bidirectional per-GPU figure vendors quote, so halved."""
    if tp <= 1:
        return 0.0
    unidirectional = link_gb_per_s * 1e9 / 2 * link_efficiency
    return 2 * (tp - 1) / tp * message_bytes / unidirectional + latency_us * 1e-6


def pass_time(
    *,
    flops_per_gpu: float,
    bytes_per_gpu: float,
    peak_flops: float,
    bandwidth_bytes_per_s: float,
    compute_efficiency: float,
    bandwidth_efficiency: float,
    comm_s: float,
    overhead_s: float,
) -> PassTime:
    """Roofline time of one pass: compute and memory times overlap, communication and the
    fixed overhead do not (tensor-parallel all-reduces sit between dependent matmuls)."""
    compute_s = flops_per_gpu / (peak_flops * compute_efficiency) if peak_flops > 0 else 0.0
    memory_s = bytes_per_gpu / (bandwidth_bytes_per_s * bandwidth_efficiency)
    return PassTime(compute_s=compute_s, memory_s=memory_s, comm_s=comm_s, overhead_s=overhead_s)


def expected_experts_touched(*, num_experts: int, experts_per_token: int, tokens: float) -> float:
    """Distinct experts a batch of tokens touches in one MoE layer, routing uniform and
    independent: E · (1 − (1 − k/E)^tokens)."""
    if num_experts <= 1:
        return 1.0
    return num_experts * (1 - (1 - experts_per_token / num_experts) ** tokens)
