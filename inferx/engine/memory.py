"""Memory per GPU: weights, KV cache, activations, runtime overhead; fits or not.

Formulas: docs/methodology.md#memory.  All sizes in bytes unless the name says otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.profiles import ModelRecord
from inferx.quant import Scheme

SIXTEEN_BIT_BYTES = 2.0


def weight_bytes(counts: ParamCounts, scheme: Scheme) -> float:
    """Stored weight bytes: quantizable linear weights at the scheme's bytes per weight
    (scales included); embeddings, lm_head, norms and routers at 16 bits (or 32 for fp32).

        bytes = quantizable · bits/8 + (embeddings + other) · max(2, bits/8 if not quantized)

    GGUF schemes quantize the embeddings and output head too (their bits_per_weight is the
    whole-file mix llama.cpp reports): bytes = (quantizable + embeddings) · bits/8 + other · 2.
    """
    if scheme.quantizes_embeddings:
        return ((counts.quantizable + counts.embeddings) * scheme.bytes_per_weight
                + counts.other * SIXTEEN_BIT_BYTES)
    rest_bytes = 4.0 if scheme.bits_per_weight >= 32 else SIXTEEN_BIT_BYTES
    return counts.quantizable * scheme.bytes_per_weight + (counts.embeddings + counts.other) * (
        rest_bytes
    )


def stored_weight_bytes(m: ModelRecord, counts: ParamCounts, scheme: Scheme) -> float:
    """Weight bytes for an estimate: the exact checkpoint_bytes read from the model's files
    (safetensors index / GGUF tensors) when the requested scheme is the one they are stored
    in, else weight_bytes(counts, scheme)."""
    if m.checkpoint_bytes is not None and m.checkpoint_precision == scheme.id:
        return m.checkpoint_bytes
    return weight_bytes(counts, scheme)


def kv_shard_factor(m: ModelRecord, *, tp: int) -> float:
    """Share of one sequence's KV cache each of tp GPUs holds.

    GQA/MHA shard KV heads across GPUs; when tp exceeds kv_heads each GPU keeps one head
    (replication): ceil(kv_heads / tp) / kv_heads.  MLA's latent is not split by heads: each
    GPU keeps all of it (factor 1)."""
    if m.attention == "mla":
        return 1.0
    return math.ceil(m.kv_heads / tp) / m.kv_heads


def cache_bytes_per_gpu(m: ModelRecord, *, context_tokens: float, kv_bytes_per_element: float,
                        tp: int) -> float:
    """One sequence's cache on one of tp GPUs, each part sharded by its own heads:

        KV (softmax layers) · kv_shard_factor          (KV heads; MLA latent replicated)
        + linear-attention state · ceil(v_h / tp) / v_h (value heads of Gated DeltaNet)
        + cross-attention cache / min(tp, n_h)          (decoder heads of an encoder-decoder)

    kv_cache_bytes_for_context · kv_shard_factor applies the KV factor to all three, which
    overstates a hybrid's state when tp exceeds its KV heads (Qwen3-Next: 2 KV heads, 32
    value heads)."""
    from inferx.engine.architecture import kv_cache_bytes_for_context
    from inferx.engine.hybrid import state_bytes_per_sequence
    from inferx.engine.seq2seq import cross_kv_bytes_per_sequence

    total = kv_cache_bytes_for_context(m, context_tokens=context_tokens,
                                       kv_bytes_per_element=kv_bytes_per_element)
    state = state_bytes_per_sequence(m) if m.linear_attention_layers else 0.0
    cross = (cross_kv_bytes_per_sequence(m, kv_bytes_per_element=kv_bytes_per_element)
             if m.architecture == "encoder-decoder" else 0.0)
    kv = total - state - cross
    value_heads = m.linear_num_value_heads or 1
    heads = m.num_attention_heads or 1
    return (kv * kv_shard_factor(m, tp=tp)
            + state * math.ceil(value_heads / tp) / value_heads
            + cross / min(tp, heads))


def activation_bytes_per_gpu(m: ModelRecord, *, tp: int, max_batched_tokens: int,
                             gathered_ranks: int = 1) -> float:
    """Peak activation workspace for one forward pass of max_batched_tokens tokens:
    tokens · (4·hidden + 2·mlp_width/tp) · 2 bytes, where mlp_width is the widest MLP the
    tokens go through (intermediate_size, or experts_per_token·moe_intermediate_size).

    Under attention data parallelism an MoE layer runs the tokens of all gathered_ranks ranks
    (TensorRT-LLM's fused MoE: "the maximum number of tokens in MoE are multiplied by DP size
    when attention DP is enabled", CutlassFusedMoE.moe_max_num_tokens; vLLM's all-gather
    dispatch likewise), so the other ranks' tokens add their hidden state and MLP width:
    + (ranks − 1) · tokens · (hidden + 2·mlp_width/tp) · 2 bytes."""
    h = m.hidden_size or 0
    width = m.intermediate_size or 0
    if m.is_moe:
        width = max(width, (m.experts_per_token + m.num_shared_experts)
                    * (m.moe_intermediate_size or 0))
    own = max_batched_tokens * (4 * h + 2 * width / tp) * SIXTEEN_BIT_BYTES
    if gathered_ranks <= 1 or not m.is_moe:
        return own
    return own + ((gathered_ranks - 1) * max_batched_tokens * (h + 2 * width / tp)
                  * SIXTEEN_BIT_BYTES)


@dataclass(frozen=True)
class MemoryPlan:
    """Per-GPU memory budget for one replica of tp GPUs (bytes)."""

    capacity_bytes: float
    usable_bytes: float
    weights_bytes: float
    activations_bytes: float
    overhead_bytes: float
    kv_bytes_per_sequence: float
    dp: int = 1  # attention data-parallel ranks: each holds the KV of its own sequences

    @property
    def kv_budget_bytes(self) -> float:
        return self.usable_bytes - self.weights_bytes - self.activations_bytes - self.overhead_bytes

    def kv_bytes(self, concurrency: int) -> float:
        """KV on the busiest device: its rank's share, ceil(C / dp) sequences."""
        return -(-concurrency // self.dp) * self.kv_bytes_per_sequence

    def total_bytes(self, concurrency: int) -> float:
        return (self.weights_bytes + self.activations_bytes + self.overhead_bytes
                + self.kv_bytes(concurrency))

    def fits(self, concurrency: int) -> bool:
        return self.total_bytes(concurrency) <= self.usable_bytes

    def max_concurrency(self) -> int:
        """Largest number of sequences whose KV cache fits beside the weights (0 if none)."""
        if self.kv_budget_bytes <= 0 or self.kv_bytes_per_sequence <= 0:
            return 0
        return self.dp * int(self.kv_budget_bytes // self.kv_bytes_per_sequence)


def plan_memory(
    *,
    m: ModelRecord,
    total_weight_bytes: float,
    kv_bytes_per_sequence_total: float,
    capacity_gb: float,
    kv_bytes_per_sequence_per_gpu: float | None = None,
    tp: int,
    memory_utilization: float,
    runtime_overhead_gb: float,
    max_batched_tokens: int,
) -> MemoryPlan:
    """Memory budget per GPU when the weights are split tp ways (tensor parallel):
    usable = capacity · memory_utilization; weights/tp; KV per sequence · shard factor."""
    capacity = capacity_gb * 1e9
    return MemoryPlan(
        capacity_bytes=capacity,
        usable_bytes=capacity * memory_utilization,
        weights_bytes=total_weight_bytes / tp,
        activations_bytes=activation_bytes_per_gpu(m, tp=tp, max_batched_tokens=max_batched_tokens),
        overhead_bytes=runtime_overhead_gb * 1e9,
        kv_bytes_per_sequence=(kv_bytes_per_sequence_total * kv_shard_factor(m, tp=tp)
                               if kv_bytes_per_sequence_per_gpu is None
                               else kv_bytes_per_sequence_per_gpu),
    )
