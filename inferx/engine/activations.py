"""Activation bytes the non-matmul kernels of a decoder layer move per token (pure).

The roofline of a pass (engine/roofline.py) times the weight matmuls and the attention
kernels.  Between them a serving runtime runs memory-bound elementwise kernels over the
activations: the residual add + RMSNorm before attention and before the MLP, RoPE and the
KV-cache write, the gated activation (SiLU(gate)·up), and, in an MoE layer, the permutation
of each token's hidden state to its k experts and the weighted combine back.  Their time does
not shrink with a faster matmul dtype (fp8, fp4), so it is a larger share of a pass the faster
the tensor cores are and the smaller the matmuls per token (fine-grained MoE).

Elements each kernel reads plus writes per token per layer, counting the fusions every current
runtime ships (residual add fused with the norm; RoPE fused with the KV-cache write; SiLU·up
one kernel) and nothing else (docs/methodology.md#latency):

    residual add + RMSNorm, twice        2 · (read 2h + write 2h)            = 8·h    (replicated)
    RoPE + KV-cache write                read q + kv, write q                = 2·q + kv
    gated activation                     read 2·I, write I                   = 3·I    (plain: 2·I)
    MoE permute + combine                read h, write k·h; read k·h, write h = 2·h + 2·k·h

with h the hidden size, q = heads·head_dim (query), kv the values cached per token per layer
(architecture.kv_elements_per_token_per_layer), I the MLP width a token goes through (dense
intermediate, or (k + shared)·moe_intermediate in an MoE layer).  The residual stream (8·h) is
replicated on every tensor-parallel rank; the rest is split over tp.  Activations are 16-bit:

    bytes per token = 2 · Σ_layers (8·h + (2·q + kv + mlp + moe) / tp)
"""

from __future__ import annotations

from inferx.engine.architecture import ParamCounts, kv_elements_per_token_per_layer
from inferx.engine.memory import SIXTEEN_BIT_BYTES
from inferx.profiles import ModelRecord

RESIDUAL_NORM_ELEMENTS_PER_HIDDEN = 8  # two fused residual-add + RMSNorm: (2 read + 2 write)·h


def activation_elements(m: ModelRecord, counts: ParamCounts) -> tuple[float, float]:
    """(replicated, sharded) elements the elementwise kernels of every layer read and write
    for one token: Σ_layers 8·h, on every tensor-parallel rank, and Σ_layers (2·q + kv + mlp +
    moe), split over tp (module docstring).  (0, 0) for an encoder-decoder (its passes are
    timed without this term)."""
    if m.architecture != "decoder":
        return 0, 0.0
    h, layers = m.hidden_size or 0, m.num_layers or 0
    head = ((m.qk_nope_head_dim or 0) + (m.qk_rope_head_dim or 0) if m.attention == "mla"
            else m.head_dim_effective or 0)
    q = (m.num_attention_heads or 0) * head
    attention = 2 * q + kv_elements_per_token_per_layer(m)
    per_width = 3 if m.mlp == "gated" else 2
    moe_layers = counts.moe_layers if m.is_moe else 0
    dense_mlp = per_width * (m.intermediate_size or 0)
    routed = (m.experts_per_token or 0) + m.num_shared_experts
    moe_mlp = (per_width * routed * (m.moe_intermediate_size or 0)
               + 2 * h + 2 * (m.experts_per_token or 0) * h)
    sharded = layers * attention + (layers - moe_layers) * dense_mlp + moe_layers * moe_mlp
    return layers * RESIDUAL_NORM_ELEMENTS_PER_HIDDEN * h, sharded


def bytes_per_token(elements: tuple[float, float], tp: int) -> float:
    """activation_bytes_per_token from activation_elements' pair:
    2 · (replicated + sharded / tp)."""
    replicated, sharded = elements
    return SIXTEEN_BIT_BYTES * (replicated + sharded / max(tp, 1))


def activation_bytes_per_token(m: ModelRecord, counts: ParamCounts, *, tp: int = 1) -> float:
    """Bytes the elementwise kernels of every layer read and write for one token on one
    tensor-parallel rank (module docstring).  0 for an encoder-decoder (its passes are timed
    without this term)."""
    return bytes_per_token(activation_elements(m, counts), tp)
