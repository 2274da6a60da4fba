"""`--model PATH`: a model profile read from a Hugging Face config.json (or a folder holding
one), with the exact weight bytes of the checkpoint beside it when present."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import ValidationError

from inferx.errors import InputError, InvalidProfileError
from inferx.importers.hf import config_to_fields
from inferx.profiles import ModelProfile, slug
from inferx.registry import format_validation_error


def is_model_path(name: str) -> bool:
    """True when `name` is an existing file or folder (profile_from_path then reads it, or says
    what is missing there)."""
    return bool(name.strip()) and Path(name).expanduser().exists()


def profile_from_path(name: str, *, as_of: dt.date | None = None) -> ModelProfile:
    """A ModelProfile for `--model PATH`: the config.json at PATH (or in the folder PATH), with
    the exact weight bytes of the checkpoint beside it when a safetensors index, a safetensors
    file or GGUF files are there (importers/checkpoint.py).  The source names every file read.
    Errors name --model."""
    from inferx.importers.checkpoint import checkpoint_bytes

    path = Path(name).expanduser()
    config = path / "config.json" if path.is_dir() else path
    if not config.is_file():
        raise InputError("model", f"{path}: no config.json there (inferx reads the "
                         "architecture from a Hugging Face config.json; a GGUF file alone "
                         "is not enough)")
    try:
        cfg = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("model", f"{config}: not a readable JSON config: {exc}") from None
    if not isinstance(cfg, dict):
        raise InputError("model", f"{config}: expected a JSON object")
    folder = config.resolve().parent
    read = [f"Hugging Face config.json: {config.resolve()}"]
    fields = config_to_fields(cfg)
    found = checkpoint_bytes(folder, cfg)
    if found is not None:
        nbytes, precision, what = found
        fields["checkpoint_bytes"] = nbytes
        if precision is not None:
            fields["checkpoint_precision"] = precision
        read.append(f"weights: {what} = {nbytes:,.0f} bytes"
                    + (f" ({precision})" if precision else ""))
    label = folder.name or "model"
    data = {"id": slug(label) or "model", "name": label, **fields,
            "source": "; ".join(read), "as_of": as_of or dt.date.today(),
            "notes": "read from a path given to --model; params_b not set (not in config.json)"}
    try:
        return ModelProfile.model_validate(data)
    except ValidationError as exc:
        raise InvalidProfileError(str(config), format_validation_error(exc)) from None
