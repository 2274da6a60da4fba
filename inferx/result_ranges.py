"""Low/high ranges on an estimate, from the measured error of the group the scenario belongs
to (docs/accuracy.md#ranges): its hardware family and serving mode, held out when the presets
were fitted (calibration/bands.py).  A scenario whose family or mode was never measured is
`extrapolated` and gets the widest measured band; a user calibration file's own error ratios
win over the built-in bands."""

from __future__ import annotations

from typing import Any

from inferx.engine.presets import RANGE_BASIS, Preset
from inferx.preset_files import fitted_table
from inferx.record import maker
from inferx.results import CostResult, LatencyResult, RangeValue, ThroughputResult

new_range_value = maker(RangeValue)  # record.maker: no type call, ~11 per estimate


_MODES = {"concurrency": "clients"}  # a fixed concurrency is measured as closed-loop clients


def serving_group(traffic_mode: str, static_batch: bool, deployment: Any,
                  speculation: Any) -> str:
    """The serving-mode group a scenario falls in, named as the accuracy harness names the
    measured rows' (calibration/families.py)."""
    mode = "static" if static_batch else _MODES.get(traffic_mode, traffic_mode)
    if deployment is None and speculation is None:
        return mode  # no layout slice (families.layout_slice gives "")
    from inferx.calibration.families import layout_slice

    return mode + layout_slice(deployment, speculation)


def _bands(preset: Preset, family: str, serving_mode: str
           ) -> dict[str, tuple[list[float], str, bool] | None]:
    """metric → (predicted/measured ratio band, basis, extrapolated?) for every metric of
    RANGE_BASIS: a user calibration file's own ratios, else the measured band of the group."""
    from inferx.calibration.bands import band_for

    built_in, table = preset.origin == "built-in", fitted_table()
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


# (section index, field, "section.field", metric) of every figure that can carry a range, in
# result field order; sections: 0 latency, 1 throughput, 2 cost (estimate_ranges' arguments)
RANGED = tuple((i, name, f"{section}.{name}", RANGE_BASIS[f"{section}.{name}"])
               for i, (section, cls) in enumerate((("latency", LatencyResult),
                                                   ("throughput", ThroughputResult),
                                                   ("cost", CostResult)))
               for name in cls.__dataclass_fields__ if f"{section}.{name}" in RANGE_BASIS)

# One figure's recipe: (section index, field, key, p10, p90, inverse, basis, extrapolated);
# p10 and p90 None: the metric has an empty band (no range, yet it counts as extrapolated).
Step = tuple[int, str, str, float | None, float | None, bool, str, bool]
# (preset id, hardware family, serving mode) → (the fitted table, the steps): built-in only
_PLANS: dict[tuple[str, str, str], tuple[Any, tuple[Step, ...]]] = {}
MAX_PLANS = 1024


def range_plan(preset: Preset, hardware: Any, serving_mode: str) -> tuple[Step, ...]:
    """The steps that range a scenario's figures: _bands resolved for every figure of RANGED
    once per (built-in preset, hardware family, serving mode), not once per figure and point.
    A figure whose metric has no band at all has no step."""
    family = _family(hardware)
    built_in = preset.origin == "built-in"
    if built_in:
        key = (preset.id, family, serving_mode)
        known = _PLANS.get(key)
        if known is not None and known[0] is fitted_table():
            return known[1]
    bands = _bands(preset, family, serving_mode)
    steps: list[Step] = []
    for section, name, key_, (metric, inverse) in RANGED:
        found = bands[metric]
        if found is None:
            continue
        band, basis, wide = found
        p10, p90 = band if band else (None, None)
        steps.append((section, name, key_, p10, p90, inverse, basis, wide))
    plan = tuple(steps)
    if built_in:
        if len(_PLANS) >= MAX_PLANS:
            _PLANS.clear()
        _PLANS[key] = (fitted_table(), plan)
    return plan


def estimate_ranges(plan: tuple[Step, ...], latency: Any, throughput: Any, cost: Any
                    ) -> tuple[dict[str, RangeValue], bool]:
    """{figure: RangeValue} of the figures present in the three result sections, in one pass
    over the plan, and whether the scenario is extrapolated (a band used for one of its
    figures is).  Low/high are engine/presets.py `value_range`, written out here:

        figure ∝ metric:      [min(v, v / p90), max(v, v / p10)]
        figure ∝ 1 / metric:  [min(v, v · p10), max(v, v · p90)]   (costs)
    """
    sections = (latency, throughput, cost)
    out: dict[str, RangeValue] = {}
    extrapolated = False
    for section, name, key, p10, p90, inverse, basis, wide in plan:
        value = getattr(sections[section], name)
        if type(value) is not float:
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue  # None: the figure is not estimated
            value = float(value)
        if wide:
            extrapolated = True
        if p10 is None:
            continue
        if inverse:
            lo, hi = value * p10, value * p90
        else:
            lo, hi = value / p90, value / p10
        # min(value, lo) and max(value, hi) as min/max pick (NaN included), without the calls
        out[key] = new_range_value(low=lo if lo < value else value,  # noqa: FURB136
                                   high=hi if hi > value else value,  # noqa: FURB136
                                   basis=basis)
    return out, extrapolated
