"""One operating point of a decoder replica: memory plan and timing, in SI units (pure).

Steady-state continuous batching with `concurrency` sequences in flight
(docs/methodology.md#serving-model):

    TTFT = prefill(T_in) + request_overhead + contention(C)      (prefill_contention_s; 0 at C = 1)
    TPOT = decode_step(C, L̄) + prefill_batched(C − 1, T_in) / T_out  (others' prefills interleave,
           batched in chunks of max_batched_tokens: weights streamed once per chunk)
    E2E  = TTFT + (T_out − 1)·TPOT
    output tokens/s = C · T_out / E2E                               (Little's law)

Static batching (`Workload.static_batch`: B prompts prefilled together, then decoded in lock
step, no new request joins until all finish; TensorRT-LLM gptSessionBenchmark, HF generate):

    TTFT = prefill_batch(B, T_in) + request_overhead
    TPOT = decode_step(B, L̄)
    E2E  = TTFT + (T_out − 1)·TPOT
    output tokens/s = B · T_out / E2E

A hardware figure the timing needs but the profile lacks (dense peak FLOPS for the compute
dtype; a link bandwidth when the replica spans devices) is never replaced by a default: the
timing is not computed (None) and a note names the profile and the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inferx.engine.architecture import (
    kv_cache_bytes_for_context,
    kv_cache_bytes_per_token,
    param_counts,
)
from inferx.engine.assumptions import Assumptions
from inferx.engine.deployment import Deployment, valid_tp_sizes
from inferx.engine.memory import MemoryPlan, cache_bytes_per_gpu, plan_memory, stored_weight_bytes
from inferx.engine.point import (  # noqa: F401 (re-exported: the engine's point API)
    DecoderPoint,
    MemoryPoint,
    Note,
    Workload,
    compute_dtype_for,
    hardware_checks,
    layout_notes,
    memory_point,
    missing_figures,
)
from inferx.engine.timing import decoder_timing

if TYPE_CHECKING:  # types only: speculation runs in engine/deployed_point.py, imported on use
    from inferx.engine.speculative import Speculation
    from inferx.profiles import HardwareRecord, ModelRecord
    from inferx.quant import Scheme


def _memory_plan(m: ModelRecord, hw: HardwareRecord, a: Assumptions, tp: int,
                 weights_total: float, kv_seq_total: float, context: int,
                 kv_bytes_per_element: float) -> MemoryPlan:
    per_gpu = None
    if m.linear_attention_layers or m.architecture == "encoder-decoder":
        # a hybrid's state and a cross-attention cache shard by their own heads
        per_gpu = cache_bytes_per_gpu(m, context_tokens=context,
                                      kv_bytes_per_element=kv_bytes_per_element, tp=tp)
    return plan_memory(m=m, total_weight_bytes=weights_total,
                       kv_bytes_per_sequence_total=kv_seq_total, capacity_gb=hw.capacity_bytes / 1e9, tp=tp,
                       kv_bytes_per_sequence_per_gpu=per_gpu,
                       memory_utilization=a.memory_utilization,
                       runtime_overhead_gb=a.runtime_overhead_gb,
                       max_batched_tokens=a.max_batched_tokens)


def decoder_point(
    *, model: ModelRecord, hardware: HardwareRecord, scheme: Scheme,
    kv_bytes_per_element: float, gpus: int | None, workload: Workload,
    assumptions: Assumptions, deployment: Deployment | None = None,
    speculation: Speculation | None = None, cached_fraction: float = 0.0,
) -> DecoderPoint:
    """Memory plan and timing for one replica at one concurrency (pure).

    deployment None: plain tensor parallelism over `gpus` (None: the fewest valid TP sizes
    whose memory holds the workload's concurrency).  A deployment with EP, attention DP or
    PP, speculative decoding or a prefix-cache hit share runs engine/timing_deployed.py."""
    if deployment is not None and not deployment.plain_tp or speculation is not None \
            or cached_fraction > 0:
        from inferx.engine.deployed_point import deployed_point

        return deployed_point(model=model, hardware=hardware, scheme=scheme,
                               kv_bytes_per_element=kv_bytes_per_element, workload=workload,
                               assumptions=assumptions,
                               deployment=deployment or Deployment(tp=gpus or 1),
                               speculation=speculation, cached_fraction=cached_fraction)
    if deployment is not None:
        gpus = deployment.tp
    a, m, hw = assumptions, model, hardware
    notes: list[Note] = []
    counts = param_counts(m)
    weights_total = stored_weight_bytes(m, counts, scheme)  # exact checkpoint bytes if read
    context = workload.input_tokens + workload.output_tokens
    kv_seq_total = kv_cache_bytes_for_context(m, context_tokens=context,
                                              kv_bytes_per_element=kv_bytes_per_element)
    tp_sizes = valid_tp_sizes(m)
    need = workload.concurrency or 1

    def plan(tp: int) -> MemoryPlan:
        return _memory_plan(m, hw, a, tp, weights_total, kv_seq_total, context,
                            kv_bytes_per_element)

    min_gpus = next((tp for tp in tp_sizes if plan(tp).fits(need)), None)
    tp = (min_gpus or tp_sizes[-1]) if gpus is None else gpus
    mem = plan(tp)
    max_conc = min(mem.max_concurrency(), a.max_num_seqs)
    concurrency = workload.concurrency if workload.concurrency is not None else max_conc
    fits = concurrency >= 1 and mem.fits(concurrency)
    if workload.concurrency is None and mem.max_concurrency() > a.max_num_seqs:
        notes.append(Note("concurrency_capped", (
            f"memory holds {mem.max_concurrency()} sequences; capped at the runtime limit "
            f"max_num_seqs={a.max_num_seqs}")))
    if not fits:
        need_txt = f"{min_gpus} GPUs" if min_gpus else f"more than {tp_sizes[-1]} GPUs"
        notes.append(Note("does_not_fit", (
            f"{m.id} at {scheme.id} with {context} tokens x {max(concurrency, 1)} sequences "
            f"does not fit on {tp} x {hw.id} (needs {need_txt}); performance not estimated")))
    if min_gpus is None:
        notes.append(Note("no_fit_found", (
            f"no tensor-parallel size up to {tp_sizes[-1]} fits this model on {hw.id}")))

    dtype, fallback, missing, hw_notes = hardware_checks(hw, scheme, Deployment(tp=tp))
    notes.extend(hw_notes)
    memory = memory_point(
        mem, weights_total=weights_total,
        kv_bytes_per_token=kv_cache_bytes_per_token(m, kv_bytes_per_element=kv_bytes_per_element),
        concurrency=concurrency, fits=fits, min_gpus=min_gpus, max_concurrency=max_conc)
    timing = None
    if workload.timed(concurrency=concurrency, fits=fits, missing=bool(missing)):
        timing = decoder_timing(
            m=m, hw=hw, scheme=scheme, counts=counts, weights_total=weights_total,
            kv_bytes_per_element=kv_bytes_per_element, tp=tp, concurrency=concurrency,
            input_tokens=workload.input_tokens, output_tokens=workload.output_tokens,
            static_batch=workload.static_batch, peak_tflops=hw.peak_tflops_for(dtype) or 0.0,
            a=a)
    return DecoderPoint(deployment=Deployment(tp=tp), concurrency=concurrency,
                        compute_dtype=dtype, weight_only_fallback=fallback, counts=counts,
                        memory=memory, timing=timing, notes=tuple(notes))


