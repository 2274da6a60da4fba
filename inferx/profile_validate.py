"""Validation of whole profile trees (`inferx profiles validate`): every problem in every file,
and ids or aliases two profiles answer to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inferx.errors import InferxError, InvalidProfileError
from inferx.profiles import KIND_DIRS, KINDS
from inferx.registry import Loaded, read_profile, search_path

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
        if folder.is_dir():
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
        if base.is_dir():
            targets.extend(profile_files(base))
    for p in paths or []:
        if p.is_dir():
            targets.extend(profile_files(p))
        else:
            targets.append(p)
    _loaded, problems, count = validate_files(targets)
    return count, problems
