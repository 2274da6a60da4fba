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
              volume: float) -> tuple[Utilization | None, Energy, dict[str, RangeValue]]:
    facts = replica_facts(ctx, fit.replica.e2e_s, fit.tdp_w)
    energy = energy_section(ctx, facts)
    if primary is None:
        return None, energy, {}
    util = policies(ctx, sizing, primary, volume, facts, energy)
    ranges: dict[str, RangeValue] = {}
    if facts.band:
        p10, p90 = facts.band
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
        ranges["headline.totals.monthly_usd"] = RangeValue(low=min(hl), high=max(hl),
                                                           basis=RANGE_BASIS)
        reps = [dataclasses.replace(sizing, requests_per_s=r).replicas(volume)
                for r in (hi_rps, lo_rps, sizing.requests_per_s)]
        ranges["fleet.replicas_always_on"] = RangeValue(low=min(reps), high=max(reps),
                                                        basis=RANGE_BASIS)
    return util, energy, ranges
