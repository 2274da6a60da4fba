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


@dataclasses.dataclass(frozen=True)
class _Spec:
    """One request class's table: defaults in field order, default factories, checks."""

    defaults: dict[str, Any]
    factories: dict[str, Any]
    checks: dict[str, Check]
    order: dict[str, int]  # field → position (errors are reported in field order)


_SPECS: dict[type, _Spec] = {}


def _spec(cls: type) -> _Spec:
    spec = _SPECS.get(cls)
    if spec is None:
        checks: dict[str, Check] = {}
        for klass in reversed(cls.__mro__):
            checks.update(klass.__dict__.get("CHECKS", {}))
        fields = dataclasses.fields(cls)
        spec = _SPECS[cls] = _Spec(
            {f.name: f.default for f in fields},
            {f.name: f.default_factory for f in fields
             if f.default_factory is not dataclasses.MISSING},
            {f.name: checks[f.name] for f in fields if f.name in checks},
            {f.name: n for n, f in enumerate(fields)})
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
        spec = _spec(type(self))
        if not given.keys() <= spec.order.keys():
            name = next(k for k in given if k not in spec.order)
            raise unknown_field(type(self), name, frozenset(spec.order))
        values = spec.defaults.copy()
        for name, factory in spec.factories.items():
            if name not in given:
                values[name] = factory()
        checks = spec.checks
        try:
            for name, value in given.items():
                check = checks.get(name)
                values[name] = value if check is None else check(name, value)
        except InputError:
            if len(given) > 1:  # report the first bad field in field order, as pydantic did
                for name in sorted(given, key=spec.order.__getitem__):
                    if name in checks:
                        checks[name](name, given[name])
            raise
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
