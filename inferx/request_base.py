"""The base of every request: a frozen dataclass built by keyword and checked by one
table-driven validator (the same path for the CLI, the library, scenario files and batch lines).

A request class declares its fields as dataclass fields with defaults, and a ``CHECKS`` table:
field → check (inferx/checks.py) that turns the given value into the stored one or raises
InputError naming the field.  Tables merge down the class hierarchy.  A default is stored as
declared (defaults are trusted); a given value goes through its field's check; an unknown field
is an InputError; then ``_rules()`` checks the cross-field rules.  No pydantic here: building a
request must stay cheap (plan's search and batch lines build many) and keep it off start-up.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from inferx.checks import Check
from inferx.errors import InputError, clip

# per class: ((field, default, default factory or None, check or None), ...), and the names
_SPECS: dict[type, tuple[tuple[tuple[str, Any, Any, Check | None], ...], frozenset[str]]] = {}


def _spec(cls: type) -> tuple[tuple[tuple[str, Any, Any, Check | None], ...], frozenset[str]]:
    spec = _SPECS.get(cls)
    if spec is None:
        checks: dict[str, Check] = {}
        for klass in reversed(cls.__mro__):
            checks.update(klass.__dict__.get("CHECKS", {}))
        rows = tuple(
            (f.name, f.default,
             None if f.default_factory is dataclasses.MISSING else f.default_factory,
             checks.get(f.name))
            for f in dataclasses.fields(cls))
        spec = _SPECS[cls] = (rows, frozenset(r[0] for r in rows))
    return spec


def unknown_field(cls: type, name: str, known: frozenset[str]) -> InputError:
    import difflib

    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"; did you mean {close[0]}?" if close else f" (see help({cls.__name__}))"
    return InputError(clip(name), f"not a field of {cls.__name__}{hint}")


class Request:
    """Keyword-only construction checked field by field, then by ``_rules()``; raises
    InputError (never pydantic's ValidationError) naming the field."""

    CHECKS: ClassVar[dict[str, Check]] = {}

    def __init__(self, **given: Any) -> None:
        rows, names = _spec(type(self))
        if not given.keys() <= names:
            raise unknown_field(type(self), next(k for k in given if k not in names), names)
        values = {}
        for name, default, factory, check in rows:
            if name in given:
                value = given[name]
                values[name] = value if check is None else check(name, value)
            else:
                values[name] = default if factory is None else factory()
        self.__dict__.update(values)
        self._rules()

    def _rules(self) -> None:
        """Cross-field rules (subclasses extend them)."""

    def model_dump(self, *, include: set[str] | None = None,
                   exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as a dict, lists and dicts copied (kept from the pydantic-model API)."""
        return {name: _copied(value) for name, value in self.__dict__.items()
                if (include is None or name in include)
                and (exclude is None or name not in exclude)}

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A copy with `update` applied, unchecked, as pydantic's model_copy (the caller vouches
        for the values); to check them, build a new request."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__, **(update or {}))
        return new


def field_default(info: dataclasses.Field) -> Any:
    """A request field's default (a fresh one for list and dict fields)."""
    return info.default if info.default_factory is dataclasses.MISSING else info.default_factory()


def _copied(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value
