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
    bold_first: bool = False


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
            text = f"{value:,.{digits}g}" if abs(value) >= 1 else f"{value:.{digits}g}"
    else:
        text = str(value)
    return f"{text} {unit}".rstrip()
