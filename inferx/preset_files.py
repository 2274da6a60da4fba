"""Reading presets from files: the fitted table shipped in the package
(inferx/calibration/fitted.json, written by benchmarks/accuracy.py) and user calibration files
written by `inferx calibrate`.  The table of engines and presets itself is pure
(inferx/engine/presets.py)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from inferx.engine.presets import DEFAULT_ENGINE, Preset, normalize_engine, preset_from_table
from inferx.errors import InputError


# Next to the package's modules, like the profile index (profile_index.py): a path, not
# importlib.resources, whose readers cost ~5 ms of start-up to import.
FITTED = Path(__file__).resolve().parent / "calibration" / "fitted.json"


@lru_cache(maxsize=1)
def _fitted() -> dict[str, Any]:
    try:
        text = FITTED.read_text("utf-8")
    except OSError:
        return {}
    return json.loads(text)


def fitted_table() -> dict[str, Any]:
    """The fitted values and error spreads written by benchmarks/accuracy.py (may be empty)."""
    return _fitted()


@lru_cache(maxsize=None)
def builtin_preset(engine: str = DEFAULT_ENGINE) -> Preset:
    """The built-in preset for an engine: documented runtime settings + fitted knobs (built
    once per engine name and process: a Preset is frozen and nothing writes its tables)."""
    return preset_from_table(_fitted(), engine)


def load_calibration(path: str) -> Preset:
    """Read a calibration file written by `inferx calibrate` (TOML); errors name --calibration."""
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("--calibration", f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError("--calibration", f"{path} is not valid TOML: {exc}") from None
    if data.get("kind") != "calibration" or not isinstance(data.get("values"), dict):
        raise InputError("--calibration", f"{path} is not an inferx calibration file "
                         "(expected kind = \"calibration\" and a [values] table)")
    from inferx.engine.assumptions import Assumptions

    unknown = [k for k in data["values"] if k not in Assumptions.names()]
    if unknown:
        raise InputError("--calibration", f"{path}: unknown assumption {unknown[0]!r}")
    engine = normalize_engine(str(data.get("engine", DEFAULT_ENGINE)))
    spread = {k: [float(v[0]), float(v[1])] for k, v in (data.get("error_ratio") or {}).items()}
    base = builtin_preset(engine)
    return Preset(id=engine, description=f"user calibration of {engine}",
                  values={**base.values, **{k: float(v) for k, v in data["values"].items()}},
                  fitted_on=tuple(data.get("fitted_on") or ()),
                  fitted_rows=int(data.get("fitted_rows") or 0),
                  error_ratio=spread or base.error_ratio, origin=str(path))


def select_preset(engine: str | None, calibration: str | None = None) -> Preset:
    """The preset a run uses: the calibration file if given, else the engine's built-in."""
    if calibration:
        preset = load_calibration(calibration)
        if engine and normalize_engine(engine) != preset.id:
            raise InputError("--engine", f"--engine {engine} disagrees with the calibration "
                             f"file, which is for {preset.id}")
        return preset
    return builtin_preset(engine or DEFAULT_ENGINE)
