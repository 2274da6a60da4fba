"""Derived quantities of a profile record, computed once per record object.

A model's parameter split or layer kinds depend on the record alone and the record is frozen,
so the engine's hot path (one estimate, or thousands in `plan` and `--batch`) need not derive
them again for every point.  The cache holds the record itself next to the value, so an
object id is never reused while its entry lives; it is emptied when it grows past MAX_ENTRIES.
Only functions of one record returning an immutable value are memoised.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 4096
_CACHE: dict[tuple[Any, ...], tuple[Any, Any]] = {}


def per_record(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Memoise fn(record) by the record's identity (see the module docstring)."""
    name = fn.__qualname__

    @functools.wraps(fn)
    def memoised(record: Any) -> T:
        key = (id(record), name)
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is record:
            return hit[1]
        value = fn(record)
        if len(_CACHE) >= MAX_ENTRIES:
            _CACHE.clear()
        _CACHE[key] = (record, value)
        return value

    return memoised


def per_objects(count: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoise fn(*objects, *values) by the identity of its first `count` arguments (frozen
    records, held next to the value so no id is reused while the entry lives) and the equality
    of the rest (hashable numbers).  The cache is the one per_record uses, emptied past
    MAX_ENTRIES.  For what depends on a replica's profiles, scheme and assumptions but not on
    the point: a search over concurrency, traffic or sizes asks for it again and again."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        name = fn.__qualname__

        @functools.wraps(fn)
        def memoised(*args: Any) -> T:
            key = (name, *map(id, args[:count]), *args[count:])
            hit = _CACHE.get(key)  # type: ignore[call-overload]
            if hit is not None:  # (value, *the held objects): no id reused while it lives
                return hit[0]
            value = fn(*args)
            if len(_CACHE) >= MAX_ENTRIES:
                _CACHE.clear()
            _CACHE[key] = (value, *args[:count])  # type: ignore[index]
            return value

        return memoised

    return wrap
