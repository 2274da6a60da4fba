"""The one place that turns exceptions into a message and an exit code (docs/exit-codes.md).

Errors from a command body go through `reporting_errors`; errors Click raises while parsing
the command line (and InferxErrors raised by option callbacks) go through `report_usage` /
`exit_code_for`, called by the root group in inferx/cli/_main.py.  Either way: one line
`error: ...` on stderr, and with --format json the error envelope on stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from inferx.cli._state import STATE
from inferx.errors import ExitCode, InferxError, InputError, clip
from inferx.render import Format

MAX_MESSAGE_CHARS = 1_500  # the `error:` line; list-valued details live in the JSON envelope


def write_error(command: list[str], fmt: Format, code: str, message: str,
                details: dict[str, Any]) -> None:
    """One `error:` line on stderr (more lines only for a problem list), the envelope with
    --format json."""
    first, sep, rest = message.partition("\n")
    text = clip(first, MAX_MESSAGE_CHARS) + (sep + rest if rest else "")
    sys.stderr.write(f"error: {text}\n")
    if fmt is Format.json:
        from inferx.render.json import dumps
        from inferx.results import Envelope, ErrorInfo

        sys.stdout.write(dumps(Envelope.error(
            command, [ErrorInfo(code=code, message=text, details=details)])))


def _emit(command: list[str], fmt: Format, code: str, message: str, details: dict,
          exit_code: int) -> None:
    write_error(command, fmt, code, message, details)
    raise typer.Exit(int(exit_code))


# Request fields whose flag is not "--" + the field with dashes (the rest map that way).
FIELD_FLAGS = {
    "cost_reduction": "--what-if-cost-reduction",
    "max_ttft_ms": "--max-ttft",
    "max_tpot_ms": "--max-tpot",
    "hourly_weights": "--traffic-profile",
    "apis": "--api",
    "models": "--model",
    "assume": "--assume",
}


def flag_for(field: str) -> str:
    """The flag for a request field: the running command's option whose parameter is
    `field` (`pricing` → `--pricing`), else the table above, else '--' + the field with dashes
    ('input_tokens' → '--input-tokens').  A flag or an argument name (PATH) is kept."""
    if field.startswith("-") or field.isupper():
        return field
    from inferx.cli._click import get_current_context

    ctx = get_current_context(silent=True)
    for param in getattr(getattr(ctx, "command", None), "params", []):
        if param.name == field and getattr(param, "param_type_name", "") == "option":
            longs = [o for o in param.opts if o.startswith("--")]
            return max(longs, key=len) if longs else param.opts[0]
    return FIELD_FLAGS.get(field, "--" + field.replace("_", "-"))


def exit_code_for(exc: InferxError, command: list[str], fmt: Format) -> int:
    """Report an InferxError (an input error names the flag of its request field); its exit
    code."""
    details = {k: v for k, v in exc.to_dict().items() if k not in ("code", "message")}
    message = exc.message
    if isinstance(exc, InputError):
        flag = flag_for(exc.field)
        details["field"] = flag
        message = f"{flag}: {exc.detail}"
    write_error(command, fmt, exc.code, message, details)
    return int(exc.exit_code)


def silence_stdout() -> None:
    """The reader of stdout went away (`inferx ... | head`): send the rest to /dev/null so the
    interpreter's final flush does not complain, and stop quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (e.g. under a test runner)
        pass
    finally:
        os.close(devnull)


def fail_strict(reason: str) -> None:
    """--strict: the answer is printed already; say why on stderr and exit 5."""
    sys.stderr.write(f"error: {reason}\n")
    raise typer.Exit(int(ExitCode.STRICT_CHECK_FAILED))


@contextmanager
def reporting_errors(command: list[str], fmt: Format) -> Iterator[None]:
    """Map InferxError → its exit code, ValidationError → usage (2), anything else → 1.

    One line on stderr (and an error envelope on stdout with --format json); the traceback only
    with --debug."""
    try:
        yield
    except typer.Exit:
        raise
    except InferxError as exc:
        if STATE.debug:
            raise
        raise typer.Exit(exit_code_for(exc, command, fmt)) from None
    except KeyboardInterrupt:
        _emit(command, fmt, "interrupted", "interrupted", {}, ExitCode.INTERRUPTED)
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    except Exception as exc:  # noqa: BLE001 (the last resort: no traceback without --debug)
        if STATE.debug:
            raise
        from pydantic import ValidationError  # lazy: pydantic costs start-up time

        if isinstance(exc, ValidationError):
            err = exc.errors()[0]
            field = flag_for(".".join(str(p) for p in err["loc"]))
            _emit(command, fmt, "invalid_input", f"{field}: {err['msg']}", {"field": field},
                  ExitCode.USAGE)
        _emit(command, fmt, "internal_error",
              f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
              {}, ExitCode.INTERNAL)
