"""`inferx compare`: one scenario across precision schemes, hardware or models, one row each."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import (
    AcceptanceOpt,
    ArrivalOpt,
    AssumeOpt,
    CalibrationOpt,
    ClientsOpt,
    ConcurrencyOpt,
    DisaggregateOpt,
    DpAttentionOpt,
    DraftTokensOpt,
    EngineOpt,
    EpOpt,
    FormatOpt,
    GpuHourPriceOpt,
    GpusOpt,
    InputTokensOpt,
    KvPrecisionOpt,
    OutputTokensOpt,
    PpOpt,
    PrefixHitOpt,
    PriceOpt,
    PricingOpt,
    ProviderOpt,
    RequestRateOpt,
    RequestsOpt,
    SpeculativeOpt,
    TpOpt,
    layout_fields,
    setup_fields,
    traffic_fields,
)
from inferx.cli._scenario import BatchOpt, ForceOpt, OutOpt, ScenarioOpt
from inferx.cli._state import STATE
from inferx.defaults import (
    DEFAULT_HARDWARE,
    DEFAULT_INPUT_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_OUTPUT_TOKENS,
    DEFAULT_PRECISION,
    DEFAULT_PRECISIONS,
)
from inferx.render import Format

AcrossOpt = Annotated[str, typer.Option(
    "--across", help="What varies from row to row: precision, hardware or model.")]
ModelsOpt = Annotated[str, typer.Option(
    "--model", "-m", help="Model profile id or alias; a comma-separated list with --across model.")]
HardwaresOpt = Annotated[str, typer.Option(
    "--hardware", "-H",
    help="Hardware profile id or alias; a comma-separated list with --across hardware.")]
PrecisionsOpt = Annotated[str, typer.Option(
    "--precisions", help="Schemes compared with --across precision (comma-separated).")]
SweepPrecisionOpt = Annotated[str, typer.Option(
    "--precision", "-p", help="Weight precision of every row with --across hardware|model.")]
BaselineOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--baseline", help="Row the others are compared with (default: bf16, else the first row).")]
MaxTtftOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--max-ttft", help="Time-to-first-token target, ms: marks the cheapest row meeting it.")]
MaxTpotOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--max-tpot", help="Time-per-output-token target, ms: marks the cheapest row meeting it.")]


def compare(
    ctx: typer.Context,
    model: ModelsOpt = DEFAULT_MODEL,
    hardware: HardwaresOpt = DEFAULT_HARDWARE,
    across: AcrossOpt = "precision",
    precisions: PrecisionsOpt = ",".join(DEFAULT_PRECISIONS),
    precision: SweepPrecisionOpt = DEFAULT_PRECISION,
    baseline: BaselineOpt = None,
    kv_precision: KvPrecisionOpt = None,
    gpus: GpusOpt = None,
    input_tokens: InputTokensOpt = DEFAULT_INPUT_TOKENS,
    output_tokens: OutputTokensOpt = DEFAULT_OUTPUT_TOKENS,
    concurrency: ConcurrencyOpt = None,
    tp: TpOpt = None,
    pp: PpOpt = None,
    ep: EpOpt = None,
    dp_attention: DpAttentionOpt = None,
    disaggregate: DisaggregateOpt = None,
    speculative: SpeculativeOpt = None,
    acceptance_length: AcceptanceOpt = None,
    draft_tokens: DraftTokensOpt = None,
    prefix_cache_hit: PrefixHitOpt = None,
    clients: ClientsOpt = None,
    request_rate: RequestRateOpt = None,
    requests: RequestsOpt = None,
    arrival: ArrivalOpt = None,
    gpu_hour_price: GpuHourPriceOpt = None,
    price: PriceOpt = None,
    pricing: PricingOpt = "on-demand",
    provider: ProviderOpt = None,
    assume: AssumeOpt = None,
    engine: EngineOpt = None,
    calibration: CalibrationOpt = None,
    max_ttft: MaxTtftOpt = None,
    max_tpot: MaxTpotOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    batch: BatchOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Compare precision schemes (or hardware, or models) side by side: memory, GPUs, latency,
    throughput, $ per 1M output tokens, change against a baseline, published quality impact.

    Without --gpus every row uses its own fewest GPUs that fit.

    Example: inferx compare --model llama-3.1-70b --hardware h100-sxm --max-tpot 50
    """
    with reporting_errors(["compare"], fmt):
        from inferx.cli import _scenario
        from inferx.results import Envelope
        from inferx.sweeps import CompareRequest
        from inferx.sweeps import compare as run

        layer = _scenario.layered(ctx, "compare", dict(
            across=across, models=[model], hardware=[hardware], precisions=[precisions],
            precision=precision, baseline=baseline, input_tokens=input_tokens,
            output_tokens=output_tokens, max_ttft_ms=max_ttft, max_tpot_ms=max_tpot,
            **traffic_fields(concurrency=concurrency, clients=clients,
                             request_rate=request_rate, requests=requests, arrival=arrival),
            **layout_fields(tp=tp, pp=pp, ep=ep, dp_attention=dp_attention,
                            disaggregate=disaggregate, speculative=speculative,
                            acceptance_length=acceptance_length, draft_tokens=draft_tokens,
                            prefix_cache_hit=prefix_cache_hit),
            **setup_fields(kv_precision=kv_precision, gpus=gpus, gpu_hour_price=gpu_hour_price,
                           price=price, pricing=pricing, provider=provider, assume=assume,
                           engine=engine, calibration=calibration)), scenario)
        if batch is not None:
            _scenario.run_batch(ctx, "compare", CompareRequest, layer, batch, run, fmt, out=out)
            return
        with _scenario.blaming_files(layer):
            request = CompareRequest(**layer.values)
            answer = run(request, STATE.registry())
        _scenario.emit(Envelope.ok(["compare"], answer.result, answer.warnings), fmt, out,
                       force)


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
