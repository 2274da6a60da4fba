"""Utilization from traffic: the GPU-hours three rental policies bill over the hourly shape
(always-on at peak; autoscaled with a minimum and a scale-up delay; scale-to-zero with cold
starts), the effective $/1M output tokens of each and its underutilization factor against a
fully loaded replica; monthly facility energy and CO2 of each (inferx.bill.econ)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.prices import Price
from inferx.bill.results import Energy, Policy, Utilization
from inferx.errors import InferxError
from inferx.units import SECONDS_PER_HOUR

DEFAULT_GRID_GCO2_PER_KWH = 480.0  # the engine's grid_gco2_per_kwh default (Ember, 2023 world)


@dataclass
class ReplicaFacts:
    """What utilization needs beyond the Sizing: service time, weights, power."""

    e2e_s: float
    weights_gb: float | None
    power_w_per_gpu: float | None
    band: list[float] | None = None  # the preset's measured throughput error band [p10, p90]


def replica_facts(ctx: BillContext, e2e_s: float, tdp_w: float | None) -> ReplicaFacts:
    """Weights from one estimate of the bill's scenario (for the cold start) and the serving
    power per GPU (TDP · power_fraction_of_tdp)."""
    from inferx.api import estimate_scenario
    from inferx.engine import Assumptions
    from inferx.scenario import build

    weights, band = None, None
    try:
        sc = build(ctx.req, ctx.registry, ctx.today, with_price=False)
        band = sc.preset.error_ratio.get("throughput_out_tok_s") or None
        weights = float(estimate_scenario(sc).result.memory.weights_gb)
    except InferxError:  # the cold start is then unknown, said in the result
        weights = None
    power = None if tdp_w is None else tdp_w * Assumptions().power_fraction_of_tdp
    return ReplicaFacts(e2e_s=e2e_s, weights_gb=weights, power_w_per_gpu=power,
                        band=None if band is None else list(band))


def energy_section(ctx: BillContext, facts: ReplicaFacts) -> Energy:
    from inferx.bill import grid

    req = ctx.req
    intensity, source = DEFAULT_GRID_GCO2_PER_KWH, ("world average 2023 (Ember, Global "
                                                    "Electricity Review 2024)")
    if req.grid_gco2_per_kwh is not None:
        intensity, source = req.grid_gco2_per_kwh, "--grid-gco2-per-kwh"
    elif req.grid_region is not None:
        loc, intensity = grid.GRID_GCO2_PER_KWH[req.grid_region]
        source = f"{req.grid_region} ({loc}): {grid.SOURCE}"
    return Energy(
        gpu_power_w=facts.power_w_per_gpu,
        host_overhead=E.DEFAULT_HOST_OVERHEAD if req.host_overhead is None else req.host_overhead,
        pue=E.DEFAULT_FACILITY_PUE if req.pue is None else req.pue,
        grid_gco2_per_kwh=intensity, grid_source=source,
        reason=None if facts.power_w_per_gpu is not None else
        f"{req.hardware} has no published TDP: energy not estimated")


def _policy(name: str, **kw: Any) -> Policy:
    base: dict[str, Any] = dict(policy=name, priced=False, reason=None, replicas_by_hour=None,
                                replica_starts_per_period=None, gpu_hours_per_month=None,
                                monthly_usd=None, usd_per_million_output_tokens=None,
                                underutilization_factor=None, mean_utilization=None,
                                kwh_per_month=None, kg_co2_per_month=None)
    base.update(kw)
    return Policy(**base)


def policies(ctx: BillContext, sizing: Sizing, price: Price, volume: float, facts: ReplicaFacts,
             energy: Energy) -> Utilization:
    """The three rental policies at `price` for `volume` queries a day."""
    req = ctx.req
    gpus, rps = sizing.gpus, sizing.requests_per_s
    month_q = F.monthly_queries(daily_queries=volume, days_per_month=req.days_per_month)
    loaded = E.fully_loaded_usd_per_million_output(
        gpus=gpus, usd_per_gpu_hour=price.usd, replica_requests_per_s=rps,
        output_tokens=req.output_tokens)
    # replica-hours a fully loaded fleet would need for the month's queries
    busy_replica_hours = month_q / (rps * SECONDS_PER_HOUR)
    cold = None if facts.weights_gb is None else E.cold_start_s(
        weight_bytes=facts.weights_gb * 1e9,
        storage_bytes_per_s=req.storage_mib_per_s * E.BYTES_PER_MIB)

    def priced(name: str, replica_hours: float, by_hour: list[float] | None,
               starts: float | None) -> Policy:
        gpu_hours = replica_hours * gpus
        monthly = gpu_hours * price.usd
        eff = E.usd_per_million_output(monthly_usd=monthly, monthly_queries=month_q,
                                       output_tokens=req.output_tokens)
        kwh = None if energy.gpu_power_w is None else E.facility_kwh(
            gpu_hours=gpu_hours, gpu_power_w=energy.gpu_power_w,
            host_overhead=energy.host_overhead, pue=energy.pue)
        return _policy(name, priced=True, replicas_by_hour=by_hour,
                       replica_starts_per_period=starts, gpu_hours_per_month=gpu_hours,
                       monthly_usd=monthly, usd_per_million_output_tokens=eff,
                       underutilization_factor=None if eff is None else eff / loaded,
                       mean_utilization=busy_replica_hours / replica_hours if replica_hours
                       else None, kwh_per_month=kwh,
                       kg_co2_per_month=None if kwh is None else
                       kwh * energy.grid_gco2_per_kwh / 1000.0)

    hours_month = F.hours_per_month(days_per_month=req.days_per_month)
    n = sizing.replicas(volume)
    out = [priced("always_on", n * hours_month,
                  None if sizing.shares is None else [float(n)] * len(sizing.shares), 0.0)]
    shares = sizing.shares
    if shares is None:
        why = "needs an hourly shape: pass --traffic-shape or --traffic-profile"
        out += [_policy("autoscaled", reason=why), _policy("scale_to_zero", reason=why)]
    elif cold is None:
        out.append(_autoscaled(sizing, volume, req, 0.0, priced, shares))
        out.append(_policy("scale_to_zero", reason="cold start unknown: the model's weight "
                           "size could not be estimated"))
    else:
        out.append(_autoscaled(sizing, volume, req, cold, priced, shares))
        out.append(_scale_to_zero(sizing, volume, req, cold, facts.e2e_s, priced, shares))
    needed = sizing.needed(volume)
    return Utilization(
        pricing=price.pricing, usd_per_gpu_hour=price.usd,
        fully_loaded_usd_per_million_output_tokens=loaded, weights_gb=facts.weights_gb,
        storage_mib_per_s=req.storage_mib_per_s, cold_start_s=cold,
        idle_timeout_s=req.idle_timeout_s, scale_up_delay_s=req.scale_up_delay_s,
        redundancy=req.redundancy, replicas_needed_at_peak=needed, replicas_billed_at_peak=n,
        replica_availability=req.replica_availability,
        availability_at_peak=E.availability(needed=needed, running=n,
                                            replica_availability=req.replica_availability),
        policies=out)


def _autoscaled(sizing: Sizing, volume: float, req: Any, cold: float, priced: Any,
                shares: list[float]) -> Policy:
    """Hour by hour, at least --min-replicas; each replica started is billed from the moment it
    is asked for: scale-up delay plus cold start before the hour it serves."""
    by_hour = sizing.by_hour(volume) or []
    starts = E.scale_up_starts(by_hour)
    per_period = sum(by_hour) + starts * (req.scale_up_delay_s + cold) / SECONDS_PER_HOUR
    return priced("autoscaled", per_period * E.replica_hours_per_month_factor(
        shares, req.days_per_month), [float(r) for r in by_hour], float(starts))


def _scale_to_zero(sizing: Sizing, volume: float, req: Any, cold: float, e2e_s: float,
                   priced: Any, shares: list[float]) -> Policy:
    """No minimum: an hour without traffic bills nothing; an hour one replica serves bills the
    share it is warm (econ.warm_fraction: idle timeout, a cold start after each long gap);
    busier hours bill whole replicas, plus scale-up delay and cold start for each added one."""
    qps = E.qps_by_hour(daily_queries=volume, shares=shares)
    cap = sizing.requests_per_s * sizing.utilization
    billed: list[float] = []
    for q in qps:
        n = F.whole(q / cap) if q > 0 else 0
        if n == 0:
            billed.append(0.0)
        elif n == 1 and not (sizing.spare or sizing.reserve):
            billed.append(E.warm_fraction(qps=q, busy_s=e2e_s, idle_timeout_s=req.idle_timeout_s,
                                          cold_s=cold))
        else:
            billed.append(float(sizing.billed(n)))
    whole_hours = [int(b) if b >= 1 else 0 for b in billed]  # partial hours: starts below
    starts = E.scale_up_starts(whole_hours)
    cold_starts = sum(q * SECONDS_PER_HOUR * _tail(q, e2e_s, req.idle_timeout_s)
                      for q, b in zip(qps, billed, strict=True) if 0 < b < 1)
    per_period = sum(billed) + starts * (req.scale_up_delay_s + cold) / SECONDS_PER_HOUR
    return priced("scale_to_zero", per_period * E.replica_hours_per_month_factor(
        shares, req.days_per_month), billed, float(starts) + cold_starts)


def _tail(q: float, e2e_s: float, idle_s: float) -> float:
    import math

    return math.exp(-q * (e2e_s + idle_s))
