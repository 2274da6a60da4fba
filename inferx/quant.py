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
    # True when the scheme also stores the embeddings and output head at bits_per_weight
    # (GGUF files quantize token_embd and output; bits_per_weight is then the whole-file mix)
    quantizes_embeddings: bool = False
    source: str = ""
    # Where the hardware multiplies this 4-bit format natively, the dtype engines keep the
    # activations in (the matmuls then run at that dtype's rate); "" = compute_dtype.  MXFP4
    # (gpt-oss): MXFP8 activations on Blackwell (TensorRT-LLM's deployment guide for GPT-OSS,
    # "MoE Backend Support Matrix": B200/GB200/B300/GB300 activation MXFP8, weights MXFP4;
    # H200: BF16 activations, i.e. the 16-bit fallback below).
    native_activation_dtype: str = ""

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
               "4-bit float, 8-bit shared exponent per 32 (OCP MX)", (),
               native_activation_dtype="fp8"),
    )
}

# --- GGUF (llama.cpp, Ollama, LM Studio) -----------------------------------------------------
# ggml block layouts, ggml/src/ggml-common.h (static_asserts), stored copy of ggml-org/llama.cpp
# @aca2e6ce: (weights per block, bytes per block).  bits per weight = 8 · bytes / weights.
GGML_BLOCKS: dict[str, tuple[int, int]] = {
    "f32": (1, 4), "f16": (1, 2), "bf16": (1, 2),
    "q4_0": (32, 18), "q4_1": (32, 20), "q5_0": (32, 22), "q5_1": (32, 24),
    "q8_0": (32, 34), "q8_1": (32, 36),
    "q2_k": (256, 84), "q3_k": (256, 110), "q4_k": (256, 144), "q5_k": (256, 176),
    "q6_k": (256, 210), "q8_k": (256, 292),
    "iq2_xxs": (256, 66), "iq2_xs": (256, 74), "iq2_s": (256, 82), "iq3_xxs": (256, 98),
    "iq3_s": (256, 110), "iq1_s": (256, 50), "iq1_m": (256, 56), "iq4_nl": (32, 18),
    "iq4_xs": (256, 136), "tq1_0": (256, 54), "tq2_0": (256, 66), "mxfp4": (32, 17),
    "i8": (1, 1), "i16": (1, 2), "i32": (1, 4), "i64": (1, 8), "f64": (1, 8),
}
# ggml_type enum ids (ggml/include/ggml.h), as GGUF tensor infos store them.
GGML_TYPE_IDS: dict[int, str] = {
    0: "f32", 1: "f16", 2: "q4_0", 3: "q4_1", 6: "q5_0", 7: "q5_1", 8: "q8_0", 9: "q8_1",
    10: "q2_k", 11: "q3_k", 12: "q4_k", 13: "q5_k", 14: "q6_k", 15: "q8_k", 16: "iq2_xxs",
    17: "iq2_xs", 18: "iq3_xxs", 19: "iq1_s", 20: "iq4_nl", 21: "iq3_s", 22: "iq2_s",
    23: "iq4_xs", 24: "i8", 25: "i16", 26: "i32", 27: "i64", 28: "f64", 29: "iq1_m",
    30: "bf16", 34: "tq1_0", 35: "tq2_0", 39: "mxfp4",
}

LLAMA3_8B_PARAMS = 8.03e9  # the model llama.cpp's quantize table is measured on
_QUANTIZE_CPP = ("llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS @42ea59bc "
                 "(file size of Llama-3-8B in GiB; bpw = GiB·2^30·8 / 8.03e9)")
_BPW_STATED = "llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS @42ea59bc (stated bpw)"


def _file_bpw(gib: float) -> float:
    """Whole-file bits per weight of a Llama-3-8B GGUF of `gib` GiB (quantize.cpp table)."""
    return round(gib * 2**30 * 8 / LLAMA3_8B_PARAMS, 3)


# GGUF file types: (id, whole-file GiB at Llama-3-8B or None, stated bpw or None, description).
# The mixes (_s/_m/_l) keep some tensors (attn_v, ffn_down, output) at higher types, so their
# whole-file bpw exceeds the base block's; llama.cpp reports them as Llama-3-8B file sizes.
_GGUF: tuple[tuple[str, float | None, float | None, str], ...] = (
    ("q2_k", 2.96, None, "2-bit k-quant mix"),
    ("q3_k_s", 3.41, None, "3-bit k-quant, small mix"),
    ("q3_k_m", 3.74, None, "3-bit k-quant, medium mix"),
    ("q3_k_l", 4.03, None, "3-bit k-quant, large mix"),
    ("q4_0", 4.34, None, "legacy 4-bit, block 32"),
    ("q4_1", 4.78, None, "legacy 4-bit with min, block 32"),
    ("q4_k_s", 4.37, None, "4-bit k-quant, small mix"),
    ("q4_k_m", 4.58, None, "4-bit k-quant, medium mix (llama.cpp's default)"),
    ("q5_0", 5.21, None, "legacy 5-bit, block 32"),
    ("q5_1", 5.65, None, "legacy 5-bit with min, block 32"),
    ("q5_k_s", 5.21, None, "5-bit k-quant, small mix"),
    ("q5_k_m", 5.33, None, "5-bit k-quant, medium mix"),
    ("q6_k", 6.14, None, "6-bit k-quant"),
    ("q8_0", 7.96, None, "8-bit, block 32"),
    ("iq1_s", None, 1.56, "1.56 bpw i-quant"),
    ("iq1_m", None, 1.75, "1.75 bpw i-quant"),
    ("iq2_xxs", None, 2.06, "2.06 bpw i-quant"),
    ("iq2_xs", None, 2.31, "2.31 bpw i-quant"),
    ("iq2_s", None, 2.5, "2.5 bpw i-quant"),
    ("iq2_m", None, 2.7, "2.7 bpw i-quant"),
    ("iq3_xxs", None, 3.06, "3.06 bpw i-quant"),
    ("iq3_xs", None, 3.3, "3.3 bpw i-quant"),
    ("iq3_s", None, 3.44, "3.44 bpw i-quant"),
    ("iq3_m", None, 3.66, "3.66 bpw i-quant mix"),
    ("iq4_xs", None, 4.25, "4.25 bpw non-linear i-quant"),
    ("iq4_nl", None, 4.5, "4.50 bpw non-linear i-quant, block 32"),
)


def _gguf_schemes() -> list[Scheme]:
    out = []
    for gid, gib, bpw, desc in _GGUF:
        bits = _file_bpw(gib) if gib is not None else bpw
        assert bits is not None
        out.append(Scheme(gid, f"GGUF {gid.upper()}", bits, "bf16", True,
                          f"GGUF {desc}; weight-only, computed in 16-bit", (f"gguf-{gid}",),
                          quantizes_embeddings=True,
                          source=_QUANTIZE_CPP if gib is not None else _BPW_STATED))
    return out


# Group-wise affine weight-only schemes: b bits + one 16-bit scale and one 16-bit zero/bias per
# group of g weights = b + 32/g bits.  MLX (mlx-lm convert --q-bits, default group size 64):
# 4-bit 4.5, 8-bit 8.5; AWQ/GPTQ group sizes 32, 64 and 128.
def _group_scheme(sid: str, name: str, bits: int, group: int, desc: str,
                  aliases: tuple[str, ...] = ()) -> Scheme:
    return Scheme(sid, name, bits + 32 / group, "bf16", True,
                  f"{desc}: {bits}-bit weights, 16-bit scale and zero per {group}, "
                  "16-bit activations", aliases,
                  source=f"{bits} bits + 2 x 16 bits per group of {group}")


GROUP_SCHEMES = (
    _group_scheme("mlx-4bit", "MLX 4-bit", 4, 64, "MLX affine (group 64)", ("mlx-q4", "mlx4")),
    _group_scheme("mlx-8bit", "MLX 8-bit", 8, 64, "MLX affine (group 64)", ("mlx-q8", "mlx8")),
    _group_scheme("int4-g32", "INT4 g32", 4, 32, "AWQ/GPTQ group 32", ("awq-g32", "gptq-g32")),
    _group_scheme("int4-g64", "INT4 g64", 4, 64, "AWQ/GPTQ group 64", ("awq-g64", "gptq-g64")),
    _group_scheme("int4-g128", "INT4 g128", 4, 128, "AWQ/GPTQ group 128",
                  ("awq-g128", "gptq-g128")),
    _group_scheme("int8-g128", "INT8 g128", 8, 128, "GPTQ 8-bit group 128", ("gptq-8bit",)),
)
SCHEMES.update({s.id: s for s in (*_gguf_schemes(), *GROUP_SCHEMES)})


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
    """KV dtype a runtime uses when none is given: fp8 for fp8/NVFP4 engines, else 16-bit.

    TensorRT-LLM's fp8 quantization sets the KV cache to fp8 (shared/benchmarks README);
    AWQ/GPTQ and int8 deployments keep a 16-bit KV cache unless asked.  MXFP4 is the format
    of the gpt-oss release checkpoints, whose quantization_config quantizes the MoE weights
    only ({"quant_method": "mxfp4", "modules_to_not_convert": [self_attn, router, embed,
    lm_head]}, huggingface.co/openai/gpt-oss-120b config.json): with no KV quantization, a
    runtime's "auto" KV dtype (vLLM --kv-cache-dtype auto, TensorRT-LLM kv_cache_config
    dtype auto) is the model dtype, bf16.
    """
    if scheme.id == "mxfp4":
        return "bf16"
    if scheme.compute_dtype in ("fp8", "fp4"):
        return "fp8"
    return "fp16" if scheme.id == "fp16" else "bf16"
