"""engine/deployed.py keeps a deployment's replica-only terms (deployed._replica_terms) and
takes one prompt's attention FLOPs and KV bytes once for every prefill pass (prefill_prompt):
the passes are, to the last bit, those of the formulas written out per call, as they were."""

from __future__ import annotations

import itertools
import math

import pytest

from inferx.engine import deployed
from inferx.engine.activations import activation_bytes_per_token
from inferx.engine.architecture import (
    kv_cache_bytes_for_context,
    param_counts,
    prefill_attention_flops,
)
from inferx.engine.decoder import matmul_params_per_token, weight_layout
from inferx.engine.deployed import DeployedWork, routed_expert_bytes
from inferx.engine.deployment import Deployment, check_deployment
from inferx.engine.errors import EngineInputError
from inferx.engine.memory import SIXTEEN_BIT_BYTES, kv_shard_factor, stored_weight_bytes
from inferx.engine.roofline import expected_experts_touched
from inferx.quant import resolve_scheme
from inferx.registry import Registry, builtin_dir

REGISTRY = Registry.from_dirs(builtin_dir())
LAYOUTS = [Deployment(tp=1), Deployment(tp=4), Deployment(tp=2, pp=2),
           Deployment(tp=1, ep=8, dp_attention=8), Deployment(tp=2, ep=4, dp_attention=2),
           Deployment(tp=8, ep=8)]


def pass_work(*, m, counts, layout, d, rank_tokens, logit_tokens, attention_flops,  # noqa: ANN001, ANN201
              attention_bytes, imbalance, passes=1):
    """deployed.pass_work as written before the replica terms were kept."""
    k, experts = m.experts_per_token, m.num_experts
    routed_active = counts.moe_layers * k * counts.expert if m.is_moe else 0.0
    dense_params = matmul_params_per_token(m, counts) - routed_active
    flops = (2 * rank_tokens * dense_params + 2 * logit_tokens * counts.lm_head) / d.tp
    dense_bytes = layout.total_bytes - layout.input_embedding_bytes - routed_expert_bytes(
        layout, m)
    weight_bytes = passes * dense_bytes / d.tp
    all_tokens = rank_tokens * d.dp_attention
    if m.is_moe:
        flops += 2 * all_tokens * routed_active / d.world * imbalance
        touched = expected_experts_touched(num_experts=experts, experts_per_token=k,
                                           tokens=all_tokens / passes)
        per_device = min(experts / d.ep, touched / d.ep * imbalance)
        weight_bytes += passes * per_device * layout.expert_bytes * layout.moe_layers / d.moe_tp
    layers = m.num_layers or 0
    moe = counts.moe_layers if m.is_moe and d.ep > 1 else 0
    allreduces = 0 if d.tp == 1 else passes * (2 * (layers - moe) + moe)
    return DeployedWork(
        flops=flops, bytes=weight_bytes, attention_flops=attention_flops / d.tp,
        attention_bytes=attention_bytes * kv_shard_factor(m, tp=d.tp), allreduces=allreduces,
        allreduce_bytes=rank_tokens / passes * (m.hidden_size or 0) * SIXTEEN_BIT_BYTES,
        alltoalls=passes * moe, alltoall_tokens=rank_tokens / passes / d.tp,
        p2p_bytes=rank_tokens / passes * (m.hidden_size or 0) * SIXTEEN_BIT_BYTES,
        passes=passes,
        activation_bytes=rank_tokens * activation_bytes_per_token(m, counts, tp=d.tp))


@pytest.mark.parametrize("model", ["llama-3.1-8b", "mixtral-8x7b", "deepseek-v3",
                                   "qwen3-235b-a22b", "gpt-oss-120b"])
def test_deployed_passes_equal_the_per_call_formulas(model: str) -> None:
    m = REGISTRY.get("model", model)
    counts = param_counts(m)
    checked = 0
    for d, prec in itertools.product(LAYOUTS, ("bf16", "fp8", "int4-wo")):
        try:
            check_deployment(m, d)
        except EngineInputError:
            continue
        scheme = resolve_scheme(prec)
        layout = weight_layout(m, counts, scheme, stored_weight_bytes(m, counts, scheme))
        for tokens, logits, passes, imbalance in itertools.product(
                (1, 37, 4096.5), (1, 37), (1, 3), (1.0, 1.7)):
            args = dict(m=m, counts=counts, layout=layout, d=d, rank_tokens=tokens,
                        logit_tokens=logits, attention_flops=1e12 * tokens,
                        attention_bytes=3e9 * tokens, imbalance=imbalance, passes=passes)
            written = pass_work(**args)
            assert written.activation_bytes > 0  # the elementwise term is compared, too
            assert deployed.pass_work(**args) == written
            checked += 1
        for t_in, cached, batch in itertools.product((1, 2000, 30_001), (0.0, 999.5), (1, 9)):
            kw = dict(m=m, counts=counts, layout=layout, d=d, prompt_tokens=t_in, batch=batch,
                      cached_tokens=cached, kv_bytes_per_element=1.0, imbalance=1.0,
                      max_batched_tokens=4096)
            new = max(t_in - cached, 1.0)
            written = pass_work(
                m=m, counts=counts, layout=layout, d=d, rank_tokens=batch * new,
                logit_tokens=batch,
                attention_flops=batch * (prefill_attention_flops(m, prompt_tokens=t_in)
                                         - prefill_attention_flops(m, prompt_tokens=cached)),
                attention_bytes=batch * kv_cache_bytes_for_context(
                    m, context_tokens=new, kv_bytes_per_element=1.0),
                imbalance=1.0, passes=max(1, math.ceil(batch * new / 4096)))
            prompt = deployed.prefill_prompt(m, prompt_tokens=t_in, cached_tokens=cached,
                                             kv_bytes_per_element=1.0)
            assert deployed.prefill_work(**kw) == written
            assert deployed.prefill_work(prompt=prompt, **kw) == written
    assert checked >= 48
