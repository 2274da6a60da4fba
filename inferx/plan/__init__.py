"""`inferx plan`: the cheapest deployment that meets latency targets, and the frontier of
throughput per GPU against tokens/s per user (docs/methodology.md#plan).

    from inferx.plan import PlanRequest, plan
    answer = plan(PlanRequest(model="llama-3.3-70b", hardware=["h100"], max_tpot_ms="50ms"))
    answer.result.configurations[0].estimate_command
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from inferx.plan.request import PlanRequest, parse_duration_ms  # noqa: F401 (re-exported)
from inferx.plan.search import (
    REASONS,  # noqa: F401 (re-exported)
    Candidate,
    Family,
    Price,
    Targets,
    Volume,
    cheapest,
    pareto,
    price_point,
    time_family,
)

if TYPE_CHECKING:
    from inferx.api import Answer
    from inferx.registry import Registry

# Schemes tried on each hardware when --precision is not given (kept when native).
DEFAULT_PLAN_PRECISIONS = ("bf16", "fp16", "fp8", "int8", "fp4", "int4-wo")


def _families(req: PlanRequest, registry: Registry, today: dt.date) -> list[tuple[Any, ...]]:
    """(hardware profile, scheme id, scenario or None, reason or None) for every family."""
    from inferx.inputs import EstimateRequest
    from inferx.quant import resolve_scheme
    from inferx.scenario import build

    hardware = ([registry.get("hardware", h) for h in req.hardware] if req.hardware
                else sorted(registry.all("hardware"), key=lambda h: h.id))
    seen: set[str] = set()
    out = []
    for hw in hardware:
        if hw.id in seen:
            continue
        seen.add(hw.id)
        names = req.precision or DEFAULT_PLAN_PRECISIONS
        for name in names:
            scheme = resolve_scheme(name)
            if req.precision is None and name == "fp16" and hw.runs_natively("bf16"):
                continue  # the same figures as bf16
            if not (hw.runs_natively(scheme.compute_dtype)
                    or f"peak_tflops_{scheme.compute_dtype}" in req.assume):
                out.append((hw, scheme.id, None, "precision_not_native"))
                continue
            sc = build(EstimateRequest(
                model=req.model, hardware=hw.id, precision=scheme.id,
                input_tokens=req.input_tokens, output_tokens=req.output_tokens,
                engine=req.engine, kv_precision=req.kv_precision, assume=req.assume,
                calibration=req.calibration), registry, today,
                with_price=False)
            out.append((hw, scheme.id, sc, None))
    return out


def search(req: PlanRequest, registry: Registry, today: dt.date, *,
           usd_per_gpu_hour: float | None = None,
           progress: Callable[[int, int], None] | None = None) -> list[Family]:
    """Every family timed and priced (usd_per_gpu_hour: one price for all, e.g. 1.0 to rank by
    GPU-hours, as `bill` sizes a replica)."""
    from inferx.errors import InputError
    from inferx.pricing import quote

    model = registry.get("model", req.model)
    if model.architecture != "decoder":
        raise InputError("model", f"{model.id} is not a token-generating decoder: `plan` "
                         "searches deployments of decoder models")
    targets = Targets(None if req.max_ttft_ms is None else req.max_ttft_ms / 1e3,
                      None if req.tpot_limit_ms is None else req.tpot_limit_ms / 1e3)
    prices_all = registry.all("price") if usd_per_gpu_hour is None else []
    todo = _families(req, registry, today)
    families: list[Family] = []
    for i, (hw, scheme_id, sc, reason) in enumerate(todo):
        if progress is not None:
            progress(i, len(todo))
        if reason:
            families.append(Family(hw.id, scheme_id, reason=reason, detail=(
                f"{hw.id} lists no peak FLOPS for this precision's compute dtype")))
            continue
        prices = []
        for tier in req.pricing:
            if usd_per_gpu_hour is not None:
                prices.append(Price(tier, "user", usd_per_gpu_hour))
                continue
            q = quote(prices_all, hw.id, tier=tier, provider=req.provider, today=today)
            if q.usd_per_gpu_hour is not None:
                prices.append(Price(tier, q.label, q.usd_per_gpu_hour))
        if not prices:
            families.append(Family(hw.id, scheme_id, reason="no_price", detail=(
                f"no {' or '.join(req.pricing)} price profile"
                f"{' from ' + req.provider if req.provider else ''} for {hw.id}")))
            continue
        fam = time_family(sc, max_gpus=req.max_gpus, kinds=req.layouts, targets=targets)
        fam.prices = prices
        families.append(fam)
    if progress is not None:
        progress(len(todo), len(todo))
    return families


def volume_of(req: PlanRequest) -> Volume | None:
    from inferx.bill import arithmetic as F

    if req.request_rate is not None:
        peak = req.request_rate
    elif req.daily_queries is not None:
        peak = F.peak_qps(daily_queries=req.daily_queries, peak_to_average=req.peak_to_average)
    else:
        return None
    return Volume(peak, req.target_utilization, req.min_replicas)


def estimate_args(req: PlanRequest, c: Candidate) -> list[str]:
    """The `inferx estimate` flags that reproduce a configuration."""
    p, d = c.point, c.point.deployment
    args = ["--model", req.model, "--hardware", p.hardware, "--precision", p.precision,
            "--input-tokens", str(req.input_tokens), "--output-tokens", str(req.output_tokens)]
    if d.plain_tp:
        args += ["--gpus", str(d.tp)]
        if p.pools is not None:
            args += ["--disaggregate", f"{p.pools[0]}:{p.pools[1]}"]
    else:
        args += ["--tp", str(d.tp)]
        if d.ep > 1:
            args += ["--ep", str(d.ep)]
        if d.dp_attention > 1:
            args += ["--dp-attention", str(d.dp_attention)]
        if d.pp > 1:
            args += ["--pp", str(d.pp)]
    args += ["--concurrency", str(p.perf.concurrency), "--pricing", c.price.tier]
    if c.price.label == "user":
        args += ["--gpu-hour-price", repr(c.price.usd_per_gpu_hour)]
    elif c.price.label is not None:
        args += ["--price", c.price.label]
    if req.engine:
        args += ["--engine", req.engine]
    if req.kv_precision:
        args += ["--kv-precision", req.kv_precision]
    if req.calibration:
        args += ["--calibration", req.calibration]
    for name, value in req.assume.items():
        args += ["--assume", f"{name}={value!r}"]
    return args


def plan(req: PlanRequest, registry: Registry | None = None, today: dt.date | None = None,
         progress: Callable[[int, int], None] | None = None) -> Answer:
    """Search and answer (inferx.api.Answer of a PlanResult)."""
    from inferx.api import Answer
    from inferx.plan.assemble import plan_result
    from inferx.registry import Registry

    registry = registry or Registry.default()
    today = today or dt.date.today()
    families = search(req, registry, today, progress=progress)
    volume = volume_of(req)
    ranked = cheapest(families, volume)
    result = plan_result(req, registry, families, ranked, volume)
    return Answer(result=result, warnings=_warnings(req, registry, today, result))


def _warnings(req: PlanRequest, registry: Registry, today: dt.date, result: Any) -> list[Any]:
    """The workload's notes (context window) and stale prices among the listed answers."""
    from inferx.pricing import PriceNote, stale_note
    from inferx.results import Warning_

    notes: list[PriceNote] = []
    model = registry.get("model", req.model)
    context = req.input_tokens + req.output_tokens
    if model.max_context_tokens is not None and context > model.max_context_tokens:
        notes.append(PriceNote("context_exceeds_model", (
            f"{req.input_tokens:,} input + {req.output_tokens:,} output tokens exceed "
            f"{model.id}'s context window of {model.max_context_tokens:,} tokens")))
    for pid in dict.fromkeys(c.price for c in result.configurations):
        if pid not in (None, "user"):
            note = stale_note(registry.get("price", pid), today)
            if note is not None:
                notes.append(note)
    if not result.configurations:
        notes.append(PriceNote("no_configuration", (
            "no configuration meets every target: data.excluded says why for each hardware x "
            "precision")))
    return [Warning_(code=n.code, message=n.message) for n in notes]


__all__ = ["PlanRequest", "estimate_args", "pareto", "plan", "price_point", "search"]
