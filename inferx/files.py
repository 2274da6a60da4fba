"""Read the files users hand to inferx: one place that turns every way a file can be broken
into an InvalidFileError naming the file (and field, line and column where it can).

Covers: unreadable or missing files, names too long for the file system, bytes that are not
UTF-8 (with the line they are on), malformed TOML / JSON, nesting too deep for the parser
(RecursionError).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from inferx.errors import InvalidFileError

MAX_NAME_BYTES = 255  # longest file name (one path component) on common file systems


def check_name_length(path: Path | str, field: str = "(file)") -> None:
    """Refuse a path whose last component is longer than a file system allows, before any
    file access would raise OSError(ENAMETOOLONG)."""
    name = Path(path).name
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise InvalidFileError(str(path), field,
                               f"file name longer than {MAX_NAME_BYTES} bytes")


def is_dir(path: Path) -> bool:
    """Path.is_dir, but False for a path the OS refuses to look at (a name over 255 bytes)."""
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def is_file(path: Path) -> bool:
    try:
        return Path(path).is_file()
    except OSError:
        return False


def read_text(path: Path | str) -> str:
    """The file's text, decoded as UTF-8; the line of a non-UTF-8 byte is named."""
    check_name_length(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidFileError(str(path), "(file)",
                               f"cannot read it: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidFileError(str(path), "(encoding)", f"byte 0x{data[exc.start]:02x} is not "
                               "UTF-8", line=line, column=column) from None


def load_toml(path: Path | str) -> dict[str, Any]:
    """Parse a TOML file; errors name the file and '(toml)'."""
    import tomllib  # lazy: built-in profiles come from the index, and most runs read no TOML

    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidFileError(str(path), "(toml)", str(exc)) from None
    except RecursionError:
        raise InvalidFileError(str(path), "(toml)", "nested too deeply to read") from None


def loads_json(text: str, path: Path | str) -> Any:
    """Parse JSON text read from `path`.  NaN / Infinity literals (and 1e400) parse to
    non-finite floats: the validator of the field they sit in refuses them, by name."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFileError(str(path), "(json)", exc.msg, line=exc.lineno,
                               column=exc.colno) from None
    except RecursionError:
        raise InvalidFileError(str(path), "(json)", "nested too deeply to read") from None


def load_json(path: Path | str) -> Any:
    return loads_json(read_text(path), path)


def load_json_object(path: Path | str) -> dict[str, Any]:
    data = load_json(path)
    if not isinstance(data, dict):
        raise InvalidFileError(str(path), "(file)", f"expected a JSON object, got "
                               f"{type(data).__name__}")
    return data


def plain_number(value: object) -> bool:
    """An int or float that is not a bool (JSON true is not 1)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def finite_number(value: object) -> bool:
    return plain_number(value) and math.isfinite(value)  # type: ignore[arg-type]
