"""The built-in hourly traffic shapes of `bill --traffic-shape`."""

from __future__ import annotations

# Built-in hourly shapes (--traffic-shape): illustrative planning shapes, not measurements;
# pass --traffic-profile with your own hourly counts.  Hours are read as UTC where a price
# window (an API's off-peak hours) depends on them.
_EVENING = [3, 2, 1.5, 1, 1, 1, 1.5, 2, 3, 4, 5, 5, 5.5, 5.5, 5, 5, 5.5, 6, 7, 8, 9, 9, 8, 5]
SHAPES: dict[str, tuple[str, list[float]]] = {
    "flat": ("the same traffic every hour", [1.0] * 24),
    "business-hours": ("Monday-Friday 09:00-17:00 only, nothing at night or at weekends "
                       "(168 hours)",
                       [1.0 if d < 5 and 9 <= h < 17 else 0.0 for d in range(7)
                        for h in range(24)]),
    "consumer-evening": ("every day: low overnight, rising through the day to a 20:00-22:00 "
                         "peak", [float(w) for w in _EVENING]),
}
