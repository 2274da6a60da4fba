"""`inferx estimate --sweep concurrency` (or `--frontier`): one configuration's curve over the
concurrency grid plan searches (docs/methodology.md#plan): latency, throughput per GPU and
$/1M output tokens at each C, and which points are on the frontier."""

from __future__ import annotations

import datetime as dt

from inferx.results import ProfileRef
from inferx.results_base import Num, OptNum, Out, result


@result
class SweepInputs(Out):
    model: str
    hardware: str
    precision: str
    kv_precision: str
    layout: str
    gpus: int
    tp: int
    pp: int
    ep: int
    dp_attention: int
    input_tokens: int
    output_tokens: int
    price: str | None
    pricing: str
    usd_per_gpu_hour: OptNum


@result
class SweepPoint(Out):
    concurrency: int
    ttft_ms: Num
    tpot_ms: Num
    tokens_per_s_per_user: Num
    output_tokens_per_s: Num
    output_tokens_per_s_per_gpu: Num
    requests_per_s: Num
    usd_per_million_output_tokens: OptNum
    on_frontier: bool


@result
class SweepResult(Out):
    sweep: str  # "concurrency"
    inputs: SweepInputs
    points: list[SweepPoint]
    profiles: list[ProfileRef]


def concurrency_sweep(request, registry=None, today: dt.date | None = None):
    """The request's configuration at every concurrency of plan's grid (inferx.api.Answer)."""
    from inferx.api import Answer
    from inferx.assemble import notes_to_warnings, profile_ref
    from inferx.engine.deployment import Deployment
    from inferx.engine.estimate import Workload, decoder_point
    from inferx.errors import InputError
    from inferx.plan.points import Point, Price, price_point
    from inferx.plan.search import pareto, time_layout
    from inferx.registry import Registry
    from inferx.scenario import build

    registry = registry or Registry.default()
    given = [f for f in ("concurrency", "clients", "request_rate", "requests")
             if getattr(request, f) is not None]
    if given:
        raise InputError("sweep", f"the sweep runs every concurrency of the grid: drop "
                         f"--{given[0].replace('_', '-')}")
    sc = build(request, registry, today or dt.date.today())
    if sc.model.architecture != "decoder":
        raise InputError("sweep", f"{sc.model.id} is not a token-generating decoder: there is "
                         "no concurrency curve")
    if sc.speculation is not None or sc.disaggregation is not None or \
            (request.prefix_cache_hit or 0) > 0:
        raise InputError("sweep", "the concurrency sweep covers one aggregated replica without "
                         "speculative decoding or prefix caching")
    d = sc.deployment
    if d is None:
        d = Deployment(tp=decoder_point(
            model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
            kv_bytes_per_element=sc.kv_bytes_per_element, gpus=request.gpus,
            workload=Workload(request.input_tokens, request.output_tokens, 1, False),
            assumptions=sc.assumptions).gpus)
    perf, reason, detail = time_layout(sc, d)
    points = [Point(sc.hardware.id, sc.scheme.id, d, p) for p in perf]
    front = {id(p) for p in pareto(points)}
    price = sc.price
    rows = []
    for p in points:
        cost = None if price.usd_per_gpu_hour is None else price_point(
            p, Price(price.tier, price.label, price.usd_per_gpu_hour), None)
        rows.append(SweepPoint(
            concurrency=p.perf.concurrency, ttft_ms=p.perf.ttft_s * 1e3,
            tpot_ms=p.perf.tpot_s * 1e3, tokens_per_s_per_user=p.tokens_per_s_per_user,
            output_tokens_per_s=p.perf.output_tokens_per_s, output_tokens_per_s_per_gpu=p.per_gpu,
            requests_per_s=p.perf.requests_per_s,
            usd_per_million_output_tokens=None if cost is None else
            cost.usd_per_million_output_tokens, on_frontier=id(p) in front))
    from inferx.engine.point import Note

    notes = [Note(reason, detail or f"{sc.model.id} does not fit on {d.gpus_per_replica} x "
                  f"{sc.hardware.id} as {d.label()}: no curve")] if reason else []
    refs = [profile_ref("model", sc.model), profile_ref("hardware", sc.hardware)]
    if price.profile is not None:
        refs.append(profile_ref("price", price.profile))
    result = SweepResult(
        sweep="concurrency",
        inputs=SweepInputs(
            model=sc.model.id, hardware=sc.hardware.id, precision=sc.scheme.id,
            kv_precision=sc.kv_precision, layout=d.label(), gpus=d.gpus_per_replica, tp=d.tp,
            pp=d.pp, ep=d.ep, dp_attention=d.dp_attention, input_tokens=request.input_tokens,
            output_tokens=request.output_tokens, price=price.label, pricing=price.tier,
            usd_per_gpu_hour=price.usd_per_gpu_hour),
        points=rows, profiles=refs)
    return Answer(result=result, warnings=notes_to_warnings(price.notes, sc.notes, notes))
