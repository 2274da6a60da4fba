"""The built-in profiles' index: every TOML file under profiles/, validated once, in one JSON file.

A command then reads one file instead of parsing and validating every TOML file of a kind (71
price files to pick one default price).  Profiles come back from the index as records
(profile_record_*.py: frozen dataclasses, `from_json`), without validation and without
pydantic: they were validated when the index was built, and `build_index` checks each round
trip (values and types) before it writes anything.

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
import json
import os
import sys
from pathlib import Path
from typing import Any

from inferx import __version__

FORMAT = 2  # entries hold their data as JSON text, parsed when the profile is first asked for
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


def build_index(base: Path) -> dict[str, Any]:
    """Validate every profile file under `base` and return the index (raises
    InvalidProfileError naming the file and field, like the loader)."""
    from hashlib import sha256

    from inferx.profiles import KIND_DIRS, RECORD_CLASSES
    from inferx.registry import read_profile

    profiles: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KIND_DIRS}
    files: dict[str, str] = {}
    for kind, path in toml_files(base):
        rel = path.relative_to(base).as_posix()
        files[rel] = sha256(path.read_bytes()).hexdigest()
        profile = read_profile(path, kind)
        entry = {"file": rel, "kind": profile.kind,
                 "data": dumps(profile.model_dump(mode="json", exclude_unset=True))}
        back = RECORD_CLASSES[entry["kind"]].from_json(json.loads(entry["data"]))
        if repr(back) != repr(profile.to_record()):
            raise ValueError(f"{path}: the index cannot represent this profile exactly; "
                             "teach its record's from_json the field's type")
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
        # file "hardware/h100-sxm.toml" → stem "h100-sxm" (ids equal file names)
        self._entries = {kind: {e["file"].rpartition("/")[2][:-5]: e for e in entries}
                         for kind, entries in data["profiles"].items()}
        self._made: dict[tuple[str, str], tuple[Any, Path]] = {}

    def _make(self, kind: str, stem: str) -> tuple[Any, Path]:
        key = (kind, stem)
        made = self._made.get(key)
        if made is None:
            from inferx.profiles import RECORD_CLASSES

            entry = self._entries[kind][stem]
            profile = RECORD_CLASSES[entry["kind"]].from_json(json.loads(entry["data"]))
            made = self._made[key] = (profile, self.base / entry["file"])
        return made

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
    """Where the index of `base` is cached: index-<version>-<folder>-<files>.json, where
    <folder> hashes the directory's path and <files> each file's name, size and mtime."""
    from hashlib import sha256

    sig = sha256(f"{FORMAT}\0{__version__}\n".encode())
    for kind, path in toml_files(base):
        st = path.stat()
        sig.update(f"{kind}\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    folder = sha256(str(base).encode()).hexdigest()[:12]
    return cache_dir() / f"index-{__version__}-{folder}-{sig.hexdigest()[:32]}.json"


def _write_atomically(path: Path, text: str) -> None:
    """Write the cache file, and remove the stale ones of the same folder."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
        folder = path.name.split("-")[-2]
        for old in path.parent.glob(f"index-*-{folder}-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
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
    except (InvalidProfileError, ValueError):
        return None  # the loader reports it, when that kind is asked for
    _write_atomically(cached, dumps(data))
    return Index(base, data)


_INDEXES: dict[Path, Index | None] = {}
_BUILTIN: list[Path] = []  # builtin_dir(), found once (it stats the package folder)


def builtin_index(base: Path) -> Index | None:
    """The index of `base` when it is the built-in profiles directory, else None."""
    if not _BUILTIN:
        from inferx.registry import builtin_dir

        _BUILTIN.append(builtin_dir())
    if base != _BUILTIN[0]:
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
