"""engine/replica.py, engine/decoder_work.py and timing.ReplicaPasses: a point computed from
the per-replica constants is, to the last bit, the point the per-call functions give (the
memory plan of memory.plan_memory searched over TP sizes and concurrencies; the passes of
decoder.py's Work functions through roofline.pass_time); and the constants are kept per
record object, follow a changed record and stay bounded."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest

from inferx.engine import decoder, memo
from inferx.engine.activations import activation_bytes_per_token
from inferx.engine.architecture import (
    attention_flops_per_token,
    kv_cache_bytes_for_context,
    param_counts,
    prefill_attention_flops,
)
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import (
    Work,
    encoder_pass_work,
    kv_read_amplification,
    linear_compute_efficiency,
    matmul_params_per_token,
    weight_layout,
)
from inferx.engine.deployment import Deployment, link_for, valid_tp_sizes
from inferx.engine.estimate import Workload, decoder_point, replica_gpus
from inferx.engine.memory import (
    SIXTEEN_BIT_BYTES,
    cache_bytes_per_gpu,
    kv_shard_factor,
    plan_memory,
    stored_weight_bytes,
)
from inferx.engine.replica import sizing
from inferx.engine.roofline import (
    allreduce_time_s,
    attention_peak_tflops,
    expected_experts_touched,
    pass_time,
)
from inferx.engine.timing import achieved_bandwidth_of, prefill_contention_s, step_overhead_s
from inferx.quant import default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.registry import Registry, builtin_dir

REGISTRY = Registry.from_dirs(builtin_dir())
MODELS = ("llama-3.1-8b", "mixtral-8x7b", "deepseek-v3", "qwen3-next-80b-a3b",
          "whisper-large-v3", "llama-4-maverick", "gemma-2-9b", "gpt-oss-20b")
HARDWARE = ("h100-sxm", "mi300x", "l40s", "apple-m4-max")
PRECISIONS = ("bf16", "fp8", "int4-wo", "q4_k_m")


# decoder.py's work functions as written before engine/decoder_work.py: each figure from the
# architecture functions, at every call

def decode_step_work(*, m, counts, layout, batch, context_tokens,  # noqa: ANN001, ANN202
                     kv_bytes_per_element, tp, kv_read_amplification=1.0):
    flops = batch * (2 * matmul_params_per_token(m, counts) + 2 * counts.lm_head)
    attn_flops = batch * attention_flops_per_token(m, context_tokens=context_tokens)
    touched = expected_experts_touched(
        num_experts=m.num_experts, experts_per_token=m.experts_per_token, tokens=batch)
    weights = layout.streamed_bytes(experts_touched_per_layer=touched, num_experts=m.num_experts)
    kv = batch * kv_cache_bytes_for_context(
        m, context_tokens=context_tokens, kv_bytes_per_element=kv_bytes_per_element)
    return Work(flops_per_gpu=flops / tp, bytes_per_gpu=weights / tp,
                allreduces=2 * (m.num_layers or 0),
                allreduce_bytes=batch * (m.hidden_size or 0) * SIXTEEN_BIT_BYTES,
                attention_flops_per_gpu=attn_flops / tp,
                attention_bytes_per_gpu=kv * kv_shard_factor(m, tp=tp) * kv_read_amplification,
                activation_bytes_per_gpu=batch * activation_bytes_per_token(m, counts, tp=tp))


def prefill_work(*, m, counts, layout, prompt_tokens,  # noqa: ANN001, ANN202
                 kv_bytes_per_element, tp, max_batched_tokens):
    t = prompt_tokens
    chunks = max(1, math.ceil(t / max_batched_tokens))
    flops = 2 * matmul_params_per_token(m, counts) * t + 2 * counts.lm_head
    attn_flops = prefill_attention_flops(m, prompt_tokens=t)
    touched = expected_experts_touched(
        num_experts=m.num_experts, experts_per_token=m.experts_per_token,
        tokens=min(t, max_batched_tokens))
    weights = chunks * layout.streamed_bytes(
        experts_touched_per_layer=touched, num_experts=m.num_experts)
    kv = kv_cache_bytes_for_context(m, context_tokens=t, kv_bytes_per_element=kv_bytes_per_element)
    return Work(flops_per_gpu=flops / tp, bytes_per_gpu=weights / tp,
                allreduces=2 * (m.num_layers or 0) * chunks,
                allreduce_bytes=min(t, max_batched_tokens) * (m.hidden_size or 0)
                * SIXTEEN_BIT_BYTES,
                attention_flops_per_gpu=attn_flops / tp,
                attention_bytes_per_gpu=kv * kv_shard_factor(m, tp=tp),
                activation_bytes_per_gpu=t * activation_bytes_per_token(m, counts, tp=tp)), chunks


def batched_prefill_work(*, m, counts, layout, prompt_tokens, batch,  # noqa: ANN001, ANN202
                         kv_bytes_per_element, tp, max_batched_tokens=None):
    t, b = prompt_tokens, batch
    tokens = b * t
    passes = 1 if not max_batched_tokens else max(1, math.ceil(tokens / max_batched_tokens))
    per_pass = tokens / passes
    flops = b * (2 * matmul_params_per_token(m, counts) * t + 2 * counts.lm_head)
    attn_flops = b * prefill_attention_flops(m, prompt_tokens=t)
    touched = expected_experts_touched(
        num_experts=m.num_experts, experts_per_token=m.experts_per_token, tokens=per_pass)
    weights = passes * layout.streamed_bytes(experts_touched_per_layer=touched,
                                             num_experts=m.num_experts)
    kv = b * kv_cache_bytes_for_context(m, context_tokens=t,
                                        kv_bytes_per_element=kv_bytes_per_element)
    return Work(flops_per_gpu=flops / tp, bytes_per_gpu=weights / tp,
                allreduces=2 * (m.num_layers or 0) * passes,
                allreduce_bytes=per_pass * (m.hidden_size or 0) * SIXTEEN_BIT_BYTES,
                attention_flops_per_gpu=attn_flops / tp,
                attention_bytes_per_gpu=kv * kv_shard_factor(m, tp=tp),
                activation_bytes_per_gpu=tokens * activation_bytes_per_token(m, counts, tp=tp)
                ), passes


@pytest.mark.parametrize("model", MODELS)
def test_decoder_work_equals_the_per_call_formulas(model: str) -> None:
    m = REGISTRY.get("model", model)
    counts = param_counts(m)
    for prec, tp, t, batch, kvb in itertools.product(
            PRECISIONS, (1, 2, 8), (1, 777, 8192, 30_001), (1, 3, 64), (2.0, 1.0, 0.5)):
        scheme = resolve_scheme(prec)
        layout = weight_layout(m, counts, scheme, stored_weight_bytes(m, counts, scheme))
        common = dict(m=m, counts=counts, layout=layout, kv_bytes_per_element=kvb, tp=tp)
        written, chunks = prefill_work(prompt_tokens=t, max_batched_tokens=4096, **common)
        # the elementwise term is compared, too (none in an encoder-decoder)
        assert (written.activation_bytes_per_gpu > 0) == (m.architecture == "decoder")
        assert decoder.prefill_work(prompt_tokens=t, max_batched_tokens=4096, **common) == \
            (written, chunks)
        for mbt in (None, 4096):
            assert decoder.batched_prefill_work(prompt_tokens=t, batch=batch,
                                                max_batched_tokens=mbt, **common) == \
                batched_prefill_work(prompt_tokens=t, batch=batch, max_batched_tokens=mbt,
                                     **common)
        for context in (t, t + 0.5):
            assert decoder.decode_step_work(batch=batch, context_tokens=context,
                                            kv_read_amplification=1.3, **common) == \
                decode_step_work(batch=batch, context_tokens=context,
                                 kv_read_amplification=1.3, **common)


def _plan(m, hw, scheme, a, kvb, tp, context):  # noqa: ANN001, ANN202
    """memory.plan_memory as decoder_point built it before engine/replica.py."""
    counts = param_counts(m)
    per_gpu = None
    if m.linear_attention_layers or m.architecture == "encoder-decoder":
        per_gpu = cache_bytes_per_gpu(m, context_tokens=context, kv_bytes_per_element=kvb, tp=tp)
    return plan_memory(
        m=m, total_weight_bytes=stored_weight_bytes(m, counts, scheme),
        kv_bytes_per_sequence_total=kv_cache_bytes_for_context(
            m, context_tokens=context, kv_bytes_per_element=kvb),
        capacity_gb=hw.capacity_bytes / 1e9, tp=tp, kv_bytes_per_sequence_per_gpu=per_gpu,
        memory_utilization=a.memory_utilization, runtime_overhead_gb=a.runtime_overhead_gb,
        max_batched_tokens=a.max_batched_tokens)


def _most_that_fit(plan) -> int:  # noqa: ANN001
    """The largest C with plan.fits(C), searched (doubling, then bisection), not in closed
    form."""
    if not plan.fits(1):
        return 0
    lo, hi = 1, 2
    while plan.fits(hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if plan.fits(mid) else (lo, mid)
    return lo


def _timing(m, hw, scheme, a, kvb, tp, c, t_in, t_out, static, dtype):  # noqa: ANN001, ANN202
    """decoder_timing as composed before timing.ReplicaPasses: Work objects through
    roofline.pass_time."""
    counts = param_counts(m)
    layout = weight_layout(m, counts, scheme, stored_weight_bytes(m, counts, scheme))
    peak = hw.compute_tflops_for(dtype) or 0.0
    link = link_for(hw, tp).gb_per_s or 0.0
    ce = linear_compute_efficiency(m, counts, compute_efficiency=a.compute_efficiency,
                                   moe_compute_efficiency=a.moe_compute_efficiency)
    attn_peak = attention_peak_tflops(peak, hw.compute_tflops_for("fp8"))
    routed = decoder.routed_time_weight(m, counts,
                                        moe_compute_efficiency=a.moe_compute_efficiency)
    per_expert = m.experts_per_token / m.num_experts if m.is_moe else 0.0

    def timed(work, passes, sequences=0, tokens=0.0):  # noqa: ANN001, ANN202
        per_reduce = 0.0 if tp <= 1 else allreduce_time_s(
            message_bytes=work.allreduce_bytes, tp=tp, link_gb_per_s=link,
            link_efficiency=a.interconnect_efficiency,
            hop_latency_us=a.allreduce_hop_latency_us)
        return pass_time(
            flops_per_gpu=work.flops_per_gpu, bytes_per_gpu=work.bytes_per_gpu,
            peak_flops=peak * 1e12, bandwidth_bytes_per_s=achieved_bandwidth_of(hw, a),
            compute_efficiency=a.compute_efficiency, bandwidth_efficiency=1.0,
            comm_s=work.allreduces * per_reduce,
            overhead_s=step_overhead_s(passes=passes, sequences=sequences, a=a),
            attention_flops_per_gpu=work.attention_flops_per_gpu,
            attention_bytes_per_gpu=work.attention_bytes_per_gpu, linear_compute_efficiency=ce,
            attention_peak_flops=attn_peak * 1e12,
            activation_bytes_per_gpu=work.activation_bytes_per_gpu, tokens=tokens,
            gemm_padding_tokens=a.gemm_padding_tokens, expert_tokens=tokens * per_expert,
            routed_weight=routed)

    common = dict(m=m, counts=counts, layout=layout, kv_bytes_per_element=kvb, tp=tp)
    encoder_s = 0.0
    if m.architecture == "encoder-decoder":
        encoder_s = timed(encoder_pass_work(m=m, scheme=scheme, tp=tp), 0).total_s
    pf, chunks = prefill_work(prompt_tokens=t_in, max_batched_tokens=a.max_batched_tokens,
                              **common)
    prefill = timed(pf, chunks, 0, min(t_in, a.max_batched_tokens))  # M: the chunk's tokens
    step = timed(decode_step_work(batch=c, context_tokens=t_in + t_out / 2,
                                  kv_read_amplification=kv_read_amplification(
                                      m, gqa_kv_reread=a.gqa_kv_reread), **common), 1, c, c)
    if static:
        prefill = timed(*batched_prefill_work(prompt_tokens=t_in, batch=c, **common), 0,
                        c * t_in)
        ttft = encoder_s * c + prefill.total_s  # offline: no request overhead
        tpot = step.total_s
    else:
        others = 0.0
        if c > 1:
            work, passes = batched_prefill_work(prompt_tokens=t_in, batch=c - 1,
                                                max_batched_tokens=a.max_batched_tokens,
                                                **common)
            others = timed(work, passes, 0, (c - 1) * t_in / passes).total_s
        tpot = step.total_s + others / t_out
        ttft = encoder_s + prefill.total_s + a.request_overhead_ms * 1e-3 + prefill_contention_s(
            concurrency=c, prefill_s=prefill.total_s, prefill_chunks=chunks,
            step_s=step.total_s, step_attention_s=step.attention_s,
            e2e_s=prefill.total_s + t_out * tpot)
    return prefill, step, ttft, tpot, ttft + (t_out - 1) * tpot


@pytest.mark.parametrize("model", MODELS)
def test_point_equals_the_searched_plan_and_the_composed_passes(model: str) -> None:
    m = REGISTRY.get("model", model)
    a = Assumptions()
    checked = timed = 0
    for hw_id, prec, gpus, conc, (t_in, t_out), static in itertools.product(
            HARDWARE, PRECISIONS, (None, 1, 8), (None, 1, 64), ((2000, 500), (30_000, 3)),
            (False, True)):
        if static and conc is None:
            continue
        hw = REGISTRY.get("hardware", hw_id)
        scheme = resolve_scheme(prec)
        kvb = kv_bytes_per_element(default_kv_precision(scheme))
        p = decoder_point(model=m, hardware=hw, scheme=scheme, kv_bytes_per_element=kvb,
                          gpus=gpus, workload=Workload(t_in, t_out, conc, static),
                          assumptions=a)
        context = t_in + t_out
        sizes = valid_tp_sizes(m)
        plans = {tp: _plan(m, hw, scheme, a, kvb, tp, context) for tp in sizes}
        need = conc or 1
        min_gpus = next((tp for tp in sizes if plans[tp].fits(need)), None)
        tp = (min_gpus or sizes[-1]) if gpus is None else gpus
        plan = plans.get(tp) or _plan(m, hw, scheme, a, kvb, tp, context)
        most = _most_that_fit(plan)
        assert most == plan.max_concurrency()  # MemoryPlan's own closed form, too
        max_conc = min(most, a.max_num_seqs)
        c = conc if conc is not None else max_conc
        mem = p.memory
        assert (p.deployment, p.concurrency, mem.min_gpus, mem.max_concurrency) == (
            Deployment(tp=tp), c, min_gpus, max_conc)
        assert mem.fits == (c >= 1 and plan.fits(c))
        assert (mem.weights_bytes_per_gpu, mem.activations_bytes_per_gpu,
                mem.overhead_bytes_per_gpu, mem.capacity_bytes, mem.usable_bytes) == (
            plan.weights_bytes, plan.activations_bytes, plan.overhead_bytes,
            plan.capacity_bytes, plan.usable_bytes)
        assert (mem.kv_bytes_per_gpu, mem.total_bytes_per_gpu) == (
            plan.kv_bytes(max(c, 0)), plan.total_bytes(max(c, 0)))
        assert replica_gpus(model=m, hardware=hw, scheme=scheme, kv_bytes_per_element=kvb,
                            gpus=gpus, workload=Workload(t_in, t_out, conc, static),
                            assumptions=a) == tp  # the size alone, as api.operating_point asks
        checked += 1
        if p.timing is None:
            continue
        prefill, step, ttft, tpot, e2e = _timing(m, hw, scheme, a, kvb, tp, c, t_in, t_out,
                                                 static, p.compute_dtype)
        t = p.timing
        assert (t.prefill, t.decode, t.ttft_s, t.tpot_s, t.e2e_s) == (
            prefill, step, ttft, tpot, e2e)
        timed += 1
    assert checked > 300 and timed > 50


def test_sizing_is_kept_per_record_object_and_follows_a_changed_one() -> None:
    m = REGISTRY.get("model", "llama-3.1-8b")
    hw = REGISTRY.get("hardware", "h100-sxm")
    scheme, a = resolve_scheme("bf16"), Assumptions()
    first = sizing(m, hw, scheme, a, 2.0)
    assert sizing(m, hw, scheme, a, 2.0) is first
    assert first.shard(2) is first.shard(2)
    assert sizing(m, hw, scheme, a, 1.0) is not first            # another KV precision
    smaller = dataclasses.replace(hw, device_memory_mib=None, memory_gb=40.0)
    assert sizing(m, smaller, scheme, a, 2.0).usable_bytes == pytest.approx(
        40e9 * a.memory_utilization)                              # a changed record: computed
    tighter = Assumptions(memory_utilization=0.5)
    assert sizing(m, hw, scheme, tighter, 2.0).usable_bytes < first.usable_bytes
    with pytest.raises(AttributeError):
        first.usable_bytes = 0.0  # type: ignore[misc]


def test_the_replica_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "MAX_ENTRIES", 4)
    m = REGISTRY.get("model", "llama-3.1-8b")
    hw = REGISTRY.get("hardware", "h100-sxm")
    for n in range(10):
        sizing(m, hw, resolve_scheme("bf16"), Assumptions(max_num_seqs=n + 1), 2.0)
    assert len(memo._CACHE) <= 4
