"""The root `inferx --help`, drawn without Rich.

Typer renders help through Rich, whose help module imports Markdown and syntax highlighting:
about 60 ms, more than the rest of a `--version` run.  The root help is only a usage line, a
sentence, the few root options and the command list, so it is drawn here in the same boxed
layout (Options and Commands panels), wrapped to the terminal width (COLUMNS is honoured),
coloured like Typer's when stdout is a terminal and NO_COLOR is unset.  Each command's own
`--help` (many options, grouped) still goes through Typer and Rich.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import click

MAX_WIDTH = 100  # Typer's help is as wide as the terminal; wider than this reads badly
# SGR codes of Typer's help styles (typer/rich_utils.py): option names bold cyan, the usage
# line yellow, panel borders dim.
_BOLD_CYAN, _YELLOW, _DIM, _RESET = "\x1b[1;36m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


def colour_for(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set or TERM is dumb (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(ctx: click.Context) -> int:
    width = ctx.terminal_width or shutil.get_terminal_size((80, 24)).columns
    return max(40, min(width, MAX_WIDTH))


def _panel(title: str, rows: list[tuple[str, str]], width: int, colour: bool) -> list[str]:
    """A box titled `title` holding two columns: a name and its wrapped description."""
    inner = width - 4  # "│ " and " │"
    left = min(max(len(name) for name, _ in rows), inner // 2)
    right = max(inner - left - 2, 10)
    dim = (lambda s: f"{_DIM}{s}{_RESET}") if colour else (lambda s: s)
    name_style = (lambda s: f"{_BOLD_CYAN}{s}{_RESET}") if colour else (lambda s: s)
    out = [dim(f"╭─ {title} " + "─" * (width - len(title) - 5) + "╮")]
    for name, text in rows:
        lines = textwrap.wrap(" ".join(text.split()), right, break_on_hyphens=False) or [""]
        names = textwrap.wrap(name, left, break_on_hyphens=False) if len(name) > left else [name]
        for i in range(max(len(lines), len(names))):
            n = names[i] if i < len(names) else ""
            t = lines[i] if i < len(lines) else ""
            cell = name_style(n.ljust(left)) + "  " + t.ljust(right)
            out.append(dim("│") + " " + cell + " " + dim("│"))
    out.append(dim("╰" + "─" * (width - 2) + "╯"))
    return out


def _option_rows(group: click.Group, ctx: click.Context) -> list[tuple[str, str]]:
    rows = []
    for param in group.get_params(ctx):
        if getattr(param, "hidden", False) or not param.opts:
            continue
        opts = [*param.opts, *param.secondary_opts]
        names = ", ".join(sorted(opts, key=lambda o: not o.startswith("--")))  # long first
        if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
            names += " " + _metavar(param, ctx)
        rows.append((names, getattr(param, "help", None) or ""))
    return rows


def _metavar(param: click.Parameter, ctx: click.Context) -> str:
    """click 8.2 and typer's vendored click (0.28) take the context; click 8.1 does not."""
    try:
        return param.make_metavar(ctx)
    except TypeError:
        return param.make_metavar()  # type: ignore[call-arg]


def render(group: click.Group, ctx: click.Context, summaries: dict[str, str],
           colour: bool | None = None) -> str:
    """The root help text: usage, the group's help, an Options and a Commands panel."""
    width = _width(ctx)
    colour = colour_for(sys.stdout) if colour is None else colour
    usage = f"Usage: {ctx.command_path} [OPTIONS] COMMAND [ARGS]..."
    lines = [""]
    for line in textwrap.wrap(usage, width - 1, subsequent_indent="   "):
        lines.append(" " + (f"{_YELLOW}{line}{_RESET}" if colour else line))
    lines.append("")
    for paragraph in (group.help or "").split("\n\n"):
        lines.extend(" " + line for line in textwrap.wrap(" ".join(paragraph.split()),
                                                            width - 2))
    lines.append("")
    lines.extend(_panel("Options", _option_rows(group, ctx), width, colour))
    lines.extend(_panel("Commands", list(summaries.items()), width, colour))
    return "\n".join(line.rstrip() if not colour else line for line in lines) + "\n\n"
