"""Hardware profiles: one accelerator (or CPU socket / SoC) as its datasheet describes it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from inferx.profile_base import (
    ComputeDtype,
    Number,
    PositiveFloat,
    PositiveInt,
    PurchasePrice,
    _Profile,
)
from inferx.profile_record_hardware import UNPUBLISHABLE, HardwareMethods, HardwareRecord


class HardwareProfile(HardwareMethods, _Profile):
    """One accelerator (or CPU socket / SoC) as the datasheet describes it.

    peak_tflops holds DENSE peaks (never the 2:4-sparse figure) per compute dtype; a dtype is
    native iff it is listed.  memory_gb is in 10^9 bytes; bandwidths in GB/s (10^9 B/s).
    interconnect_gb_per_s is the per-device scale-up bandwidth as a BIDIRECTIONAL total (both
    directions summed, as NVIDIA quotes NVLink); the engine halves it.  Convert one-way figures.
    """

    record_class = HardwareRecord
    kind: Literal["hardware"] = "hardware"
    vendor: Annotated[str, Field(min_length=1)]
    device_type: Literal["gpu", "tpu", "npu", "cpu", "soc"] = "gpu"
    memory_gb: PositiveFloat
    # What the driver reports as total device memory (nvidia-smi "MiB"), when a source gives it:
    # vendors' "80GB" HBM parts report ~80 GiB.  The engine budgets memory from this when set.
    device_memory_mib: PositiveFloat | None = None
    device_memory_source: str | None = None
    memory_bandwidth_gb_per_s: PositiveFloat
    peak_tflops: dict[ComputeDtype, PositiveFloat] = Field(default_factory=dict)
    # The vendor's MEASURED max-achievable dense matmul rate per compute dtype (a tuned GEMM at
    # the clock the part holds under that load), where the vendor publishes one: the engine's
    # compute ceiling for that dtype instead of the datasheet peak (compute_tflops_for).
    max_achievable_tflops: dict[ComputeDtype, PositiveFloat] = Field(default_factory=dict)
    tdp_w: PositiveFloat | None = None
    interconnect: str | None = None
    interconnect_gb_per_s: PositiveFloat | None = None
    # Topology: how many devices share one scale-up domain (NVLink / xGMI / ICI / NeuronLink:
    # 8 for an HGX board, 72 for GB200 NVL72), and the per-device scale-out (inter-node network)
    # bandwidth, a BIDIRECTIONAL total like interconnect_gb_per_s (one 400 Gb/s NIC per GPU =
    # 50 GB/s each way = 100).  Both describe the system the device ships in; cite it.
    scale_up_domain: PositiveInt | None = None
    scale_out_gb_per_s: PositiveFloat | None = None
    # Figures the vendor does not publish, by field name ("peak_tflops", "peak_tflops.fp8",
    # "tdp_w", "interconnect_gb_per_s", ...): declared so, the engine leaves what depends on
    # them unestimated (null plus a warning naming the field) instead of guessing.
    unpublished: list[str] = Field(default_factory=list)
    launch_year: Annotated[int, Number, Field(ge=1990, le=2100)] | None = None
    purchase: PurchasePrice | None = None
    # The host CPU the device ships with, where it changes the serving loop's host time:
    # "grace" (NVIDIA Grace, Arm Neoverse V2: GH200, GB200, GB300) scales the per-step and
    # per-sequence overheads by the grace_host_factor assumption; None or "x86-64": the x86
    # host of an HGX/DGX board, which the overheads are fitted on.
    host_cpu: Literal["x86-64", "grace"] | None = None
    # How the scale-up domain's devices are linked: "switch" (NVSwitch: any group of devices
    # gets each device's whole interconnect_gb_per_s) or "mesh" (direct links, one bundle to
    # each other device of the domain: Gaudi's RoCE ports, AMD Instinct's xGMI), where a
    # collective over g devices uses (g − 1) / (scale_up_domain − 1) of it
    # (engine/deployment.py::link_for).  None: "switch".
    scale_up_topology: Literal["switch", "mesh"] | None = None
    # Streaming multiprocessors enabled on the shipping part and their maximum boost clock
    # (for Hopper the non-tensor figure NVIDIA quotes beside the tensor one): with the
    # sm_bytes_per_cycle assumption they cap the memory traffic a memory-bound phase sustains
    # (engine/roofline.py::achieved_bandwidth).  Absent: no such cap is applied.
    sm_count: Annotated[int, Number, Field(gt=0, le=10_000)] | None = None
    boost_clock_mhz: Annotated[float, Number, Field(gt=0, le=10_000)] | None = None

    @model_validator(mode="after")
    def _sane(self) -> HardwareProfile:
        if self.memory_gb > 100_000:
            raise ValueError("memory_gb: absurdly large (over 100,000 GB)")
        if (self.device_memory_mib is None) != (self.device_memory_source is None):
            raise ValueError("device_memory_source: device_memory_mib and its source go together")
        if self.scale_up_topology == "mesh" and not (self.scale_up_domain or 0) > 1:
            raise ValueError("scale_up_topology: a mesh needs scale_up_domain (its devices)")
        if (self.sm_count is None) != (self.boost_clock_mhz is None):
            raise ValueError("boost_clock_mhz: sm_count and boost_clock_mhz go together")
        if self.memory_bandwidth_gb_per_s > 1_000_000:
            raise ValueError("memory_bandwidth_gb_per_s: absurdly large (over 1 PB/s)")
        for dtype, maf in self.max_achievable_tflops.items():
            peak = self.peak_tflops.get(dtype)
            if peak is None or maf > peak:
                raise ValueError(f"max_achievable_tflops.{dtype}: expected at most the dense peak "
                                 f"of the same dtype (peak_tflops.{dtype} = {peak})")
        for name in self.unpublished:
            base, _, dtype = name.partition(".")
            if base not in UNPUBLISHABLE or (dtype and base != "peak_tflops"):
                raise ValueError(f"unpublished: {name!r} is not a figure that can be declared "
                                 f"unpublished; expected one of {', '.join(UNPUBLISHABLE)} "
                                 "(or peak_tflops.<dtype>)")
            value = getattr(self, base)
            if (dtype and dtype in self.peak_tflops) or (not dtype and value not in (None, {})):
                raise ValueError(f"unpublished: {name!r} is declared unpublished but is given")
        return self
