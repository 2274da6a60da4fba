"""The only bridge from the engine's dataclasses (SI units) to the result models (ms, GB, …).

Units are converted here, once; rounding happens in the result models; ranges come from the
preset's measured error band, withheld where a figure rests on an assumed hardware value.
"""

from __future__ import annotations

from typing import Any

from inferx.assemble_deployment import deployment_result
from inferx.engine.assumptions import Assumptions
from inferx.engine.economics import Costs, Energy
from inferx.engine.estimate import DecoderPoint, Note
from inferx.engine.memo import per_record
from inferx.engine.presets import Preset
from inferx.engine.roofline import PassTime
from inferx.engine.serving import OperatingPoint
from inferx.record import maker
from inferx.result_ranges import estimate_ranges, range_plan, serving_group
from inferx.results import (
    Assumption,
    CostResult,
    EnergyResult,
    EstimateInputs,
    EstimateResult,
    LatencyResult,
    MemoryResult,
    ModelFacts,
    PhaseBreakdown,
    PresetInfo,
    ProfileRef,
    ServingResult,
    ThroughputResult,
    Warning_,
)
from inferx.units import BYTES_PER_GB, ms

# Hardware figures whose assumed value the latency, throughput and cost figures rest on.
TIMING_FIGURES = ("interconnect_gb_per_s", "memory_bandwidth_gb_per_s")

# The result models an estimate builds (a few dozen objects), made by record.maker: the same
# keyword construction as calling the class, without the type call
new_cost_result = maker(CostResult)
new_energy_result = maker(EnergyResult)
new_estimate_inputs = maker(EstimateInputs)
new_estimate_result = maker(EstimateResult)
new_latency_result = maker(LatencyResult)
new_memory_result = maker(MemoryResult)
new_model_facts = maker(ModelFacts)
new_phase_breakdown = maker(PhaseBreakdown)
new_preset_info = maker(PresetInfo)
new_serving_result = maker(ServingResult)
new_throughput_result = maker(ThroughputResult)
new_warning = maker(Warning_)


def profile_ref(kind: str, p: Any) -> ProfileRef:
    return ProfileRef(kind=kind, id=p.id, name=p.name, source=p.source, as_of=p.as_of.isoformat())


# A ProfileRef holds strings only (immutable): one per frozen profile record, shared by every
# result that cites it (a sweep cites the same few records at every point)
@per_record
def model_ref(p: Any) -> ProfileRef:
    return profile_ref("model", p)


@per_record
def hardware_ref(p: Any) -> ProfileRef:
    return profile_ref("hardware", p)


@per_record
def price_ref(p: Any) -> ProfileRef:
    return profile_ref("price", p)


def warnings_of(notes: Any) -> list[Warning_]:
    return [new_warning(code=n.code, message=n.message) for n in notes]


def phase(t: PassTime) -> PhaseBreakdown:
    return new_phase_breakdown(bound=t.bound, compute_ms=t.compute_s * 1e3,
                               memory_ms=t.memory_s * 1e3, attention_ms=t.attention_s * 1e3,
                               communication_ms=t.comm_s * 1e3, overhead_ms=t.overhead_s * 1e3)


def memory_result(p: DecoderPoint) -> MemoryResult:
    m = p.memory
    return new_memory_result(
        capacity_gb_per_gpu=m.capacity_bytes / BYTES_PER_GB,
        usable_gb_per_gpu=m.usable_bytes / BYTES_PER_GB,
        weights_gb=m.weights_bytes / BYTES_PER_GB,
        weights_gb_per_gpu=m.weights_bytes_per_gpu / BYTES_PER_GB,
        kv_cache_bytes_per_token=m.kv_bytes_per_token,
        kv_cache_gb_per_gpu=m.kv_bytes_per_gpu / BYTES_PER_GB,
        activations_gb_per_gpu=m.activations_bytes_per_gpu / BYTES_PER_GB,
        overhead_gb_per_gpu=m.overhead_bytes_per_gpu / BYTES_PER_GB,
        total_gb_per_gpu=m.total_bytes_per_gpu / BYTES_PER_GB,
        fits=m.fits, min_gpus=m.min_gpus, max_concurrency=m.max_concurrency)


def latency_result(op: OperatingPoint) -> LatencyResult:
    t = op.point.timing
    if t is None or op.tpot_s is None:
        return new_latency_result(ttft_ms=None, tpot_ms=None, e2e_s=None, prefill=None, decode=None)
    return new_latency_result(ttft_ms=ms(op.ttft_s), tpot_ms=ms(op.tpot_s), e2e_s=op.e2e_s,
                              prefill=phase(t.prefill), decode=phase(t.decode))


def throughput_result(op: OperatingPoint, *, input_tokens: int) -> ThroughputResult:
    if op.point.timing is None or op.output_tokens_per_s is None or op.requests_per_s is None:
        return new_throughput_result(output_tokens_per_s=None, output_tokens_per_s_per_gpu=None,
                                     input_tokens_per_s=None, requests_per_s=None)
    return new_throughput_result(output_tokens_per_s=op.output_tokens_per_s,
                                 output_tokens_per_s_per_gpu=op.output_tokens_per_s / op.gpus,
                                 input_tokens_per_s=op.requests_per_s * input_tokens,
                                 requests_per_s=op.requests_per_s)


def cost_result(usd_per_gpu_hour: float | None, c: Costs | None) -> CostResult:
    if c is None:
        return new_cost_result(usd_per_gpu_hour=usd_per_gpu_hour, usd_per_hour=None,
                               usd_per_million_output_tokens=None,
                               usd_per_million_input_tokens=None,
                               usd_per_million_tokens=None, usd_per_request=None)
    return new_cost_result(usd_per_gpu_hour=usd_per_gpu_hour, usd_per_hour=c.usd_per_hour,
                           usd_per_million_output_tokens=c.usd_per_million_output_tokens,
                           usd_per_million_input_tokens=c.usd_per_million_input_tokens,
                           usd_per_million_tokens=c.usd_per_million_tokens,
                           usd_per_request=c.usd_per_request)


def energy_result(e: Energy | None, a: Assumptions) -> EnergyResult:
    if e is None:
        return new_energy_result(power_w=None, joules_per_output_token=None, wh_per_request=None,
                                 gco2_per_request=None, grid_gco2_per_kwh=a.grid_gco2_per_kwh,
                                 pue=a.pue)
    return new_energy_result(power_w=e.power_w, joules_per_output_token=e.joules_per_output_token,
                             wh_per_request=e.wh_per_request, gco2_per_request=e.gco2_per_request,
                             grid_gco2_per_kwh=a.grid_gco2_per_kwh, pue=a.pue)


def serving_result(op: OperatingPoint) -> ServingResult:
    tr = op.traffic
    rate = tr.request_rate
    return new_serving_result(mode=tr.mode, clients=tr.clients,
                              request_rate=rate if rate is None or rate != float("inf") else None,
                              requests=tr.requests, server_concurrency=op.point.concurrency,
                              queue_wait_ms=ms(op.queue_wait_s), overloaded=op.overloaded,
                              sustainable_requests_per_s=op.sustainable_request_rate)


# (assumption values, hardware figures assumed) → the list: a plan or sweep repeats a few
_ASSUMPTIONS: dict[tuple[Any, ...], list[Assumption]] = {}


@per_record
def _assumption_items(a: Assumptions) -> tuple[Assumption, ...]:
    """The listed assumptions of one frozen Assumptions object (no hardware figures)."""
    return tuple(assumptions_list(a, {}, by_value=True))


def assumptions_list(a: Assumptions, hardware_assumed: dict[str, float], *,
                     by_value: bool = False) -> list[Assumption]:
    """Every assumption with its value and description, then the hardware figures the user
    assumed: a new list of frozen items, kept per Assumptions object (a preset's is shared by
    every point) and otherwise per (values, their types, hardware figures)."""
    if not by_value and not hardware_assumed and type(a) is Assumptions:
        return list(_assumption_items(a))
    described = Assumptions.descriptions()  # field name → description, in field order
    values = tuple(getattr(a, k) for k in described)
    # types too: 1, 1.0 and True are equal keys but write "1", "1.0" and "true"
    key = (values, tuple(map(type, values)), *hardware_assumed.items(),
           *map(type, hardware_assumed.values()))
    try:
        return list(_ASSUMPTIONS[key])  # a new list of the same frozen items
    except KeyError:
        pass
    except TypeError:  # an unhashable value: not kept
        key = ()
    out = [Assumption(name=k, value=v, description=d)
           for (k, d), v in zip(described.items(), values, strict=True)]
    out += [Assumption(name=k, value=v, description="hardware figure assumed by the user "
                       "(the profile lacks it or it was overridden)")
            for k, v in hardware_assumed.items()]
    if key:
        if len(_ASSUMPTIONS) > 256:
            _ASSUMPTIONS.clear()
        _ASSUMPTIONS[key] = out
    return list(out)


def estimate_result(sc: Any, op: OperatingPoint, costs: Costs | None,
                    energy: Energy | None) -> EstimateResult:
    """The `inferx estimate` result of scenario `sc` (inferx.scenario.Scenario), with the
    preset stated (inputs.engine, preset) and its low/high ranges: the measured band of its
    hardware family and serving mode (result_ranges.py), withheld when a timing figure rests
    on an assumed hardware value."""
    p, req = op.point, sc.request
    profiles = [model_ref(sc.model), hardware_ref(sc.hardware)]
    if sc.price.profile is not None:
        profiles.append(price_ref(sc.price.profile))
    mode = sc.traffic.mode
    preset, static = sc.preset, sc.static_batch
    latency, throughput = latency_result(op), throughput_result(op, input_tokens=req.input_tokens)
    cost = cost_result(sc.price.usd_per_gpu_hour, costs)
    if sc.hardware_assumed and any(k in TIMING_FIGURES or k.startswith("peak_tflops_")
                                   for k in sc.hardware_assumed):
        ranges_, extrapolated = {}, False  # the figures rest on an assumed hardware value
    else:
        d = p.deployment
        plan = range_plan(preset, sc.hardware, serving_group(
            mode, static, None if d.plain_tp else d, sc.speculation))
        ranges_, extrapolated = estimate_ranges(plan, latency, throughput, cost)
    return new_estimate_result(
        inputs=new_estimate_inputs(
            model=sc.model.id, hardware=sc.hardware.id, precision=sc.scheme.id,
            kv_precision=sc.kv_precision, compute_dtype=p.compute_dtype,
            weight_only_fallback=p.weight_only_fallback, gpus=op.gpus,
            input_tokens=req.input_tokens, output_tokens=req.output_tokens,
            concurrency=p.concurrency,
            concurrency_mode="fixed" if mode == "concurrency" else mode,
            price=sc.price.label, pricing=req.pricing, engine=preset.id,
            batching="static" if static else "continuous"),
        model=new_model_facts(params_b=p.counts.total / 1e9, active_params_b=p.counts.active / 1e9,
                              stated_params_b=sc.model.params_b),
        memory=memory_result(p), latency=latency, throughput=throughput, cost=cost,
        energy=energy_result(energy, sc.assumptions),
        assumptions=assumptions_list(sc.assumptions, sc.hardware_assumed),
        profiles=profiles, serving=serving_result(op), overridden=list(sc.overridden),
        deployment=deployment_result(sc, op), preset=preset_info(preset), ranges=ranges_,
        extrapolated=extrapolated)


def notes_to_warnings(*groups: Any) -> list[Warning_]:
    return [new_warning(code=n.code, message=n.message) for group in groups for n in group]


def preset_info(preset: Preset) -> PresetInfo:
    return new_preset_info(engine=preset.id, description=preset.description, origin=preset.origin,
                           fitted_on=list(preset.fitted_on), fitted_rows=preset.fitted_rows,
                           values_from=preset.inherits)


__all__ = ["Note", "estimate_result", "notes_to_warnings", "profile_ref"]
