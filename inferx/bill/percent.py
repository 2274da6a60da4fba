"""Percent-or-fraction inputs: ``15%`` is a percent, ``0.15`` (no ``%``) a fraction."""

from __future__ import annotations

import math

from inferx.errors import InputError


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
