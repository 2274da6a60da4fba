"""Forward-pass FLOPs and bytes for a decoder: one prefill, one decode step.

Formulas: docs/methodology.md#latency.  Per-GPU figures divide by the tensor-parallel size.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.engine.memory import SIXTEEN_BIT_BYTES, kv_shard_factor
from inferx.profiles import ModelRecord
from inferx.quant import Scheme


@dataclass(frozen=True)
class Work:
    """FLOPs, bytes and all-reduce traffic of one forward pass on one GPU of the TP group.

    `flops_per_gpu` / `bytes_per_gpu` are the linear layers (weight matmuls, lm_head) and
    `attention_flops_per_gpu` / `attention_bytes_per_gpu` the attention kernels (scores and
    values; KV cache read and written).  They run as separate kernels, so each gets its own
    roofline and the two times add (docs/methodology.md#latency)."""

    flops_per_gpu: float
    bytes_per_gpu: float
    allreduces: int
    allreduce_bytes: float
    attention_flops_per_gpu: float = 0.0
    attention_bytes_per_gpu: float = 0.0
    # the elementwise kernels' activation traffic (tokens · engine/activations.py per token)
    activation_bytes_per_gpu: float = 0.0


def kv_read_amplification(m: ModelRecord, *, gqa_kv_reread: float) -> float:
    """KV-cache bytes a decode attention kernel reads per byte stored:

        1 + gqa_kv_reread · (g − 1),   g = query heads per KV head (1 for MHA and MLA)

    A GQA-aware kernel (FlashDecoding, TensorRT-LLM XQA, vLLM paged attention with grouped
    queries) reads each KV head once for its g query heads (gqa_kv_reread = 0); a kernel
    that runs one query head per thread block (2023 masked-MHA kernels) re-reads it g times
    (gqa_kv_reread = 1), less whatever the L2 cache catches in between."""
    if m.attention == "mla":
        return 1.0
    group = (m.num_attention_heads or 1) / m.kv_heads
    return 1.0 + gqa_kv_reread * max(group - 1.0, 0.0)


@dataclass(frozen=True)
class WeightLayout:
    """Stored weight bytes, split the way a pass reads them."""

    total_bytes: float
    expert_bytes: float  # one routed expert in one MoE layer
    moe_layers: int
    input_embedding_bytes: float  # a lookup, not streamed per step (0 when tied)
    encoder_bytes: float = 0.0  # an encoder-decoder's encoder: run once per request, not per step

    def streamed_bytes(self, *, experts_touched_per_layer: float, num_experts: int) -> float:
        """Bytes read by one pass: every weight but the untouched experts, the embedding
        table (read only for the looked-up rows) and an encoder-decoder's encoder."""
        untouched = max(num_experts - experts_touched_per_layer, 0.0)
        return (self.total_bytes - self.input_embedding_bytes - self.encoder_bytes
                - self.moe_layers * untouched * self.expert_bytes)


def weight_layout(m: ModelRecord, counts: ParamCounts, scheme: Scheme,
                  total_weight_bytes: float) -> WeightLayout:
    embed_row_bytes = 4.0 if scheme.bits_per_weight >= 32 else SIXTEEN_BIT_BYTES
    input_embed = 0.0 if m.tie_word_embeddings else (m.vocab_size or 0) * (m.hidden_size or 0)
    encoder = 0.0
    if m.architecture == "encoder-decoder":
        from inferx.engine.seq2seq import seq2seq_params

        encoder = seq2seq_params(m).encoder_linear * scheme.bytes_per_weight
    return WeightLayout(
        total_bytes=total_weight_bytes,
        expert_bytes=counts.expert * scheme.bytes_per_weight,
        moe_layers=counts.moe_layers,
        input_embedding_bytes=input_embed * embed_row_bytes,
        encoder_bytes=encoder,
    )


def matmul_params_per_token(m: ModelRecord, counts: ParamCounts) -> float:
    """Weights each token multiplies through, lm_head excluded: active − embeddings − norms."""
    embed_in = (m.vocab_size or 0) * (m.hidden_size or 0)
    lm_head_untied = 0.0 if m.tie_word_embeddings else embed_in
    return counts.active - embed_in - lm_head_untied - counts.other


def routed_flop_share(m: ModelProfile, counts: ParamCounts) -> float:
    """Share of a decode token's linear-layer FLOPs spent in routed experts (0 for a dense
    model):  moe_layers · k · expert_params / (matmul_params + lm_head)."""
    routed = counts.moe_layers * (m.experts_per_token or 0) * counts.expert
    total = matmul_params_per_token(m, counts) + counts.lm_head
    return min(max(routed / total, 0.0), 1.0) if total > 0 and routed > 0 else 0.0


def linear_compute_efficiency(m: ModelProfile, counts: ParamCounts, *,
                              compute_efficiency: float, moe_compute_efficiency: float) -> float:
    """Achieved / peak FLOPS over a pass's linear layers when the routed-expert share s of
    their FLOPs runs at moe_compute_efficiency × the dense matmuls' rate (grouped GEMMs over
    many experts, each with a fraction of the batch's tokens, fill the tensor cores less well
    than one dense GEMM over the whole batch; docs/methodology.md#latency):

        ce_linear = ce / ((1 − s) + s / moe_compute_efficiency)

    Equal to ce for a dense model (s = 0)."""
    s = routed_flop_share(m, counts)
    if s <= 0:
        return compute_efficiency
    return compute_efficiency / ((1 - s) + s / moe_compute_efficiency)


def expert_token_share(m: ModelProfile) -> float:
    """Share of a pass's tokens one routed expert sees, routing uniform: k / E (0 for a dense
    model)."""
    return m.experts_per_token / m.num_experts if m.is_moe else 0.0


def routed_time_weight(m: ModelProfile, counts: ParamCounts, *,
                       moe_compute_efficiency: float) -> float:
    """Share of a pass's linear-layer compute time spent in routed experts (0 for a dense
    model): (s / moe_compute_efficiency) / ((1 − s) + s / moe_compute_efficiency), s the
    routed FLOP share (routed_flop_share)."""
    s = routed_flop_share(m, counts)
    if s <= 0:
        return 0.0
    routed = s / moe_compute_efficiency
    return routed / ((1 - s) + routed)


def decode_step_work(
    *, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, batch: int,
    context_tokens: float, kv_bytes_per_element: float, tp: int,
    kv_read_amplification: float = 1.0,
) -> Work:
    """One decode step for `batch` sequences at mean context L:

        linear:    FLOPs = batch · (2·matmul_params + 2·lm_head)
                   bytes = streamed weights (experts touched by batch·k routings)
        attention: FLOPs = batch · attention_flops(L)
                   bytes = batch · KV(L) · kv_read_amplification
        elementwise: bytes = batch · activation bytes per token (engine/activations.py)
    """
    from inferx.engine.decoder_work import decoder_work  # imports this module

    w = decoder_work(m, counts, layout, kv_bytes_per_element)
    return Work(*w.decode_step(batch, context_tokens, tp=tp, shard=kv_shard_factor(m, tp=tp),
                               activation=w.activation_bytes(tp),
                               kv_read_amplification=kv_read_amplification))


def prefill_work(
    *, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, prompt_tokens: int,
    kv_bytes_per_element: float, tp: int, max_batched_tokens: int,
) -> tuple[Work, int]:
    """Prefill of one prompt of T tokens (logits for the last token only):

        linear:    FLOPs = 2·matmul_params·T + 2·lm_head
                   bytes = streamed weights once per chunk of max_batched_tokens
        attention: FLOPs = causal attention FLOPs(T);  bytes = KV written (T tokens)
        elementwise: bytes = T · activation bytes per token (engine/activations.py)

    Returns the work and the number of chunks (passes) it takes."""
    from inferx.engine.decoder_work import decoder_work  # imports this module

    w = decoder_work(m, counts, layout, kv_bytes_per_element)
    figures, chunks = w.prefill(w.prompt(prompt_tokens), prompt_tokens, tp=tp,
                                shard=kv_shard_factor(m, tp=tp),
                                activation=w.activation_bytes(tp),
                                max_batched_tokens=max_batched_tokens)
    return Work(*figures), chunks


def batched_prefill_work(
    *, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, prompt_tokens: int,
    batch: int, kv_bytes_per_element: float, tp: int, max_batched_tokens: int | None = None,
) -> tuple[Work, int]:
    """Prefill of `batch` prompts of T tokens, batched together: in one pass (static
    batching, as in TensorRT-LLM's gptSessionBenchmark or a Hugging Face `generate` call,
    max_batched_tokens=None), or in passes = ceil(batch·T / max_batched_tokens) chunks
    (continuous batching with chunked prefill):

        linear:    FLOPs = batch · (2·matmul_params·T + 2·lm_head)
                   bytes = passes · streamed weights (experts touched by the pass's tokens·k
                           routings)
        attention: FLOPs = batch · causal attention FLOPs(T);  bytes = batch · KV(T) written
        elementwise: bytes = batch · T · activation bytes per token (engine/activations.py)

    Returns the work and the number of passes."""
    from inferx.engine.decoder_work import decoder_work  # imports this module

    w = decoder_work(m, counts, layout, kv_bytes_per_element)
    figures, passes = w.batched_prefill(w.prompt(prompt_tokens), prompt_tokens, batch, tp=tp,
                                        shard=kv_shard_factor(m, tp=tp),
                                        activation=w.activation_bytes(tp),
                                        max_batched_tokens=max_batched_tokens)
    return Work(*figures), passes


def encoder_pass_work(*, m: ModelRecord, scheme: Scheme, tp: int, batch: int = 1) -> Work:
    """The encoder pass of an encoder-decoder (Whisper) for `batch` requests, to run before
    the decoder's prefill (engine/seq2seq.py):

        linear:    FLOPs = batch · (2·P_enc·T_e + conv front end);  bytes = encoder weights
        attention: FLOPs = batch · 4·h·T_e²·L_enc (bidirectional);   bytes = cross-attention
                   K/V written (batch · L_dec · 2·h·T_e · 2 bytes)
        all-reduce: 2 per encoder layer of batch·T_e·h 16-bit values

    Zero work for any other architecture."""
    if m.architecture != "encoder-decoder":
        return Work(flops_per_gpu=0.0, bytes_per_gpu=0.0, allreduces=0, allreduce_bytes=0.0)
    from inferx.engine.seq2seq import cross_kv_bytes_per_sequence, request_flops, seq2seq_params

    t_e, h, enc_layers = m.encoder_tokens or 0, m.hidden_size or 0, m.encoder_layers or 0
    encoder_flops = request_flops(m, output_tokens=0).encoder
    attention = 4 * h * t_e * t_e * enc_layers
    weights = seq2seq_params(m).encoder_linear * scheme.bytes_per_weight
    cross = cross_kv_bytes_per_sequence(m, kv_bytes_per_element=SIXTEEN_BIT_BYTES)
    return Work(
        flops_per_gpu=batch * (encoder_flops - attention) / tp,
        bytes_per_gpu=weights / tp,
        allreduces=2 * enc_layers,
        allreduce_bytes=batch * t_e * h * SIXTEEN_BIT_BYTES,
        attention_flops_per_gpu=batch * attention / tp,
        attention_bytes_per_gpu=batch * cross / tp,
    )
