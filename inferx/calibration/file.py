"""Validate a calibration file (`inferx calibrate` writes it; `--calibration FILE` reads it).

    kind = "calibration"
    engine = "vllm"                 # a built-in preset id
    fitted_on = ["my-bench"]        # optional: sources
    fitted_rows = 12                # optional: a whole number >= 0
    [values]                        # knobs: Assumptions fields, each a number in its range
    bandwidth_efficiency = 0.78
    [error_ratio]                   # optional: metric = [p10, p90], positive, p10 <= p90
    tpot_ms = [0.93, 1.08]

Every problem is an InvalidFileError naming the file and the field (``values.pue``,
``error_ratio.tpot_ms``, ``engine``): an unknown engine inside the file is the file's fault,
not the --engine flag's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inferx.errors import InputError, InvalidFileError, clip
from inferx.files import finite_number, load_toml, plain_number


def _fail(path: Path | str, field: str, message: str) -> InvalidFileError:
    return InvalidFileError(str(path), field, message)


def _values(path: Path | str, values: Any) -> dict[str, float]:
    from inferx.engine.assumptions import Assumptions

    if not isinstance(values, dict):
        raise _fail(path, "values", "expected a [values] table of assumption = number")
    known = Assumptions.names()
    for key, value in values.items():
        if key not in known:
            raise _fail(path, f"values.{clip(key, 60)}", "unknown assumption; expected one of "
                        + ", ".join(known))
        if not finite_number(value):
            raise _fail(path, f"values.{key}", f"expected a finite number, got "
                        f"{clip(repr(value), 60)}")
    try:
        Assumptions.from_values(values)
    except InputError as exc:  # names the knob
        raise _fail(path, f"values.{exc.field}", exc.detail) from None
    return {k: float(v) for k, v in values.items()}


def _error_ratio(path: Path | str, bands: Any) -> dict[str, list[float]]:
    if bands is None:
        return {}
    if not isinstance(bands, dict):
        raise _fail(path, "error_ratio", "expected a table of metric = [p10, p90]")
    out = {}
    for key, band in bands.items():
        ok = (isinstance(band, list) and len(band) == 2 and all(finite_number(b) for b in band)
              and 0 < band[0] <= band[1])
        if not ok:
            raise _fail(path, f"error_ratio.{clip(key, 60)}", "expected [p10, p90]: two positive "
                        f"numbers, p10 <= p90; got {clip(repr(band), 60)}")
        out[key] = [float(band[0]), float(band[1])]
    return out


def read_calibration(path: Path | str) -> dict[str, Any]:
    """The validated calibration file as a dict (engine normalised); InvalidFileError else."""
    data = load_toml(path)
    if data.get("kind") != "calibration":
        raise _fail(path, "kind", f"expected \"calibration\" (a file written by `inferx "
                    f"calibrate`), got {clip(repr(data.get('kind')), 60)}")
    engine = data.get("engine", "generic")
    if not isinstance(engine, str):
        raise _fail(path, "engine", f"expected a preset name, got {clip(repr(engine), 60)}")
    from inferx.engine.presets import normalize_engine

    try:
        engine = normalize_engine(engine)
    except InputError as exc:
        raise _fail(path, "engine", exc.message.split(": ", 1)[-1]) from None
    if "values" not in data:
        raise _fail(path, "values", "missing: expected a [values] table")
    fitted_on = data.get("fitted_on", [])
    if not isinstance(fitted_on, list) or not all(isinstance(s, str) for s in fitted_on):
        raise _fail(path, "fitted_on", "expected a list of source names")
    rows = data.get("fitted_rows", 0)
    if not plain_number(rows) or rows != int(rows) or rows < 0:
        raise _fail(path, "fitted_rows", f"expected a whole number >= 0, got "
                    f"{clip(repr(rows), 60)}")
    return {**data, "engine": engine, "values": _values(path, data["values"]),
            "error_ratio": _error_ratio(path, data.get("error_ratio")),
            "fitted_on": fitted_on, "fitted_rows": int(rows)}


def check_calibration_option(value: str | None) -> str | None:
    """Typer callback of --calibration: the file is validated while the command line is read,
    so its errors name the file and field (docs/exit-codes.md), for every command."""
    if value:
        read_calibration(value)
    return value
