"""`inferx estimate` for fixed (non-LLM) and encoder workloads: the engine's FixedPoint
(engine/fixed_point.py) assembled into the result model (units, rounding).  --gpus are
independent replicas (each holds the weights); token options do not apply."""

from __future__ import annotations

from inferx.api import Answer
from inferx.assemble import assumptions_list, notes_to_warnings, profile_ref
from inferx.engine import fixed
from inferx.engine.fixed_point import fixed_point
from inferx.results_base import PhaseBreakdown
from inferx.results_fixed import (
    FixedCostResult,
    FixedEnergyResult,
    FixedEstimateResult,
    FixedInputs,
    FixedLatencyResult,
    FixedMemoryResult,
    FixedThroughputResult,
    FixedWorkloadFacts,
)
from inferx.scenario import Scenario


def estimate_fixed(sc: Scenario) -> Answer:
    req, a = sc.request, sc.assumptions
    gpus = req.gpus or 1
    concurrency = req.concurrency_value
    p = fixed_point(model=sc.model, hardware=sc.hardware, scheme=sc.scheme, gpus=gpus,
                    concurrency=concurrency, input_tokens=req.input_tokens, a=a)
    usd = sc.price.usd_per_gpu_hour
    usd_per_hour = usd * gpus if usd is not None else None
    phase = usd_1k = j_per_inf = per_s_gpu = None
    if p.time is not None and p.inferences_per_s is not None:
        t = p.time
        phase = PhaseBreakdown(bound=t.bound, compute_ms=t.compute_s * 1e3,
                               memory_ms=t.memory_s * 1e3, communication_ms=0.0,
                               overhead_ms=t.overhead_s * 1e3)
        per_s_gpu = p.inferences_per_s / gpus
        if usd_per_hour is not None:
            usd_1k = fixed.usd_per_thousand_inferences(usd_per_hour=usd_per_hour,
                                                       inferences_per_s=p.inferences_per_s)
        if p.power_w is not None:
            j_per_inf = fixed.joules_per_inference(power_w=p.power_w,
                                                   inferences_per_s=p.inferences_per_s)
    profiles = [profile_ref("model", sc.model), profile_ref("hardware", sc.hardware)]
    if sc.price.profile is not None:
        profiles.append(profile_ref("price", sc.price.profile))
    act_batch = max(p.batch, 0) * p.activation_bytes
    result = FixedEstimateResult(
        workload_kind=p.workload_kind,
        inputs=FixedInputs(model=sc.model.id, hardware=sc.hardware.id, precision=sc.scheme.id,
                           compute_dtype=p.compute_dtype, gpus=gpus, batch_size=p.batch,
                           concurrency_mode="max" if concurrency == "max" else "fixed",
                           price=sc.price.label, pricing=req.pricing),
        workload=FixedWorkloadFacts(
            gflops_per_inference=p.flops / 1e9, weights_mb=p.weights_bytes / 1e6,
            activation_mb_per_inference=(p.activation_bytes / 1e6 if p.activation_known
                                         else None),
            workload_unit=p.unit),
        memory=FixedMemoryResult(
            capacity_gb_per_gpu=p.capacity_bytes / 1e9, usable_gb_per_gpu=p.usable_bytes / 1e9,
            weights_gb_per_gpu=p.weights_bytes / 1e9, activations_gb_per_gpu=act_batch / 1e9,
            overhead_gb_per_gpu=a.runtime_overhead_gb,
            total_gb_per_gpu=(p.weights_bytes + act_batch) / 1e9 + a.runtime_overhead_gb,
            fits=p.fits, max_batch_size=p.max_batch),
        latency=FixedLatencyResult(latency_ms=None if p.latency_s is None else p.latency_s * 1e3,
                                   batch=phase),
        throughput=FixedThroughputResult(inferences_per_s=p.inferences_per_s,
                                         inferences_per_s_per_gpu=per_s_gpu),
        cost=FixedCostResult(usd_per_gpu_hour=usd, usd_per_hour=usd_per_hour,
                             usd_per_thousand_inferences=usd_1k),
        energy=FixedEnergyResult(power_w=p.power_w, joules_per_inference=j_per_inf),
        assumptions=assumptions_list(a, sc.hardware_assumed), profiles=profiles)
    return Answer(result=result, warnings=notes_to_warnings(sc.price.notes, p.notes))
