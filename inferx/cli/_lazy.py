"""Commands are built only when run: `inferx estimate` does not import or build compare, bill,
calibrate or profiles (their modules, options and pydantic requests).

The root group knows each command's module and one-line help (COMMANDS).  Running a command
imports its module, which registers it on a scratch Typer exactly as it would on the root app,
and the built click command is kept for the rest of the process.  The root `--help` lists every
command from COMMANDS without building any; tests/test_cli_lazy.py checks that it prints
what the built commands print, so COMMANDS cannot drift from the docstrings.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # typer vendors click from 0.28 on (typer._click); older ones depend on it
    import click

# name → (module under inferx.cli, first paragraph of its help), in the order `--help` lists
# them (Typer lists commands before sub-groups).
COMMANDS: dict[str, tuple[str, str]] = {
    "estimate": ("estimate", "Estimate memory, latency, throughput, cost and energy for one "
                             "serving scenario."),
    "compare": ("compare", "Compare precision schemes (or hardware, or models) side by side: "
                           "memory, GPUs, latency,\nthroughput, $ per 1M output tokens, change "
                           "against a baseline, published quality impact."),
    "bill": ("bill", "Monthly bill for a daily query volume: fleet, self-hosted vs API, "
                     "ownership, what-ifs."),
    "plan": ("plan", "Search hardware x precision x parallelism x concurrency for the cheapest "
                     "deployment that meets latency targets."),
    "calibrate": ("calibrate", "Fit the engine's efficiencies and overheads on your "
                               "measurements; write a profile."),
    "init": ("init", "Write a commented scenario file (default ./inferx.toml, which every "
                     "command then reads)."),
    "diff": ("diff", "What changed in cost, latency, throughput, memory and fit between two "
                     "saved results."),
    "profiles": ("profiles", "List, show, validate and import hardware, model and price "
                             "profiles."),
}

_BUILT: dict[str, click.Command] = {}


def build(name: str) -> click.Command:
    """The click command `name`, built once per process from its module's register()."""
    if name not in _BUILT:
        module = importlib.import_module(f"inferx.cli.{COMMANDS[name][0]}")
        scratch = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        module.register(scratch)
        _BUILT[name] = typer.main.get_group(scratch).commands[name]
    return _BUILT[name]


def _summary(name: str) -> click.Command:
    """A stand-in that carries only what the root help shows: name and one-line help."""
    return TyperCommand(name=name, help=COMMANDS[name][1])


class LazyGroup(TyperGroup):
    """The root group: every command is listed; one is built when resolved or asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMMANDS:  # names known up front: usage errors still suggest them
            self.commands.setdefault(name, _BUILT.get(name) or _summary(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            self.commands[cmd_name] = build(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Listed from COMMANDS without building a command, drawn without Rich (_root_help)."""
        from inferx.cli._root_help import render

        formatter.write(render(self, ctx, {name: summary for name, (_m, summary)
                                           in COMMANDS.items()}))
