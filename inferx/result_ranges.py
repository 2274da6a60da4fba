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


# (preset id, hardware family, serving mode) → (the fitted table they came from, metric →
# (band, basis, extrapolated) or None): the bands of a built-in preset depend on nothing else
_BANDS: dict[tuple[str, str, str], tuple[Any, dict[str, tuple[list[float], str, bool] | None]]] = {}


def _bands(preset: Preset, family: str, serving_mode: str
           ) -> dict[str, tuple[list[float], str, bool] | None]:
    """metric → (predicted/measured ratio band, basis, extrapolated?) for every metric of
    RANGE_BASIS: a user calibration file's own ratios, else the measured band of the group."""
    from inferx.calibration.bands import band_for
    from inferx.preset_files import fitted_table

    built_in, table = preset.origin == "built-in", fitted_table()
    key = (preset.id, family, serving_mode)
    known = _BANDS.get(key)
    if built_in and known is not None and known[0] is table:
        return known[1]
    out: dict[str, tuple[list[float], str, bool] | None] = {}
    for metric, _ in RANGE_BASIS.values():
        if metric in out:
            continue
        own = preset.error_ratio.get(metric)
        if not built_in and own:
            out[metric] = (own, metric, False)
        elif (band := band_for(preset.id, family, serving_mode, metric, table=table)) is not None:
            out[metric] = ([band.p10, band.p90], metric, band.extrapolated)
        else:
            out[metric] = (own, metric, False) if own else None
    if built_in:
        _BANDS[key] = (table, out)
    return out


_FAMILIES: dict[int, tuple[Any, str]] = {}  # id(profile) → (profile, its hardware family)


def _family(hardware: Any) -> str:
    """families.hardware_family, once per hardware profile object (the registry's are kept)."""
    known = _FAMILIES.get(id(hardware))
    if known is not None and known[0] is hardware:
        return known[1]
    from inferx.calibration.families import hardware_family

    if len(_FAMILIES) > 256:  # profiles copied with --assume'd figures come and go
        _FAMILIES.clear()
    family = hardware_family(hardware)
    _FAMILIES[id(hardware)] = (hardware, family)
    return family


def group_ranges(preset: Preset, figures: dict[str, float | None], *, hardware: Any,
                 serving_mode: str) -> tuple[dict[str, tuple[float, float, str]], bool]:
    """{figure: (low, high, basis)} and whether the scenario is extrapolated (a band used
    for one of its figures is)."""
    bands = _bands(preset, _family(hardware), serving_mode)
    out: dict[str, tuple[float, float, str]] = {}
    extrapolated = False
    for key, value in figures.items():
        basis = RANGE_BASIS.get(key)
        if value is None or basis is None:
            continue
        metric, inverse = basis
        found = bands[metric]
        if found is None:
            continue
        band, name, wide = found
        extrapolated = extrapolated or wide
        if band:
            lo, hi = value_range(value, band, inverse=inverse)
            out[key] = (lo, hi, name)
    return out, extrapolated
