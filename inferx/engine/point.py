"""What one operating point of a decoder replica is: the workload, the memory plan and the
timing, as frozen dataclasses in SI units, and the hardware checks every path shares."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.engine.deployment import Deployment, links_for
from inferx.engine.memory import MemoryPlan
from inferx.engine.timing import Timing
from inferx.profiles import HardwareRecord
from inferx.quant import SIXTEEN_BIT, Scheme


@dataclass(frozen=True)
class Workload:
    input_tokens: int
    output_tokens: int
    concurrency: int | None  # None: the largest that fits ("max")
    static_batch: bool = False  # True: `concurrency` is a static batch (no continuous batching)
    # False: the batch is known to have run (a measurement being replayed): estimate the
    # performance even where the memory plan says it does not fit (the note stays).
    require_fit: bool = True

    def timed(self, *, concurrency: int, fits: bool, missing: bool) -> bool:
        """Whether a point's timing is computed: every figure it needs is there, at least one
        sequence runs, and the memory plan holds it (unless the batch is known to have run)."""
        return not missing and concurrency >= 1 and (fits or not self.require_fit)


@dataclass(frozen=True)
class Note:
    """Something the engine wants the user to know (becomes a result warning)."""

    code: str
    message: str


@dataclass(frozen=True)
class MemoryPoint:
    """Per-GPU memory of one replica at the point's concurrency (bytes)."""

    capacity_bytes: float
    usable_bytes: float
    weights_bytes: float          # the whole model, all GPUs
    weights_bytes_per_gpu: float
    kv_bytes_per_token: float
    kv_bytes_per_gpu: float
    activations_bytes_per_gpu: float
    overhead_bytes_per_gpu: float
    total_bytes_per_gpu: float
    fits: bool
    min_gpus: int | None
    max_concurrency: int


@dataclass(frozen=True)
class DecoderPoint:
    """A replica at one concurrency: layout, memory and (when computable) timing."""

    deployment: Deployment
    concurrency: int
    compute_dtype: str
    weight_only_fallback: bool
    counts: ParamCounts
    memory: MemoryPoint
    timing: Timing | None
    notes: tuple[Note, ...]

    @property
    def gpus(self) -> int:
        return self.deployment.gpus_per_replica


def compute_dtype_for(scheme: Scheme, hw: HardwareRecord) -> tuple[str, bool]:
    """The dtype the matmuls run in, and whether the scheme fell back to weight-only.

    A scheme computes in its own dtype only where the hardware lists a dense peak for it
    (in its native_activation_dtype there, when it has one: MXFP4 runs W4A8 on Blackwell);
    otherwise weights are dequantised and the matmuls run 16-bit (bf16, else fp16, else fp32).
    """
    if hw.runs_natively(scheme.compute_dtype):
        if scheme.native_activation_dtype and hw.runs_natively(scheme.native_activation_dtype):
            return scheme.native_activation_dtype, False  # W4A8: MXFP4 weights, fp8 activations
        return scheme.compute_dtype, False
    fallback = not scheme.weight_only and scheme.compute_dtype not in (*SIXTEEN_BIT, "fp32")
    for dtype in (*SIXTEEN_BIT, "fp32"):
        if hw.runs_natively(dtype):
            return dtype, fallback
        if hw.is_unpublished(f"peak_tflops.{dtype}"):
            # the hardware runs 16-bit, its figure is not published: never fall back to a
            # slower fp32 peak; the missing figure is reported instead
            return dtype, fallback
    return scheme.compute_dtype, False


def missing_figures(hw: HardwareRecord, *, dtype: str, tp: int,
                    deployment: Deployment | None = None) -> list[Note]:
    """Notes for the hardware figures this point's timing needs but the profile lacks:
    peak_tflops for the compute dtype always; the bandwidth of every link a collective of the
    deployment crosses (interconnect_gb_per_s within a scale-up domain, scale_out_gb_per_s
    across domains)."""
    notes = []
    if hw.peak_tflops_for(dtype) is None:
        said = "declares it unpublished" if hw.is_unpublished(f"peak_tflops.{dtype}") else \
            "has none"
        notes.append(Note("no_compute_figure", (
            f"hardware profile {hw.id}: no peak_tflops for {dtype} (the profile {said}): "
            f"latency, throughput and cost are not estimated; give one with "
            f"assume peak_tflops_{dtype}=TFLOPS")))
    d = deployment or Deployment(tp=tp)
    for link in links_for(hw, d).missing(d):
        said = " (declared unpublished)" if hw.is_unpublished(link.field) else ""
        across = (f"{link.group} devices across {link.domains} scale-up domains"
                  if link.domains > 1 else f"{link.group}-way tensor parallelism")
        notes.append(Note("no_interconnect_figure", (
            f"hardware profile {hw.id}: no {link.field}{said}, so the collectives of "
            f"{across} cannot be timed: latency, throughput and cost are not estimated; "
            f"give one with assume {link.field}=GB/s")))
    return notes


def layout_notes(hw: HardwareRecord, d: Deployment) -> list[Note]:
    """Say when a replica spans scale-up domains (nodes): its collectives over more devices
    than one domain holds cross the scale-out network, which bounds them."""
    domain = hw.scale_up_domain
    if domain is None or d.gpus_per_replica <= domain:
        return []
    nodes = -(-d.gpus_per_replica // domain)
    out = hw.scale_out_gb_per_s
    return [Note("spans_nodes", (
        f"{d.gpus_per_replica} x {hw.id} as {d.label()} span {nodes} scale-up domains of "
        f"{domain}: collectives across them use the scale-out network "
        f"({f'{out:g} GB/s per device' if out else 'bandwidth not published'}), not "
        f"{hw.interconnect or 'the scale-up link'}"))]


def memory_point(mem: MemoryPlan, *, weights_total: float, kv_bytes_per_token: float,
                 concurrency: int, fits: bool, min_gpus: int | None,
                 max_concurrency: int) -> MemoryPoint:
    """The memory plan evaluated at the point's concurrency (negative counts as 0)."""
    c = max(concurrency, 0)
    return MemoryPoint(
        capacity_bytes=mem.capacity_bytes, usable_bytes=mem.usable_bytes,
        weights_bytes=weights_total, weights_bytes_per_gpu=mem.weights_bytes,
        kv_bytes_per_token=kv_bytes_per_token, kv_bytes_per_gpu=mem.kv_bytes(c),
        activations_bytes_per_gpu=mem.activations_bytes,
        overhead_bytes_per_gpu=mem.overhead_bytes, total_bytes_per_gpu=mem.total_bytes(c),
        fits=fits, min_gpus=min_gpus, max_concurrency=max_concurrency)


def hardware_checks(hw: HardwareRecord, scheme: Scheme,
                    d: Deployment) -> tuple[str, bool, tuple[Note, ...], tuple[Note, ...]]:
    """(compute dtype, weight-only fallback, missing-figure notes, every note) for a layout:
    the scheme's native compute or its fallback, the figures the timing needs, and whether the
    replica spans scale-up domains."""
    dtype, fallback = compute_dtype_for(scheme, hw)
    notes = []
    if fallback:
        notes.append(Note("no_native_compute", (
            f"{hw.id} has no native {scheme.compute_dtype} units: {scheme.id} runs weight-only, "
            f"dequantised to {dtype} (no compute speed-up)")))
    missing = missing_figures(hw, dtype=dtype, tp=d.tp, deployment=d)
    return dtype, fallback, tuple(missing), (*notes, *missing, *layout_notes(hw, d))
