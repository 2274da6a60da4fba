"""Per-command table views: pure functions from a result's JSON dict to TableSpecs.

Each module inferx.render.views.<command> defines ``tables(data) -> list[TableSpec]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TableSpec:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    caption: str | None = None
    left_columns: int = 1
    left_also: tuple[int, ...] = ()  # further left-justified columns (text bars)
    bold_first: bool = False


def plain(value: float, digits: int = 3) -> str:
    """`digits` significant figures in plain decimals, never exponent notation:
    2.59e-05 → '0.0000259', 1234.5 (digits 3) → '1,234'."""
    import math

    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt(value: object, digits: int = 3, unit: str = "") -> str:
    """Human formatting: thousands separators, ~digits significant figures, '—' for None."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        if value == 0:
            text = "0"
        elif abs(value) >= 10 ** digits:
            text = f"{value:,.0f}"
        else:
            text = plain(value, digits)
    else:
        text = str(value)
    return f"{text} {unit}".rstrip()
