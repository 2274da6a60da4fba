"""One error hierarchy and one exit-code table (docs/exit-codes.md).

Only ``inferx.cli._errors`` turns these into messages and exit codes.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

MAX_FIELD_CHARS = 120  # a field or value echoed in a message is clipped to this
MAX_PROBLEMS = 20  # problems of one file spelled out; the rest are counted


def clip(text: object, limit: int = MAX_FIELD_CHARS) -> str:
    """str(text) cut to `limit` characters with an ellipsis, newlines escaped: what an error
    message may echo of a user's input without growing without bound."""
    out = str(text).replace("\r", "\\r").replace("\n", "\\n")
    return out if len(out) <= limit else out[: limit - 1] + "…"


class ExitCode(IntEnum):
    """Process exit codes, documented in docs/exit-codes.md."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    UNKNOWN_PROFILE = 3
    INVALID_PROFILE = 4
    STRICT_CHECK_FAILED = 5
    FILE_EXISTS = 6
    BATCH_FAILED = 7
    COST_INCREASE = 8
    INTERRUPTED = 130


class InferxError(Exception):
    """Base of every error inferx raises on purpose. ``code`` is a stable machine-readable tag."""

    code = "error"
    exit_code = ExitCode.INTERNAL

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.fields}


def field_name(name: str) -> str:
    """A request field's name from a field name or a flag: '--input-tokens' → 'input_tokens'."""
    return name.lstrip("-").replace("-", "_") if name.startswith("--") else name


class InputError(InferxError):
    """A value the user gave is out of range or inconsistent.

    Names the request FIELD (``input_tokens``), as library callers know it; a flag spelling
    given here (``--input-tokens``) is normalised to the field.  Only inferx/cli/_errors.py
    maps the field back to the flag the user typed.  ``detail`` is the message without the
    field.  Not a ValueError on purpose: pydantic would swallow it into a ValidationError.
    """

    code = "invalid_input"
    exit_code = ExitCode.USAGE

    def __init__(self, field: str, message: str, **fields: Any) -> None:
        name = field_name(field)
        super().__init__(f"{name}: {message}", field=name, **fields)
        self.field = name
        self.detail = message


class UnknownProfileError(InferxError, KeyError):
    """A profile id or alias that no profile answers to."""

    code = "unknown_profile"
    exit_code = ExitCode.UNKNOWN_PROFILE

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown {kind} profile {clip(name)!r}{hint} (see `inferx profiles list {kind}`)",
            kind=kind,
            name=name,
            suggestions=suggestions,
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class InvalidProfileError(InferxError):
    """A profile file that cannot be read or does not validate."""

    code = "invalid_profile"
    exit_code = ExitCode.INVALID_PROFILE

    def __init__(self, path: str, problems: list[tuple[str, str]]) -> None:
        problems = bounded_problems(problems)
        text = "; ".join(f"{path}: {field}: {msg}" for field, msg in problems)
        super().__init__(
            text,
            path=path,
            problems=[{"field": f, "message": m} for f, m in problems],
        )
        self.path = path
        self.problems = problems


def bounded_problems(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first MAX_PROBLEMS problems, fields and messages clipped, then one line counting
    the rest: 50,000 unknown keys make a short message, not a 3 MB one."""
    kept = [(clip(f), clip(m, 300)) for f, m in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        kept.append(("(more)", f"{len(problems) - MAX_PROBLEMS} more problem(s) not shown"))
    return kept


class InvalidFileError(InferxError):
    """An input file (measurements, calibration, a config to import) that cannot be read or
    does not validate.  The message names the file, the field, and for CSV the line and
    column: ``runs.csv line 3, column 6: num_gpus: must be at least 1, got '0'``."""

    code = "invalid_file"
    exit_code = ExitCode.USAGE

    def __init__(self, path: str, field: str, message: str, *, line: int | None = None,
                 column: int | None = None) -> None:
        where = str(path) if line is None else (
            f"{path} line {line}" + ("" if column is None else f", column {column}"))
        super().__init__(f"{where}: {clip(field)}: {clip(message, 400)}", path=str(path),
                         field=field, line=line, column=column)
        self.path = str(path)
        self.field = field
        self.detail = clip(message, 400)
        self.line = line


class FileExistsRefusedError(InferxError, FileExistsError):
    """A command would overwrite a file without --force."""

    code = "file_exists"
    exit_code = ExitCode.FILE_EXISTS

    def __init__(self, path: str) -> None:
        super().__init__(f"{clip(path, 400)} exists; pass --force to overwrite it", path=path)


class MissingExtraError(InferxError):
    """An optional feature whose extra is not installed (pyproject's optional-dependencies)."""

    code = "missing_extra"
    exit_code = ExitCode.USAGE

    def __init__(self, extra: str, feature: str, package: str) -> None:
        super().__init__(f"{feature} needs the {extra!r} extra ({package}): "
                         f"pip install 'inferx-cost[{extra}]'", extra=extra, package=package)


class StrictCheckFailed(InferxError):
    """--strict was given and the answer is 'does not fit' or 'misses the target'."""

    code = "strict_check_failed"
    exit_code = ExitCode.STRICT_CHECK_FAILED
