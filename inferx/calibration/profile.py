"""`inferx calibrate`: fit a preset on a user's own measurements and write a calibration file.

The file (TOML) is what `--calibration FILE` reads (inferx.preset_files.load_calibration):

    kind = "calibration"
    engine = "vllm"                 # the built-in preset it starts from
    fitted_on = ["my-bench"]        # sources (case_id prefixes)
    fitted_rows = 12
    [values]                        # fitted knobs (Assumptions fields)
    bandwidth_efficiency = 0.78
    [error_ratio]                   # in-sample predicted/measured p10-p90 per metric
    tpot_ms = [0.93, 1.08]

Fit: the same least squares as the built-in presets (inferx.calibration.fitting), with the
engine's built-in values as the prior (weight 1/ln²2), so a handful of rows moves only the
knobs they inform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from inferx.calibration.fitting import PRIOR_WEIGHT_ENGINE, evaluate, fit
from inferx.calibration.harness import CannotEstimate, resolve
from inferx.calibration.measurements import Measurement, parse_csv
from inferx.calibration.scoring import by_metric, stats
from inferx.calibration.vllm_json import read_vllm_json
from inferx.engine.presets import FITTED_KNOBS
from inferx.errors import InputError, InvalidFileError
from inferx.preset_files import builtin_preset
from inferx.registry import Registry
from inferx.writer import refuse_existing, write_file


class MetricFit(BaseModel):
    model_config = ConfigDict(frozen=True)
    metric: str
    rows: int
    median_ape_before: float | None
    median_ape_after: float | None
    ratio_p10: float | None
    ratio_p90: float | None


class CalibrationResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    file: str
    output: str
    engine: str
    rows_read: int
    rows_used: int
    skipped: list[dict[str, str]]
    values: dict[str, float]
    metrics: list[MetricFit]


def read_measurements(path: Path, *, hardware: str | None, gpus: int | None,
                      precision: str | None, model: str | None
                      ) -> tuple[list[Measurement], list[dict[str, str]]]:
    """(rows, rows skipped on reading with the reason)."""
    from inferx.files import check_name_length

    check_name_length(path)
    if path.is_dir():
        raise InputError("FILE", f"{path} is a directory; expected a measurements CSV or a "
                         "vLLM benchmark JSON")
    if gpus is not None and not 1 <= gpus <= 100_000:
        raise InputError("--gpus", f"expected a whole number from 1 to 100,000, got {gpus}")
    if path.suffix.lower() == ".json":
        if not hardware or not gpus:
            raise InputError("--hardware", "a vLLM benchmark JSON does not record the hardware: "
                             "pass --hardware and --gpus")
        return read_vllm_json(path, hardware=hardware, gpus=gpus,
                              precision=precision or "bf16", model=model), []
    return parse_csv(path)


def calibrate(path: Path, output: Path, *, engine: str | None, force: bool,
              registry: Registry, hardware: str | None = None, gpus: int | None = None,
              precision: str | None = None, model: str | None = None,
              iterations: int = 150) -> CalibrationResult:
    """Fit knobs on the rows of `path`; write the calibration file (inferx.writer)."""
    refuse_existing(output, force=force, field="--output")
    rows, skipped = read_measurements(path, hardware=hardware, gpus=gpus, precision=precision,
                                      model=model)
    rows_read = len(rows) + len(skipped)  # skipped so far: no usable measurement in the row
    preset = builtin_preset(engine or "generic")
    scenarios = []
    for row in rows:
        try:
            scenarios.append(resolve(row, registry))
        except CannotEstimate as exc:
            skipped.append({"case_id": row.case_id, "reason": str(exc)})
    if not scenarios:
        raise InvalidFileError(str(path), "(rows)", "no row could be estimated "
                               f"({skipped[0]['reason'] if skipped else 'no rows'})")
    prior = {k: float(preset.values[k]) for k in FITTED_KNOBS}
    before, _ = evaluate(scenarios, lambda _e: prior)
    # a user's own runs: plain least squares, every row should be explained (no robust loss)
    got = fit(scenarios, engine=preset.id, prior=prior, prior_weight=PRIOR_WEIGHT_ENGINE,
              iterations=iterations, robust_scale=None)
    after, _ = evaluate(scenarios, lambda _e: got.values)
    metrics, bands = [], {}
    b_by, a_by = by_metric(before), by_metric(after)
    for m, ps in a_by.items():
        if not ps:
            continue
        sa, sb = stats(ps), stats(b_by[m])
        metrics.append(MetricFit(metric=m, rows=sa.rows, median_ape_before=sb.median_ape,
                                 median_ape_after=sa.median_ape, ratio_p10=sa.ratio_p10,
                                 ratio_p90=sa.ratio_p90))
        bands[m] = [round(sa.ratio_p10, 4), round(sa.ratio_p90, 4)]
    doc: dict[str, Any] = {
        "kind": "calibration", "engine": preset.id, "source_file": str(path),
        "fitted_on": got.sources, "fitted_rows": got.rows,
        "values": got.values, "error_ratio": bands}
    import tomli_w

    write_file(output, tomli_w.dumps(doc), force=force, field="--output")
    return CalibrationResult(file=str(path), output=str(output), engine=preset.id,
                             rows_read=rows_read, rows_used=len(scenarios), skipped=skipped,
                             values=got.values, metrics=metrics)
