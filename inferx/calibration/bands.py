"""The error band an estimate's low/high range is built from, chosen by how like the measured
rows the scenario is (docs/accuracy.md#ranges).

inferx/calibration/fitted.json (written by `python benchmarks/accuracy.py --write-presets`)
holds, per metric, predicted/measured ratio quantiles [p10, p90]:

* ``presets.<engine>.error_ratio``: leave-one-source-out, per engine preset;
* ``bands.hardware_family.<family>``: the family's rows predicted by presets fitted without
  any row of that family (leave-one-family-out);
* ``bands.serving_mode.<mode>``: the same, holding out one serving mode;
* ``bands.out_of_family``: every held-out hardware-family row pooled (a family that was
  measured but has too few values of one metric for its own band);
* ``bands.widest``: the widest band over every group: what an unmeasured scenario gets;
* ``measured``: the hardware families and serving modes with scored rows.

`band_for` is pure: pass `table` (the parsed JSON) or leave it None for the built-in table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inferx.calibration.families import MODE_ALIASES

METRICS = ("throughput_out_tok_s", "ttft_ms", "tpot_ms", "e2e_latency_s")


@dataclass(frozen=True)
class Band:
    """predicted/measured ratio quantiles [p10, p90] for one metric of one scenario.

    `extrapolated` is True when the scenario's hardware family or serving mode has no
    measured row: the band is then the widest measured one.  `basis` names the groups the
    band came from (for the result's assumptions list)."""

    p10: float
    p90: float
    extrapolated: bool
    basis: str


def _table() -> Mapping[str, Any]:
    from inferx.preset_files import fitted_table

    return fitted_table()


def _envelope(bands: list[list[float]]) -> tuple[float, float]:
    return min(b[0] for b in bands), max(b[1] for b in bands)


def band_for(preset_id: str, hardware_family: str, serving_mode: str, metric: str, *,
             table: Mapping[str, Any] | None = None) -> Band | None:
    """The band for `metric` of a scenario on `hardware_family` (families.hardware_family)
    served in `serving_mode` (families.SERVING_MODES, or engine/serving.py's Traffic.mode:
    "concurrency" reads as "clients") under engine preset `preset_id`.

    Measured family and mode: the envelope (lowest p10, highest p90) of the preset's band and
    the family's and the mode's held-out bands, so the range covers each source of error
    measured.  Family or mode never measured: the widest band, `extrapolated=True`.  None
    when the table has no band for the metric at all.
    """
    if metric not in METRICS:
        raise ValueError(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    table = _table() if table is None else table
    bands = table.get("bands") or {}
    measured = table.get("measured") or {}
    mode = MODE_ALIASES.get(serving_mode, serving_mode)
    widest = (bands.get("widest") or {}).get(metric)
    if (hardware_family not in (measured.get("hardware_families") or ())
            or mode not in (measured.get("serving_modes") or ())):
        if widest is None:
            return None
        return Band(widest[0], widest[1], True, "widest measured band (extrapolated)")
    presets = table.get("presets") or {}
    preset = presets.get(preset_id) or presets.get("generic") or {}
    parts: list[tuple[str, list[float]]] = []
    if (b := (preset.get("error_ratio") or {}).get(metric)) is not None:
        parts.append((f"preset {preset_id if preset_id in presets else 'generic'}", b))
    fam = ((bands.get("hardware_family") or {}).get(hardware_family) or {}).get(metric)
    if fam is None:
        fam = (bands.get("out_of_family") or {}).get(metric)
        if fam is not None:
            parts.append(("out-of-family (pooled)", fam))
    else:
        parts.append((f"hardware family {hardware_family}", fam))
    if (md := ((bands.get("serving_mode") or {}).get(mode) or {}).get(metric)) is not None:
        parts.append((f"serving mode {mode}", md))
    if not parts:
        return None if widest is None else Band(widest[0], widest[1], False, "widest band")
    lo, hi = _envelope([b for _, b in parts])
    return Band(lo, hi, False, ", ".join(name for name, _ in parts))
