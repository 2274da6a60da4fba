"""Find, load and resolve profiles: one registry for built-in, user and ad-hoc profiles.

Look-up order (a later source overrides an id from an earlier one):
  1. built-in profiles shipped in the wheel (inferx/profiles, or ./profiles in a checkout)
  2. the user's config dir: $XDG_CONFIG_HOME/inferx/profiles (default ~/.config/inferx/profiles)
  3. each directory in $INFERX_PROFILES_PATH (os.pathsep-separated)
  4. --profiles-dir
Each directory holds hardware/, models/, prices/ and apis/ sub-folders of *.toml files.
Nothing is read until a profile of that kind is asked for.  The built-ins come from their index
(profile_index.py: validated once, when it was built); the other directories are read and
validated file by file (by the pydantic models, imported only then).  Either way the registry
hands out records (profile_record_*.py): frozen dataclasses, the same fields and methods.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inferx.errors import (
    InvalidFileError,
    InvalidProfileError,
    UnknownProfileError,
)
from inferx.files import MAX_NAME_BYTES, is_dir, is_file, load_toml
from inferx.profile_index import builtin_index
from inferx.profiles import ID_PATTERN, KIND_DIRS, KINDS

if TYPE_CHECKING:
    from pydantic import ValidationError
ENV_PATH = "INFERX_PROFILES_PATH"


_HERE = Path(__file__).resolve().parent


def builtin_dir() -> Path:
    packaged = _HERE / "profiles"
    return packaged if packaged.is_dir() else _HERE.parent / "profiles"


def user_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "inferx" / "profiles"


def search_path(profiles_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(label, directory) in look-up order; missing directories are kept (and skipped later)."""
    dirs: list[tuple[str, Path]] = [("built-in", builtin_dir()), ("user", user_dir())]
    for part in os.environ.get(ENV_PATH, "").split(os.pathsep):
        if part.strip():
            dirs.append((ENV_PATH, Path(part).expanduser()))
    if profiles_dir is not None:
        dirs.append(("--profiles-dir", profiles_dir))
    return dirs


def format_validation_error(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(file)"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
            if ": " in msg and loc == "(file)":
                loc, msg = msg.split(": ", 1)
        problems.append((loc, msg))
    return problems


def read_profile(path: Path, kind: str | None = None) -> Any:
    """Parse and validate one profile file into its pydantic model (`.to_record()` gives the
    record); raises InvalidProfileError naming file and field.

    The kind comes from the file's `kind` key, else from its folder (hardware/, models/, ...)."""
    from pydantic import ValidationError

    from inferx.profiles import PROFILE_CLASSES

    try:
        data = load_toml(path)
    except InvalidFileError as exc:
        where = f" (line {exc.line})" if exc.line is not None else ""
        raise InvalidProfileError(str(path), [(exc.field, exc.detail + where)]) from None
    declared = data.get("kind")
    folder_kind = next((k for k, d in KIND_DIRS.items() if d == path.parent.name), None)
    if declared is not None and not isinstance(declared, str):
        raise InvalidProfileError(str(path), [("kind", f"expected a string, one of "
                                               f"{', '.join(KINDS)}; got a "
                                               f"{type(declared).__name__}")])
    kind = declared or kind or folder_kind
    if kind not in PROFILE_CLASSES:
        raise InvalidProfileError(str(path), [("kind", f"expected one of {', '.join(KINDS)}")])
    try:
        profile = PROFILE_CLASSES[kind].model_validate(data)
    except ValidationError as exc:
        raise InvalidProfileError(str(path), format_validation_error(exc)) from exc
    if path.stem != profile.id:
        raise InvalidProfileError(str(path), [("id", f"must equal the file name {path.stem!r}")])
    return profile


@dataclass
class Loaded:
    profile: Any
    path: Path
    origin: str


def _stamp(base: Path | str) -> tuple[int, ...]:
    """Modification times (ns) of a profiles directory and its kind folders (-1: missing)."""
    try:
        stamps = [os.stat(root := os.fspath(base)).st_mtime_ns]
    except OSError:  # no directory: no kind folder in it either
        return (-1,) * (1 + len(KIND_DIRS))
    for folder in KIND_DIRS.values():
        try:
            stamps.append(os.stat(os.path.join(root, folder)).st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


_DEFAULTS: dict[tuple[Any, ...], Registry] = {}
_MAX_DEFAULTS = 4
# what search_path reads (_PATH_ENV, profiles_dir) → its (label, directory, text) entries
_PATH_ENV = (ENV_PATH, "XDG_CONFIG_HOME", "HOME", "USERPROFILE")  # USERPROFILE: Windows' ~
_PATHS: dict[tuple[Any, ...], list[tuple[str, Path, str]]] = {}


class Registry:
    """Resolves profile ids and aliases (case-insensitive) for each kind, lazily."""

    def __init__(self, dirs: Iterable[tuple[str, Path]]) -> None:
        self.dirs = [(label, Path(d)) for label, d in dirs]
        self._by_kind: dict[str, dict[str, Loaded]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._files: dict[Path, Any] = {}  # each file is read and validated once
        self._hits: dict[tuple[str, str], Loaded] = {}  # names already resolved
        self._prices: dict[str, list[Any]] | None = None  # hardware id → its price profiles

    def _read(self, path: Path, kind: str) -> Any:
        if path not in self._files:
            self._files[path] = read_profile(path, kind).to_record()
        return self._files[path]

    @classmethod
    def default(cls, profiles_dir: Path | None = None) -> Registry:
        """The registry of the default search path, kept for the process (the library API
        calls this once per request).  Keyed by the search path and the modification times of
        its folders, so a changed INFERX_PROFILES_PATH, XDG_CONFIG_HOME or --profiles-dir, or a
        profile file added to or removed from one of them, gives a fresh registry.  A file
        edited in place after it was read is not seen again: pass `Registry(search_path())`, or
        call `Registry.clear_cache()`."""
        raw = (*map(os.environ.get, _PATH_ENV), profiles_dir)
        dirs = _PATHS.get(raw)
        if dirs is None:
            if len(_PATHS) >= _MAX_DEFAULTS:
                _PATHS.clear()
            dirs = _PATHS[raw] = [(label, d, str(d)) for label, d in search_path(profiles_dir)]
        key = tuple((label, text, () if label == "built-in" else _stamp(text))  # (indexed)
                    for label, _, text in dirs)
        registry = _DEFAULTS.get(key)
        if registry is None:
            if len(_DEFAULTS) >= _MAX_DEFAULTS:
                del _DEFAULTS[next(iter(_DEFAULTS))]
            registry = _DEFAULTS[key] = cls((label, d) for label, d, _ in dirs)
        return registry

    @staticmethod
    def clear_cache() -> None:
        """Forget the registries `default()` kept (and the search paths it resolved)."""
        _DEFAULTS.clear()
        _PATHS.clear()

    @classmethod
    def from_dirs(cls, *dirs: Path) -> Registry:
        return cls((str(d), d) for d in dirs)

    def _load(self, kind: str) -> dict[str, Loaded]:
        if kind in self._by_kind:
            return self._by_kind[kind]
        by_id: dict[str, Loaded] = {}
        for origin, base in self.dirs:
            index = builtin_index(base)
            if index is not None:  # built-ins: validated when the index was built
                for profile, path in index.profiles(kind):
                    by_id[profile.id] = Loaded(profile, path, origin)
                continue
            folder = base / KIND_DIRS[kind]
            if not is_dir(folder):
                continue
            for path in sorted(folder.glob("*.toml")):
                profile = self._read(path, kind)
                by_id[profile.id] = Loaded(profile, path, origin)
        names: dict[str, str] = {}
        for pid, loaded in by_id.items():
            for name in loaded.profile.names():
                names.setdefault(name, pid)
        for pid in by_id:  # an id always wins over another profile's alias
            names[pid.lower()] = pid
        self._by_kind[kind], self._names[kind] = by_id, names
        return by_id

    def _by_file_name(self, kind: str, name: str) -> Loaded | None:
        """Fast path for an exact id: ids equal file names, so `<dir>/<kind>/<id>.toml` in the
        last directory that has it is the answer without reading the rest of the kind (an id
        wins over any alias).  None when the kind is loaded already or no such file exists."""
        key = name.strip().lower()
        if kind in self._by_kind or len(key) > 80 or not re.fullmatch(ID_PATTERN, key):
            return None  # ids are at most 80 characters: no file to look for
        for origin, base in reversed(self.dirs):
            index = builtin_index(base)
            if index is not None:
                found = index.find(kind, key)
                if found is not None:
                    return Loaded(found[0], found[1], origin)
                continue
            path = base / KIND_DIRS[kind] / f"{key}.toml"
            if is_file(path):
                return Loaded(self._read(path, kind), path, origin)
        return None

    def all(self, kind: str) -> list[Any]:
        return [loaded.profile for loaded in self._load(kind).values()]

    def prices_for(self, hardware_id: str) -> list[Any]:
        """The price profiles of one hardware id, in `all("price")` order (grouped once)."""
        if self._prices is None:
            self._prices = {}
            for p in self.all("price"):
                self._prices.setdefault(p.hardware, []).append(p)
        return list(self._prices.get(hardware_id, ()))

    def entries(self, kind: str) -> list[Loaded]:
        return list(self._load(kind).values())

    def get(self, kind: str, name: str) -> Any:
        return self.entry(kind, name).profile

    def entry(self, kind: str, name: str) -> Loaded:
        """The profile a name answers to: an id or alias; for models, failing that, a path to
        a config.json or a folder holding one (read by inferx/importers/hf.py, origin "path")."""
        hit = self._hits.get((kind, name))
        if hit is not None:
            return hit
        found = self._entry(kind, name)
        if found.origin != "path":  # a config.json may change between calls
            self._hits[(kind, name)] = found
        return found

    def _entry(self, kind: str, name: str) -> Loaded:
        if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES and "/" not in name:
            # longer than any file name: no id, and checked before any file access
            raise UnknownProfileError(kind, name, [])
        direct = self._by_file_name(kind, name)
        if direct is not None:
            return direct
        by_id = self._load(kind)
        pid = self._names[kind].get(name.strip().lower())
        if pid is None:
            if kind == "model":
                from inferx.importers.model_path import is_model_path, profile_from_path

                if is_model_path(name):
                    return Loaded(profile_from_path(name).to_record(), Path(name).expanduser(),
                                  "path")
            raise UnknownProfileError(kind, name, self.suggest(kind, name))
        return by_id[pid]

    def suggest(self, kind: str, name: str, n: int = 3) -> list[str]:
        names = self._names.get(kind) or {}
        close = difflib.get_close_matches(name.strip().lower(), list(names), n=n * 2, cutoff=0.5)
        ids: list[str] = []
        for c in close:
            if names[c] not in ids:
                ids.append(names[c])
        if not ids:  # substring match: "70b" → llama-3.1-70b, qwen2.5-72b ...
            key = name.strip().lower()
            ids = sorted({pid for alias, pid in names.items() if key and key in alias})
        return ids[:n]


# Validation of whole profile trees (`inferx profiles validate`) lives in profile_validate.py;
# its names are re-exported here, imported when first asked for.
_VALIDATE_NAMES = ("MAX_JSON_PROBLEMS", "MAX_LISTED", "Problem", "ProfileProblems",
                   "profile_files", "validate_all", "validate_files")


def __getattr__(name: str) -> Any:
    if name in _VALIDATE_NAMES:
        from inferx import profile_validate

        return getattr(profile_validate, name)
    raise AttributeError(f"module 'inferx.registry' has no attribute {name!r}")
