"""`inferx estimate` for fixed (non-LLM) and encoder workloads: per-inference latency from a
roofline at batch = concurrency, inferences/s and USD per 1,000 inferences (engine/fixed.py,
engine/encoder.py).  --gpus are independent replicas (each holds the weights)."""

from __future__ import annotations

from inferx.api import Answer
from inferx.assemble import notes_to_warnings, profile_ref
from inferx.engine.assumptions import Assumptions
from inferx.results import Assumption, Warning_
from inferx.scenario import Scenario


def estimate_fixed(sc: Scenario) -> Answer:
    """`inferx estimate` for a fixed (non-LLM) workload: per-inference latency from a roofline
    at batch = --concurrency, inferences/s and USD per 1,000 inferences (engine/fixed.py).

    --gpus are independent replicas (each holds the weights); token options do not apply."""
    from inferx.engine import fixed
    from inferx.engine.estimate import compute_dtype_for
    from inferx.results import (
        FixedCostResult,
        FixedEnergyResult,
        FixedEstimateResult,
        FixedInputs,
        FixedLatencyResult,
        FixedMemoryResult,
        FixedThroughputResult,
        FixedWorkloadFacts,
        PhaseBreakdown,
    )

    request, model, hw, scheme, a = sc.request, sc.model, sc.hardware, sc.scheme, sc.assumptions
    gpus = request.gpus or 1
    price_label, usd, price_profile = sc.price.label, sc.price.usd_per_gpu_hour, sc.price.profile
    warnings = notes_to_warnings(sc.price.notes)
    concurrency = request.concurrency_value
    if model.architecture == "encoder":
        from inferx.engine.encoder import encoder_workload

        enc = encoder_workload(model=model, scheme=scheme, tokens=request.input_tokens)
        flops, weights = enc.flops_per_inference, enc.weights_bytes
        act, act_mb = enc.activation_bytes_per_inference, enc.activation_bytes_per_inference / 1e6
        unit = f"sequence of {request.input_tokens:,} tokens (encoder pass)"
        if model.max_context_tokens and request.input_tokens > model.max_context_tokens:
            warnings.append(Warning_(code="context_exceeds_model", message=(
                f"{request.input_tokens:,} input tokens exceed {model.id}'s context window of "
                f"{model.max_context_tokens:,} tokens")))
    else:
        flops = model.flops_per_inference
        weights = (model.weights_mb or 0) * fixed.BYTES_PER_MB
        act = (model.activation_mb_per_inference or 0) * fixed.BYTES_PER_MB
        act_mb, unit = model.activation_mb_per_inference, model.workload_unit
    capacity = hw.capacity_bytes
    usable = capacity * a.memory_utilization - a.runtime_overhead_gb * 1e9
    max_batch = fixed.max_batch_that_fits(usable_bytes=usable, weights_bytes=weights,
                                          activation_bytes_per_inference=act,
                                          limit=a.max_num_seqs)
    batch = max_batch if concurrency == "max" else int(concurrency)
    fits = batch >= 1 and fixed.batch_memory_bytes(
        weights_bytes=weights, activation_bytes_per_inference=act, batch=batch) <= usable
    if act_mb is None:
        warnings.append(Warning_(code="no_activation_figure", message=(
            f"{model.id} has no activation_mb_per_inference: activation memory and traffic "
            "are not modelled (latency and memory are underestimated)")))
    if concurrency == "max" and act <= 0:
        warnings.append(Warning_(code="concurrency_capped", message=(
            f"batch size capped at the runtime limit max_num_seqs={a.max_num_seqs}")))
    dtype, fallback = compute_dtype_for(scheme, hw)
    peak = hw.peak_tflops_for(dtype)
    if peak is None:
        warnings.append(Warning_(code="no_compute_figure", message=(
            f"hardware profile {hw.id}: no peak_tflops for {dtype}: latency, throughput and "
            f"cost are not estimated; give one with assume peak_tflops_{dtype}=TFLOPS")))
    if model.architecture == "fixed":
        warnings.append(Warning_(code="fixed_workload_weights_as_stated", message=(
            f"{model.id} is a fixed workload: weights_mb is used as stated in the profile; "
            f"--precision {scheme.id} only selects the compute dtype ({dtype})")))
    usd_per_hour = usd * gpus if usd is not None else None
    latency_ms = per_s = per_s_gpu = usd_1k = power = j_per_inf = None
    phase = None
    if fits and peak is not None:
        perf = fixed.fixed_batch_performance(
            gflops_per_inference=flops / 1e9, weights_bytes=weights,
            activation_bytes_per_inference=act, batch=batch, gpus=gpus,
            peak_flops=peak * 1e12, bandwidth_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
            compute_efficiency=a.compute_efficiency, bandwidth_efficiency=a.bandwidth_efficiency,
            overhead_s=a.step_overhead_ms * 1e-3)
        t = perf.time
        phase = PhaseBreakdown(bound=t.bound, compute_ms=t.compute_s * 1e3,
                               memory_ms=t.memory_s * 1e3, communication_ms=0.0,
                               overhead_ms=t.overhead_s * 1e3)
        latency_ms, per_s = perf.latency_s * 1e3, perf.inferences_per_s
        per_s_gpu = per_s / gpus
        if usd_per_hour is not None:
            usd_1k = fixed.usd_per_thousand_inferences(usd_per_hour=usd_per_hour,
                                                       inferences_per_s=per_s)
        if hw.tdp_w is not None:
            from inferx.engine import energy

            power = energy.average_power_w(tdp_w=hw.tdp_w, gpus=gpus,
                                           power_fraction_of_tdp=a.power_fraction_of_tdp,
                                           pue=a.pue)
            j_per_inf = fixed.joules_per_inference(power_w=power, inferences_per_s=per_s)
    elif not fits:
        warnings.append(Warning_(code="does_not_fit", message=(
            f"{model.id} at batch {batch} does not fit on {hw.id} "
            f"(largest batch that fits: {max_batch}); performance not estimated")))
    profiles = [profile_ref("model", model), profile_ref("hardware", hw)]
    if price_profile is not None:
        profiles.append(profile_ref("price", price_profile))
    result = FixedEstimateResult(
        workload_kind="encoder" if model.architecture == "encoder" else "fixed",
        inputs=FixedInputs(model=model.id, hardware=hw.id, precision=scheme.id,
                           compute_dtype=dtype, gpus=gpus, batch_size=batch,
                           concurrency_mode="max" if concurrency == "max" else "fixed",
                           price=price_label, pricing=request.pricing),
        workload=FixedWorkloadFacts(gflops_per_inference=flops / 1e9,
                                    weights_mb=weights / 1e6,
                                    activation_mb_per_inference=act_mb,
                                    workload_unit=unit),
        memory=FixedMemoryResult(
            capacity_gb_per_gpu=capacity / 1e9, usable_gb_per_gpu=usable / 1e9,
            weights_gb_per_gpu=weights / 1e9, activations_gb_per_gpu=max(batch, 0) * act / 1e9,
            overhead_gb_per_gpu=a.runtime_overhead_gb,
            total_gb_per_gpu=(weights + max(batch, 0) * act) / 1e9 + a.runtime_overhead_gb,
            fits=fits, max_batch_size=max_batch),
        latency=FixedLatencyResult(latency_ms=latency_ms, batch=phase),
        throughput=FixedThroughputResult(inferences_per_s=per_s,
                                         inferences_per_s_per_gpu=per_s_gpu),
        cost=FixedCostResult(usd_per_gpu_hour=usd, usd_per_hour=usd_per_hour,
                             usd_per_thousand_inferences=usd_1k),
        energy=FixedEnergyResult(power_w=power, joules_per_inference=j_per_inf),
        assumptions=[Assumption(name=k, value=v, description=Assumptions.descriptions()[k])
                     for k, v in a.model_dump().items()],
        profiles=profiles)
    return Answer(result=result, warnings=warnings)
