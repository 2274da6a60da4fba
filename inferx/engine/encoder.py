"""Encoder-only transformers (BERT-style embedding and classification models).

An encoder has no decode phase: one request is one forward pass over its T input tokens, with
every token attending to all T (bidirectional).  The pass is described in the fixed-workload
terms of inferx/engine/fixed.py (docs/methodology.md#encoder-models):

    FLOPs per inference = 2·P_linear·T + 2·n_h·(d_qk + d_v)·T² per layer
    weight bytes        = stored weights at the precision scheme (memory.weight_bytes)
    activation bytes    = layers · T · (4·h + 2·i) · 2 bytes written and read again: the
                          per-inference traffic of a 16-bit activation stream

Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.architecture import param_counts, prefill_attention_flops
from inferx.engine.memory import SIXTEEN_BIT_BYTES, weight_bytes
from inferx.profiles import ModelRecord
from inferx.quant import Scheme


@dataclass(frozen=True)
class EncoderWorkload:
    flops_per_inference: float
    weights_bytes: float
    activation_bytes_per_inference: float
    params: float


def encoder_workload(*, model: ModelRecord, scheme: Scheme, tokens: int) -> EncoderWorkload:
    """FLOPs, weight bytes and activation traffic of one inference over `tokens` tokens.

    Causal prefill attention costs T²/2 per position pair; bidirectional attention costs T², so
    twice prefill_attention_flops.  Embedding rows are looked up, not multiplied."""
    counts = param_counts(model)
    flops = (2 * counts.quantizable * tokens
             + 2 * prefill_attention_flops(model, prompt_tokens=tokens))
    h, i = model.hidden_size or 0, model.intermediate_size or 0
    activations = (model.num_layers or 0) * tokens * (4 * h + 2 * i) * SIXTEEN_BIT_BYTES * 2
    return EncoderWorkload(flops_per_inference=flops,
                           weights_bytes=weight_bytes(counts, scheme),
                           activation_bytes_per_inference=activations,
                           params=counts.total)
