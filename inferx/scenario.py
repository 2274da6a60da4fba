"""One validated scenario, resolved once against the registry and the price resolver.

`estimate`, `compare`, `bill`, the accuracy harness and `plan` all run a Scenario: the model,
hardware, precision, KV precision, GPUs, tokens, traffic, engine preset (or calibration file),
assumptions and price.  `build` turns a validated request (inferx.inputs.EstimateRequest, from
flags, files or the library) into one; nothing downstream looks a profile up again.

Hardware figures a profile lacks can be supplied as assumptions
(``assume={"peak_tflops_bf16": 50}``, ``interconnect_gb_per_s``, ``tdp_w``, ...): they are
applied to a copy of the profile, listed among the result's assumptions as overridden, and
the figures resting on them carry no measured range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any

from inferx.engine.assumptions import Assumptions
from inferx.engine.deployment import Deployment, check_deployment, check_tensor_parallel
from inferx.engine.memo import per_record
from inferx.engine.presets import Preset, base_assumptions
from inferx.engine.serving import Traffic
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.preset_files import select_preset
from inferx.pricing import PriceNote, PriceQuote, quote, registry_quote
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme, default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.record import Record, maker, record
from inferx.registry import Registry

if TYPE_CHECKING:  # speculation is built on use (few runs ask for it)
    from inferx.engine.speculative import Speculation

# Hardware figures `assume` may supply (a profile's own value is replaced, a missing one given).
HARDWARE_FIGURES = ("interconnect_gb_per_s", "tdp_w", "memory_bandwidth_gb_per_s",
                    "scale_out_gb_per_s")
PEAK_PREFIX = "peak_tflops_"


@record(slots=True)  # a frozen keyword-only dataclass (record.py), built once per estimate
class Scenario(Record):
    """Everything one estimate needs, resolved (profiles, preset, assumptions, price)."""

    request: EstimateRequest
    model: ModelRecord
    hardware: HardwareRecord           # with any assumed hardware figures applied
    scheme: Scheme
    kv_precision: str
    kv_bytes_per_element: float
    preset: Preset
    assumptions: Assumptions
    traffic: Traffic
    price: PriceQuote
    deployment: Deployment | None = None       # None: plain tensor parallelism over `gpus`
    speculation: Speculation | None = None
    disaggregation: tuple[int, int] | None = None  # (prefill, decode) instances
    overridden: tuple[str, ...] = ()   # assumption names the user set (incl. hardware figures)
    hardware_assumed: dict[str, float] = field(default_factory=dict)
    notes: tuple[PriceNote, ...] = ()  # scenario-level warnings (context window, ...)

    @property
    def static_batch(self) -> bool:
        return self.preset.static_batch and self.traffic.mode == "concurrency"


@per_record
def builtin_base(preset: Preset) -> Assumptions:
    """presets.base_assumptions of a built-in preset, once per preset object (built once per
    engine and process, preset_files.builtin_preset): not its values hashed per scenario."""
    return base_assumptions(preset)


new_scenario = maker(Scenario)  # record.maker: Scenario(...) without the type call


def split_assume(assume: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(engine knobs, hardware figures) from one `assume` mapping."""
    knobs, hw = {}, {}
    for k, v in assume.items():
        (hw if k in HARDWARE_FIGURES or k.startswith(PEAK_PREFIX) else knobs)[k] = v
    return knobs, hw


def build_assumptions(overrides: dict[str, float], base: Assumptions | None = None) -> Assumptions:
    """Apply `assume` overrides to the preset's assumptions; errors name `assume`."""
    if not overrides and base is not None:
        return base  # already checked (presets.base_assumptions)
    names = Assumptions.names()
    unknown = [k for k in overrides if k not in names]
    if unknown:
        raise InputError("assume", f"unknown assumption {unknown[0]!r}; expected one of "
                         f"{', '.join(names)}, or a hardware figure "
                         f"({', '.join(HARDWARE_FIGURES)}, {PEAK_PREFIX}<dtype>)")
    try:
        return Assumptions.from_values(overrides, base)
    except InputError as exc:  # names the knob: say it came from `assume`
        raise InputError("assume", exc.message) from None


def assume_hardware(hw: HardwareRecord, figures: dict[str, float]) -> HardwareRecord:
    """A copy of `hw` with user-assumed figures; each must be a finite positive number."""
    if not figures:
        return hw
    update: dict[str, Any] = {}
    peaks = dict(hw.peak_tflops)
    measured = dict(hw.max_achievable_tflops)  # an assumed peak replaces its dtype's
    for name, value in figures.items():
        if not (value > 0 and value < 1e9):
            raise InputError("assume", f"{name}: expected a positive number, got {value:g}")
        if name.startswith(PEAK_PREFIX):
            dtype = name[len(PEAK_PREFIX):]
            if dtype not in ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", "fp4"):
                raise InputError("assume", f"{name}: unknown compute dtype {dtype!r}")
            peaks[dtype] = value
            measured.pop(dtype, None)
        else:
            update[name] = value
    update["peak_tflops"] = peaks
    update["max_achievable_tflops"] = measured
    declared = [u for u in hw.unpublished
                if u not in figures and not (u.startswith("peak_tflops") and
                                             any(f.startswith(PEAK_PREFIX) for f in figures))]
    update["unpublished"] = declared
    return replace(hw, **update)


def deployment_of(req: EstimateRequest, model: ModelRecord) -> Deployment | None:
    """The layout the request asks for (None: plain tensor parallelism over `gpus`).

    tp defaults to gpus / (dp_attention · pp) (or, without gpus, 1 under attention DP and
    ep otherwise); ep defaults to the whole world under attention DP, else 1."""
    if req.tp is None and req.pp is None and req.ep is None and req.dp_attention is None:
        return None
    pp, dp = req.pp or 1, req.dp_attention or 1
    tp = req.tp
    if tp is None:
        if req.gpus is not None:
            if req.gpus % (dp * pp):
                raise InputError("gpus", f"{req.gpus} GPUs do not split into "
                                 f"dp-attention {dp} x pp {pp}")
            tp = req.gpus // (dp * pp)
        else:
            tp = 1 if dp > 1 else (req.ep or 1)
    ep = req.ep or (tp * dp if dp > 1 else 1)
    d = Deployment(tp=tp, pp=pp, ep=ep, dp_attention=dp)
    if req.gpus is not None and req.gpus != d.gpus_per_replica:
        raise InputError("gpus", f"{req.gpus} GPUs, but tp {tp} x dp-attention {dp} x pp {pp} "
                         f"= {d.gpus_per_replica}")
    check_deployment(model, d)
    return d


def speculation_of(req: EstimateRequest, registry: Registry) -> Speculation | None:
    parts = req.speculation_parts()
    if parts is None:
        return None
    from inferx.engine.speculative import Speculation

    method, k, accept, draft = parts
    draft_model = None
    if draft is not None:
        draft_model = registry.get("model", draft)
        if draft_model.architecture != "decoder":
            raise InputError("speculative", f"draft model {draft_model.id} is not a decoder")
    return Speculation(method=method, draft_tokens=k, acceptance_length=accept,
                       draft_model=draft_model)


def traffic_of(req: EstimateRequest) -> Traffic:
    """The serving mode a request asks for (engine/serving.py)."""
    if req.clients is not None:
        return Traffic("clients", clients=req.clients)
    if req.requests is not None:
        return Traffic("burst", requests=req.requests, request_rate=req.request_rate)
    if req.request_rate is not None:
        return Traffic("rate", request_rate=req.request_rate)
    if req.concurrency == "max":
        return Traffic("max")
    return Traffic("concurrency", concurrency=req.concurrency_value)


def build(request: EstimateRequest, registry: Registry, today: dt.date, *,
          with_price: bool = True) -> Scenario:
    """Resolve a validated request once: profiles, precision, preset, assumptions, price
    (with_price False: none, for callers that size replicas and price them themselves)."""
    model: ModelRecord = registry.get("model", request.model)
    hw: HardwareRecord = registry.get("hardware", request.hardware)
    scheme = resolve_scheme(request.precision)
    kv_precision = request.kv_precision or default_kv_precision(scheme)
    preset = select_preset(request.engine, request.calibration)
    knobs, hw_figures = split_assume(request.assume)
    base = builtin_base(preset) if preset.origin == "built-in" else base_assumptions(preset)
    assumptions = build_assumptions(knobs, base=base)
    hw = assume_hardware(hw, hw_figures)
    deployment = speculation = None
    if model.architecture == "decoder":
        deployment = deployment_of(request, model)
        if deployment is None and request.gpus is not None:
            check_tensor_parallel(model, request.gpus)
        speculation = speculation_of(request, registry)
    elif any(v is not None for v in (request.tp, request.pp, request.ep, request.dp_attention,
                                     request.speculative, request.disaggregate)):
        raise InputError("model", f"{model.id} is not a token-generating decoder: parallelism "
                         "layouts, speculative decoding and disaggregation do not apply")
    price_profile = registry.get("price", request.price) if request.price is not None else None
    if not with_price:
        price = PriceQuote(None, None, None, request.pricing)
    elif price_profile is None and request.gpu_hour_price is None:  # the default price
        price = registry_quote(registry, hw.id, tier=request.pricing,
                               provider=request.provider, today=today)
    else:
        price = quote([], hw.id, tier=request.pricing, price_profile=price_profile,
                      gpu_hour_price=request.gpu_hour_price, provider=request.provider,
                      today=today)
    notes: list[PriceNote] = []
    context = request.input_tokens + request.output_tokens
    if (model.architecture == "decoder" and model.max_context_tokens is not None
            and context > model.max_context_tokens):
        # a warning, not an error: runtimes can be told to go past max_position_embeddings
        # (published benchmarks do, e.g. Falcon-180B at 2,176 tokens), at a quality risk
        notes.append(PriceNote("context_exceeds_model", (
            f"{request.input_tokens:,} input + {request.output_tokens:,} output tokens exceed "
            f"{model.id}'s context window of {model.max_context_tokens:,} tokens")))
    return new_scenario(request=request, model=model, hardware=hw, scheme=scheme,
                        kv_precision=kv_precision,
                        kv_bytes_per_element=kv_bytes_per_element(kv_precision), preset=preset,
                        assumptions=assumptions, traffic=traffic_of(request), price=price,
                        deployment=deployment, speculation=speculation,
                        disaggregation=request.disaggregation(),
                        overridden=tuple(request.assume), hardware_assumed=hw_figures,
                        notes=tuple(notes))
