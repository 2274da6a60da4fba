"""Low/high ranges on an estimate, from the measured error of the group the scenario belongs
to (docs/accuracy.md#ranges): its hardware family and serving mode, held out when the presets
were fitted (calibration/bands.py).  A scenario whose family or mode was never measured is
`extrapolated` and gets the widest measured band; a user calibration file's own error ratios
win over the built-in bands."""

from __future__ import annotations

from typing import Any

from inferx.engine.presets import RANGE_BASIS, Preset, value_range


def serving_group(traffic_mode: str, static_batch: bool, deployment: Any,
                  speculation: Any) -> str:
    """The serving-mode group a scenario falls in, named as the accuracy harness names the
    measured rows' (calibration/families.py)."""
    from inferx.calibration.families import layout_slice

    mode = "static" if static_batch else {"concurrency": "clients"}.get(traffic_mode,
                                                                         traffic_mode)
    return mode + layout_slice(deployment, speculation)


def group_ranges(preset: Preset, figures: dict[str, float | None], *, hardware: Any,
                 serving_mode: str) -> tuple[dict[str, tuple[float, float, str]], bool]:
    """{figure: (low, high, basis)} and whether the scenario is extrapolated."""
    from inferx.calibration.bands import band_for
    from inferx.calibration.families import hardware_family

    family = hardware_family(hardware)
    out: dict[str, tuple[float, float, str]] = {}
    extrapolated = False
    cache: dict[str, tuple[list[float], str] | None] = {}
    for key, value in figures.items():
        basis = RANGE_BASIS.get(key)
        if value is None or basis is None:
            continue
        metric, inverse = basis
        if metric not in cache:
            own = preset.error_ratio.get(metric)
            if preset.origin != "built-in" and own:
                cache[metric] = (own, metric)
            else:
                band = band_for(preset.id, family, serving_mode, metric)
                if band is not None:
                    extrapolated = extrapolated or band.extrapolated
                    cache[metric] = ([band.p10, band.p90], metric)
                else:
                    cache[metric] = (own, metric) if own else None
        found = cache[metric]
        if found:
            lo, hi = value_range(value, found[0], inverse=inverse)
            out[key] = (lo, hi, found[1])
    return out, extrapolated
