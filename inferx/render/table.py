"""Rich tables: the only module that imports rich.  All data is escaped (no markup)."""

from __future__ import annotations

import importlib
import os
import textwrap
from typing import TextIO

from inferx.jsonable import to_jsonable
from inferx.render.views import TableSpec
from inferx.results import Envelope

SHORT = 16  # characters: a cell this long or shorter is a figure, shown whole
LABEL = 24  # a first column up to this long never wraps; longer ones fold, never cut


def specs_for(envelope: Envelope) -> list[TableSpec]:
    """Table specs from the command's view module: inferx.render.views.<command>."""
    data = to_jsonable(envelope.data, any_=True)
    view = importlib.import_module(f"inferx.render.views.{envelope.command[0]}")
    return view.tables(data)


def print_tables(envelope: Envelope, out: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Width: the terminal's, else COLUMNS, else 80 (Rich's rule); colour only on a terminal
    # and never with NO_COLOR (https://no-color.org: set, whatever its value).
    console = Console(file=out, no_color="NO_COLOR" in os.environ or None, highlight=False,
                      emoji=False, markup=False)
    for spec in specs_for(envelope):
        table = Table(title=Text(spec.title, style="bold"), box=box.SIMPLE_HEAVY,
                      pad_edge=False, collapse_padding=True,
                      caption=Text(spec.caption) if spec.caption else None,
                      title_justify="left", caption_justify="left")
        for i, col in enumerate(spec.columns):
            # The first column names the row: it does not wrap unless it is long.  A column
            # of short figures is never cut or wrapped either: its header wraps to the
            # figures' width instead, and long text columns make the room (Rich's collapse
            # ignores min_width).
            longest = max((len(row[i]) for row in spec.rows), default=0)
            figures = i > 0 and longest <= SHORT
            if figures:
                col = textwrap.fill(col, max([longest] + [len(w) for w in col.split()]))
            left = i < spec.left_columns or i in spec.left_also
            label = i == 0 and longest <= LABEL
            table.add_column(Text(col), justify="left" if left else "right",
                             no_wrap=label or figures, overflow="fold")
        for row in spec.rows:
            table.add_row(*(Text(cell, style="bold" if spec.bold_first and j == 0 else "")
                            for j, cell in enumerate(row)))
        console.print(table)
