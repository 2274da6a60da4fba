"""`inferx init`: write a commented scenario file (./inferx.toml) to start from."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from inferx.cli._errors import reporting_errors
from inferx.render import Format


def init(
    path: Annotated[Path, typer.Argument(help="File to write.", dir_okay=False)] = Path(
        "inferx.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented scenario file (default ./inferx.toml, which every command then reads).

    Example: inferx init && inferx estimate
    """
    with reporting_errors(["init"], Format.table):
        from inferx.scenario_file import template
        from inferx.writer import write_file

        write_file(path, template(), force=force, field="PATH")
        sys.stderr.write(f"wrote {path}: edit it, then run `inferx estimate`, `inferx compare` "
                         "or `inferx bill`\n")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
