"""`inferx plan`: the cheapest deployment meeting latency targets, and the frontier."""

from __future__ import annotations

import sys
import time
from typing import Annotated, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import (
    AssumeOpt,
    CalibrationOpt,
    EngineOpt,
    FormatOpt,
    InputTokensOpt,
    KvPrecisionOpt,
    ModelOpt,
    OutputTokensOpt,
    ProviderOpt,
    parse_assume,
)
from inferx.cli._state import STATE
from inferx.defaults import DEFAULT_INPUT_TOKENS, DEFAULT_MODEL, DEFAULT_OUTPUT_TOKENS
from inferx.render import Format

_F = Optional[float]  # noqa: UP045 (typer needs Optional)
_S = Optional[str]  # noqa: UP045


def _o(*names: str, help: str) -> typer.models.OptionInfo:
    return typer.Option(*names, help=help)


class _Progress:
    """A progress line on stderr, only on a terminal, once the search has run a second."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty() or time.perf_counter() - self.start < 1.0:
            return
        self.shown = True
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\rsearching [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total} families")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def plan(
    model: ModelOpt = DEFAULT_MODEL,
    input_tokens: InputTokensOpt = DEFAULT_INPUT_TOKENS,
    output_tokens: OutputTokensOpt = DEFAULT_OUTPUT_TOKENS,
    max_ttft: Annotated[_S, _o("--max-ttft", help="Target: time to first token (500ms, 1.5s; a bare number is ms).")] = None,
    max_tpot: Annotated[_S, _o("--max-tpot", help="Target: time per output token (50ms; a bare number is ms).")] = None,
    min_tokens_per_user: Annotated[_F, _o("--min-tokens-per-user", help="Target: output tokens/s each user sees (1000 / TPOT ms).")] = None,
    daily_queries: Annotated[_F, _o("--daily-queries", help="Traffic volume: queries per day (ranks by the fleet's monthly cost).")] = None,
    request_rate: Annotated[_F, _o("--request-rate", help="Traffic volume: peak requests/s (ranks by the fleet's monthly cost).")] = None,
    hardware: Annotated[_S, _o("--hardware", "-H", help="Hardware ids, comma-separated (default: every built-in).")] = None,
    precision: Annotated[_S, _o("--precision", "-p", help="Precision schemes, comma-separated (default: those native on each hardware).")] = None,
    engine: EngineOpt = None,
    kv_precision: KvPrecisionOpt = None,
    assume: AssumeOpt = None,
    calibration: CalibrationOpt = None,
    pricing: Annotated[str, _o("--pricing", help="Price tiers, comma-separated, or all: on-demand, reserved-1y, reserved-3y, spot, capacity-block.")] = "on-demand",
    provider: ProviderOpt = None,
    max_gpus: Annotated[int, _o("--max-gpus", help="Most GPUs per replica.")] = 64,
    peak_to_average: Annotated[float, _o("--peak-to-average", help="With --daily-queries: peak hour / average hour.")] = 2.0,
    target_utilization: Annotated[float, _o("--target-utilization", help="Share of a replica's capacity used at peak.")] = 0.7,
    top: Annotated[int, _o("--top", help="Configurations listed.")] = 10,
    fmt: FormatOpt = Format.table,
) -> None:
    """Search hardware x precision x parallelism x concurrency for the cheapest deployment that meets latency targets.

    Example: inferx plan --model llama-3.3-70b --max-tpot 50ms --max-ttft 1s --daily-queries 200000
    """
    with reporting_errors(["plan"], fmt):
        from inferx.plan import PlanRequest
        from inferx.plan import plan as run
        from inferx.render import render
        from inferx.results import Envelope

        request = PlanRequest(
            model=model, input_tokens=input_tokens, output_tokens=output_tokens,
            max_ttft_ms=max_ttft, max_tpot_ms=max_tpot, min_tokens_per_user=min_tokens_per_user,
            daily_queries=daily_queries, request_rate=request_rate, hardware=hardware,
            precision=precision, engine=engine, kv_precision=kv_precision,
            assume=parse_assume(assume), calibration=calibration, pricing=pricing,
            provider=provider, max_gpus=max_gpus, peak_to_average=peak_to_average,
            target_utilization=target_utilization, top=top)
        answer = run(request, STATE.registry(), progress=_Progress())
        render(Envelope.ok(["plan"], answer.result, answer.warnings), fmt)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
