"""Turn the data sources users keep current into inferx profiles.

hf:      a Hugging Face config.json → a ModelProfile (``inferx profiles import-hf``)
litellm: LiteLLM's model_prices_and_context_window.json → ApiPriceProfiles
         (``inferx profiles import-prices``)

Both write TOML with tomli-w through inferx.writer: exclusive creation (two concurrent imports
cannot both win), the umask's file mode, no temporary file left behind; an existing file is
refused unless ``force`` is set (FileExistsRefusedError).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from inferx.profiles import KIND_DIRS

# Keys first, in this order; the rest follow in schema order.
_HEAD = ("schema_version", "kind", "id", "aliases", "name")
_TAIL = ("source", "as_of", "notes")


def profile_to_toml_dict(profile: Any) -> dict[str, Any]:
    """The profile as a TOML-ready dict: unset (None) and default-valued fields left out,
    except the identity and provenance keys, which are always written."""
    full = profile.model_dump(mode="python")
    slim = profile.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    out: dict[str, Any] = {}
    for key in _HEAD:
        if key in full and (full[key] or key in ("schema_version", "kind", "id", "name")):
            out[key] = full[key]
    for key, value in slim.items():
        if key not in _HEAD and key not in _TAIL:
            out[key] = value
    for key in _TAIL:
        if full.get(key) is not None:
            out[key] = full[key]
    return out


def target_path(out_dir: Path, profile: Any) -> Path:
    """OUT_DIR/<kind folder>/<id>.toml: OUT_DIR is a profiles directory (like --profiles-dir)."""
    return Path(out_dir) / KIND_DIRS[profile.kind] / f"{profile.id}.toml"


def write_profiles(profiles: list[Any], out_dir: Path, *, force: bool,
                   header: str = "") -> list[Path]:
    """Write each profile as TOML under out_dir; nothing is written if any target exists and
    force is off.  Returns the paths written."""
    import tomli_w

    from inferx.writer import write_files

    paths = [target_path(out_dir, p) for p in profiles]
    if len(set(paths)) != len(paths):
        raise ValueError("two profiles map to the same file")
    return write_files(((path, header + tomli_w.dumps(profile_to_toml_dict(profile)))
                        for profile, path in zip(profiles, paths, strict=True)),
                       force=force, field="--out")


def today() -> dt.date:
    return dt.date.today()
