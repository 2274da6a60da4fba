"""The search behind `inferx plan` (and `bill`'s replica sizing): hardware x precision x
layout x concurrency, each point timed by the engine (pure; docs/methodology.md#plan).

A *family* is one hardware x precision.  Its *layouts* are the tensor-parallel sizes the model
allows up to max_gpus; for a mixture-of-experts model also expert parallelism with attention
data parallelism (tp 1, ep = dp); pipeline stages only when nothing else fits.  Each layout
is timed at a fixed grid of concurrencies (every C to 8, then about 12 % apart, up to what
memory and max_num_seqs hold): plain TP through engine/timing_curve.py (decoder_timing's
formulas with the C-independent parts computed once), other layouts through deployed_timing
(decoder_point's timing for them), a static-batch preset through decoder_point.  Each plain-TP
point is also tried as disaggregated prefill/decode pools (plan/disagg.py).
Cost at a point is the engine's $/1M output tokens; with a traffic volume, the monthly cost
of the always-on fleet (bill's arithmetic: replicas = max(min, ceil(peak / (rps · u)))).
Because the grid is fixed, loosening a target or adding hardware only adds feasible points,
so the cheapest answer never gets dearer; a larger volume never lowers any point's bill.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from inferx.engine.deployment import Deployment, check_deployment, valid_tp_sizes
from inferx.engine.errors import EngineInputError
from inferx.engine.estimate import decoder_point
from inferx.engine.point import Workload, compute_dtype_for
from inferx.engine.timing_curve import CurvePoint, TimingCurve, from_timing
from inferx.plan.points import (  # noqa: F401 (re-exported)
    Candidate,
    Family,
    Point,
    Price,
    Targets,
    Volume,
    price_point,
)
from inferx.scenario import Scenario

GRID_STEP = 1.12
PARALLEL_SIZES = (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)

# Why a family (hardware x precision) produced no configuration, most basic first.
REASONS = {
    "precision_not_native": "the hardware has no native units for the precision's compute dtype",
    "missing_figure": "the hardware profile lacks a figure the timing needs (peak FLOPS, a "
                      "link bandwidth)",
    "no_price": "no GPU-hour price known for the hardware at the requested tiers",
    "does_not_fit": "no layout up to --max-gpus holds the weights and one sequence's KV cache",
    "misses_ttft": "every layout misses the time-to-first-token target",
    "misses_tpot": "every layout misses the time-per-output-token target",
    "misses_targets": "every layout misses a latency target (TTFT at one concurrency, TPOT at "
                      "another)",
}


def concurrency_grid(cap: int) -> list[int]:
    """1..8, then steps of about 12 % (rounded), and cap itself."""
    out = list(range(1, min(cap, 8) + 1))
    c = 8.0
    while True:
        c *= GRID_STEP
        n = round(c)
        if n >= cap:
            break
        if n > out[-1]:
            out.append(n)
    if cap > out[-1]:
        out.append(cap)
    return out


def layouts(sc: Scenario, max_gpus: int, kinds: str) -> tuple[list[Deployment], list[Deployment]]:
    """(first-choice layouts, pipeline layouts tried only when none of the first fits)."""
    m = sc.model
    first = [Deployment(tp=tp) for tp in valid_tp_sizes(m) if tp <= max_gpus]
    if kinds == "tp":
        return first, []
    if m.is_moe:
        for dp in PARALLEL_SIZES:
            d = Deployment(tp=1, ep=dp, dp_attention=dp)
            if d.gpus_per_replica <= max_gpus and _valid(m, d):
                first.append(d)
    piped: list[Deployment] = []
    reach = max((d.gpus_per_replica for d in first), default=0)
    for pp in PARALLEL_SIZES:  # the widest TP per stage count, one layout per GPU count
        for tp in sorted(valid_tp_sizes(m), reverse=True):
            d = Deployment(tp=tp, pp=pp)
            n = d.gpus_per_replica
            if n <= max_gpus and _valid(m, d):
                if n > reach and all(n != q.gpus_per_replica for q in piped):
                    piped.append(d)
                break
    return first, piped


def _valid(m, d: Deployment) -> bool:
    try:
        check_deployment(m, d)
    except EngineInputError:
        return False
    return True


def time_layout(sc: Scenario, d: Deployment) -> tuple[list[CurvePoint], str | None, str]:
    """The layout's points over the concurrency grid, or (no points, reason, detail)."""
    req, a = sc.request, sc.assumptions
    t_in, t_out = req.input_tokens, req.output_tokens
    static = sc.preset.static_batch

    def point(c: int):
        return decoder_point(model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
                             kv_bytes_per_element=sc.kv_bytes_per_element,
                             gpus=d.gpus_per_replica if d.plain_tp else None,
                             workload=Workload(t_in, t_out, c, static),
                             assumptions=a, deployment=d)

    first = point(1)
    missing = [n for n in first.notes if n.code in ("no_compute_figure", "no_interconnect_figure")]
    if missing:
        return [], "missing_figure", missing[0].message
    if not first.memory.fits:
        return [], "does_not_fit", ""
    cap = first.memory.max_concurrency
    grid = concurrency_grid(cap)
    dtype, _ = compute_dtype_for(sc.scheme, sc.hardware)
    if not d.plain_tp:
        # deployed_point's timing at each C (its memory plan and notes are C-independent
        # here: every grid C fits)
        from inferx.engine.timing_deployed import deployed_timing

        timed = [deployed_timing(
            m=sc.model, hw=sc.hardware, scheme=sc.scheme, counts=first.counts,
            weights_total=first.memory.weights_bytes,
            kv_bytes_per_element=sc.kv_bytes_per_element, d=d, concurrency=c,
            input_tokens=t_in, output_tokens=t_out, static_batch=static,
            peak_tflops=sc.hardware.compute_tflops_for(dtype) or 0.0, a=a, speculation=None,
            cached_fraction=0.0) for c in grid]
        return [from_timing(c, t) for c, t in zip(grid, timed, strict=True)], None, ""
    if not static:
        curve = TimingCurve(m=sc.model, hw=sc.hardware, scheme=sc.scheme, counts=first.counts,
                            weights_total=first.memory.weights_bytes,
                            kv_bytes_per_element=sc.kv_bytes_per_element, tp=d.tp,
                            input_tokens=t_in, output_tokens=t_out,
                            peak_tflops=sc.hardware.compute_tflops_for(dtype) or 0.0, a=a)
        return [curve.at(c) for c in grid], None, ""
    out = []
    for c in grid:
        p = point(c)
        if p.timing is None:
            break
        out.append(from_timing(c, p.timing))
    return out, None, ""


def time_family(sc: Scenario, *, max_gpus: int, kinds: str, targets: Targets) -> Family:
    """Every layout of one hardware x precision over the concurrency grid."""
    fam = Family(sc.hardware.id, sc.scheme.id)
    first, piped = layouts(sc, max_gpus, kinds)
    reasons: list[tuple[str, str]] = []
    for group in (first, piped):
        for d in group:
            fam.layouts += 1
            perf, reason, detail = time_layout(sc, d)
            if reason:
                reasons.append((reason, detail))
                if reason == "missing_figure" and d.gpus_per_replica == 1:
                    break  # no peak FLOPS: no layout can be timed
                continue
            fam.points.extend(Point(fam.hardware, fam.precision, d, p) for p in perf)
            if kinds == "all" and d.plain_tp and not sc.preset.static_batch:
                from inferx.plan.disagg import pool_points

                fam.points.extend(Point(fam.hardware, fam.precision, d, p, pools)
                                  for pools, p in pool_points(sc, d, perf, max_gpus=max_gpus))
        if fam.points:
            break
    if not fam.points:
        codes = [r for r, _ in reasons]
        fam.reason = "missing_figure" if "missing_figure" in codes else "does_not_fit"
        fam.detail = next((dt for r, dt in reasons if r == fam.reason), "")
        if fam.reason == "does_not_fit":
            fam.detail = (f"{sc.model.id} at {sc.scheme.id} does not fit on up to {max_gpus} x "
                          f"{sc.hardware.id} ({fam.layouts} layouts tried)")
        return fam
    ttft_miss = tpot_miss = True
    for p in fam.points:
        mt, mp = targets.misses(p.perf)
        ttft_miss &= mt
        tpot_miss &= mp
        if not (mt or mp):
            fam.feasible.append(p)
    if not fam.feasible:
        fam.reason = ("misses_ttft" if ttft_miss else "misses_tpot" if tpot_miss
                      else "misses_targets")
        best_ttft = min(p.perf.ttft_s for p in fam.points) * 1e3
        best_tpot = min(p.perf.tpot_s for p in fam.points) * 1e3
        fam.detail = (f"best TTFT {best_ttft:.4g} ms, best TPOT {best_tpot:.4g} ms over "
                      f"{len(fam.points)} points")
    return fam


def pareto(points: list[Point], step: float = 0.0) -> list[Point]:
    """The frontier: sorted by tokens/s per user, descending, each point with more output
    tokens/s per GPU than every point more interactive than it (with `step` > 0, more by at
    least that share than the last point kept: a thinner curve, still monotone)."""
    best = -math.inf
    out = []
    for p in sorted(points, key=lambda p: (-p.tokens_per_s_per_user, -p.per_gpu)):
        if p.per_gpu > best:
            out.append(p)
            best = p.per_gpu * (1 + step)
    return out


def cheapest(families: list[Family], volume: Volume | None) -> list[Candidate]:
    """One candidate per (hardware, precision, layout, pools, tier), at the layout's cheapest
    feasible concurrency, best first.  Within a layout the GPUs and price are fixed, so the
    cheapest point is the same at every price: with a volume, the fewest replicas at peak
    (then the most output tokens/s); without, the most output tokens/s (ties: larger C)."""
    best: dict[tuple, Point] = {}
    for fam in families:
        for p in fam.feasible:
            k = (fam.hardware, fam.precision, id(p.deployment), p.pools)
            q = best.get(k)
            if q is None or _better(p, q, volume):
                best[k] = p
    prices = {(f.hardware, f.precision): f.prices for f in families}
    out = [price_point(p, price, volume) for p in best.values()
           for price in prices[(p.hardware, p.precision)]]
    return sorted(out, key=lambda c: c.key)


def _better(p: Point, q: Point, volume: Volume | None) -> bool:
    a, b = p.perf, q.perf
    if volume is not None:
        rp, rq = volume.replicas(a.requests_per_s), volume.replicas(b.requests_per_s)
        if rp != rq:
            return rp < rq
    if a.output_tokens_per_s != b.output_tokens_per_s:
        return a.output_tokens_per_s > b.output_tokens_per_s
    return a.concurrency > b.concurrency


Progress = Callable[[int, int], None]
