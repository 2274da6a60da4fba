"""The low-traffic economics of one bill, composed: the prefix cache (and the replica re-sized
for the prefill it saves), utilization under three rental policies, energy, and low/high
ranges on the bill's figures from the estimate's measured throughput error band."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from inferx.bill import cache as C
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.prices import Price
from inferx.bill.results import CacheSection, Energy, Utilization
from inferx.bill.utilization import energy_section, policies, replica_facts
from inferx.engine.presets import value_range
from inferx.results import RangeValue

RANGE_BASIS = "throughput_out_tok_s"


def with_cache(ctx: BillContext, fit: Any, sizing: Sizing, volume: float,
               resize: Callable[[], Any],
               make_sizing: Callable[[Any], Sizing]) -> tuple[Any, Sizing, CacheSection | None]:
    """The cache section; with a derived hit rate the replica is re-sized once with it (the
    fleet it was derived over is the one sized without the cache)."""
    section = C.cache_section(ctx.req, volume, sizing.replicas(volume))
    if section is None or section.source == "flag":
        return fit, sizing, section
    ctx.req = ctx.req.model_copy(update={"prefix_cache_hit": section.prefix_cache_hit})
    again = resize()
    if again is None:
        return fit, sizing, section
    return again, make_sizing(again), section


def economics(ctx: BillContext, fit: Any, sizing: Sizing, primary: Price | None,
              volume: float, prices: list[Price] | None = None, apis: list[Any] | None = None,
              owned: Any = None) -> tuple[Utilization | None, Energy, dict[str, RangeValue]]:
    facts = replica_facts(ctx, fit.replica.e2e_s, fit.tdp_w)
    energy = energy_section(ctx, facts)
    if primary is None:
        return None, energy, {}
    util = policies(ctx, sizing, primary, volume, facts, energy)
    ranges: dict[str, RangeValue] = {}
    if facts.band:
        # measured throughput ∈ [v / p90, v / p10] (docs/methodology.md#ranges)
        lo_rps, hi_rps = value_range(sizing.requests_per_s, facts.band, inverse=False)
        outs = [policies(ctx, dataclasses.replace(sizing, requests_per_s=r), primary, volume,
                         facts, energy) for r in (hi_rps, lo_rps)]
        for i, p in enumerate(util.policies):
            for key in ("monthly_usd", "usd_per_million_output_tokens", "gpu_hours_per_month",
                        "kwh_per_month", "kg_co2_per_month", "underutilization_factor"):
                v = getattr(p, key)
                if v is None:
                    continue
                vals = [getattr(o.policies[i], key) for o in outs] + [v]
                if any(x is None for x in vals):
                    continue
                ranges[f"utilization.policies.{p.policy}.{key}"] = RangeValue(
                    low=min(vals), high=max(vals), basis=RANGE_BASIS)
        hl = [sizing.always_on(volume, primary.usd)] + [
            dataclasses.replace(sizing, requests_per_s=r).always_on(volume, primary.usd)
            for r in (hi_rps, lo_rps)]
        for key in ("daily_usd", "monthly_usd", "yearly_usd", "usd_per_query",
                    "usd_per_1k_queries", "usd_per_million_tokens"):  # all ∝ the monthly bill
            ranges[f"headline.totals.{key}"] = _scaled(hl, key, ctx, volume)
        ranges.update(_bill_ranges(ctx, sizing, (hi_rps, lo_rps), volume, prices or [],
                                   apis or [], owned))
        reps = [dataclasses.replace(sizing, requests_per_s=r).replicas(volume)
                for r in (hi_rps, lo_rps, sizing.requests_per_s)]
        ranges["fleet.replicas_always_on"] = RangeValue(low=min(reps), high=max(reps),
                                                        basis=RANGE_BASIS)
    return util, energy, ranges


def _range(values: list[float]) -> RangeValue:
    return RangeValue(low=min(values), high=max(values), basis=RANGE_BASIS)


def _scaled(monthly: list[float], key: str, ctx: BillContext, volume: float) -> RangeValue:
    from inferx.bill import arithmetic as F

    req = ctx.req
    vals = [F.totals(monthly_usd=m, daily_queries=volume, days_per_month=req.days_per_month,
                     tokens_per_query=req.input_tokens + req.output_tokens)[key] for m in monthly]
    return _range([v for v in vals if v is not None] or [0.0])


def _bill_ranges(ctx: BillContext, sizing: Sizing, rps: tuple[float, float], volume: float,
                 prices: list[Price], apis: list[Any], owned: Any) -> dict[str, RangeValue]:
    """Ranges on the self-hosted bills at every price, the fleet, the owned fleet and each
    API's break-even volume: the same figure with the replica at the band's throughputs."""
    from inferx.bill.apis import _break_even

    sizings = [sizing] + [dataclasses.replace(sizing, requests_per_s=r) for r in rps]
    out: dict[str, RangeValue] = {}
    out["fleet.gpus_always_on"] = _range([s.replicas(volume) * s.gpus for s in sizings])
    for p in prices:
        out[f"self_hosted.{p.pricing}.always_on.monthly_usd"] = _range(
            [s.always_on(volume, p.usd) for s in sizings])
        auto = [s.autoscaled(volume, p.usd) for s in sizings]
        if all(a is not None for a in auto):
            out[f"self_hosted.{p.pricing}.autoscaled.monthly_usd"] = _range(
                [a for a in auto if a is not None])
    primary = next((p for p in prices if p.pricing == ctx.req.pricing),
                   prices[0] if prices else None)
    for a in apis:
        if primary is None or a.totals is None or a.break_even_daily_queries is None:
            continue
        be = [_break_even(ctx, s, primary, a.totals.usd_per_query) for s in sizings]
        if all(b is not None for b in be):
            out[f"apis.{a.id}.break_even_daily_queries"] = _range(
                [b for b in be if b is not None])
    if owned is not None and owned.priced and owned.total_usd_per_gpu_month is not None:
        out["ownership.totals.monthly_usd"] = _range(
            [owned.total_usd_per_gpu_month * s.replicas(volume) * s.gpus for s in sizings])
    return out
