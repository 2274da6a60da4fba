"""Markdown: the command's table views as GitHub-flavoured tables (for pull requests, wikis)."""

from __future__ import annotations

from typing import TextIO

from inferx.render.views import TableSpec
from inferx.results import Envelope


def _cell(text: str) -> str:
    # pipes end a cell and asterisks start emphasis (GFM ignores intraword underscores)
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
            .replace("\n", " ").strip() or " ")


def table(spec: TableSpec) -> str:
    align = [":---" if i < spec.left_columns or i in spec.left_also else "---:"
             for i in range(len(spec.columns))]
    lines = [f"### {_cell(spec.title)}", "",
             "| " + " | ".join(_cell(c) for c in spec.columns) + " |",
             "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in spec.rows]
    if spec.caption:
        lines += ["", f"_{_cell(spec.caption)}_"]
    return "\n".join(lines) + "\n"


def write_markdown(envelope: Envelope, out: TextIO) -> None:
    from inferx.render.table import specs_for

    parts = [f"## inferx {' '.join(envelope.command)}\n"]
    parts += [table(spec) for spec in specs_for(envelope)]
    if envelope.warnings:
        parts.append("**Warnings**\n\n" + "\n".join(f"- {_cell(w.message)}"
                                                     for w in envelope.warnings) + "\n")
    out.write("\n".join(parts))
