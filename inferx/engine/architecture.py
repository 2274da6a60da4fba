"""Parameter counts, KV-cache sizes and FLOPs of a transformer decoder, from its config.

Pure functions of a ModelRecord.  Formulas: docs/methodology.md#parameters and #kv-cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.hybrid import (
    linear_attention_flops_per_token,
    linear_attention_params_per_layer,
    state_bytes_per_sequence,
)
from inferx.engine.memo import per_record
from inferx.profiles import ModelRecord


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


def attention_params_per_layer(m: ModelRecord) -> float:
    """Attention projection weights per layer.

    GQA/MHA: q and o are hidden × (heads·head_dim); k and v are hidden × (kv_heads·head_dim).
    MLA: q_a (hidden × q_lora_rank) + q_b (q_lora_rank × heads·(nope+rope)), kv_a
    (hidden × (kv_lora_rank + rope)), kv_b (kv_lora_rank × heads·(nope + v)), o (heads·v × hidden).
    Gated attention (attention_output_gate) doubles q: hidden × 2·heads·head_dim.
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
    q = h * heads * hd * (2 if m.attention_output_gate else 1)
    return q + h * heads * hd + 2 * h * m.kv_heads * hd


def mlp_params(hidden: int, intermediate: int, gated: bool) -> float:
    """One MLP: gated (SwiGLU/GeGLU: gate, up, down) = 3·h·i; plain (up, down) = 2·h·i."""
    return (3 if gated else 2) * hidden * intermediate


@per_record
def param_counts(m: ModelRecord) -> ParamCounts:
    """Split parameter counts for a decoder (see ParamCounts).  Biases are not counted.

    Layers: attention on the softmax-attention layers, Gated DeltaNet weights on the
    linear_attention_layers (engine/hybrid.py); MLP: routed experts (+ shared) on the
    moe_layer_count MoE layers, a dense MLP of intermediate_size on every other layer
    (DeepSeek's first_dense_layers, Llama 4 Maverick's interleave_moe_layer_step = 2).
    Encoder-decoders count both sides (engine/seq2seq.py); `active` is then what one generated
    token goes through (the decoder and the embeddings)."""
    if m.architecture == "encoder-decoder":
        return _seq2seq_counts(m)
    h, layers = m.hidden_size or 0, m.num_layers or 0
    gated = m.mlp == "gated"
    linear = m.linear_attention_layers
    attn = (attention_params_per_layer(m) * (layers - linear)
            + linear_attention_params_per_layer(m) * linear)
    if m.is_moe:
        moe_layers = m.moe_layer_count
        expert = mlp_params(h, m.moe_intermediate_size or 0, gated)
        routed = moe_layers * m.num_experts * expert
        shared = moe_layers * m.num_shared_experts * expert
        dense = (layers - moe_layers) * mlp_params(h, m.intermediate_size or 0, gated)
        router = float(moe_layers * h * m.num_experts)
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


def _seq2seq_counts(m: ModelRecord) -> ParamCounts:
    from inferx.engine.seq2seq import seq2seq_params  # encoder-decoders only: imported on use

    p = seq2seq_params(m)
    embed = (m.vocab_size or 0) * (m.hidden_size or 0)
    return ParamCounts(
        quantizable=p.encoder_linear + p.decoder_linear,
        embeddings=p.embeddings,
        other=p.other,
        expert=0.0,
        moe_layers=0,
        active=p.decoder_linear + embed * (1 if m.tie_word_embeddings else 2),
        lm_head=embed,
    )


def kv_elements_per_token_per_layer(m: ModelRecord) -> float:
    """Values cached per token per layer: 2·kv_heads·head_dim (K and V), or, with MLA,
    kv_lora_rank + qk_rope_head_dim (the compressed latent plus the shared RoPE key)."""
    if m.attention == "mla":
        return float((m.kv_lora_rank or 0) + (m.qk_rope_head_dim or 0))
    return float(2 * m.kv_heads * m.head_dim_effective)


def kv_cache_bytes_per_token(m: ModelRecord, *, kv_bytes_per_element: float) -> float:
    """KV-cache bytes per token with every softmax-attention layer holding the token:
    (layers − linear_attention_layers) · kv_elements_per_token_per_layer · bytes per element.
    Linear-attention layers hold a fixed state instead (engine/hybrid.py)."""
    layers = (m.num_layers or 0) - m.linear_attention_layers
    return layers * kv_elements_per_token_per_layer(m) * kv_bytes_per_element


@dataclass(frozen=True)
class LayerSplit:
    """How many layers of each attention kind a model has."""

    full: int  # global softmax attention over the whole context
    sliding: int  # sliding window of sliding_window_tokens
    chunked: int  # chunked local attention of attention_chunk_tokens (Llama 4)
    linear: int  # linear attention with a fixed-size state (Qwen3-Next Gated DeltaNet)


@per_record
def layer_split(m: ModelRecord) -> LayerSplit:
    """Layers by attention kind; the full-attention layers are what the others leave."""
    layers = m.num_layers or 0
    sliding = (m.sliding_window_layers or 0) if m.sliding_window_tokens else 0
    chunked = (m.chunked_attention_layers or 0) if m.attention_chunk_tokens else 0
    linear = m.linear_attention_layers
    return LayerSplit(full=layers - sliding - chunked - linear, sliding=sliding,
                      chunked=chunked, linear=linear)


def _layer_split(m: ModelRecord) -> tuple[int, int]:
    """(full-attention layers, sliding-window layers)."""
    split = layer_split(m)
    return split.full, split.sliding


def _attended_tokens(m: ModelRecord, context_tokens: float) -> float:
    """Σ over softmax-attention layers of the tokens a new token at context L attends to (and
    the cache keeps): L on full layers, min(L, W) on sliding, min(L, C) on chunked layers (an
    upper bound: a token attends to the (L mod C) + 1 tokens of its chunk; the cache holds at
    most C)."""
    split = layer_split(m)
    window = min(context_tokens, m.sliding_window_tokens or context_tokens)
    chunk = min(context_tokens, m.attention_chunk_tokens or context_tokens)
    return split.full * context_tokens + split.sliding * window + split.chunked * chunk


def kv_cache_bytes_for_context(
    m: ModelRecord, *, context_tokens: float, kv_bytes_per_element: float,
    state_bytes_per_element: float | None = None,
) -> float:
    """Cache bytes one sequence of context_tokens holds:

        KV per layer per token · (full·L + sliding·min(L, W) + chunked·min(L, C))
        + linear-attention state (fixed per sequence, engine/hybrid.py: state_bytes_per_element,
          else the profile's linear_state_bytes, else 16-bit, the model dtype)
        + cross-attention K/V over the encoder output (encoder-decoders, engine/seq2seq.py)
    """
    per_layer = kv_elements_per_token_per_layer(m) * kv_bytes_per_element
    total = per_layer * _attended_tokens(m, context_tokens)
    if m.linear_attention_layers:
        total += state_bytes_per_sequence(m, state_bytes_per_element=state_bytes_per_element)
    if m.architecture == "encoder-decoder":
        from inferx.engine.seq2seq import cross_kv_bytes_per_sequence

        total += cross_kv_bytes_per_sequence(m, kv_bytes_per_element=kv_bytes_per_element)
    return total


def _head_dims(m: ModelRecord) -> tuple[int, int]:
    if m.attention == "mla":
        return (m.qk_nope_head_dim or 0) + (m.qk_rope_head_dim or 0), m.v_head_dim or 0
    return m.head_dim_effective, m.head_dim_effective


def attention_flops_per_token(m: ModelRecord, *, context_tokens: float) -> float:
    """Score and value FLOPs for one new token attending to context_tokens earlier tokens:
    per layer 2·heads·d_qk·L (QKᵀ) + 2·heads·d_v·L (A·V), with L capped at the window on
    sliding-window layers and at the chunk on chunked layers, plus the fixed recurrence cost of
    linear-attention layers (engine/hybrid.py) and, for an encoder-decoder, cross-attention
    over the encoder_tokens."""
    d_qk, d_v = _head_dims(m)
    per_position = 2 * (m.num_attention_heads or 0) * (d_qk + d_v)
    flops = per_position * _attended_tokens(m, context_tokens)
    if m.linear_attention_layers:
        flops += linear_attention_flops_per_token(m)
    if m.architecture == "encoder-decoder":
        flops += per_position * (m.num_layers or 0) * (m.encoder_tokens or 0)
    return flops


def _causal_sum(t: float, span: float | None) -> float:
    """Σ_{positions < t} attended tokens: t²/2 for full attention; with a sliding window W,
    W²/2 + (t − W)·W past the window."""
    if span is None or t <= span:
        return t * t / 2
    return span * span / 2 + (t - span) * span


def _chunked_sum(t: float, chunk: int) -> float:
    """Σ over t positions of the tokens each attends to within its own chunk of C:
    q·C²/2 + r²/2 with t = q·C + r."""
    q, r = divmod(t, chunk)
    return q * chunk * chunk / 2 + r * r / 2


def prefill_attention_flops(m: ModelRecord, *, prompt_tokens: float) -> float:
    """Causal attention FLOPs to prefill a prompt of T tokens: Σ_t attention_flops(t) ≈
    per_position·(full·T²/2 + sliding·Σ min(t, W) + chunked·Σ (t mod C))
    + T · linear-attention recurrence (engine/hybrid.py)."""
    d_qk, d_v = _head_dims(m)
    per_position = 2 * (m.num_attention_heads or 0) * (d_qk + d_v)
    split = layer_split(m)
    t = prompt_tokens
    total = split.full * t * t / 2 + split.sliding * _causal_sum(t, m.sliding_window_tokens)
    if split.chunked and m.attention_chunk_tokens:
        total += split.chunked * _chunked_sum(t, m.attention_chunk_tokens)
    flops = per_position * total
    if m.linear_attention_layers:
        flops += t * linear_attention_flops_per_token(m)
    return flops
