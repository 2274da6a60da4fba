"""Library entry points: resolve profiles, call the engine, return result models.

The CLI calls these and adds nothing the library lacks::

    from inferx.api import estimate
    answer = estimate(EstimateRequest(model="llama-3.1-70b", hardware="h100", gpus=4))
    answer.result.cost.usd_per_million_output_tokens
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from inferx.engine import Assumptions, Workload, estimate_decoder
from inferx.engine.presets import annotate, base_assumptions, select_preset
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.profiles import GpuPriceProfile, HardwareProfile, ModelProfile
from inferx.quant import default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.registry import Registry
from inferx.results import Assumption, EstimateInputs, EstimateResult, ProfileRef, Warning_

PRICE_MAX_AGE_DAYS = 180


@dataclass
class Answer:
    """A result plus the warnings that go in the envelope."""

    result: Any
    warnings: list[Warning_] = field(default_factory=list)


def build_assumptions(overrides: dict[str, float], base: Assumptions | None = None) -> Assumptions:
    """Apply --assume NAME=VALUE overrides; errors name the assumption."""
    base = base or Assumptions()
    unknown = [k for k in overrides if k not in Assumptions.model_fields]
    if unknown:
        raise InputError("--assume", f"unknown assumption {unknown[0]!r}; expected one of "
                         f"{', '.join(Assumptions.model_fields)}")
    try:
        return Assumptions.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"])
        raise InputError("--assume", f"{name}: {err['msg']}") from None


def profile_ref(kind: str, p: Any) -> ProfileRef:
    return ProfileRef(kind=kind, id=p.id, name=p.name, source=p.source, as_of=p.as_of.isoformat())


def stale_price_warning(p: GpuPriceProfile | Any, today: dt.date) -> Warning_ | None:
    age = (today - p.as_of).days
    if age > PRICE_MAX_AGE_DAYS:
        return Warning_(code="price_stale", message=(
            f"price profile {p.id} is {age} days old (as_of {p.as_of}); prices move often: "
            "check it or pass --gpu-hour-price"))
    return None


def default_price_profile(registry: Registry, hardware_id: str,
                          pricing: str = "on-demand") -> GpuPriceProfile | None:
    """The price profile used when none is named: among the profiles for this hardware that
    publish a `pricing` price, the median by that price (the lower middle one for an even
    count, ties by id).  A typical market price, neither the cheapest marketplace listing nor
    the dearest hyperscaler; the result names it, and --price or --gpu-hour-price override."""
    offers = sorted((p.price_for(pricing), p.id, p) for p in registry.all("price")
                    if p.hardware == hardware_id and p.price_for(pricing) is not None)
    if not offers:
        return None
    return offers[(len(offers) - 1) // 2][2]


def resolve_price(registry: Registry, req: EstimateRequest, hw: HardwareProfile,
                  today: dt.date) -> tuple[str | None, float | None, Any, list[Warning_]]:
    """(price label, USD per GPU-hour, price profile or None, warnings).

    --gpu-hour-price wins; else --price ID; else default_price_profile()."""
    warnings: list[Warning_] = []
    if req.gpu_hour_price is not None:
        return "user", req.gpu_hour_price, None, warnings
    if req.price is not None:
        p = registry.get("price", req.price)
        if p.hardware != hw.id:
            warnings.append(Warning_(code="price_hardware_mismatch", message=(
                f"price profile {p.id} is for {p.hardware}, not {hw.id}")))
        usd = p.price_for(req.pricing)
        if usd is None:
            raise InputError("--pricing", f"price profile {p.id} has no {req.pricing} price")
    else:
        p = default_price_profile(registry, hw.id, req.pricing)
        if p is None:
            warnings.append(Warning_(code="no_price", message=(
                f"no {req.pricing} price profile for {hw.id}: costs not estimated; "
                "pass --gpu-hour-price or --price")))
            return None, None, None, warnings
        usd = p.price_for(req.pricing)
    stale = stale_price_warning(p, today)
    if stale:
        warnings.append(stale)
    return p.id, usd, p, warnings


def estimate(request: EstimateRequest, registry: Registry | None = None,
             today: dt.date | None = None) -> Answer:
    """Estimate memory, latency, throughput, cost and energy for one scenario."""
    registry = registry or Registry.default()
    today = today or dt.date.today()
    model: ModelProfile = registry.get("model", request.model)
    hw: HardwareProfile = registry.get("hardware", request.hardware)
    scheme = resolve_scheme(request.precision)
    kv_precision = request.kv_precision or default_kv_precision(scheme)
    preset = select_preset(request.engine, request.calibration)
    assumptions = build_assumptions(request.assume, base=base_assumptions(preset))
    if model.architecture in ("fixed", "encoder"):
        return estimate_fixed(request, registry, model=model, hw=hw, scheme=scheme,
                              assumptions=assumptions, today=today)
    if request.gpus is not None and (model.num_attention_heads or 1) % request.gpus:
        raise InputError("--gpus", f"{request.gpus} GPUs cannot split {model.id}'s "
                         f"{model.num_attention_heads} attention heads evenly (tensor parallel); "
                         "use a divisor such as 1, 2, 4 or 8")
    price_label, usd, price_profile, warnings = resolve_price(registry, request, hw, today)
    context = request.input_tokens + request.output_tokens
    if model.max_context_tokens is not None and context > model.max_context_tokens:
        # a warning, not an error: runtimes can be told to go past max_position_embeddings
        # (published benchmarks do, e.g. Falcon-180B at 2,176 tokens), at a quality risk
        warnings.append(Warning_(code="context_exceeds_model", message=(
            f"{request.input_tokens:,} input + {request.output_tokens:,} output tokens exceed "
            f"{model.id}'s context window of {model.max_context_tokens:,} tokens")))
    conc = None if request.concurrency == "max" else request.concurrency
    static = preset.static_batch and conc is not None
    out = estimate_decoder(
        model=model, hardware=hw, scheme=scheme, kv_precision=kv_precision,
        kv_bytes_per_element=kv_bytes_per_element(kv_precision), gpus=request.gpus,
        workload=Workload(request.input_tokens, request.output_tokens, conc, static),
        usd_per_gpu_hour=usd, assumptions=assumptions)
    profiles = [profile_ref("model", model), profile_ref("hardware", hw)]
    if price_profile is not None:
        profiles.append(profile_ref("price", price_profile))
    result = EstimateResult(
        inputs=EstimateInputs(
            model=model.id, hardware=hw.id, precision=scheme.id, kv_precision=kv_precision,
            compute_dtype=out.compute_dtype, weight_only_fallback=out.weight_only_fallback,
            gpus=out.gpus, input_tokens=request.input_tokens,
            output_tokens=request.output_tokens, concurrency=out.concurrency,
            concurrency_mode="max" if conc is None else "fixed", price=price_label,
            pricing=request.pricing),
        model=out.model, memory=out.memory, latency=out.latency, throughput=out.throughput,
        cost=out.cost, energy=out.energy,
        assumptions=[Assumption(name=k, value=v, description=Assumptions.descriptions()[k])
                     for k, v in assumptions.model_dump().items()],
        profiles=profiles)
    result = annotate(result, preset, static_batch=static)
    return Answer(result=result, warnings=[*warnings, *out.warnings])


def estimate_fixed(request: EstimateRequest, registry: Registry, *, model: ModelProfile,
                   hw: HardwareProfile, scheme: Any, assumptions: Assumptions,
                   today: dt.date) -> Answer:
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

    a = assumptions
    gpus = request.gpus or 1
    price_label, usd, price_profile, warnings = resolve_price(registry, request, hw, today)
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
    batch = max_batch if request.concurrency == "max" else int(request.concurrency)
    fits = batch >= 1 and fixed.batch_memory_bytes(
        weights_bytes=weights, activation_bytes_per_inference=act, batch=batch) <= usable
    if act_mb is None:
        warnings.append(Warning_(code="no_activation_figure", message=(
            f"{model.id} has no activation_mb_per_inference: activation memory and traffic "
            "are not modelled (latency and memory are underestimated)")))
    if request.concurrency == "max" and act <= 0:
        warnings.append(Warning_(code="concurrency_capped", message=(
            f"batch size capped at the runtime limit max_num_seqs={a.max_num_seqs}")))
    dtype, fallback = compute_dtype_for(scheme, hw)
    peak = hw.peak_tflops_for(dtype)
    if peak is None:
        warnings.append(Warning_(code="no_compute_figure", message=(
            f"{hw.id} has no published peak FLOPS for {dtype}: compute time is not modelled")))
    if model.architecture == "fixed":
        warnings.append(Warning_(code="fixed_workload_weights_as_stated", message=(
            f"{model.id} is a fixed workload: weights_mb is used as stated in the profile; "
            f"--precision {scheme.id} only selects the compute dtype ({dtype})")))
    usd_per_hour = usd * gpus if usd is not None else None
    latency_ms = per_s = per_s_gpu = usd_1k = power = j_per_inf = None
    phase = None
    if fits:
        perf = fixed.fixed_batch_performance(
            gflops_per_inference=flops / 1e9, weights_bytes=weights,
            activation_bytes_per_inference=act, batch=batch, gpus=gpus,
            peak_flops=(peak or 0) * 1e12, bandwidth_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
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
    else:
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
                           concurrency_mode="max" if request.concurrency == "max" else "fixed",
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
