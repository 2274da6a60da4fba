"""Number types of the result models: floats rounded once, here, to 6 significant digits, so
output is stable and free of float noise."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator


def _round_sig(value: float | None) -> float | None:
    if value is None or value == 0 or not math.isfinite(value):
        return value
    digits = 6 - int(math.floor(math.log10(abs(value)))) - 1
    return round(value, digits)


Num = Annotated[float, AfterValidator(_round_sig)]
OptNum = Annotated[float | None, AfterValidator(_round_sig)]
