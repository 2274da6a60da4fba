"""GGUF, MLX and group-size precisions (inferx/quant.py): bits per weight from the ggml block
layouts and llama.cpp's quantize table, and the issue-12 acceptance: an 8B model at q4_k_m has
weight bytes within 2% of a published GGUF file size."""

from __future__ import annotations

import pytest

from inferx.engine.architecture import param_counts
from inferx.engine.memory import weight_bytes
from inferx.quant import GGML_BLOCKS, SCHEMES, resolve_scheme
from inferx.registry import Registry, builtin_dir


@pytest.mark.parametrize(("ggml_type", "bpw"), [
    # the bpw ggml-common.h states in each block's comment
    ("q2_k", 2.625), ("q3_k", 3.4375), ("q4_k", 4.5), ("q5_k", 5.5), ("q6_k", 6.5625),
    ("iq2_xxs", 2.0625), ("iq2_xs", 2.3125), ("iq2_s", 2.5625), ("iq3_xxs", 3.0625),
    ("iq3_s", 3.4375), ("iq1_s", 1.5625), ("iq1_m", 1.75), ("q4_0", 4.5), ("q8_0", 8.5),
])
def test_ggml_block_layouts_give_the_stated_bits_per_weight(ggml_type: str, bpw: float) -> None:
    weights, nbytes = GGML_BLOCKS[ggml_type]
    assert 8 * nbytes / weights == bpw


def test_gguf_mix_bpw_sits_at_or_above_its_base_block() -> None:
    """A k-quant mix keeps some tensors at higher types: never below the base block."""
    for mix, base in [("q4_k_s", "q4_k"), ("q4_k_m", "q4_k"), ("q5_k_m", "q5_k"),
                      ("q6_k", "q6_k"), ("q8_0", "q8_0"), ("q4_0", "q4_0")]:
        weights, nbytes = GGML_BLOCKS[base]
        assert SCHEMES[mix].bits_per_weight >= 8 * nbytes / weights


def test_gguf_schemes_are_weight_only_16_bit_compute_with_a_source() -> None:
    for sid in ("q2_k", "q3_k_m", "q4_k_m", "q5_k_s", "q6_k", "q8_0", "iq2_xxs", "iq4_xs",
                "iq4_nl", "q4_0", "q4_1", "q5_0", "q5_1", "q3_k_s", "q3_k_l", "q4_k_s"):
        s = SCHEMES[sid]
        assert s.weight_only and s.compute_dtype == "bf16" and s.quantizes_embeddings
        assert "llama.cpp" in s.source
    assert resolve_scheme("Q4_K_M").id == "q4_k_m"


def test_mlx_and_group_sizes() -> None:
    assert SCHEMES["mlx-4bit"].bits_per_weight == 4.5  # 4 + 32/64
    assert SCHEMES["mlx-8bit"].bits_per_weight == 8.5
    assert SCHEMES["int4-g128"].bits_per_weight == 4.25
    assert SCHEMES["int4-g32"].bits_per_weight == 5.0
    assert resolve_scheme("awq-g64").id == "int4-g64"


def test_8b_at_q4_k_m_matches_the_published_gguf_file_size() -> None:
    """Llama-3-8B-Instruct Q4_K_M GGUF: 4.92 GB, as listed by bartowski's GGUF READMEs for
    Llama-3-8B models (llama.cpp b2854; e.g. LLaMA3-iterative-DPO-final-Q4_K_M.gguf 4.92GB)
    and by sandlogic/SandLogic-Lexicons Models/Meta-Llama-3-8B-Instruct/Llama3.md
    (Q4_KM quantized size 4.92 GB).  Same architecture as llama-3.1-8b."""
    m = Registry.from_dirs(builtin_dir()).get("model", "llama-3.1-8b")
    got = weight_bytes(param_counts(m), SCHEMES["q4_k_m"])
    assert got == pytest.approx(4.92e9, rel=0.02)


# bartowski/LLaMA3-iterative-DPO-final-GGUF README (a Llama-3-8B fine-tune; llama.cpp b2854),
# stored copy found by exact-string search: file sizes in GB for the k-quant and legacy types.
BARTOWSKI_LLAMA3_8B_GB = {"q8_0": 8.54, "q6_k": 6.59, "q5_k_m": 5.73, "q5_k_s": 5.59,
                          "q4_k_m": 4.92, "q4_k_s": 4.69, "q3_k_l": 4.32, "q3_k_m": 4.01,
                          "q3_k_s": 3.66, "q2_k": 3.17}


@pytest.mark.parametrize(("scheme", "published_gb"), BARTOWSKI_LLAMA3_8B_GB.items())
def test_k_quant_weight_bytes_match_a_second_published_listing(scheme: str,
                                                               published_gb: float) -> None:
    """The bpw come from llama.cpp's own table; an independent listing of real files agrees
    within 2% (the i-quants are left out: imatrix files keep more tensors at larger types)."""
    m = Registry.from_dirs(builtin_dir()).get("model", "llama-3-8b")
    got = weight_bytes(param_counts(m), SCHEMES[scheme])
    assert got / 1e9 == pytest.approx(published_gb, rel=0.02)


def test_fewer_bits_never_more_bytes() -> None:
    m = Registry.from_dirs(builtin_dir()).get("model", "llama-3.1-8b")
    counts = param_counts(m)
    order = ["iq2_xxs", "q2_k", "q3_k_m", "q4_k_m", "q5_k_m", "q6_k", "q8_0"]
    sizes = [weight_bytes(counts, SCHEMES[s]) for s in order]
    assert sizes == sorted(sizes)


def test_kv_cache_defaults_to_fp8_for_fp8_and_nvfp4_engines_but_16_bit_for_mxfp4() -> None:
    """TensorRT-LLM's fp8/NVFP4 checkpoints quantize the KV cache to fp8; the MXFP4 release
    checkpoints (gpt-oss) carry no KV quantization, so a runtime's 'auto' KV dtype is the
    model's bf16 (docs/methodology.md#quantization)."""
    from inferx.quant import default_kv_precision, resolve_scheme

    assert default_kv_precision(resolve_scheme("fp8")) == "fp8"
    assert default_kv_precision(resolve_scheme("fp4")) == "fp8"
    assert default_kv_precision(resolve_scheme("mxfp4")) == "bf16"
    assert default_kv_precision(resolve_scheme("int4-wo")) == "bf16"
