"""`inferx diff BASE.json NEW.json`: what changed between two saved results, for CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import FormatOpt
from inferx.render import Format


def diff(
    base: Annotated[Path, typer.Argument(help="Saved result (--format json, or a --batch "
                                         "output) to compare against.", dir_okay=False)],
    new: Annotated[Path, typer.Argument(help="Saved result of the same command.",
                                        dir_okay=False)],
    fail_above: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--fail-above", help="Exit 8 when any cost rises by more than this (10% or 0.1).")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What changed in cost, latency, throughput, memory and fit between two saved results.

    Batch outputs are matched by scenario id (a line's "id"), else by line order.

    Example: inferx diff base.json new.json --fail-above 10% --format markdown
    """
    with reporting_errors(["diff"], fmt):
        from inferx.bill.percent import parse_fraction
        from inferx.diff import diff as run
        from inferx.errors import ExitCode
        from inferx.render import render
        from inferx.results import Envelope

        threshold = None if fail_above is None else parse_fraction(
            "--fail-above", fail_above, high=1000.0)
        result = run(base, new, threshold)
        render(Envelope.ok(["diff"], result), fmt)
    if result.cost_increases_above_threshold:
        worst = max((c for c in result.changes if c.exceeds),
                    key=lambda c: c.change if c.change is not None else float("inf"))
        rise = "from 0" if worst.change is None else f"by {worst.change:.1%}"
        sys.stderr.write(f"error: {result.cost_increases_above_threshold} cost figure(s) "
                         f"rose more than {fail_above} (--fail-above); e.g. "
                         f"{(worst.scenario + ' ') if worst.scenario else ''}"
                         f"{worst.figure} rose {rise}\n")
        raise typer.Exit(int(ExitCode.COST_INCREASE))


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
