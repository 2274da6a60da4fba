"""The root command group: owns the process contract for everything Click does itself.

Click parses the command line before any command body runs, so its errors (unknown option,
a value of the wrong type, a missing value or command) and a closed stdout while printing help
never reach cli/_errors.reporting_errors.  `InferxGroup.main` runs Click in non-standalone
mode and maps those here, in one place, to the same contract (docs/exit-codes.md): one line
`error: <flag>: <what>` on stderr, exit 2, and with --format json (when argv says so) the JSON
error envelope on stdout.  A reader that goes away (`inferx estimate | head -c 10`) ends the
run quietly with exit 0.
"""

from __future__ import annotations

import errno
import sys
from typing import Any

import typer

from inferx.cli._click import NoArgsIsHelpError
from inferx.cli._click import exceptions as click_exc
from inferx.cli._lazy import LazyGroup
from inferx.errors import ExitCode, InferxError, clip
from inferx.render import Format


def requested_format(argv: list[str]) -> Format:
    """--format json / --format=json / -f json / -fjson anywhere in argv; else table.  (`--`
    is not a stop: Click may take it as an option's value.)"""
    for i, arg in enumerate(argv):
        value = None
        if arg in ("--format", "-f") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--format="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-f") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        if value is not None and value.strip().lower() == "json":
            return Format.json
    return Format.table


def _command_words(group: Any, argv: list[str]) -> list[str]:
    """The command path argv names (["profiles", "show"]), for the error envelope."""
    words: list[str] = []
    for tok in argv:
        commands = getattr(group, "commands", None)
        if not commands:
            break
        if tok.startswith("-"):
            continue
        if tok not in commands:
            break
        words.append(tok)
        group = commands[tok]
    return words


def _param_name(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "option" and param.opts:
        longs = [o for o in param.opts if o.startswith("--")]
        return max(longs, key=len) if longs else param.opts[0]
    return str(param.human_readable_name).upper()


def usage_field_and_message(exc: click_exc.UsageError) -> tuple[str, str]:
    """(the flag, argument or COMMAND at fault, what is wrong) for one Click usage error."""
    ctx = exc.ctx
    path = ctx.command_path if ctx is not None else "inferx"
    sub = getattr(ctx.command, "commands", None) if ctx is not None else None
    if isinstance(exc, NoArgsIsHelpError) or (
            sub and exc.message.startswith("Missing command")):
        return "COMMAND", (f"missing command after `{path}`; expected one of "
                           f"{', '.join(sub or [])}")
    if isinstance(exc, click_exc.NoSuchOption | click_exc.BadOptionUsage):
        return clip(exc.option_name, 80), clip(exc.format_message(), 600)
    if isinstance(exc, click_exc.MissingParameter) and exc.param is not None:
        return _param_name(exc.param), "required, not given"
    if isinstance(exc, click_exc.BadParameter) and exc.param is not None:
        return _param_name(exc.param), exc.message
    if exc.message.startswith("No such command"):
        return "COMMAND", f"{exc.message} (see `{path} --help`)"
    if "extra argument" in exc.message:
        return "ARGS", f"{exc.message} (see `{path} --help`)"
    return "(command line)", exc.format_message()


def _stdout_went_away(exc: BaseException | None) -> bool:
    """A BrokenPipeError, or Rich's SystemExit(1) raised while handling one."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, BrokenPipeError) or (
                isinstance(exc, OSError) and exc.errno == errno.EPIPE):
            return True
        exc = exc.__context__
    return False


def _sane_columns() -> None:
    """COLUMNS=0 (or junk) makes Rich render help into zero columns, i.e. nothing: ignore a
    COLUMNS that is not a usable width."""
    import os

    value = os.environ.get("COLUMNS")
    if value is not None and not (value.strip().isdigit() and int(value) >= 20):
        del os.environ["COLUMNS"]


class InferxGroup(LazyGroup):
    """The `inferx` group: Click in non-standalone mode, every outcome mapped here."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        argv = [str(a) for a in (sys.argv[1:] if args is None else args)]
        _sane_columns()
        # shell completion (`inferx --install-completion`): answers and exits when the shell
        # sets _INFERX_COMPLETE, as Click's own main does
        self._main_shell_completion(extra, prog_name or "inferx", complete_var)
        code = self.run_argv(argv, prog_name or "inferx", extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def run_argv(self, argv: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        from inferx.cli._errors import silence_stdout

        try:
            return self._run(argv, prog_name, extra)
        except (OSError, SystemExit) as exc:
            if not _stdout_went_away(exc):
                raise
            silence_stdout()
            return int(ExitCode.OK)

    def _run(self, argv: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        from inferx.cli._errors import exit_code_for, write_error
        from inferx.cli._state import STATE

        fmt = requested_format(argv)
        words = _command_words(self, argv)
        try:
            with self.make_context(prog_name, argv, **extra) as ctx:
                self.invoke(ctx)
            return int(ExitCode.OK)
        except typer.Exit as exc:
            return int(exc.exit_code)
        except (KeyboardInterrupt, EOFError, typer.Abort):
            write_error(words, fmt, "interrupted", "interrupted", {})
            return int(ExitCode.INTERRUPTED)
        except click_exc.UsageError as exc:
            field, message = usage_field_and_message(exc)
            if field.startswith("-") and field not in argv:  # `-1e400` parsed as flag `-1`
                field = clip(next((a for a in argv if a.startswith(field)), field), 80)
            if exc.ctx is not None:
                words = exc.ctx.command_path.split()[1:] or words
            write_error(words, fmt, "usage", f"{field}: {message}", {"field": field})
            return int(ExitCode.USAGE)
        except click_exc.ClickException as exc:
            write_error(words, fmt, "usage", exc.format_message(), {})
            return int(ExitCode.USAGE)
        except InferxError as exc:  # raised by an option callback (e.g. --calibration)
            if STATE.debug:
                raise
            return exit_code_for(exc, words, fmt)
        except Exception as exc:  # noqa: BLE001 (last resort: a bug, but no traceback)
            if STATE.debug or _stdout_went_away(exc):
                raise
            write_error(words, fmt, "internal_error", f"internal error: {type(exc).__name__}: "
                        f"{exc} (rerun with --debug for the traceback)", {})
            return int(ExitCode.INTERNAL)
