"""The built-in profiles' index: every TOML file under profiles/, validated once, in one JSON file.

A command then reads one file instead of parsing and validating every TOML file of a kind (71
price files to pick one default price).  Profiles come back from the index through pydantic's
`model_construct`, without validation: they were validated when the index was built, and
`build_index` checks each round trip (values and types) before it writes anything.

Where the index lives:
* a wheel (`pip install .`) ships it as inferx/_index.json, written by hatch_build.py when the
  wheel is built; it is trusted as is;
* an editable install or a checkout builds it on first use and keeps it in the user cache dir
  ($XDG_CACHE_HOME/inferx, default ~/.cache/inferx), keyed by the package version and each TOML
  file's name, size and modification time (hashing the contents would cost more than the index
  saves); an unwritable cache dir only means the index is rebuilt per process.
Only the built-in directory is indexed: user directories (XDG config, INFERX_PROFILES_PATH,
--profiles-dir) go through the validating loader in registry.py.  A built-in file that does not
validate leaves the built-ins unindexed, so the loader reports it as before.

    python -m inferx.profile_index [OUTPUT]   # write the index of ./profiles (default: stdout)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from inferx import __version__

FORMAT = 1
HERE = Path(__file__).resolve().parent
PACKAGED_INDEX = HERE / "_index.json"


def toml_files(base: Path) -> list[tuple[str, Path]]:
    """(kind, file) of a profiles directory, in the registry's reading order."""
    from inferx.profiles import KIND_DIRS

    out: list[tuple[str, Path]] = []
    for kind, folder in KIND_DIRS.items():
        d = base / folder
        if d.is_dir():
            out.extend((kind, p) for p in sorted(d.glob("*.toml")))
    return out


_PLANS: dict[type, Any] = {}


def _plan(cls: Any) -> Any:
    """Per class, once: each field's converter (None, a date, a nested model) and default."""
    if cls not in _PLANS:
        fields = []
        plain = cls.__pydantic_post_init__ is None
        for name, field in cls.model_fields.items():
            factory = field.default_factory
            if factory is not None and field.default_factory_takes_validated_data:
                plain = False
            fields.append((name, _special(field.annotation), factory, field.default))
        _PLANS[cls] = (plain, fields)
    return _PLANS[cls]


def _thaw(cls: Any, data: dict[str, Any]) -> Any:
    """A profile (or nested model) from its JSON dump, without validation: what
    `model_construct` does, minus its per-field introspection (pydantic 2.14 inspects each
    default factory's signature on every call)."""
    from pydantic import BaseModel

    plain, fields = _plan(cls)
    values: dict[str, Any] = {}
    for name, kind, factory, default in fields:
        if name in data:
            value = data[name]
            if value is not None and kind is dt.date:
                value = dt.date.fromisoformat(value)
            elif value is not None and kind is not None and issubclass(kind, BaseModel):
                value = _thaw(kind, value)
        elif factory is not None:
            value = factory()
        else:
            value = default
        values[name] = value
    if not plain:
        return cls.model_construct(_fields_set=set(data), **values)
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(data))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def _special(annotation: Any) -> Any:
    """dt.date or a nested model class when a field holds one (possibly optional), else None."""
    from typing import get_args

    from pydantic import BaseModel

    if annotation is dt.date or (isinstance(annotation, type)
                                 and issubclass(annotation, BaseModel)):
        return annotation
    for arg in get_args(annotation):
        found = _special(arg)
        if found is not None:
            return found
    return None


def build_index(base: Path) -> dict[str, Any]:
    """Validate every profile file under `base` and return the index (raises
    InvalidProfileError naming the file and field, like the loader)."""
    from inferx.profiles import KIND_DIRS, PROFILE_CLASSES
    from inferx.registry import read_profile

    profiles: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KIND_DIRS}
    files: dict[str, str] = {}
    for kind, path in toml_files(base):
        rel = path.relative_to(base).as_posix()
        files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        profile = read_profile(path, kind)
        entry = {"file": rel, "kind": profile.kind,
                 "data": profile.model_dump(mode="json", exclude_unset=True)}
        back = _thaw(PROFILE_CLASSES[entry["kind"]], json.loads(dumps(entry["data"])))
        if (repr(back.__dict__) != repr(profile.__dict__)
                or back.model_fields_set != profile.model_fields_set):
            raise ValueError(f"{path}: the index cannot represent this profile exactly; "
                             "teach profile_index._thaw its field types")
        profiles[kind].append(entry)
    return {"format": FORMAT, "inferx_version": __version__, "files": files,
            "profiles": profiles}


def dumps(index: dict[str, Any]) -> str:
    return json.dumps(index, separators=(",", ":"), ensure_ascii=False)


class Index:
    """The built-in profiles of one directory, constructed on demand and kept."""

    def __init__(self, base: Path, data: dict[str, Any]) -> None:
        self.base = base
        self.data = data
        self._entries = {kind: {Path(e["file"]).stem: e for e in entries}
                         for kind, entries in data["profiles"].items()}
        self._made: dict[tuple[str, str], Any] = {}

    def _make(self, kind: str, stem: str) -> tuple[Any, Path]:
        key = (kind, stem)
        entry = self._entries[kind][stem]
        if key not in self._made:
            from inferx.profiles import PROFILE_CLASSES

            self._made[key] = _thaw(PROFILE_CLASSES[entry["kind"]], entry["data"])
        return self._made[key], self.base / entry["file"]

    def profiles(self, kind: str) -> list[tuple[Any, Path]]:
        """(profile, file) of every profile of a kind, in file-name order."""
        return [self._make(kind, stem) for stem in self._entries.get(kind, {})]

    def find(self, kind: str, stem: str) -> tuple[Any, Path] | None:
        """The profile of file `<kind folder>/<stem>.toml`, or None."""
        if stem not in self._entries.get(kind, {}):
            return None
        return self._make(kind, stem)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "inferx"


def cache_file(base: Path) -> Path:
    """Where the index of `base` is cached: keyed by version, files, sizes and mtimes."""
    sig = hashlib.sha256(f"{FORMAT}\0{__version__}\0{base}\n".encode())
    for kind, path in toml_files(base):
        st = path.stat()
        sig.update(f"{kind}\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return cache_dir() / f"index-{__version__}-{sig.hexdigest()[:32]}.json"


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: rebuilt next time


def _load(base: Path) -> Index | None:
    from inferx.errors import InvalidProfileError

    if base == HERE / "profiles" and PACKAGED_INDEX.is_file():  # a wheel
        return Index(base, json.loads(PACKAGED_INDEX.read_bytes()))
    try:
        cached = cache_file(base)
    except OSError:
        return None
    try:
        data = json.loads(cached.read_bytes())
        if data.get("format") == FORMAT:
            return Index(base, data)
    except (OSError, ValueError):
        pass
    try:
        data = build_index(base)
    except InvalidProfileError:
        return None  # the loader reports it, when that kind is asked for
    _write_atomically(cached, dumps(data))
    return Index(base, data)


_INDEXES: dict[Path, Index | None] = {}


def builtin_index(base: Path) -> Index | None:
    """The index of `base` when it is the built-in profiles directory, else None."""
    from inferx.registry import builtin_dir

    if base != builtin_dir():
        return None
    if base not in _INDEXES:
        _INDEXES[base] = _load(base)
    return _INDEXES[base]


def main(argv: list[str]) -> None:
    from inferx.registry import builtin_dir

    text = dumps(build_index(builtin_dir())) + "\n"
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
