"""One operating point of a fixed (non-LLM) or encoder workload: per-inference roofline at a
batch, on `gpus` independent replicas (pure, SI units).  Formulas: engine/fixed.py,
engine/encoder.py, docs/methodology.md#fixed-workloads."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine import energy as energy_fn
from inferx.engine import fixed
from inferx.engine.assumptions import Assumptions
from inferx.engine.point import Note, compute_dtype_for
from inferx.engine.roofline import PassTime
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme


@dataclass(frozen=True)
class FixedPoint:
    workload_kind: str              # "fixed" or "encoder"
    unit: str | None                # what one inference is
    flops: float                    # per inference
    weights_bytes: float
    activation_bytes: float         # per inference (0 when the profile has no figure)
    activation_known: bool
    capacity_bytes: float
    usable_bytes: float
    batch: int
    max_batch: int
    fits: bool
    compute_dtype: str
    time: PassTime | None           # one batch's pass (None: not estimated)
    latency_s: float | None
    inferences_per_s: float | None
    power_w: float | None
    notes: tuple[Note, ...]


def fixed_point(*, model: ModelRecord, hardware: HardwareRecord, scheme: Scheme, gpus: int,
                concurrency: int | str, input_tokens: int, a: Assumptions) -> FixedPoint:
    """The batch (concurrency, or the largest that fits for "max") through the roofline."""
    hw, notes = hardware, []
    if model.architecture == "encoder":
        from inferx.engine.encoder import encoder_workload

        enc = encoder_workload(model=model, scheme=scheme, tokens=input_tokens)
        flops, weights = enc.flops_per_inference, enc.weights_bytes
        act, known = enc.activation_bytes_per_inference, True
        unit = f"sequence of {input_tokens:,} tokens (encoder pass)"
        if model.max_context_tokens and input_tokens > model.max_context_tokens:
            notes.append(Note("context_exceeds_model", (
                f"{input_tokens:,} input tokens exceed {model.id}'s context window of "
                f"{model.max_context_tokens:,} tokens")))
    else:
        flops = model.flops_per_inference
        weights = (model.weights_mb or 0) * fixed.BYTES_PER_MB
        act = (model.activation_mb_per_inference or 0) * fixed.BYTES_PER_MB
        known, unit = model.activation_mb_per_inference is not None, model.workload_unit
    capacity = hw.capacity_bytes
    usable = capacity * a.memory_utilization - a.runtime_overhead_gb * 1e9
    max_batch = fixed.max_batch_that_fits(usable_bytes=usable, weights_bytes=weights,
                                          activation_bytes_per_inference=act,
                                          limit=a.max_num_seqs)
    batch = max_batch if concurrency == "max" else int(concurrency)
    fits = batch >= 1 and fixed.batch_memory_bytes(
        weights_bytes=weights, activation_bytes_per_inference=act, batch=batch) <= usable
    if not known:
        notes.append(Note("no_activation_figure", (
            f"{model.id} has no activation_mb_per_inference: activation memory and traffic "
            "are not modelled (latency and memory are underestimated)")))
    if concurrency == "max" and act <= 0:
        notes.append(Note("concurrency_capped", (
            f"batch size capped at the runtime limit max_num_seqs={a.max_num_seqs}")))
    dtype, _ = compute_dtype_for(scheme, hw)
    peak = hw.peak_tflops_for(dtype)
    if peak is None:
        notes.append(Note("no_compute_figure", (
            f"hardware profile {hw.id}: no peak_tflops for {dtype}: latency, throughput and "
            f"cost are not estimated; give one with assume peak_tflops_{dtype}=TFLOPS")))
    if model.architecture == "fixed":
        notes.append(Note("fixed_workload_weights_as_stated", (
            f"{model.id} is a fixed workload: weights_mb is used as stated in the profile; "
            f"--precision {scheme.id} only selects the compute dtype ({dtype})")))
    time = latency_s = per_s = power = None
    if fits and peak is not None:
        perf = fixed.fixed_batch_performance(
            gflops_per_inference=flops / 1e9, weights_bytes=weights,
            activation_bytes_per_inference=act, batch=batch, gpus=gpus,
            peak_flops=(hw.compute_tflops_for(dtype) or peak) * 1e12, bandwidth_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
            compute_efficiency=a.compute_efficiency, bandwidth_efficiency=a.bandwidth_efficiency,
            overhead_s=a.step_overhead_ms * 1e-3)
        time, latency_s, per_s = perf.time, perf.latency_s, perf.inferences_per_s
        if hw.tdp_w is not None:
            power = energy_fn.average_power_w(tdp_w=hw.tdp_w, gpus=gpus,
                                              power_fraction_of_tdp=a.power_fraction_of_tdp,
                                              pue=a.pue)
    elif not fits:
        notes.append(Note("does_not_fit", (
            f"{model.id} at batch {batch} does not fit on {hw.id} "
            f"(largest batch that fits: {max_batch}); performance not estimated")))
    return FixedPoint(
        workload_kind="encoder" if model.architecture == "encoder" else "fixed", unit=unit,
        flops=flops, weights_bytes=weights, activation_bytes=act, activation_known=known,
        capacity_bytes=capacity, usable_bytes=usable, batch=batch, max_batch=max_batch,
        fits=fits, compute_dtype=dtype, time=time, latency_s=latency_s, inferences_per_s=per_s,
        power_w=power, notes=tuple(notes))
