"""Records: frozen keyword-only dataclasses that cost less to define.

The dataclass decorator writes each class's __init__, __repr__, __eq__, __hash__,
__setattr__ and __delattr__ as source text and compiles them when the class is created (and
renders a signature for a class without a docstring): for the ~100 profile, assumption and
result classes of a run that was a third of the start-up left once pydantic was off the
estimate path.  `@record` declares the dataclass with those switched off and installs shared
ones, driven by the class's fields: the same behaviour (keyword arguments, defaults and
default factories, TypeError for a missing or unknown field, __post_init__, field-by-field
equality, hash and repr, FrozenInstanceError) at about a quarter of the cost.
`dataclasses.fields`, `replace` and `asdict` work as on any dataclass.

    @record
    class Point(Record):
        x: float
        y: float = 0.0

`__init__` is compiled per class, on its first call (fastest to call: result models, built
many times per estimate; a run compiles only those it builds) unless `compiled_init=False`,
which shares one keyword loop (cheapest to define: profiles with dozens of fields, built a
few times per run).  `slots=True` makes the class slotted; `frozen=False` makes it
assignable and unhashable, as dataclasses does.  `maker(cls)` is a function building the record as `cls(...)` does, without the type call
(the hot path's result models; compiled on first request, ~0.1 ms a class).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING
from types import MemberDescriptorType
from typing import Any, TypeVar

_setattr = object.__setattr__
T = TypeVar("T")
_PLANS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


class Record:
    """Base of every record: no instance dict of its own (a slotted subclass stays slotted);
    pickle and copy go through the fields (a slotted frozen class has no __dict__)."""

    __slots__ = ()

    def __getstate__(self) -> list[Any]:
        return [getattr(self, name) for name in self.__dataclass_fields__]  # type: ignore[attr-defined]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(self.__dataclass_fields__, state, strict=True):  # type: ignore[attr-defined]
            _setattr(self, name, value)


def _plan(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of each field, in order: computed once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, f.default, f.default_factory)
                                   for f in dataclasses.fields(cls))
    return plan


def _keyword_init(self: Any, **values: Any) -> None:
    cls = type(self)
    for name, default, factory in _plan(cls):
        if name in values:
            value = values.pop(name)
        elif default is not MISSING:
            value = default
        elif factory is not MISSING:
            value = factory()
        else:
            raise TypeError(f"{cls.__qualname__}.__init__() missing 1 required keyword-only "
                            f"argument: {name!r}")
        _setattr(self, name, value)  # frozen: no plain assignment
    if values:
        raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument "
                        f"{next(iter(values))!r}")
    post_init = getattr(cls, "__post_init__", None)
    if post_init is not None:
        post_init(self)


def _slot_setter(cls: type, name: str) -> Any:
    """The `__set__` of the slot that holds field `name` (None: the field is not a slot)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            return found.__set__ if type(found) is MemberDescriptorType else None
    return None


def _compiled_init(cls: type, *, maker: bool = False) -> Any:
    """One generated __init__ for `cls` (as dataclasses writes it, keyword-only).  A slotted
    field is written through its slot's setter (what object.__setattr__ ends up calling,
    without looking the name up: a quarter off building a result model).  maker: a function
    that creates the instance and returns it (see `maker`)."""
    names, lines = [], []
    env = {"_setattr": _setattr, "_F": MISSING, "_new": object.__new__, "_cls": cls}
    for f in dataclasses.fields(cls):
        if f.default is not MISSING:
            env[f"_d_{f.name}"] = f.default
            names.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not MISSING:
            env[f"_f_{f.name}"] = f.default_factory
            names.append(f"{f.name}=_F")
            lines.append(f"    if {f.name} is _F: {f.name} = _f_{f.name}()")
        else:
            names.append(f.name)
        setter = _slot_setter(cls, f.name)
        if setter is None:
            lines.append(f"    _setattr(self, {f.name!r}, {f.name})")
        else:
            env[f"_s_{f.name}"] = setter
            lines.append(f"    _s_{f.name}(self, {f.name})")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    if maker:
        lines = ["    self = _new(_cls)", *lines, "    return self"]
        source = f"def __init__(*, {', '.join(names)}):\n" + "\n".join(lines)
    else:
        source = f"def __init__(self, *, {', '.join(names)}):\n" + "\n".join(lines or ["    pass"])
    exec(source, env)  # noqa: S102 (generated from the class's own field names)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # as in the errors cls(...) raises
    return init


def _first_init(cls: type) -> Any:
    """`cls`'s __init__ until its first call, which compiles the real one (_compiled_init),
    installs it on the class and runs it: a run compiles only the records it builds."""

    def __init__(self: Any, **values: Any) -> None:
        init = _compiled_init(cls)
        cls.__init__ = init  # type: ignore[misc]
        init(self, **values)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


_MAKERS: dict[type, Any] = {}


def maker(cls: type[T]) -> Callable[..., T]:
    """A function that builds a `cls` record from keywords exactly as `cls(...)` does
    (defaults, default factories, __post_init__, the same TypeErrors), without the type
    call: about 40% less per object, for result models built many times per estimate.
    Compiled once per class, when first asked for."""
    made = _MAKERS.get(cls)
    if made is None:
        made = _MAKERS[cls] = _compiled_init(cls, maker=True)
    return made  # type: ignore[no-any-return]


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


def record(cls: Any = None, /, *, frozen: bool = True, slots: bool = False,
           compiled_init: bool = True) -> Any:
    """Declare a record (see the module docstring); the class should derive from `Record`."""
    if cls is None:
        return lambda c: record(c, frozen=frozen, slots=slots, compiled_init=compiled_init)
    undocumented = cls.__dict__.get("__doc__") is None
    if undocumented:
        cls.__doc__ = "-"  # else dataclasses renders a signature for it (inspect: slow)
    # declared unfrozen (dataclasses would compile __setattr__ and __delattr__) and frozen
    # below, except under a frozen record base, which dataclasses requires to stay frozen
    frozen_base = any(getattr(getattr(b, "__dataclass_params__", None), "frozen", False)
                      for b in cls.__mro__[1:])
    cls = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=True, slots=slots,
                                frozen=frozen_base)(cls)
    if undocumented:
        cls.__doc__ = None
    cls.__init__ = _first_init(cls) if compiled_init else _keyword_init  # type: ignore[misc]
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
