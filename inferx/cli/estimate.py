"""`inferx estimate`: one model on one hardware at one precision under one workload."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from inferx.cli._errors import fail_strict, reporting_errors
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
    HardwareOpt,
    InputTokensOpt,
    KvPrecisionOpt,
    ModelOpt,
    OutputTokensOpt,
    PpOpt,
    PrecisionOpt,
    PrefixHitOpt,
    PriceOpt,
    PricingOpt,
    ProviderOpt,
    RequestRateOpt,
    RequestsOpt,
    SpeculativeOpt,
    StrictOpt,
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
)
from inferx.render import Format


def estimate(
    ctx: typer.Context,
    model: ModelOpt = DEFAULT_MODEL,
    hardware: HardwareOpt = DEFAULT_HARDWARE,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    kv_precision: KvPrecisionOpt = None,
    gpus: GpusOpt = None,
    tp: TpOpt = None,
    pp: PpOpt = None,
    ep: EpOpt = None,
    dp_attention: DpAttentionOpt = None,
    disaggregate: DisaggregateOpt = None,
    speculative: SpeculativeOpt = None,
    acceptance_length: AcceptanceOpt = None,
    draft_tokens: DraftTokensOpt = None,
    prefix_cache_hit: PrefixHitOpt = None,
    input_tokens: InputTokensOpt = DEFAULT_INPUT_TOKENS,
    output_tokens: OutputTokensOpt = DEFAULT_OUTPUT_TOKENS,
    concurrency: ConcurrencyOpt = None,
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
    strict: StrictOpt = False,
    sweep: Annotated[Optional[str], typer.Option("--sweep", help="Sweep an axis instead of one point: concurrency (the curve `inferx plan` searches).")] = None,  # noqa: UP045
    frontier: Annotated[bool, typer.Option("--frontier", help="Same as --sweep concurrency.")] = False,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    batch: BatchOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Estimate memory, latency, throughput, cost and energy for one serving scenario.

    With no options: Llama 3.1 8B, bf16, on the fewest H100 SXM that fit, 2,000 tokens in,
    500 out, 32 requests in flight. Traffic can instead be closed-loop --clients, an offered
    --request-rate, or a finite run of --requests (docs/methodology.md#serving-modes).

    Example: inferx estimate --model llama-3.1-70b --hardware h100-sxm --precision fp8 --gpus 4 --format json
    """
    with reporting_errors(["estimate"], fmt):
        from inferx.api import estimate as run
        from inferx.cli import _scenario
        from inferx.inputs import EstimateRequest
        from inferx.results import Envelope

        layer = _scenario.layered(ctx, "estimate", dict(
            model=model, hardware=hardware, precision=precision, input_tokens=input_tokens,
            output_tokens=output_tokens,
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
            _scenario.run_batch(ctx, "estimate", EstimateRequest, layer, batch, run, fmt, out=out)
            return
        with _scenario.blaming_files(layer):
            request = EstimateRequest(**layer.values)
            if frontier or sweep is not None:
                from inferx.errors import InputError
                from inferx.plan.sweep import concurrency_sweep

                if sweep is not None and sweep.strip().lower() != "concurrency":
                    raise InputError("sweep", f"expected concurrency, got {sweep!r}")
                answer = concurrency_sweep(request, STATE.registry())
            else:
                answer = run(request, STATE.registry())
        _scenario.emit(Envelope.ok(["estimate"], answer.result, answer.warnings), fmt, out,
                       force)
    if strict and getattr(getattr(answer.result, "memory", None), "fits", True) is False:
        fail_strict("the model does not fit the GPUs given (--strict)")


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
