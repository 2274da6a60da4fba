"""Scenario files, batch mode and --out for the performance commands.

Precedence, lowest first: the flags' defaults, `./inferx.toml` (or the --scenario files, in
order), the flags the user typed (Click's parameter source tells typed from default), then, in
batch mode, each line.  Values from a file that fail validation are reported as FILE:LINE: KEY.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from inferx.render import Format

ScenarioOpt = Annotated[Optional[list[Path]], typer.Option(  # noqa: UP045
    "--scenario", help="Scenario file (TOML) holding this command's inputs; repeatable, later "
    "files and then typed flags override. Default: ./inferx.toml when present.",
    dir_okay=False)]
BatchOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--batch", help="JSON Lines file ('-' for stdin), one scenario per line (scenario-file "
    "keys, plus an optional id): writes one JSON envelope per line.")]
OutOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--out", "-o", help="Write the output to this file (atomically) instead of stdout.",
    dir_okay=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing --out file.")]

# Click's ParameterSource names (typer >= 0.28 vendors Click, so compare by name).
_TYPED = ("COMMANDLINE", "ENVIRONMENT", "PROMPT")


def was_typed(ctx: typer.Context, param: str) -> bool:
    source = ctx.get_parameter_source(param)
    return source is not None and source.name in _TYPED


def typed_fields(ctx: typer.Context, command: str, fields: dict[str, Any]) -> set[str]:
    """The request fields whose flag the user typed (not left at its default).

    A field's flag is cli/_errors.flag_for(field); a field whose flag cannot be found counts as
    typed when its value differs from the request's default (a flag added without its
    FIELD_FLAGS entry then still overrides files; tests/test_cli_scenario.py flags it)."""
    from inferx.cli._errors import flag_for
    from inferx.request_base import field_default
    from inferx.scenario_file import request_fields

    by_flag = {opt: p.name for p in ctx.command.params for opt in p.opts}
    known = request_fields(command)
    typed = set()
    for name, value in fields.items():
        param = by_flag.get(flag_for(name))
        if param is not None:
            if was_typed(ctx, param):
                typed.add(name)
        elif name in known and value != field_default(known[name]):
            typed.add(name)
    return typed


def scenario_files(paths: list[Path] | None) -> list[Path]:
    """The --scenario files, or ./inferx.toml when none is given and it exists (said on
    stderr)."""
    if paths:
        return list(paths)
    from inferx.scenario_file import FILE_NAME

    found = Path(FILE_NAME)
    if found.is_file():
        sys.stderr.write(f"note: reading scenario file ./{FILE_NAME} (found in the current "
                         "folder; --scenario FILE reads another)\n")
        return [found]
    return []


def layered(ctx: typer.Context, command: str, flags: dict[str, Any],
            paths: list[Path] | None) -> Any:  # an inferx.scenario_file.Layer
    """Flag defaults, then scenario files, then typed flags."""
    from inferx.scenario_file import Layer, read_files

    typed = typed_fields(ctx, command, flags)
    defaults = Layer({k: v for k, v in flags.items() if k not in typed},
                     dict.fromkeys(flags))
    files = read_files(scenario_files(paths), command)
    return Layer({k: flags[k] for k in typed}, dict.fromkeys(typed)).over(files.over(defaults))


@contextmanager
def blaming_files(layer: Any) -> Iterator[None]:
    """An invalid value that came from a scenario file (or batch line) is reported as
    FILE:LINE: KEY instead of as a flag."""
    from inferx.errors import InputError, UnknownProfileError
    from inferx.scenario_file import ScenarioFileError

    try:
        yield
    except InputError as exc:
        origin = layer.origins.get(exc.field)
        if origin is None:
            raise
        raise ScenarioFileError(origin.path, origin.line, origin.key, exc.detail) from None
    except UnknownProfileError as exc:  # keeps its exit code; says where the name came from
        origin = layer.origins.get(exc.fields.get("kind", ""))
        if origin is None and exc.fields.get("kind") == "model":
            origin = layer.origins.get("models")
        if origin is not None:
            where = f"{origin.path}:{origin.line}" if origin.line else origin.path
            exc.message = f"{where}: {origin.key}: {exc.message}"
            exc.args = (exc.message,)
        raise
    except Exception as exc:
        # A request model's ValidationError: pydantic is only looked up, never imported here
        # (a run that never loaded it cannot have raised one).
        core = sys.modules.get("pydantic_core")
        if core is None or not isinstance(exc, core.ValidationError):
            raise
        err = exc.errors()[0]
        origin = layer.origins.get(str(err["loc"][0])) if err["loc"] else None
        if origin is None:
            raise
        raise ScenarioFileError(origin.path, origin.line, origin.key, err["msg"]) from None


def emit(envelope: Any, fmt: Format, out: Path | None, force: bool) -> None:
    """Render to stdout, or to --out atomically (refusing to overwrite without --force)."""
    from inferx.render import render

    if out is None:
        render(envelope, fmt)
        return
    import io

    from inferx.writer import refuse_existing, write_file

    refuse_existing(out, force=force, field="--out")  # before rendering: at once
    buffer = io.StringIO()
    render(envelope, fmt, out=buffer)
    write_file(out, buffer.getvalue(), force=force, field="--out")
    sys.stderr.write(f"wrote {out}\n")


@dataclass
class _Batch:
    """What every line of a batch shares (set before worker processes fork)."""

    command: str
    cls: type
    base: Any
    name: str
    run: Callable[..., Any]
    registry: Any
    today: Any


_JOB: _Batch | None = None
PARALLEL_FROM = 200  # lines: below this, worker start-up costs more than it saves
CHUNK = 64


def answer_line(item: tuple[int, str]) -> tuple[int, str | None, bool]:
    """One batch line → (line number, its envelope as one line of JSON, failed?); a blank
    line → (n, None, False).  Runs in the main process or in a forked worker."""
    from pydantic_core import to_json

    from inferx.errors import InferxError
    from inferx.jsonable import to_jsonable
    from inferx.results import BatchEnvelope, BatchInfo, ErrorInfo
    from inferx.scenario_file import batch_line

    n, text = item
    job = _JOB
    assert job is not None
    if not text.strip():
        return n, None, False
    scenario_id, failed = None, False
    try:
        layer, scenario_id = batch_line(text, job.command, job.name, n)
        layer = layer.over(job.base)
        with blaming_files(layer):
            request = job.cls(**layer.values)
            answer = job.run(request, job.registry, job.today)
        envelope = BatchEnvelope.ok([job.command], answer.result, answer.warnings)
    except InferxError as exc:
        failed = True
        details = {k: v for k, v in exc.to_dict().items() if k not in ("code", "message")}
        details["line"] = n
        envelope = BatchEnvelope.error([job.command], [ErrorInfo(
            code=exc.code, message=exc.message, details=details)])
    envelope.batch = BatchInfo(line=n, id=scenario_id)
    # pydantic's compact JSON, as the pydantic envelope wrote it (its float format: 1e-7)
    line = to_json(to_jsonable(envelope), inf_nan_mode="null").decode()
    return n, line + "\n", failed


def _answers(lines: Iterator[tuple[int, str]], parallel: bool) -> Iterator[
        tuple[int, str | None, bool]]:
    """Answers in line order: in the two or more forked workers when there are enough lines
    and the platform forks (the registry and modules are inherited, not reloaded)."""
    import itertools
    import multiprocessing
    import os

    head = list(itertools.islice(lines, PARALLEL_FROM))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (not parallel or len(head) < PARALLEL_FROM or (cpus or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        yield from map(answer_line, itertools.chain(head, lines))
        return
    with multiprocessing.get_context("fork").Pool(min(cpus or 2, 8)) as pool:
        yield from pool.imap(answer_line, itertools.chain(head, lines), chunksize=CHUNK)


def run_batch(ctx: typer.Context, command: str, cls: type, base: Any, source: str,
              run: Callable[[Any, Any], Any], fmt: Format, parallel: bool = True,
              out: Any = None) -> None:
    """One scenario per line → one JSON envelope per line, in order; a bad line yields an
    error envelope naming its line and the rest go on.  Exit 7 when any line failed."""
    import datetime as dt

    from inferx.cli._state import STATE
    from inferx.errors import ExitCode, InputError

    global _JOB
    if out is not None:
        raise InputError("out", "--batch streams JSON Lines to stdout; redirect it "
                         "(> results.jsonl) instead of --out")
    if was_typed(ctx, "fmt") and fmt is not Format.json:
        raise InputError("--format", "--batch writes JSON Lines; drop --format or give json")
    registry = STATE.registry()
    for kind in ("model", "hardware", "price"):  # load each kind once, not a file per line
        registry.entries(kind)
    name = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError("--batch", f"cannot read {source}: {exc.strerror}") from None
    _JOB = _Batch(command, cls, base, name, run, registry, dt.date.today())
    failed: list[int] = []
    write = sys.stdout.write
    try:
        with stream:
            for n, line, bad in _answers(enumerate(stream, 1), parallel):
                if line is None:
                    continue
                write(line)
                if bad:
                    failed.append(n)
    finally:
        _JOB = None
    sys.stdout.flush()
    if failed:
        shown = ", ".join(map(str, failed[:10])) + (", ..." if len(failed) > 10 else "")
        sys.stderr.write(f"error: {len(failed)} of the batch's scenarios failed "
                         f"(lines {shown}); see their error envelopes\n")
        raise typer.Exit(int(ExitCode.BATCH_FAILED))
