"""Dollars and energy of an operating point (pure; formulas in engine/cost.py, engine/energy.py
and docs/methodology.md#cost, #energy)."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine import cost as cost_fn
from inferx.engine import energy as energy_fn


@dataclass(frozen=True)
class Costs:
    usd_per_hour: float
    usd_per_million_output_tokens: float
    usd_per_million_input_tokens: float
    usd_per_million_tokens: float
    usd_per_request: float


@dataclass(frozen=True)
class Energy:
    power_w: float
    joules_per_output_token: float
    wh_per_request: float
    gco2_per_request: float


def point_costs(*, usd_per_gpu_hour: float, gpus: int, output_tokens_per_s: float,
                requests_per_s: float, input_tokens: int, output_tokens: int,
                prefill_share: float) -> Costs:
    """The replica's hourly price spread over what it serves:

        usd/h = price · gpus;  $/1M output = usd/h / output tok/h · 10^6
        $/1M input = usd/h · prefill_share / input tok/h · 10^6   (prefill's share of busy time)
        $/1M tokens = usd/h / (input + output tok/h) · 10^6;  $/request = usd/h / requests/h"""
    hourly = cost_fn.usd_per_hour(usd_per_gpu_hour=usd_per_gpu_hour, gpus=gpus)
    return Costs(
        usd_per_hour=hourly,
        usd_per_million_output_tokens=cost_fn.usd_per_million_tokens(
            usd_per_hour=hourly, tokens_per_s=output_tokens_per_s),
        usd_per_million_input_tokens=cost_fn.usd_per_million_tokens(
            usd_per_hour=hourly * prefill_share, tokens_per_s=requests_per_s * input_tokens),
        usd_per_million_tokens=cost_fn.usd_per_million_tokens(
            usd_per_hour=hourly, tokens_per_s=requests_per_s * (input_tokens + output_tokens)),
        usd_per_request=cost_fn.usd_per_request(usd_per_hour=hourly,
                                                requests_per_s=requests_per_s))


def point_energy(*, tdp_w: float, gpus: int, power_fraction_of_tdp: float, pue: float,
                 grid_gco2_per_kwh: float, output_tokens_per_s: float,
                 requests_per_s: float) -> Energy:
    """Average power (TDP · fraction · gpus · PUE) over what the replica serves."""
    power = energy_fn.average_power_w(tdp_w=tdp_w, gpus=gpus,
                                      power_fraction_of_tdp=power_fraction_of_tdp, pue=pue)
    wh = energy_fn.wh_per_request(power_w=power, requests_per_s=requests_per_s)
    return Energy(power_w=power,
                  joules_per_output_token=energy_fn.joules_per_token(
                      power_w=power, tokens_per_s=output_tokens_per_s),
                  wh_per_request=wh,
                  gco2_per_request=energy_fn.gco2_from_wh(wh=wh,
                                                          grid_gco2_per_kwh=grid_gco2_per_kwh))
