"""decoder_point for a deployment the user chose: expert or attention-data parallelism,
pipeline stages, speculative decoding or a prefix-cache hit share (engine/deployed.py,
engine/timing_deployed.py).  No search over sizes: the layout is given."""

from __future__ import annotations

from inferx.engine.architecture import kv_cache_bytes_for_context, param_counts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import weight_layout
from inferx.engine.deployed import weights_bytes_per_device
from inferx.engine.deployment import Deployment
from inferx.engine.memo import per_objects
from inferx.engine.memory import (
    MemoryPlan,
    activation_bytes_per_gpu,
    kv_shard_factor,
    weight_bytes,
)
from inferx.engine.point import (
    DecoderPoint,
    Note,
    Workload,
    hardware_checks,
    memory_point,
)
from inferx.engine.replica import sizing
from inferx.engine.speculative import Speculation, head_fraction
from inferx.engine.timing_deployed import deployed_timing
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme


@per_objects(4)
def _fixed(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, a: Assumptions,
           weights_total: float, d: Deployment) -> tuple[tuple[float, float, float, float],
                                                       tuple[str, bool, tuple[Note, ...],
                                                             tuple[Note, ...]]]:
    """What a deployment's points share, kept per (profiles, scheme, assumptions objects,
    weight bytes, layout): the per-device memory that does not depend on the point (weights
    without a drafter, activations, capacity, KV shard factor) and the hardware checks."""
    counts = param_counts(m)
    per_device = weights_bytes_per_device(weight_layout(m, counts, scheme, weights_total), m, d)
    return ((per_device,
             activation_bytes_per_gpu(m, tp=d.tp, max_batched_tokens=a.max_batched_tokens,
                                      gathered_ranks=d.dp_attention),
             hw.capacity_bytes, kv_shard_factor(m, tp=d.tp)),
            hardware_checks(hw, scheme, d))


def _deployed_plan(m: ModelRecord, hw: HardwareRecord, a: Assumptions, d: Deployment,
                   scheme: Scheme, weights_total: float, kv_seq_total: float,
                   spec: Speculation | None, kv_bytes_per_element: float,
                   context_tokens: int) -> MemoryPlan:
    """Per-device memory of an EP / attention-DP / PP deployment (engine/deployed.py), with
    the draft model or MTP/EAGLE head of speculative decoding:

        weights = dense / (tp·pp) + routed experts / (world·pp) + draft weights
        KV per sequence = KV · shard(tp) / pp (+ draft KV), a rank holding ceil(C / dp)"""
    per_device, activations, capacity, shard = _fixed(m, hw, scheme, a, weights_total, d)[0]
    kv_seq = kv_seq_total * shard / d.pp
    if spec is not None and spec.method in ("mtp", "eagle"):
        per_device += weights_total * head_fraction(m) / d.tp
        kv_seq += kv_seq_total * head_fraction(m) * shard
    elif spec is not None and spec.draft_model is not None:
        dm = spec.draft_model
        per_device += weight_bytes(param_counts(dm), scheme)
        kv_seq += kv_cache_bytes_for_context(dm, context_tokens=context_tokens,
                                             kv_bytes_per_element=kv_bytes_per_element)
    return MemoryPlan(capacity_bytes=capacity, usable_bytes=capacity * a.memory_utilization,
                      weights_bytes=per_device, activations_bytes=activations,
                      overhead_bytes=a.runtime_overhead_gb * 1e9, kv_bytes_per_sequence=kv_seq,
                      dp=d.dp_attention)


def deployed_point(*, model: ModelRecord, hardware: HardwareRecord, scheme: Scheme,
                    kv_bytes_per_element: float, workload: Workload, assumptions: Assumptions,
                    deployment: Deployment, speculation: Speculation | None,
                    cached_fraction: float) -> DecoderPoint:
    """decoder_point for a given deployment (no search over sizes: the user chose it)."""
    a, m, hw, d = assumptions, model, hardware, deployment
    notes: list[Note] = []
    r = sizing(m, hw, scheme, a, kv_bytes_per_element)  # what the replica's points share
    counts, weights_total = r.counts, r.weights_total
    context = workload.input_tokens + workload.output_tokens
    kv_seq_total = r.work.kv_bytes(context)
    mem = _deployed_plan(m, hw, a, d, scheme, weights_total, kv_seq_total, speculation,
                         kv_bytes_per_element, context)
    max_conc = min(mem.max_concurrency(), a.max_num_seqs * d.dp_attention)
    concurrency = workload.concurrency if workload.concurrency is not None else max_conc
    fits = concurrency >= 1 and mem.fits(concurrency)
    if workload.concurrency is None and mem.max_concurrency() > a.max_num_seqs * d.dp_attention:
        notes.append(Note("concurrency_capped", (
            f"memory holds {mem.max_concurrency()} sequences; capped at the runtime limit "
            f"max_num_seqs={a.max_num_seqs} per attention-DP rank")))
    if not fits:
        notes.append(Note("does_not_fit", (
            f"{m.id} at {scheme.id} with {context} tokens x {max(concurrency, 1)} sequences "
            f"does not fit on {d.gpus_per_replica} x {hw.id} as {d.label()}; performance not "
            "estimated")))
    dtype, fallback, missing, hw_notes = _fixed(m, hw, scheme, a, weights_total, d)[1]
    notes.extend(hw_notes)
    memory = memory_point(
        mem, weights_total=weights_total,
        kv_bytes_per_token=r.kv_bytes_per_token,
        concurrency=concurrency, fits=fits, min_gpus=None, max_concurrency=max_conc)
    timing = None
    if workload.timed(concurrency=concurrency, fits=fits, missing=bool(missing)):
        timing = deployed_timing(
            m=m, hw=hw, scheme=scheme, counts=counts, weights_total=weights_total,
            kv_bytes_per_element=kv_bytes_per_element, d=d, concurrency=concurrency,
            input_tokens=workload.input_tokens, output_tokens=workload.output_tokens,
            static_batch=workload.static_batch, peak_tflops=r.peak_tflops,
            a=a, speculation=speculation, cached_fraction=cached_fraction)
    return DecoderPoint(deployment=d, concurrency=concurrency, compute_dtype=dtype,
                        weight_only_fallback=fallback, counts=counts, memory=memory,
                        timing=timing, notes=tuple(notes))
