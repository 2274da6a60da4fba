"""Render an envelope: the only code that writes results to stdout.

table → Rich (render/table.py, imported lazily); json → one document; csv → header + rows;
markdown → the table views as GitHub tables; html → a self-contained report (render/html.py,
needs the `report` extra).
Diagnostics and warnings go to stderr (in JSON they are inside the envelope).
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # importing the result models costs start-up time; render() gets them built
    from inferx.results import Envelope


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    focus_csv = "focus-csv"  # `inferx bill` only: FinOps FOCUS 1.2 rows (render/focus.py)


def warn(message: str, err: TextIO | None = None) -> None:
    (err or sys.stderr).write(f"warning: {message}\n")


def render(envelope: Envelope, fmt: Format, out: TextIO | None = None,
           err: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt is Format.json:
        from inferx.render.json import dumps

        out.write(dumps(envelope))
        return
    for w in envelope.warnings:
        warn(w.message, err)
    if fmt is Format.focus_csv:
        from inferx.render.focus import write_focus

        write_focus(envelope, out)
    elif fmt is Format.csv:
        from inferx.render.csv import write_csv

        write_csv(envelope, out)
    elif fmt is Format.markdown:
        from inferx.render.markdown import write_markdown

        write_markdown(envelope, out)
    elif fmt is Format.html:
        from inferx.render.html import write_html

        write_html(envelope, out)
    else:
        from inferx.render.table import print_tables

        print_tables(envelope, out)
