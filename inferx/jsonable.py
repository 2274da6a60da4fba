"""Result models → JSON data (dicts, lists, str, int, float, bool, None), field order kept.

Reproduces what pydantic's ``model_dump(mode="json")`` gave for the models these dataclasses
replaced, so `--format json` keeps its bytes: a field declared float (``Num``, ``OptNum``)
writes an int as a float (3 → 3.0) and keeps inf/nan; an int field written 2.0 becomes 2;
a field declared ``Any`` (and what it holds, outside result models) writes inf/nan as null;
dates become ISO strings, enums their values, tuples and sets lists.  Floats are never rounded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from typing import Any

FLOAT, INT, FLOATS, FLOAT_VALUES, ANY, TYPED = range(6)
KINDS = {
    "Num": FLOAT, "OptNum": FLOAT, "float": FLOAT, "float | None": FLOAT,
    "int": INT, "int | None": INT,
    "list[Num]": FLOATS, "list[Num] | None": FLOATS, "list[float]": FLOATS,
    "dict[str, Num]": FLOAT_VALUES, "dict[str, float]": FLOAT_VALUES,
    "Any": ANY, "dict[str, Any]": ANY,
}
_PLANS: dict[type, tuple[tuple[str, int], ...] | None] = {}
_PLAIN = (str, int, float, bool, type(None))


def _plan(cls: type) -> tuple[tuple[str, int], ...] | None:
    """(field name, kind) in declaration order for a dataclass, else None; cached per class."""
    try:
        return _PLANS[cls]
    except KeyError:
        pass
    plan = None
    if dataclasses.is_dataclass(cls):
        plan = tuple((f.name, KINDS.get(f.type if isinstance(f.type, str)
                                        else getattr(f.type, "__name__", ""), TYPED))
                     for f in dataclasses.fields(cls))
    _PLANS[cls] = plan
    return plan


def _float(x: Any) -> Any:
    t = type(x)
    if t is float or x is None:
        return x
    return float(x) if t is int else to_jsonable(x)


def _object(obj: Any, plan: tuple[tuple[str, int], ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in plan:
        x = getattr(obj, name)
        if kind == TYPED:
            out[name] = x if type(x) in _PLAIN else to_jsonable(x)
        elif kind == FLOAT:
            out[name] = _float(x)
        elif kind == INT:
            out[name] = int(x) if type(x) is float and x.is_integer() else to_jsonable(x)
        elif kind == ANY:
            out[name] = to_jsonable(x, any_=True)
        elif x is None:
            out[name] = None
        elif kind == FLOATS:
            out[name] = [_float(v) for v in x]
        else:  # FLOAT_VALUES
            out[name] = {_key(k): _float(v) for k, v in x.items()}
    return out


def _key(k: Any) -> Any:
    if type(k) is str:
        return k
    if isinstance(k, enum.Enum):
        return _key(k.value)
    if isinstance(k, bool):
        return "true" if k else "false"
    return str.__str__(k) if isinstance(k, str) else str(k)


def to_jsonable(obj: Any, any_: bool = False) -> Any:
    """`obj` as JSON data; ``any_``: it sits in a field declared Any (inf/nan → None)."""
    t = type(obj)
    if t is str or t is int or t is bool or obj is None:
        return obj
    if t is float:
        return None if any_ and not math.isfinite(obj) else obj
    plan = _plan(t)
    if plan is not None:
        return _object(obj, plan)
    if t is list or t is tuple or t is set or t is frozenset:
        return [to_jsonable(v, any_) for v in obj]
    if t is dict:
        return {_key(k): to_jsonable(v, any_) for k, v in obj.items()}
    if isinstance(obj, enum.Enum):
        return to_jsonable(obj.value, any_)
    if isinstance(obj, dt.datetime):
        text = obj.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(obj, dt.date | dt.time):
        return obj.isoformat()
    if hasattr(t, "model_dump"):  # a pydantic model held in a field declared Any
        return obj.model_dump(mode="json")
    for base in (bool, int, float, str):  # subclasses of the plain types
        if isinstance(obj, base):
            return to_jsonable(base(obj), any_)
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v, any_) for v in obj]
    if isinstance(obj, dict):
        return {_key(k): to_jsonable(v, any_) for k, v in obj.items()}
    return str(obj)  # Path, Decimal, UUID: pydantic writes them as strings
