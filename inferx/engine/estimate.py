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

    TTFT = prefill_batch(B, T_in)      (timed from the batch's token ids: no per-request
                                        tokenization or admission, so no request_overhead)
    TPOT = decode_step(B, L̄)
    E2E  = TTFT + (T_out − 1)·TPOT
    output tokens/s = B · T_out / E2E

A hardware figure the timing needs but the profile lacks (dense peak FLOPS for the compute
dtype; a link bandwidth when the replica spans devices) is never replaced by a default: the
timing is not computed (None) and a note names the profile and the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inferx.engine.assumptions import Assumptions
from inferx.engine.deployment import Deployment
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
from inferx.engine.replica import Sizing, sizing

if TYPE_CHECKING:  # types only: speculation runs in engine/deployed_point.py, imported on use
    from inferx.engine.speculative import Speculation
    from inferx.profiles import HardwareRecord, ModelRecord
    from inferx.quant import Scheme


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
    r = sizing(m, hw, scheme, a, kv_bytes_per_element)
    context = workload.input_tokens + workload.output_tokens
    kv_seq_total = r.work.kv_bytes(context)  # one sequence's cache, all GPUs
    tp_sizes = r.tp_sizes
    usable = r.usable_bytes
    min_gpus = _fewest_gpus(r, kv_seq_total, context, workload.concurrency or 1)
    tp = (min_gpus or tp_sizes[-1]) if gpus is None else gpus
    s = r.shard(tp)
    kv_seq = r.kv_per_sequence(s, kv_seq_total, context)
    held = s.max_sequences(kv_seq)
    max_conc = min(held, a.max_num_seqs)
    concurrency = workload.concurrency if workload.concurrency is not None else max_conc
    fits = concurrency >= 1 and s.fixed_bytes + concurrency * kv_seq <= usable
    if workload.concurrency is None and held > a.max_num_seqs:
        notes.append(Note("concurrency_capped", (
            f"memory holds {held} sequences; capped at the runtime limit "
            f"max_num_seqs={a.max_num_seqs}")))
    if not fits:
        need_txt = f"{min_gpus} GPUs" if min_gpus else f"more than {tp_sizes[-1]} GPUs"
        notes.append(Note("does_not_fit", (
            f"{m.id} at {scheme.id} with {context} tokens x {max(concurrency, 1)} sequences "
            f"does not fit on {tp} x {hw.id} (needs {need_txt}); performance not estimated")))
    if min_gpus is None:
        notes.append(Note("no_fit_found", (
            f"no tensor-parallel size up to {tp_sizes[-1]} fits this model on {hw.id}")))
    missing, hw_notes = s.checks()
    notes.extend(hw_notes)
    kv_gpu = max(concurrency, 0) * kv_seq
    memory = MemoryPoint(
        capacity_bytes=r.capacity_bytes, usable_bytes=usable, weights_bytes=r.weights_total,
        weights_bytes_per_gpu=s.weights_bytes, kv_bytes_per_token=r.kv_bytes_per_token,
        kv_bytes_per_gpu=kv_gpu, activations_bytes_per_gpu=s.activations_bytes,
        overhead_bytes_per_gpu=r.overhead_bytes, total_bytes_per_gpu=s.fixed_bytes + kv_gpu,
        fits=fits, min_gpus=min_gpus, max_concurrency=max_conc)
    timing = None
    if workload.timed(concurrency=concurrency, fits=fits, missing=bool(missing)):
        timing = s.passes().timing(concurrency, workload.input_tokens, workload.output_tokens,
                                   workload.static_batch)
    return DecoderPoint(deployment=s.deployment, concurrency=concurrency,
                        compute_dtype=r.compute_dtype, weight_only_fallback=r.fallback,
                        counts=r.counts, memory=memory, timing=timing, notes=tuple(notes))


def _fewest_gpus(r: Sizing, kv_seq_total: float, context: int, need: int) -> int | None:
    """The fewest valid TP sizes whose memory holds `need` sequences (None: none does)."""
    for size in r.tp_sizes:
        s = r.shard(size)
        if s.fixed_bytes + need * r.kv_per_sequence(s, kv_seq_total, context) <= r.usable_bytes:
            return size
    return None


def replica_gpus(*, model: ModelRecord, hardware: HardwareRecord, scheme: Scheme,
                 kv_bytes_per_element: float, gpus: int | None, workload: Workload,
                 assumptions: Assumptions) -> int:
    """The tensor-parallel size decoder_point gives a plain replica: `gpus`, else the fewest
    valid sizes that hold the workload's concurrency, else the largest (its memory plan only,
    no timing)."""
    if gpus is not None:
        return gpus
    r = sizing(model, hardware, scheme, assumptions, kv_bytes_per_element)
    context = workload.input_tokens + workload.output_tokens
    return _fewest_gpus(r, r.work.kv_bytes(context), context,
                        workload.concurrency or 1) or r.tp_sizes[-1]
