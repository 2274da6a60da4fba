"""Power, energy and emissions.  No I/O.  Formulas: docs/methodology.md#energy."""

from __future__ import annotations

from inferx.units import JOULES_PER_WH, WH_PER_KWH


def average_power_w(*, tdp_w: float, gpus: int, power_fraction_of_tdp: float, pue: float) -> float:
    """Average facility power of a replica: TDP · power_fraction · gpus · PUE."""
    return tdp_w * power_fraction_of_tdp * gpus * pue


def joules_per_token(*, power_w: float, tokens_per_s: float) -> float:
    """power_w / tokens_per_s (J = W·s)."""
    return power_w / tokens_per_s


def wh_per_request(*, power_w: float, requests_per_s: float) -> float:
    """power_w / requests_per_s / 3600."""
    return power_w / requests_per_s / JOULES_PER_WH


def gco2_from_wh(*, wh: float, grid_gco2_per_kwh: float) -> float:
    """wh / 1000 · grid intensity (gCO2 per kWh)."""
    return wh / WH_PER_KWH * grid_gco2_per_kwh
