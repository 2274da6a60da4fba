"""Sizing one replica through inferx.api.estimate: the largest batch that meets the latency
targets, and what the fleet arithmetic needs to know about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inferx.bill.context import BillContext
from inferx.bill.results import Replica
from inferx.errors import InputError
from inferx.profiles import WORKLOAD_KIND


@dataclass
class Fit:
    replica: Replica
    tpot_decode_step_ms: float
    tdp_w: float | None


def _decode_step_ms(result: Any) -> float:
    d = result.latency.decode
    return max(d.compute_ms, d.memory_ms) + d.attention_ms + d.communication_ms + d.overhead_ms


def planned_layout(ctx: BillContext, base: Any) -> tuple[int, int] | None:
    """(GPUs, concurrency) of the cheapest plain tensor-parallel replica meeting the bill's
    targets for its volume: `plan`'s search (inferx/plan/search.py) on the bill's own scenario,
    ranked by the always-on fleet's GPU-hours at peak (one hardware, so by dollars too);
    None when no layout meets the targets."""
    from inferx.bill import arithmetic as F
    from inferx.bill.traffic import traffic_shape
    from inferx.plan.search import Price, Targets, Volume, cheapest, time_family

    req = ctx.req
    targets = Targets(None if req.max_ttft_ms is None else req.max_ttft_ms / 1e3,
                      None if req.max_tpot_ms is None else req.max_tpot_ms / 1e3)
    fam = time_family(base, max_gpus=64, kinds="tp", targets=targets)
    fam.prices = [Price(req.pricing, "user", 1.0)]
    peak = F.peak_qps(daily_queries=req.volume(),
                      peak_to_average=traffic_shape(req).peak_to_average)
    ranked = cheapest([fam], Volume(peak, req.target_utilization, req.min_replicas,
                                    F.hours_per_month(days_per_month=req.days_per_month)))
    if not ranked:
        return None
    return ranked[0].point.gpus, ranked[0].point.perf.concurrency


def size_replica(ctx: BillContext, *, model: str, precision: str, gpus: int | None,
                 batch_limit: int | None, label: str) -> Fit | None:
    """The cheapest replica meeting the targets (planned_layout: plan's search over tensor-
    parallel sizes and concurrencies); with --gpus or a batch limit, the largest batch (≤ the
    runtime limit or --max-batch, and ≤ what memory holds) whose TTFT and TPOT meet the
    targets; None (with a warning) when none does.  The replica runs
    the bill's own scenario (engine preset or calibration, assumptions, KV precision) with
    `model` and `precision` swapped in; prices play no part in sizing."""
    import dataclasses

    from inferx.api import estimate_scenario
    from inferx.scenario import build, traffic_of

    req = ctx.req
    if (m := ctx.registry.get("model", model)).architecture != "decoder":
        raise InputError("model", f"{m.id} is {WORKLOAD_KIND[m.architecture]} model: `bill` sizes "
                         "replicas of token-generating (decoder) models; use `inferx estimate` "
                         "for its cost per inference")
    base = build(req.model_copy(update={"model": model, "precision": precision}),
                 ctx.registry, ctx.today, with_price=False)

    def run(conc: int | str, tp: int | None) -> Any:
        r = base.request.model_copy(update={"gpus": tp, "concurrency": conc})
        return estimate_scenario(dataclasses.replace(base, request=r,
                                                     traffic=traffic_of(r))).result

    # the cheapest layout meeting the targets (plan's search), unless --gpus or a batch
    # limit pins the replica: then the fewest GPUs that fit, at the largest batch that meets them
    planned = planned_layout(ctx, base) if gpus is None and batch_limit is None else None
    first = run("max", gpus if planned is None else planned[0])
    hw = ctx.registry.get("hardware", req.hardware)
    ctx.ref("model", ctx.registry.get("model", model))
    ctx.ref("hardware", hw)
    if not first.memory.fits:
        ctx.warn("does_not_fit", f"{label}: {first.inputs.model} at {precision} does not fit on "
                 f"{first.inputs.gpus} x {hw.id}; self-hosted cost not estimated")
        return None
    tp = first.inputs.gpus
    limit = first.inputs.concurrency if batch_limit is None else min(
        first.memory.max_concurrency, batch_limit)
    cache: dict[int, Any] = {}

    def at(c: int) -> Any:
        if c not in cache:
            cache[c] = run(c, tp)
        return cache[c]

    def ok(c: int) -> bool:
        r = at(c)
        if not r.memory.fits or r.latency.tpot_ms is None:
            return False
        return ((req.max_ttft_ms is None or r.latency.ttft_ms <= req.max_ttft_ms)
                and (req.max_tpot_ms is None or r.latency.tpot_ms <= req.max_tpot_ms))

    if limit < 1 or not ok(1):
        ctx.warn("latency_target_unmet", f"{label}: even one request at a time on {tp} x {hw.id} "
                 "misses --max-ttft/--max-tpot; self-hosted cost not estimated")
        return None
    lo, hi = 1, limit  # ok(lo) holds; find the largest ok c (TPOT rises with the batch)
    if planned is not None:
        lo = hi = planned[1]
    elif ok(hi):
        lo = hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    r = at(lo)
    rep = Replica(model=r.inputs.model, hardware=r.inputs.hardware, precision=r.inputs.precision,
                  gpus=tp, concurrency=lo, concurrency_limit=limit,
                  requests_per_s=r.throughput.requests_per_s, ttft_ms=r.latency.ttft_ms,
                  tpot_ms=r.latency.tpot_ms, e2e_s=r.latency.e2e_s)
    return Fit(replica=rep, tpot_decode_step_ms=_decode_step_ms(r), tdp_w=hw.tdp_w)
