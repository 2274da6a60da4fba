"""The `inferx` command: a Typer app whose commands are thin adapters over inferx.api."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from inferx import __version__
from inferx.cli import _state
from inferx.cli._main import InferxGroup

app = typer.Typer(
    name="inferx",
    cls=InferxGroup,  # parser errors, closed stdout (cli/_main.py); lazy commands (cli/_lazy.py)
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


def _interrupt_on_sigterm() -> None:
    """SIGTERM (a killed import) unwinds like Ctrl-C: temporary files are removed on the way
    out (inferx/writer.py) and the exit code is 130."""
    import signal

    def _raise(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _raise)
    except (ValueError, OSError):  # not the main thread
        pass


def main() -> None:
    _interrupt_on_sigterm()
    app()  # InferxGroup.main: every outcome mapped to docs/exit-codes.md
