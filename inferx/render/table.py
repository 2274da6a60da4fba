"""Rich tables: the only module that imports rich.  All data is escaped (no markup)."""

from __future__ import annotations

import importlib
import os
from typing import TextIO

from inferx.render.views import TableSpec
from inferx.results import Envelope


def specs_for(envelope: Envelope) -> list[TableSpec]:
    """Table specs from the command's view module: inferx.render.views.<command>."""
    data = envelope.model_dump(mode="json")["data"]
    view = importlib.import_module(f"inferx.render.views.{envelope.command[0]}")
    return view.tables(data)


def print_tables(envelope: Envelope, out: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, no_color="NO_COLOR" in os.environ or None,
                      width=None if out.isatty() else 120, highlight=False,
                      emoji=False, markup=False)
    for spec in specs_for(envelope):
        table = Table(title=Text(spec.title, style="bold"), box=box.SIMPLE_HEAVY,
                      caption=Text(spec.caption) if spec.caption else None,
                      title_justify="left", caption_justify="left")
        for i, col in enumerate(spec.columns):
            table.add_column(Text(col), justify="left" if i < spec.left_columns else "right")
        for row in spec.rows:
            table.add_row(*(Text(cell, style="bold" if spec.bold_first and j == 0 else "")
                            for j, cell in enumerate(row)))
        console.print(table)
