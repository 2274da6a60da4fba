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


def resolve_price(registry: Registry, req: EstimateRequest, hw: HardwareProfile,
                  today: dt.date) -> tuple[str | None, float | None, Any, list[Warning_]]:
    """(price label, USD per GPU-hour, price profile or None, warnings).

    --gpu-hour-price wins; else --price ID; else the cheapest profile for this hardware at the
    requested pricing kind."""
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
        offers = [(p.price_for(req.pricing), p.id, p) for p in registry.all("price")
                  if p.hardware == hw.id and p.price_for(req.pricing) is not None]
        if not offers:
            warnings.append(Warning_(code="no_price", message=(
                f"no {req.pricing} price profile for {hw.id}: costs not estimated; "
                "pass --gpu-hour-price or --price")))
            return None, None, None, warnings
        usd, _, p = min(offers)
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
    assumptions = build_assumptions(request.assume)
    if model.architecture != "decoder":
        raise InputError("--model", f"{model.id} is a fixed workload; `inferx estimate` for "
                         "fixed workloads is not supported yet")
    if request.gpus is not None and (model.num_attention_heads or 1) % request.gpus:
        raise InputError("--gpus", f"{request.gpus} GPUs cannot split {model.id}'s "
                         f"{model.num_attention_heads} attention heads evenly (tensor parallel); "
                         "use a divisor such as 1, 2, 4 or 8")
    price_label, usd, price_profile, warnings = resolve_price(registry, request, hw, today)
    conc = None if request.concurrency == "max" else request.concurrency
    out = estimate_decoder(
        model=model, hardware=hw, scheme=scheme, kv_precision=kv_precision,
        kv_bytes_per_element=kv_bytes_per_element(kv_precision), gpus=request.gpus,
        workload=Workload(request.input_tokens, request.output_tokens, conc),
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
    return Answer(result=result, warnings=[*warnings, *out.warnings])
