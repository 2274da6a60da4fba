"""Number types and the base of the result models.  Floats keep full precision (render rounds,
data does not): ``Num`` and ``OptNum`` name the figures that are measurements, for readers of
the models, and add no validation.

Result models are plain frozen dataclasses (``@result`` on an ``Out`` subclass): the engine's
figures are trusted, so building a result validates nothing and costs no pydantic import.
pydantic only writes their JSON Schemas (inferx/_schema.py), reading ``__pydantic_config__``;
inferx/jsonable.py turns them into the JSON data `--format json` prints.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

Num = float
OptNum = float | None

_setattr = object.__setattr__
_MISSING = dataclasses.MISSING


class Out:
    """Base of every result model: the JSON Schema forbids keys it does not list."""

    __slots__ = ()
    __pydantic_config__ = {"extra": "forbid"}  # a plain dict: read by pydantic, if imported

    def __getstate__(self) -> list[Any]:  # pickle and copy (slots, frozen)
        return [getattr(self, f) for f in self.__dataclass_fields__]  # type: ignore[attr-defined]

    def __setstate__(self, state: list[Any]) -> None:
        names = self.__dataclass_fields__  # type: ignore[attr-defined]
        for name, value in zip(names, state, strict=True):
            _setattr(self, name, value)


def _repr(self: Any) -> str:
    return (f"{type(self).__qualname__}("
            f"{', '.join(f'{f}={getattr(self, f)!r}' for f in self.__dataclass_fields__)})")


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f) for f in self.__dataclass_fields__)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _frozen(self: Any, name: str, *value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def result(cls: Any = None, /, *, frozen: bool = True) -> Any:
    """``@dataclass(frozen=True, slots=True, kw_only=True)``, built at a quarter of the import
    cost: one generated function (``__init__``) per class where dataclasses compiles six; the
    others are shared.  Keyword-only, like the pydantic models they replace: fields with
    defaults may come first.  ``@result(frozen=False)``: assignable (and unhashable)."""
    if cls is None:
        return lambda c: result(c, frozen=frozen)
    undocumented = cls.__dict__.get("__doc__") is None
    if undocumented:
        cls.__doc__ = "-"  # else dataclasses renders a signature for it (inspect: slow)
    cls = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=True,
                                slots=True)(cls)
    if undocumented:
        cls.__doc__ = None
    names, env = [], {"_setattr": _setattr, "_F": _MISSING}
    lines = []
    for f in dataclasses.fields(cls):
        if f.default is not _MISSING:
            env[f"_d_{f.name}"] = f.default
            names.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not _MISSING:
            env[f"_f_{f.name}"] = f.default_factory
            names.append(f"{f.name}=_F")
            lines.append(f"    if {f.name} is _F: {f.name} = _f_{f.name}()")
        else:
            names.append(f.name)
        lines.append(f"    _setattr(self, {f.name!r}, {f.name})")
    source = f"def __init__(self, *, {', '.join(names)}):\n" + "\n".join(lines or ["    pass"])
    exec(source, env)  # noqa: S102 (generated from the class's own field names)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    cls.__repr__ = _repr  # type: ignore[method-assign]
    cls.__eq__ = _eq  # type: ignore[method-assign]
    if not frozen:
        cls.__hash__ = None  # as dataclasses does for eq without frozen
        return cls
    cls.__hash__ = _hash  # type: ignore[method-assign]
    cls.__setattr__ = _frozen  # type: ignore[method-assign]
    cls.__delattr__ = _frozen  # type: ignore[method-assign]
    cls.__dataclass_params__.frozen = True  # what dataclasses.replace and pydantic read
    return cls


@result
class Warning_(Out):
    code: str
    message: str


@result
class ProfileRef(Out):
    kind: str
    id: str
    name: str
    source: str
    as_of: str


@result
class Assumption(Out):
    name: str
    value: Any
    description: str


@result
class PhaseBreakdown(Out):
    """Roofline terms of one forward pass (ms), and which bound applies."""

    bound: Literal["compute", "memory", "communication"]  # the largest term of the pass
    compute_ms: Num
    memory_ms: Num
    communication_ms: Num
    overhead_ms: Num
    attention_ms: Num = 0.0  # attention kernels, after the linear layers' max(compute, memory)
