"""Find, load and resolve profiles: one registry for built-in, user and ad-hoc profiles.

Look-up order (a later source overrides an id from an earlier one):
  1. built-in profiles shipped in the wheel (inferx/profiles, or ./profiles in a checkout)
  2. the user's config dir: $XDG_CONFIG_HOME/inferx/profiles (default ~/.config/inferx/profiles)
  3. each directory in $INFERX_PROFILES_PATH (os.pathsep-separated)
  4. --profiles-dir
Each directory holds hardware/, models/, prices/ and apis/ sub-folders of *.toml files.
Nothing is read until a profile of that kind is asked for.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inferx.errors import (
    InferxError,
    InvalidFileError,
    InvalidProfileError,
    UnknownProfileError,
)
from inferx.files import MAX_NAME_BYTES, is_dir, is_file, load_toml
from inferx.profiles import ID_PATTERN, KIND_DIRS, KINDS, PROFILE_CLASSES

ENV_PATH = "INFERX_PROFILES_PATH"


def builtin_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "profiles"
    return packaged if packaged.is_dir() else here.parent / "profiles"


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
    """Parse and validate one profile file; raises InvalidProfileError naming file and field.

    The kind comes from the file's `kind` key, else from its folder (hardware/, models/, ...)."""
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


class Registry:
    """Resolves profile ids and aliases (case-insensitive) for each kind, lazily."""

    def __init__(self, dirs: Iterable[tuple[str, Path]]) -> None:
        self.dirs = [(label, Path(d)) for label, d in dirs]
        self._by_kind: dict[str, dict[str, Loaded]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._files: dict[Path, Any] = {}  # each file is read and validated once

    def _read(self, path: Path, kind: str) -> Any:
        if path not in self._files:
            self._files[path] = read_profile(path, kind)
        return self._files[path]

    @classmethod
    def default(cls, profiles_dir: Path | None = None) -> Registry:
        return cls(search_path(profiles_dir))

    @classmethod
    def from_dirs(cls, *dirs: Path) -> Registry:
        return cls((str(d), d) for d in dirs)

    def _load(self, kind: str) -> dict[str, Loaded]:
        if kind in self._by_kind:
            return self._by_kind[kind]
        by_id: dict[str, Loaded] = {}
        for origin, base in self.dirs:
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
            path = base / KIND_DIRS[kind] / f"{key}.toml"
            if is_file(path):
                return Loaded(self._read(path, kind), path, origin)
        return None

    def all(self, kind: str) -> list[Any]:
        return [loaded.profile for loaded in self._load(kind).values()]

    def entries(self, kind: str) -> list[Loaded]:
        return list(self._load(kind).values())

    def get(self, kind: str, name: str) -> Any:
        return self.entry(kind, name).profile

    def entry(self, kind: str, name: str) -> Loaded:
        if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            # longer than any file name: no id, and checked before any file access
            raise UnknownProfileError(kind, name, [])
        direct = self._by_file_name(kind, name)
        if direct is not None:
            return direct
        by_id = self._load(kind)
        pid = self._names[kind].get(name.strip().lower())
        if pid is None:
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


# --- validation of whole profile trees (`inferx profiles validate`) -------------------------


MAX_LISTED = 25  # problems spelled out on stderr; JSON details carry MAX_JSON_PROBLEMS
MAX_JSON_PROBLEMS = 1_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one profile file: which file, which field, what."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class ProfileProblems(InvalidProfileError):
    """Every problem found in a set of profile files (exit code 4, like one invalid profile)."""

    def __init__(self, problems: list[Problem], checked_files: int) -> None:
        files = len({p.file for p in problems})
        shown = problems[:MAX_LISTED]
        lines = "".join(f"\n  {p}" for p in shown[1:])
        if len(problems) > MAX_LISTED:
            lines += f"\n  ... and {len(problems) - MAX_LISTED} more (--format json lists them)"
        InferxError.__init__(
            self,
            f"{problems[0]} ({len(problems)} problem(s) in {files} of {checked_files} profile "
            f"file(s)){lines}",
            checked_files=checked_files,
            problems=[{"file": p.file, "field": p.field, "message": p.message}
                      for p in problems[:MAX_JSON_PROBLEMS]],
        )
        self.path = ""
        self.problems = [(p.field, p.message) for p in problems]
        self.problem_list = problems


def profile_files(base: Path) -> list[Path]:
    """The *.toml files of a profiles directory: its kind folders, or the directory itself."""
    files: list[Path] = []
    for kind in KINDS:
        folder = base / KIND_DIRS[kind]
        if is_dir(folder):
            files.extend(sorted(folder.glob("*.toml")))
    if not files:
        files = sorted(base.glob("*.toml"))
    return files


def _name_clashes(loaded: list[Loaded]) -> list[Problem]:
    """Two profiles of one kind answering to the same id or alias (case-insensitive)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Loaded] = {}
    for entry in loaded:
        p = entry.profile
        for i, name in enumerate(p.names()):
            key = (p.kind, name)
            other = seen.get(key)
            if other is not None and other.profile.id != p.id:
                field = "id" if i == 0 else "aliases"
                problems.append(Problem(str(entry.path), field, (
                    f"{name!r} is already used by {p.kind} profile {other.profile.id!r} "
                    f"({other.path})")))
            else:
                seen.setdefault(key, entry)
    return problems


def validate_files(paths: Iterable[Path]) -> tuple[list[Loaded], list[Problem], int]:
    """Read every file; return (valid profiles, every problem, files checked).

    A later file with the same kind and id as an earlier one overrides it (look-up order);
    two surviving profiles answering to one name is a problem."""
    effective: dict[tuple[str, str], Loaded] = {}
    problems: list[Problem] = []
    count = 0
    for path in paths:
        count += 1
        try:
            profile = read_profile(path)
        except InvalidProfileError as exc:
            problems.extend(Problem(str(path), f, m) for f, m in exc.problems)
            continue
        effective[(profile.kind, profile.id)] = Loaded(profile, path, str(path.parent))
    loaded = list(effective.values())
    problems.extend(_name_clashes(loaded))
    return loaded, problems, count


def validate_all(dirs: Iterable[tuple[str, Path]] | None = None,
                 paths: Iterable[Path] | None = None) -> tuple[int, list[Problem]]:
    """Validate profile files and directories; (files checked, problems).  With neither
    argument: every profile on the default search path."""
    targets: list[Path] = []
    for _label, base in dirs if dirs is not None else ([] if paths is not None else search_path()):
        if is_dir(base):
            targets.extend(profile_files(base))
    for p in paths or []:
        if is_dir(p):
            targets.extend(profile_files(p))
        else:
            targets.append(p)
    _loaded, problems, count = validate_files(targets)
    return count, problems
