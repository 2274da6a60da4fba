"""The hardware profile record (one accelerator, CPU socket or SoC) and the methods its
pydantic model (profile_hardware.py) shares."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from inferx.profile_record_base import JsonRecord, ProfileRecord, PurchasePriceRecord
from inferx.record import record

UNPUBLISHABLE = ("peak_tflops", "tdp_w", "interconnect_gb_per_s", "scale_up_domain",
                 "scale_out_gb_per_s", "device_memory_mib")


class HardwareMethods:
    """What the engine asks of a hardware profile, record or model."""

    if TYPE_CHECKING:  # not at run time: pydantic would take them for fields
        unpublished: list[str]
        device_memory_mib: float | None
        memory_gb: float
        peak_tflops: dict[str, float]
        max_achievable_tflops: dict[str, float]

    def is_unpublished(self, name: str) -> bool:
        """True where the profile declares `name` (or its parent field) unpublished."""
        return name in self.unpublished or name.partition(".")[0] in self.unpublished

    @property
    def capacity_bytes(self) -> float:
        """Device memory in bytes: the driver-reported MiB total when known, else memory_gb."""
        if self.device_memory_mib is not None:
            return self.device_memory_mib * 2**20
        return self.memory_gb * 1e9

    def peak_tflops_for(self, dtype: str) -> float | None:
        """Dense peak TFLOPS for a compute dtype: only a listed dtype has one.

        bf16 and fp16 do not stand in for each other: V100 and T4 have fp16 tensor cores but
        no bf16 ones.  Running a 16-bit dtype the part lacks in the other 16-bit dtype is the
        engine's choice (engine/estimate.py compute_dtype_for), made visibly.
        """
        return self.peak_tflops.get(dtype)

    def compute_tflops_for(self, dtype: str) -> float | None:
        """The compute ceiling the engine times matmuls against: the vendor's measured
        max-achievable rate for the dtype where published (max_achievable_tflops), else the
        dense datasheet peak (docs/methodology.md#latency)."""
        maf = self.max_achievable_tflops.get(dtype)
        return maf if maf is not None else self.peak_tflops.get(dtype)

    def runs_natively(self, dtype: str) -> bool:
        return self.peak_tflops_for(dtype) is not None


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class HardwareRecord(HardwareMethods, ProfileRecord):
    """One accelerator as its datasheet describes it; fields as in profile_hardware.py
    (HardwareProfile documents each: memory_gb in 10^9 bytes, bandwidths in GB/s, dense peak
    TFLOPS per compute dtype, interconnect as a bidirectional total)."""

    kind: str = "hardware"
    vendor: str
    device_type: str = "gpu"
    memory_gb: float
    device_memory_mib: float | None = None
    device_memory_source: str | None = None
    memory_bandwidth_gb_per_s: float
    peak_tflops: dict[str, float] = field(default_factory=dict)
    max_achievable_tflops: dict[str, float] = field(default_factory=dict)
    tdp_w: float | None = None
    interconnect: str | None = None
    interconnect_gb_per_s: float | None = None
    scale_up_domain: int | None = None
    scale_out_gb_per_s: float | None = None
    unpublished: list[str] = field(default_factory=list)
    launch_year: int | None = None
    purchase: PurchasePriceRecord | None = None
    host_cpu: str | None = None
    scale_up_topology: str | None = None
    sm_count: int | None = None
    boost_clock_mhz: float | None = None

    @classmethod
    def nested(cls) -> dict[str, type[JsonRecord]]:
        return {"purchase": PurchasePriceRecord}
