"""The `inferx` command: a Typer app whose commands are thin adapters over inferx.api."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from inferx import __version__
from inferx.cli import _state

app = typer.Typer(
    name="inferx",
    help="Estimate what it costs to serve AI models: memory, latency, throughput, dollars, energy.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"inferx {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    profiles_dir: Annotated[Optional[Path], typer.Option(  # noqa: UP045 (typer needs Optional)
        "--profiles-dir", help="Extra profile directory, searched last (overrides ids).",
        file_okay=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Estimate what it costs to serve AI models: memory, latency, throughput, dollars, energy."""
    _state.STATE.profiles_dir = profiles_dir
    _state.STATE.debug = debug


def _register() -> None:
    from inferx.cli import estimate

    estimate.register(app)
    from inferx.cli import profiles

    profiles.register(app)
    from inferx.cli import compare

    compare.register(app)
    from inferx.cli import bill

    bill.register(app)
    from inferx.cli import calibrate

    calibrate.register(app)
    from inferx.cli import diff, init

    init.register(app)
    diff.register(app)


_register()


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `inferx --help | head`
        from inferx.cli._errors import silence_stdout

        silence_stdout()
