"""Field checks of the requests: each takes (field, given value) and returns the value to store,
or raises InputError naming the field and what was expected, in one line.

Numbers are read as pydantic's lax mode read them (a request from a scenario file or a batch
line may spell 2000 as "2000"; a whole number may come as 2000.0), except that a bool is not a
number.  Request tables (inferx/request_base.py) are built from these.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from inferx.errors import InputError, clip

Check = Callable[[str, Any], Any]


def shown(value: object) -> str:
    """repr(value) clipped: what a message may echo of a value of the wrong type."""
    return clip(repr(value))


def check_int(flag: str, value: int, *, low: int = 1, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(flag, f"expected a whole number, got {shown(value)}")
    if value < low:
        raise InputError(flag, f"must be at least {low}, got {value}")
    if value > high:
        raise InputError(flag, f"must be at most {high:,}, got {value:,}")
    return value


def check_positive(flag: str, value: float, *, high: float) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InputError(flag, f"expected a finite number, got {shown(value)}")
    if value <= 0:
        raise InputError(flag, f"must be greater than 0, got {value:g}")
    if value > high:
        raise InputError(flag, f"must be at most {high:g} (absurd value {value:g})")
    return float(value)


def integer(field: str, value: Any) -> int:
    """A whole number: an int, a float without a fractional part, or a string of one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                number = float(value.strip())
            except ValueError:
                number = math.nan
            if number.is_integer():
                return int(number)
    raise InputError(field, f"expected a whole number, got {shown(value)}")


def number(field: str, value: Any) -> float:
    """A number (NaN and infinities pass here; range checks reject them): an int, a float, or
    a string of one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise InputError(field, f"expected a number, got {shown(value)}")


def text(field: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise InputError(field, f"expected a string, got {shown(value)}")


_TRUE = ("1", "on", "t", "true", "y", "yes")
_FALSE = ("0", "off", "f", "false", "n", "no")


def flag(field: str, value: Any) -> bool:
    """true/false, as a bool, 0 or 1, or a word (yes, no, on, off, true, false)."""
    if isinstance(value, bool):
        return value
    key = value.strip().lower() if isinstance(value, str) else value
    if key in _TRUE or key == 1:
        return True
    if key in _FALSE or key == 0:
        return False
    raise InputError(field, f"expected true or false, got {shown(value)}")


def strings(field: str, value: Any) -> list[str]:
    """A list of strings (a list, tuple or set)."""
    if isinstance(value, list | tuple | set | frozenset) and all(isinstance(v, str)
                                                                  for v in value):
        return list(value)
    raise InputError(field, f"expected a list of strings, got {shown(value)}")


def numbers(field: str, value: Any) -> list[float]:
    """A list of numbers (a list or tuple)."""
    if not isinstance(value, list | tuple):
        raise InputError(field, f"expected a list of numbers, got {shown(value)}")
    return [number(field, v) for v in value]


def number_map(field: str, value: Any) -> dict[str, float]:
    """A table of name = number (the --assume values; their names and ranges are checked where
    they are applied, inferx/scenario.py)."""
    if not isinstance(value, dict):
        raise InputError(field, f"expected a table of name = number, got {shown(value)}")
    out = {}
    for key, v in value.items():
        if not isinstance(key, str):
            raise InputError(field, f"expected names as keys, got {shown(key)}")
        try:
            out[key] = number(field, v)
        except InputError:
            raise InputError(field, f"{clip(key)}: expected a number, got {shown(v)}") from None
    return out


def parse_fraction(flag: str, value: object, *, low: float = 0.0, high: float = 1.0,
                   low_inclusive: bool = True) -> float:
    """'15%' → 0.15; '0.15' or 0.15 → 0.15.  Rejects NaN, infinities, and values outside
    [low, high]; the error names the flag."""
    text = str(value).strip()
    pct = text.endswith("%")
    try:
        number = float(text[:-1] if pct else text)
    except ValueError:
        raise InputError(flag, f"expected a percentage like 15% or a fraction like 0.15, "
                         f"got {text!r}") from None
    if not math.isfinite(number):
        raise InputError(flag, f"expected a finite number, got {text!r}")
    frac = number / 100.0 if pct else number
    if frac < low or (frac == low and not low_inclusive):
        raise InputError(flag, f"must be {'at least' if low_inclusive else 'above'} "
                         f"{low:.0%}, got {text}")
    if frac > high:
        raise InputError(flag, f"must be at most {high:.0%} ({high:g} as a fraction), got {text}"
                         + ("" if pct else " (a number without % is a fraction)"))
    return frac


def optional(check: Check) -> Check:
    """`check`, letting None through."""
    return lambda field, value: None if value is None else check(field, value)


def whole(*, high: int, low: int = 1) -> Check:
    """A whole number from `low` to `high` ("must be at least / at most" messages)."""
    return lambda field, value: check_int(field, integer(field, value), low=low, high=high)


def positive(*, high: float) -> Check:
    """A finite number above 0 and at most `high`."""
    return lambda field, value: check_positive(field, number(field, value), high=high)


def choice(options: tuple[str, ...]) -> Check:
    """One of `options`, matched without case or surrounding blanks."""
    def check(field: str, value: Any) -> str:
        key = value.strip().lower() if isinstance(value, str) else value
        if key not in options:
            raise InputError(field, f"expected one of {', '.join(options)}, got "
                             f"{shown(value)}")
        return key

    return check
