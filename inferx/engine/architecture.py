"""Parameter counts, KV-cache sizes and FLOPs of a transformer decoder, from its config.

Pure functions of a ModelProfile.  Formulas: docs/methodology.md#parameters and #kv-cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.profiles import ModelProfile


@dataclass(frozen=True)
class ParamCounts:
    """Parameter counts split by how they are stored and used.

    quantizable:  linear weights inside the transformer blocks (attention, MLP, experts):
                  the weights a quantization scheme compresses.
    embeddings:   input embedding + output head (lm_head, if untied); kept 16-bit by
                  weight-only schemes (AWQ/GPTQ leave lm_head unquantized).
    other:        norms and MoE routers (tiny, kept 16-bit).
    expert:       parameters of ONE routed expert in ONE MoE layer (0 for dense models).
    moe_layers:   number of layers whose MLP is a routed MoE.
    active:       parameters touched per token (routed experts counted experts_per_token times).
    """

    quantizable: float
    embeddings: float
    other: float
    expert: float
    moe_layers: int
    active: float
    lm_head: float

    @property
    def total(self) -> float:
        return self.quantizable + self.embeddings + self.other


def attention_params_per_layer(m: ModelProfile) -> float:
    """Attention projection weights per layer.

    GQA/MHA: q and o are hidden × (heads·head_dim); k and v are hidden × (kv_heads·head_dim).
    MLA: q_a (hidden × q_lora_rank) + q_b (q_lora_rank × heads·(nope+rope)), kv_a
    (hidden × (kv_lora_rank + rope)), kv_b (kv_lora_rank × heads·(nope + v)), o (heads·v × hidden).
    """
    h, heads = m.hidden_size or 0, m.num_attention_heads or 0
    if m.attention == "mla":
        nope, rope, v = m.qk_nope_head_dim or 0, m.qk_rope_head_dim or 0, m.v_head_dim or 0
        kv_lora = m.kv_lora_rank or 0
        qk = heads * (nope + rope)
        q = h * m.q_lora_rank + m.q_lora_rank * qk if m.q_lora_rank else h * qk
        kv = h * (kv_lora + rope) + kv_lora * heads * (nope + v)
        return q + kv + heads * v * h
    hd = m.head_dim_effective
    return 2 * h * heads * hd + 2 * h * m.kv_heads * hd


def mlp_params(hidden: int, intermediate: int, gated: bool) -> float:
    """One MLP: gated (SwiGLU/GeGLU: gate, up, down) = 3·h·i; plain (up, down) = 2·h·i."""
    return (3 if gated else 2) * hidden * intermediate


def param_counts(m: ModelProfile) -> ParamCounts:
    """Split parameter counts for a decoder (see ParamCounts).  Biases are not counted."""
    h, layers = m.hidden_size or 0, m.num_layers or 0
    gated = m.mlp == "gated"
    attn = attention_params_per_layer(m) * layers
    if m.is_moe:
        moe_layers = layers - m.first_dense_layers
        expert = mlp_params(h, m.moe_intermediate_size or 0, gated)
        routed = moe_layers * m.num_experts * expert
        shared = moe_layers * m.num_shared_experts * expert
        dense = m.first_dense_layers * mlp_params(h, m.intermediate_size or 0, gated)
        router = moe_layers * h * m.num_experts
        quantizable = attn + routed + shared + dense
        active_mlp = moe_layers * (m.experts_per_token + m.num_shared_experts) * expert + dense
    else:
        moe_layers, expert, router = 0, 0.0, 0.0
        quantizable = attn + layers * mlp_params(h, m.intermediate_size or 0, gated)
        active_mlp = quantizable - attn
    embed = (m.vocab_size or 0) * h
    lm_head = 0.0 if m.tie_word_embeddings else embed
    norms = (2 * layers + 1) * h
    other = norms + router
    active = attn + active_mlp + embed + lm_head + other
    return ParamCounts(
        quantizable=quantizable,
        embeddings=embed + lm_head,
        other=other,
        expert=expert,
        moe_layers=moe_layers,
        active=active,
        lm_head=embed if m.tie_word_embeddings else lm_head,
    )


def kv_elements_per_token_per_layer(m: ModelProfile) -> float:
    """Values cached per token per layer: 2·kv_heads·head_dim (K and V), or, with MLA,
    kv_lora_rank + qk_rope_head_dim (the compressed latent plus the shared RoPE key)."""
    if m.attention == "mla":
        return float((m.kv_lora_rank or 0) + (m.qk_rope_head_dim or 0))
    return float(2 * m.kv_heads * m.head_dim_effective)


def kv_cache_bytes_per_token(m: ModelProfile, *, kv_bytes_per_element: float) -> float:
    """KV-cache bytes per token with every layer holding the token:
    layers · kv_elements_per_token_per_layer · bytes per element."""
    return (m.num_layers or 0) * kv_elements_per_token_per_layer(m) * kv_bytes_per_element


def _layer_split(m: ModelProfile) -> tuple[int, int]:
    """(full-attention layers, sliding-window layers)."""
    layers = m.num_layers or 0
    local = (m.sliding_window_layers or 0) if m.sliding_window_tokens else 0
    return layers - local, local


def kv_cache_bytes_for_context(
    m: ModelProfile, *, context_tokens: float, kv_bytes_per_element: float
) -> float:
    """KV bytes one sequence of context_tokens holds: sliding-window layers keep at most
    sliding_window_tokens tokens, full-attention layers keep all of them."""
    full, local = _layer_split(m)
    per_layer = kv_elements_per_token_per_layer(m) * kv_bytes_per_element
    window = min(context_tokens, m.sliding_window_tokens or context_tokens)
    return per_layer * (full * context_tokens + local * window)


def attention_flops_per_token(m: ModelProfile, *, context_tokens: float) -> float:
    """Score and value FLOPs for one new token attending to context_tokens earlier tokens:
    per layer 2·heads·d_qk·L (QKᵀ) + 2·heads·d_v·L (A·V), with L capped at the window on
    sliding-window layers."""
    heads = m.num_attention_heads or 0
    if m.attention == "mla":
        d_qk = (m.qk_nope_head_dim or 0) + (m.qk_rope_head_dim or 0)
        d_v = m.v_head_dim or 0
    else:
        d_qk = d_v = m.head_dim_effective
    full, local = _layer_split(m)
    window = min(context_tokens, m.sliding_window_tokens or context_tokens)
    per_position = 2 * heads * (d_qk + d_v)
    return per_position * (full * context_tokens + local * window)


def prefill_attention_flops(m: ModelProfile, *, prompt_tokens: float) -> float:
    """Causal attention FLOPs to prefill a prompt of T tokens: Σ_t attention_flops(t) ≈
    per_position·(full·T²/2 + local·Σ min(t, W))."""
    heads = m.num_attention_heads or 0
    if m.attention == "mla":
        d = (m.qk_nope_head_dim or 0) + (m.qk_rope_head_dim or 0) + (m.v_head_dim or 0)
    else:
        d = 2 * m.head_dim_effective
    per_position = 2 * heads * d
    full, local = _layer_split(m)
    t = prompt_tokens
    w = m.sliding_window_tokens or t
    local_sum = t * t / 2 if t <= w else w * w / 2 + (t - w) * w
    return per_position * (full * t * t / 2 + local * local_sum)
