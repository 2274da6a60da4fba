"""Forward-pass work on one device of a deployment with expert parallelism (EP), attention
data parallelism (DP), pipeline stages (PP), speculative verification or a prefix cache.

Per pass, on one device (docs/methodology.md#deployment):

    rank tokens r   = tokens this attention-DP rank processes (its sequences x query tokens;
                      with PP, one microbatch: the rank's sequences / pp)
    all tokens  N   = r · dp  (every rank's tokens meet in the MoE layers)
    dense linear    FLOPs = 2·r·dense_params/tp + 2·logit_tokens·lm_head/tp
                    bytes = dense weights / tp                    (replicated across DP ranks)
    imbalance       = moe_load_imbalance · (1 + cv·√(ep/E)·z(ep))  (rank_load_imbalance)
    routed experts  FLOPs = 2·N·k·expert_params·moe_layers / world · imbalance
                    bytes = min(E/ep, touched(N)/ep · imbalance) · expert_bytes · moe_layers / moe_tp
    attention       FLOPs = attention FLOPs of the rank's tokens / tp
                    bytes = KV read (or written) by the rank's sequences · shard(tp)
    elementwise     bytes = r · activation bytes per token (engine/activations.py)
    all-reduces     over tp: 2 per dense layer, 1 per MoE layer when experts are EP (their
                    output is combined by the all-to-all), 2 per layer otherwise
    all-to-all      one dispatch + combine per MoE layer of r/tp tokens (ep > 1)

With dp = ep = pp = 1 these are the plain tensor-parallel passes of engine/decoder.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

from inferx.engine.activations import activation_bytes_per_token
from inferx.engine.architecture import (
    ParamCounts,
    attention_flops_per_token,
    kv_cache_bytes_for_context,
    prefill_attention_flops,
)
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import WeightLayout, matmul_params_per_token
from inferx.engine.deployment import Deployment
from inferx.engine.memo import per_objects
from inferx.engine.memory import SIXTEEN_BIT_BYTES, kv_shard_factor
from inferx.engine.roofline import expected_experts_touched
from inferx.profiles import ModelRecord


@dataclass(frozen=True)
class DeployedWork:
    """One pass on one device: linear and attention FLOPs/bytes, and its collectives."""

    flops: float
    bytes: float
    attention_flops: float
    attention_bytes: float
    allreduces: int
    allreduce_bytes: float
    alltoalls: int                 # MoE layers whose tokens go through the all-to-all
    alltoall_tokens: float         # tokens each device dispatches per MoE layer
    p2p_bytes: float               # activations sent across each pipeline-stage boundary
    passes: int = 1
    activation_bytes: float = 0.0  # elementwise kernels' traffic (engine/activations.py)


@lru_cache(maxsize=256)
def expected_max_standard_normal(n: int) -> float:
    """E[max of n independent standard normals], Blom's approximation
    Φ⁻¹((n − 0.375) / (n + 0.25)): 0 for n = 1, 0.59 for 2 (exact 0.56), 1.05 for 4,
    1.43 for 8 (exact 1.42), 2.07 for 32."""
    return NormalDist().inv_cdf((n - 0.375) / (n + 0.25)) if n > 1 else 0.0


def rank_load_imbalance(m: ModelRecord, d: Deployment, a: Assumptions) -> float:
    """The busiest expert-parallel rank's routed tokens over the mean:

        moe_load_imbalance · (1 + cv · √(ep / E) · z(ep))

    Each of ep ranks holds E/ep of the E routed experts; with per-expert loads of coefficient
    of variation cv (expert_load_cv), a rank's load varies by cv/√(E/ep) around the mean and
    the step waits for the busiest of ep ranks, z(ep) standard deviations above it
    (expected_max_standard_normal).  ep = 1: no expert parallelism, no spread."""
    if d.ep <= 1 or m.num_experts <= 1:
        return a.moe_load_imbalance
    spread = a.expert_load_cv * math.sqrt(d.ep / m.num_experts)
    return a.moe_load_imbalance * (1 + spread * expected_max_standard_normal(d.ep))


def routed_expert_bytes(layout: WeightLayout, m: ModelRecord) -> float:
    """Stored bytes of every routed expert in every MoE layer."""
    return layout.expert_bytes * layout.moe_layers * (m.num_experts if m.is_moe else 0)


def weights_bytes_per_device(layout: WeightLayout, m: ModelRecord, d: Deployment) -> float:
    """Weights one device stores: dense (non-routed) weights split over tp·pp, routed experts
    over world·pp (each expert on one EP rank, tensor-parallel over moe_tp devices)."""
    routed = routed_expert_bytes(layout, m)
    return (layout.total_bytes - routed) / (d.tp * d.pp) + routed / (d.world * d.pp)


@per_objects(4)
def _replica_terms(m: ModelRecord, counts: ParamCounts, layout: WeightLayout,
                   d: Deployment) -> tuple[bool, float, float, float, int, int, float, int,
                                           float]:
    """pass_work's terms that depend on the replica alone, kept per (model, counts, layout,
    deployment objects): (MoE?, routed params per token, dense params per token, dense weight
    bytes, all-reduces per pass, MoE layers in the all-to-all, KV shard, hidden size,
    elementwise bytes per token on one of tp GPUs)."""
    moe_model = m.is_moe
    routed_active = counts.moe_layers * m.experts_per_token * counts.expert if moe_model else 0.0
    dense_params = matmul_params_per_token(m, counts) - routed_active
    dense_bytes = layout.total_bytes - layout.input_embedding_bytes - routed_expert_bytes(
        layout, m)
    layers = m.num_layers or 0
    moe = counts.moe_layers if moe_model and d.ep > 1 else 0  # experts in expert parallel
    allreduces = 0 if d.tp == 1 else 2 * (layers - moe) + moe
    return (moe_model, routed_active, dense_params, dense_bytes, allreduces, moe,
            kv_shard_factor(m, tp=d.tp), m.hidden_size or 0,
            activation_bytes_per_token(m, counts, tp=d.tp))


def pass_work(*, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, d: Deployment,
              rank_tokens: float, logit_tokens: float, attention_flops: float,
              attention_bytes: float, imbalance: float, passes: int = 1) -> DeployedWork:
    """The module docstring's per-device pass (attention figures are the rank's, before tp)."""
    (moe_model, routed_active, dense_params, dense_bytes, allreduces, moe, shard, hidden,
     activation) = _replica_terms(m, counts, layout, d)
    flops = (2 * rank_tokens * dense_params + 2 * logit_tokens * counts.lm_head) / d.tp
    weight_bytes = passes * dense_bytes / d.tp
    all_tokens = rank_tokens * d.dp_attention
    if moe_model:
        experts = m.num_experts
        flops += 2 * all_tokens * routed_active / d.world * imbalance
        touched = expected_experts_touched(num_experts=experts,
                                           experts_per_token=m.experts_per_token,
                                           tokens=all_tokens / passes)
        per_device = min(experts / d.ep, touched / d.ep * imbalance)
        weight_bytes += passes * per_device * layout.expert_bytes * layout.moe_layers / d.moe_tp
    return DeployedWork(
        flops=flops, bytes=weight_bytes, attention_flops=attention_flops / d.tp,
        attention_bytes=attention_bytes * shard, allreduces=passes * allreduces,
        allreduce_bytes=rank_tokens / passes * hidden * SIXTEEN_BIT_BYTES,
        alltoalls=passes * moe, alltoall_tokens=rank_tokens / passes / d.tp,
        p2p_bytes=rank_tokens / passes * hidden * SIXTEEN_BIT_BYTES,
        passes=passes, activation_bytes=rank_tokens * activation)


def rank_sequences(concurrency: int, d: Deployment) -> int:
    """Sequences one attention-DP rank runs in one pipeline microbatch."""
    return max(1, math.ceil(math.ceil(concurrency / d.dp_attention) / d.pp))


def step_work(*, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, d: Deployment,
              concurrency: int, context_tokens: float, kv_bytes_per_element: float,
              kv_read_amplification: float, imbalance: float,
              query_tokens: int = 1) -> DeployedWork:
    """One decode step (query_tokens = 1) or speculative verification (query_tokens = k + 1)
    of one microbatch: each sequence's new tokens attend over its context, whose KV is read
    once."""
    seqs = rank_sequences(concurrency, d)
    tokens = seqs * query_tokens
    attn = tokens * attention_flops_per_token(m, context_tokens=context_tokens)
    kv = seqs * kv_cache_bytes_for_context(m, context_tokens=context_tokens,
                                           kv_bytes_per_element=kv_bytes_per_element)
    return pass_work(m=m, counts=counts, layout=layout, d=d, rank_tokens=tokens,
                     logit_tokens=tokens, attention_flops=attn,
                     attention_bytes=kv * kv_read_amplification, imbalance=imbalance)


def prefill_work(*, m: ModelRecord, counts: ParamCounts, layout: WeightLayout, d: Deployment,
                 prompt_tokens: int, batch: int, cached_tokens: float,
                 kv_bytes_per_element: float, imbalance: float,
                 max_batched_tokens: int | None,
                 prompt: tuple[float, float] | None = None) -> DeployedWork:
    """Prefill of `batch` prompts of T tokens on one attention-DP rank, of which
    `cached_tokens` per prompt come from the prefix cache: only the T − cached new tokens run
    through the linear layers and write KV; they attend over all T (causal):

        attention FLOPs = causal(T) − causal(cached)
        passes = ceil(batch · new / max_batched_tokens)   (1 when not chunked)

    `prompt`: one prompt's (attention FLOPs, KV bytes written), prefill_prompt's, if known."""
    new = max(prompt_tokens - cached_tokens, 1.0)
    tokens = batch * new
    passes = 1 if not max_batched_tokens else max(1, math.ceil(tokens / max_batched_tokens))
    attn_one, kv_one = prompt or prefill_prompt(m, prompt_tokens=prompt_tokens,
                                                cached_tokens=cached_tokens,
                                                kv_bytes_per_element=kv_bytes_per_element)
    attn = batch * attn_one
    kv = batch * kv_one
    return pass_work(m=m, counts=counts, layout=layout, d=d, rank_tokens=tokens,
                     logit_tokens=batch, attention_flops=attn, attention_bytes=kv,
                     imbalance=imbalance, passes=passes)


def prefill_prompt(m: ModelRecord, *, prompt_tokens: int, cached_tokens: float,
                   kv_bytes_per_element: float) -> tuple[float, float]:
    """One prompt of T tokens, `cached_tokens` of them from the prefix cache: (attention FLOPs
    causal(T) − causal(cached), KV bytes of the max(T − cached, 1) new tokens)."""
    new = max(prompt_tokens - cached_tokens, 1.0)
    return (prefill_attention_flops(m, prompt_tokens=prompt_tokens)
            - prefill_attention_flops(m, prompt_tokens=cached_tokens),
            kv_cache_bytes_for_context(m, context_tokens=new,
                                       kv_bytes_per_element=kv_bytes_per_element))
