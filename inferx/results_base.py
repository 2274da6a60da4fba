"""Number types of the result models.  Floats keep full precision (render rounds, data does
not): ``Num`` and ``OptNum`` name the figures that are measurements, for readers of the
models, and add no validation."""

from __future__ import annotations

Num = float
OptNum = float | None
