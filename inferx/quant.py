"""Precision schemes: how weights are stored and in which dtype the matmuls run.

Storage (bytes per weight, scale overhead included) is kept apart from the compute dtype.
A scheme's compute dtype is used only where the hardware runs it natively; otherwise the
scheme falls back to weight-only behaviour (dequantise to 16-bit, compute in 16-bit).
Formulas and sources: docs/methodology.md#quantization.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    """One precision scheme.

    bits_per_weight: storage bits per quantised weight, group scales and zero points included.
    compute_dtype:   dtype the tensor cores run when the hardware supports it natively.
    weight_only:     True when activations stay 16-bit (W4A16, W8A16): the speed-up is in bytes
                     moved only, never in FLOPs.
    """

    id: str
    name: str
    bits_per_weight: float
    compute_dtype: str
    weight_only: bool
    description: str
    aliases: tuple[str, ...] = ()

    @property
    def bytes_per_weight(self) -> float:
        return self.bits_per_weight / 8.0


# Group-wise int4 (AWQ/GPTQ, group size 128): 4 bits + one fp16 scale and one fp16 zero per
# 128 weights = 4 + 32/128 = 4.25 bits.  NVFP4: 4 bits + one fp8 scale per 16 = 4.5 bits.
# MXFP4: 4 bits + one 8-bit shared exponent per 32 = 4.25 bits.  Per-channel int8/fp8 scales
# add 16 bits per output row (~0.004 bits per weight at hidden 4096): counted as 8.0 bits.
SCHEMES: dict[str, Scheme] = {
    s.id: s
    for s in (
        Scheme("fp32", "FP32", 32.0, "fp32", False, "full precision", ("float32",)),
        Scheme("bf16", "BF16", 16.0, "bf16", False, "16-bit baseline", ("bfloat16",)),
        Scheme("fp16", "FP16", 16.0, "fp16", False, "16-bit baseline", ("float16", "half")),
        Scheme("fp8", "FP8 W8A8", 8.0, "fp8", False, "fp8 weights and activations (E4M3)",
               ("w8a8-fp8", "fp8-w8a8")),
        Scheme("int8", "INT8 W8A8", 8.0, "int8", False,
               "int8 weights and activations (SmoothQuant style)", ("w8a8", "int8-w8a8")),
        Scheme("int8-wo", "INT8 weight-only", 8.0, "bf16", True,
               "int8 weights, 16-bit activations (W8A16)", ("w8a16", "int8-weight-only")),
        Scheme("int4-wo", "INT4 weight-only", 4.25, "bf16", True,
               "int4 group-128 weights (AWQ/GPTQ), 16-bit activations (W4A16)",
               ("int4", "w4a16", "awq", "gptq", "int4-weight-only")),
        Scheme("fp4", "NVFP4", 4.5, "fp4", False,
               "4-bit float weights and activations, fp8 scale per 16 (NVFP4)", ("nvfp4",)),
        Scheme("mxfp4", "MXFP4", 4.25, "fp4", False,
               "4-bit float, 8-bit shared exponent per 32 (OCP MX)", ()),
    )
}

# KV-cache element sizes in bytes.  int4/fp4 KV caches carry a scale per group of 32 (approx.).
KV_BYTES: dict[str, float] = {
    "fp32": 4.0,
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "int4": 0.5 + 2.0 / 32,
}

# 16-bit dtypes share one tensor-core rate on every profile we ship.
SIXTEEN_BIT = ("bf16", "fp16")


def resolve_scheme(name: str) -> Scheme:
    """Scheme by id or alias (case-insensitive); raises KeyError listing the valid ids."""
    key = name.strip().lower()
    if key in SCHEMES:
        return SCHEMES[key]
    for scheme in SCHEMES.values():
        if key in scheme.aliases:
            return scheme
    raise KeyError(key)


def kv_bytes_per_element(name: str) -> float:
    """KV-cache bytes per stored element for a KV precision id; raises KeyError."""
    return KV_BYTES[name.strip().lower()]


def default_kv_precision(scheme: Scheme) -> str:
    """KV dtype a runtime uses when none is given: fp8 for fp8/fp4 engines, else 16-bit.

    TensorRT-LLM's fp8 quantization sets the KV cache to fp8 (shared/benchmarks README);
    AWQ/GPTQ and int8 deployments keep a 16-bit KV cache unless asked.
    """
    if scheme.compute_dtype in ("fp8", "fp4"):
        return "fp8"
    return "fp16" if scheme.id == "fp16" else "bf16"
