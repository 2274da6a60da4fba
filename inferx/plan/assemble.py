"""Search families → PlanResult (units, rounding, the estimate flags of each answer)."""

from __future__ import annotations

import shlex
from collections import Counter

from inferx.assemble import profile_ref
from inferx.plan.request import PlanRequest
from inferx.plan.results import (
    Exclusion,
    Frontier,
    FrontierPoint,
    PlanConfig,
    PlanInputs,
    PlanResult,
    SearchStats,
)
from inferx.plan.search import Candidate, Family, Targets, Volume, pareto, price_point

# frontier points kept: each at least 1 % more throughput per GPU than the last (JSON size)
FRONTIER_STEP = 0.01


def _config(req: PlanRequest, rank: int, c: Candidate) -> PlanConfig:
    from inferx.plan import estimate_args

    p, d = c.point, c.point.deployment
    args = estimate_args(req, c)
    return PlanConfig(
        rank=rank, hardware=p.hardware, precision=p.precision, layout=p.label(), gpus=p.gpus,
        disaggregate=None if p.pools is None else f"{p.pools[0]}:{p.pools[1]}",
        tp=d.tp, pp=d.pp, ep=d.ep, dp_attention=d.dp_attention, concurrency=p.perf.concurrency,
        pricing=c.price.tier, price=c.price.label, usd_per_gpu_hour=c.price.usd_per_gpu_hour,
        ttft_ms=p.perf.ttft_s * 1e3, tpot_ms=p.perf.tpot_s * 1e3,
        tokens_per_s_per_user=p.tokens_per_s_per_user,
        output_tokens_per_s=p.perf.output_tokens_per_s, output_tokens_per_s_per_gpu=p.per_gpu,
        requests_per_s=p.perf.requests_per_s,
        usd_per_million_output_tokens=c.usd_per_million_output_tokens, replicas=c.replicas,
        gpus_total=None if c.replicas is None else c.replicas * p.gpus,
        monthly_usd=c.monthly_usd, estimate_args=args,
        estimate_command="inferx estimate " + shlex.join(args))


def _frontier(fam: Family, targets: Targets) -> Frontier:
    price = fam.prices[0] if fam.prices else None
    points = []
    for p in pareto(fam.points, FRONTIER_STEP):
        mt, mp = targets.misses(p.perf)
        points.append(FrontierPoint(
            tokens_per_s_per_user=p.tokens_per_s_per_user,
            output_tokens_per_s_per_gpu=p.per_gpu,
            usd_per_million_output_tokens=None if price is None else
            price_point(p, price, None).usd_per_million_output_tokens,
            layout=p.label(), gpus=p.gpus, concurrency=p.perf.concurrency,
            meets_targets=not (mt or mp)))
    return Frontier(hardware=fam.hardware, precision=fam.precision,
                    pricing=None if price is None else price.tier,
                    usd_per_gpu_hour=None if price is None else price.usd_per_gpu_hour,
                    points=points)


def plan_result(req: PlanRequest, registry, families: list[Family],
                ranked: list[Candidate], volume: Volume | None) -> PlanResult:
    targets = Targets(None if req.max_ttft_ms is None else req.max_ttft_ms / 1e3,
                      None if req.tpot_limit_ms is None else req.tpot_limit_ms / 1e3)
    configs = [_config(req, i + 1, c) for i, c in enumerate(ranked[:req.top])]
    excluded = [Exclusion(hardware=f.hardware, precision=f.precision, reason=f.reason,
                          detail=f.detail) for f in families if f.reason]
    counts = Counter(e.reason for e in excluded)
    hw_ids = list(dict.fromkeys(f.hardware for f in families))
    refs = [profile_ref("model", registry.get("model", req.model))]
    for hid in dict.fromkeys(c.hardware for c in configs):
        refs.append(profile_ref("hardware", registry.get("hardware", hid)))
    for pid in dict.fromkeys(c.price for c in configs if c.price not in (None, "user")):
        refs.append(profile_ref("price", registry.get("price", pid)))
    n_points = sum(len(f.points) for f in families)
    return PlanResult(
        inputs=PlanInputs(
            model=registry.get("model", req.model).id, input_tokens=req.input_tokens,
            output_tokens=req.output_tokens, max_ttft_ms=req.max_ttft_ms,
            max_tpot_ms=req.max_tpot_ms, min_tokens_per_user=req.min_tokens_per_user,
            tpot_limit_ms=req.tpot_limit_ms, daily_queries=req.daily_queries,
            request_rate=req.request_rate, peak_qps=None if volume is None else volume.peak_qps,
            peak_to_average=req.peak_to_average, target_utilization=req.target_utilization,
            min_replicas=req.min_replicas, hardware=hw_ids, precision=req.precision,
            pricing=req.pricing, provider=req.provider, engine=req.engine,
            kv_precision=req.kv_precision, assume=req.assume,
            calibration=req.calibration, max_gpus=req.max_gpus, top=req.top,
            ranked_by="monthly_usd" if volume is not None else "usd_per_million_output_tokens"),
        configurations=configs,
        frontier=[_frontier(f, targets) for f in families if f.points],
        excluded=excluded,
        search=SearchStats(
            families=len(families),
            families_with_configurations=sum(1 for f in families if not f.reason),
            layouts=sum(f.layouts for f in families), points=n_points,
            configurations=sum(len(f.points) * max(len(f.prices), 1) for f in families),
            excluded=dict(sorted(counts.items()))),
        profiles=refs)
