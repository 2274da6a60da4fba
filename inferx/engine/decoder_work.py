"""A decoder's forward-pass work as coefficients: what engine/decoder.py's prefill_work,
decode_step_work and batched_prefill_work derive from the model record, its parameter split,
its weight layout and the KV bytes per element, computed once (memoised by identity), so a
pass at any tokens, batch or tensor-parallel size is a few multiply-adds (pure).

The formulas are those of engine/decoder.py (docs/methodology.md#latency), each operation in
the same order, so the figures are the same floats; decoder.py's functions are these methods
wrapped in a Work.  A pass's figures come as a tuple in Work's field order:

    (flops_per_gpu, bytes_per_gpu, allreduces, allreduce_bytes,
     attention_flops_per_gpu, attention_bytes_per_gpu, activation_bytes_per_gpu)

The last is tokens x the elementwise kernels' bytes per token on one rank
(engine/activations.py), which the caller computes once per TP size (activation_bytes).
"""

from __future__ import annotations

import math

from inferx.engine.activations import activation_elements, bytes_per_token
from inferx.engine.architecture import (
    ParamCounts,
    _causal_sum,
    _chunked_sum,
    _head_dims,
    kv_elements_per_token_per_layer,
    layer_split,
)
from inferx.engine.decoder import WeightLayout, matmul_params_per_token
from inferx.engine.memo import per_objects
from inferx.engine.memory import SIXTEEN_BIT_BYTES
from inferx.engine.roofline import expected_experts_touched
from inferx.profiles import ModelRecord

PassFigures = tuple[float, float, int, float, float, float, float]


class DecoderWork:
    """Per-pass work coefficients of one model, parameter split, layout and KV precision.
    Immutable once built (no method assigns)."""

    __slots__ = ("activation", "attention_per_position", "chunk", "chunked", "cross_flops",
                 "cross_kv", "experts", "full", "hidden", "k", "kv_per_layer", "layers2",
                 "layout", "linear_flops", "prefill_coef", "sliding", "state_bytes",
                 "step_coef", "streamed_dense", "two_lm_head", "window")

    def __init__(self, m: ModelRecord, counts: ParamCounts, layout: WeightLayout,
                 kv_bytes_per_element: float) -> None:
        s = object.__setattr__
        mpt = matmul_params_per_token(m, counts)
        s(self, "prefill_coef", 2 * mpt)               # 2·matmul_params (· T)
        s(self, "two_lm_head", 2 * counts.lm_head)
        s(self, "step_coef", 2 * mpt + 2 * counts.lm_head)
        d_qk, d_v = _head_dims(m)
        s(self, "attention_per_position", 2 * (m.num_attention_heads or 0) * (d_qk + d_v))
        s(self, "activation", activation_elements(m, counts))
        split = layer_split(m)
        s(self, "full", split.full)
        s(self, "sliding", split.sliding)
        s(self, "chunked", split.chunked)
        s(self, "window", m.sliding_window_tokens)
        s(self, "chunk", m.attention_chunk_tokens)
        s(self, "kv_per_layer", kv_elements_per_token_per_layer(m) * kv_bytes_per_element)
        linear = state = None
        if m.linear_attention_layers:
            from inferx.engine.hybrid import (
                linear_attention_flops_per_token,
                state_bytes_per_sequence,
            )

            linear, state = linear_attention_flops_per_token(m), state_bytes_per_sequence(m)
        s(self, "linear_flops", linear)
        s(self, "state_bytes", state)
        cross_kv = cross_flops = None
        if m.architecture == "encoder-decoder":
            from inferx.engine.seq2seq import cross_kv_bytes_per_sequence

            cross_kv = cross_kv_bytes_per_sequence(m, kv_bytes_per_element=kv_bytes_per_element)
            cross_flops = (self.attention_per_position * (m.num_layers or 0)
                           * (m.encoder_tokens or 0))
        s(self, "cross_kv", cross_kv)
        s(self, "cross_flops", cross_flops)
        s(self, "experts", m.num_experts)
        s(self, "k", m.experts_per_token)
        s(self, "layers2", 2 * (m.num_layers or 0))
        s(self, "hidden", m.hidden_size or 0)
        s(self, "layout", layout)
        s(self, "streamed_dense", None)
        if m.num_experts <= 1:  # every pass streams the same weights
            s(self, "streamed_dense", self.streamed(1.0))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"DecoderWork is immutable: cannot assign {name!r}")

    def activation_bytes(self, tp: int) -> float:
        """activations.activation_bytes_per_token on one of tp GPUs."""
        return bytes_per_token(self.activation, tp)

    def streamed(self, tokens: float) -> float:
        """Weight bytes a pass of `tokens` tokens reads (WeightLayout.streamed_bytes)."""
        if self.streamed_dense is not None:
            return self.streamed_dense
        touched = expected_experts_touched(num_experts=self.experts, experts_per_token=self.k,
                                           tokens=tokens)
        return self.layout.streamed_bytes(experts_touched_per_layer=touched,
                                          num_experts=self.experts)

    def attended(self, context_tokens: float) -> float:
        """architecture._attended_tokens."""
        window = min(context_tokens, self.window or context_tokens)
        chunk = min(context_tokens, self.chunk or context_tokens)
        return self.full * context_tokens + self.sliding * window + self.chunked * chunk

    def kv_bytes(self, context_tokens: float, attended: float | None = None) -> float:
        """architecture.kv_cache_bytes_for_context (`attended`: attended(context), if known)."""
        if attended is None:
            attended = self.attended(context_tokens)
        total = self.kv_per_layer * attended
        if self.state_bytes is not None:
            total += self.state_bytes
        if self.cross_kv is not None:
            total += self.cross_kv
        return total

    def attention_flops(self, attended: float) -> float:
        """architecture.attention_flops_per_token at a context whose attended() is given."""
        flops = self.attention_per_position * attended
        if self.linear_flops is not None:
            flops += self.linear_flops
        if self.cross_flops is not None:
            flops += self.cross_flops
        return flops

    def prefill_attention_flops(self, t: float) -> float:
        """architecture.prefill_attention_flops."""
        total = self.full * t * t / 2 + self.sliding * _causal_sum(t, self.window)
        if self.chunked and self.chunk:
            total += self.chunked * _chunked_sum(t, self.chunk)
        flops = self.attention_per_position * total
        if self.linear_flops is not None:
            flops += t * self.linear_flops
        return flops

    def prompt(self, t: int) -> tuple[float, float, float]:
        """One prompt of t tokens: (linear FLOPs, attention FLOPs, KV bytes written)."""
        return (self.prefill_coef * t + self.two_lm_head, self.prefill_attention_flops(t),
                self.kv_bytes(t))

    def prefill(self, prompt: tuple[float, float, float], t: int, *, tp: int, shard: float,
                activation: float, max_batched_tokens: int) -> tuple[PassFigures, int]:
        """decoder.prefill_work of the prompt (`prompt(t)`) on one of tp GPUs whose KV share
        is `shard` and elementwise bytes per token `activation` (activation_bytes(tp)); and
        its chunks."""
        flops, attn_flops, kv = prompt
        chunks = max(1, math.ceil(t / max_batched_tokens))
        tokens = min(t, max_batched_tokens)
        weights = chunks * self.streamed(tokens)
        return (flops / tp, weights / tp, self.layers2 * chunks,
                tokens * self.hidden * SIXTEEN_BIT_BYTES, attn_flops / tp, kv * shard,
                t * activation), chunks

    def batched_prefill(self, prompt: tuple[float, float, float], t: int, batch: int, *,
                        tp: int, shard: float, activation: float,
                        max_batched_tokens: int | None) -> tuple[PassFigures, int]:
        """decoder.batched_prefill_work of `batch` such prompts; and its passes."""
        flops, attn_flops, kv = prompt
        tokens = batch * t
        passes = 1 if not max_batched_tokens else max(1, math.ceil(tokens / max_batched_tokens))
        per_pass = tokens / passes
        weights = passes * self.streamed(per_pass)
        return (batch * flops / tp, weights / tp, self.layers2 * passes,
                per_pass * self.hidden * SIXTEEN_BIT_BYTES, batch * attn_flops / tp,
                batch * kv * shard, tokens * activation), passes

    def decode_step(self, batch: int, context_tokens: float, *, tp: int, shard: float,
                    activation: float, kv_read_amplification: float) -> PassFigures:
        """decoder.decode_step_work."""
        attended = self.attended(context_tokens)
        weights = self.streamed(batch)
        kv = batch * self.kv_bytes(context_tokens, attended)
        return (batch * self.step_coef / tp, weights / tp, self.layers2,
                batch * self.hidden * SIXTEEN_BIT_BYTES,
                batch * self.attention_flops(attended) / tp,
                kv * shard * kv_read_amplification, batch * activation)


@per_objects(2)
def decoder_work(m: ModelRecord, counts: ParamCounts, layout: WeightLayout,
                 kv_bytes_per_element: float) -> DecoderWork:
    """The model's DecoderWork, once per (record, counts object, layout, KV bytes)."""
    return DecoderWork(m, counts, layout, kv_bytes_per_element)
