"""Validation that measures generalisation: leave-one-family-out summaries, the error bands
stored in fitted.json, and the figures the regression gate compares.

Pure functions over predictions (`HeldOut` from fitting.leave_groups_out); the benchmark
script and tests/test_accuracy_gate.py call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inferx.calibration.families import hardware_family, model_family, serving_mode
from inferx.calibration.fitting import FitResult
from inferx.calibration.harness import CORES_PER_CHIP, calibration_engine
from inferx.calibration.holdout import HeldOut
from inferx.calibration.measurements import METRICS, Measurement
from inferx.calibration.scoring import Pair, by_metric, stats
from inferx.errors import InferxError
from inferx.registry import Registry

LOFO_AXES = ("hardware family", "engine", "model family", "serving mode")
NO_PROFILE = "(no profile)"
# A group's band needs this many scored values of a metric; fewer → the pooled band.
MIN_BAND_VALUES = 5


def row_groups(row: Measurement, registry: Registry) -> dict[str, str]:
    """The groups a row belongs to along each axis, whether or not it can be estimated
    (a hardware or model without a profile is NO_PROFILE)."""
    try:
        record = registry.get("hardware", row.hardware)
        hw, hw_id = hardware_family(record), record.id
    except InferxError:
        hw, hw_id = NO_PROFILE, ""
    try:
        mf = model_family(registry.get("model", row.model))
    except InferxError:
        mf = NO_PROFILE
    return {"source": row.source_key, "hardware family": hw,
            "engine": calibration_engine(row.framework), "model family": mf,
            "serving mode": serving_mode(row.batch_mode, row.request_rate, row.num_requests)
            + row_slice(row, hw_id)}


def row_slice(row: Measurement, hardware_id: str = "") -> str:
    """The layout part of a row's serving-mode group, as the harness names it."""
    from inferx.calibration.families import layout_slice
    from inferx.calibration.layout import row_layout, row_speculation

    lay = row_layout(row.parallelism, row.gpus, CORES_PER_CHIP.get(hardware_id, 1))
    spec = row_speculation(row.speculative)
    return layout_slice(None if lay.skip else lay.deployment,
                        spec if isinstance(spec, tuple) else None)


@dataclass(frozen=True)
class GroupFigures:
    """One held-out group and metric: how many values, how far off."""

    axis: str
    group: str
    metric: str
    measured: int          # measured values of the metric in the group (all rows held)
    scored: int            # values estimated from presets fitted without the group
    median_ape: float | None
    p90_ape: float | None
    bias: float | None     # exp(median ln(pred/meas))
    ratio_p10: float | None
    ratio_p90: float | None


def group_figures(held: Sequence[HeldOut], measured: dict[tuple[str, str, str], int],
                  ) -> list[GroupFigures]:
    """Per (axis, group, metric) figures; `measured` counts every measured value of the
    group (estimated or not), keyed (axis, group, metric)."""
    out: list[GroupFigures] = []
    for h in held:
        got = by_metric(h.pairs)
        for metric in METRICS:
            n = measured.get((h.axis, h.group, metric), 0)
            if not n:
                continue
            st = stats(got[metric])
            out.append(GroupFigures(h.axis, h.group, metric, n, st.rows, st.median_ape,
                                    st.p90_ape, st.median_ratio, st.ratio_p10, st.ratio_p90))
    return out


def measured_counts(rows: Sequence[Measurement], groups: dict[str, dict[str, str]],
                    axes: Sequence[str]) -> dict[tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = {}
    for r in rows:
        for axis in axes:
            for m in r.metrics:
                key = (axis, groups[r.case_id][axis], m)
                out[key] = out.get(key, 0) + 1
    return out


def _band(pairs: list[Pair]) -> list[float] | None:
    if len(pairs) < MIN_BAND_VALUES:
        return None
    st = stats(pairs)
    assert st.ratio_p10 is not None and st.ratio_p90 is not None
    return [round(st.ratio_p10, 3), round(st.ratio_p90, 3)]


def _bands_of(pairs: list[Pair]) -> dict[str, list[float]]:
    return {m: b for m, ps in by_metric(pairs).items() if (b := _band(ps)) is not None}


# Fits reported in docs/accuracy.md but not shipped as presets (the engine keeps the pooled
# values and says so): llama.cpp's is calibration-only (the CLI's llama.cpp preset is
# uncalibrated until Apple-silicon rows are estimable); SGLang's few plain-TP rows are
# CPU (Xeon) and DeepSeek-V3 ones the model is known to get wrong (docs/accuracy.md).
NOT_SHIPPED = ("llama.cpp", "sglang")


def fitted_table(fits: dict[str, FitResult], held: Sequence[HeldOut]) -> dict[str, Any]:
    """fitted.json: presets (values, provenance, LOSO bands) and the held-out group bands
    inferx.calibration.bands.band_for reads."""
    by_axis: dict[str, dict[str, list[Pair]]] = {}
    for h in held:
        by_axis.setdefault(h.axis, {})[h.group] = h.pairs
    loso = [p for ps in by_axis.get("source", {}).values() for p in ps]
    spread: dict[str, dict[str, list[float]]] = {}
    for engine in sorted({p.engine for p in loso}):
        spread[engine] = _bands_of([p for p in loso if p.engine == engine])
    spread["generic"] = _bands_of(loso)
    presets = {e: {"values": f.values, "fitted_on": f.sources, "fitted_rows": f.rows,
                   "error_ratio": spread.get(e) or spread["generic"]}
               for e, f in fits.items() if e not in NOT_SHIPPED}
    family = {g: b for g, ps in by_axis.get("hardware family", {}).items()
              if (b := _bands_of(ps))}
    mode = {g: b for g, ps in by_axis.get("serving mode", {}).items() if (b := _bands_of(ps))}
    out_of_family = _bands_of([p for ps in by_axis.get("hardware family", {}).values()
                               for p in ps])
    every = [b for grp in (family, mode, {"pool": out_of_family},
                           {e: p["error_ratio"] for e, p in presets.items()})
             for bands in grp.values() for b in bands.items()]
    widest = {m: [min(b[0] for k, b in every if k == m), max(b[1] for k, b in every if k == m)]
              for m in METRICS if any(k == m for k, _ in every)}
    return {
        "method": "robust (pseudo-Huber) least squares on ln(pred/meas), prior toward pooled "
                  "fit, stratified "
                  "training rows; preset ranges = LOSO ratio p10-p90; bands = "
                  "leave-one-family-out ratio p10-p90 (benchmarks/accuracy.py)",
        "presets": presets,
        "bands": {"hardware_family": family, "serving_mode": mode,
                  "out_of_family": out_of_family, "widest": widest},
        "measured": {
            "hardware_families": sorted(g for g, ps in by_axis.get("hardware family", {}).items()
                                        if ps),
            "serving_modes": sorted(g for g, ps in by_axis.get("serving mode", {}).items()
                                    if ps)},
    }


def gate_figures(held: Sequence[HeldOut]) -> dict[str, float]:
    """Median APE (percent, 2 decimals) per "axis | group | metric" with >= 3 scored values:
    the figures tests/fixtures/accuracy_gate.json commits."""
    out: dict[str, float] = {}
    for h in held:
        for metric, ps in by_metric(h.pairs).items():
            if len(ps) >= 3:
                st = stats(ps)
                assert st.median_ape is not None
                out[f"{h.axis} | {h.group} | {metric}"] = round(100 * st.median_ape, 2)
    return dict(sorted(out.items()))
