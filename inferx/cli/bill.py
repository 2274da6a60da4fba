"""`inferx bill`: monthly bills from daily query volume; build vs buy; what-ifs; growth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import (
    AssumeOpt,
    CalibrationOpt,
    EngineOpt,
    FormatOpt,
    GpuHourPriceOpt,
    GpusOpt,
    HardwareOpt,
    InputTokensOpt,
    KvPrecisionOpt,
    ModelOpt,
    OutputTokensOpt,
    PrecisionOpt,
    PriceOpt,
    PricingOpt,
    ProviderOpt,
    setup_fields,
)
from inferx.cli._scenario import ForceOpt, OutOpt, ScenarioOpt
from inferx.cli._state import STATE
from inferx.defaults import (
    DEFAULT_HARDWARE,
    DEFAULT_INPUT_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_OUTPUT_TOKENS,
    DEFAULT_PRECISION,
)
from inferx.render import Format

_F = Optional[float]  # noqa: UP045 (typer needs Optional)
_S = Optional[str]  # noqa: UP045
_I = Optional[int]  # noqa: UP045


def _o(*names: str, help: str) -> typer.models.OptionInfo:  # noqa: A002
    return typer.Option(*names, help=help)


def bill(
    ctx: typer.Context,
    daily_queries: Annotated[_F, _o("--daily-queries", help="Queries per day.")] = None,
    users: Annotated[_F, _o("--users", help="Daily users (with --queries-per-user).")] = None,
    queries_per_user: Annotated[_F, _o("--queries-per-user", help="Queries per user per day.")] = None,
    input_tokens: InputTokensOpt = DEFAULT_INPUT_TOKENS,
    output_tokens: OutputTokensOpt = DEFAULT_OUTPUT_TOKENS,
    model: ModelOpt = DEFAULT_MODEL,
    hardware: HardwareOpt = DEFAULT_HARDWARE,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    kv_precision: KvPrecisionOpt = None,
    gpus: GpusOpt = None,
    engine: EngineOpt = None,
    calibration: CalibrationOpt = None,
    assume: AssumeOpt = None,
    peak_to_average: Annotated[_F, _o("--peak-to-average", help="Peak hour / average hour (default 2).")] = None,
    traffic_profile: Annotated[Optional[Path], _o("--traffic-profile", help="File of 24 hourly weights (one per line or HOUR,WEIGHT).")] = None,  # noqa: UP045
    max_ttft: Annotated[_F, _o("--max-ttft", help="Latency target: time to first token, ms.")] = None,
    max_tpot: Annotated[_F, _o("--max-tpot", help="Latency target: time per output token, ms.")] = None,
    target_utilization: Annotated[str, _o("--target-utilization", help="Share of capacity used at peak: 70% or 0.7.")] = "0.7",
    min_replicas: Annotated[int, _o("--min-replicas", help="Fewest replicas kept running.")] = 1,
    price: PriceOpt = None,
    gpu_hour_price: GpuHourPriceOpt = None,
    pricing: PricingOpt = "on-demand",
    provider: ProviderOpt = None,
    days_per_month: Annotated[_F, _o("--days-per-month", help="Days in a billing month (default 730 h / 24).")] = None,
    api: Annotated[_S, _o("--api", help="API price profile ids, comma-separated (build vs buy).")] = None,
    cost_per_query: Annotated[_F, _o("--cost-per-query", help="Direct arithmetic: USD per query (no profiles).")] = None,
    cost_per_million_tokens: Annotated[_F, _o("--cost-per-million-tokens", help="Direct arithmetic: USD per 1M tokens, input + output.")] = None,
    purchase_usd: Annotated[_F, _o("--purchase-usd", help="Purchase price per GPU (default: hardware profile's).")] = None,
    amortize_years: Annotated[float, _o("--amortize-years", help="Straight-line life of an owned GPU.")] = 3.0,
    usd_per_kwh: Annotated[_F, _o("--usd-per-kwh", help="Electricity price for owned GPUs.")] = None,
    pue: Annotated[_F, _o("--pue", help="Facility PUE for owned GPUs (default 1.0: IT power only).")] = None,
    hosting_usd_per_gpu_month: Annotated[float, _o("--hosting-usd-per-gpu-month", help="Colocation/hosting per owned GPU per month.")] = 0.0,
    cache_hit_rate: Annotated[_S, _o("--cache-hit-rate", help="What-if: share answered by a response cache (20% or 0.2).")] = None,
    router_share: Annotated[_S, _o("--router-share", help="What-if: share routed to --router-model.")] = None,
    router_model: Annotated[_S, _o("--router-model", help="What-if: smaller model for routed queries.")] = None,
    draft_model: Annotated[_S, _o("--draft-model", help="What-if: speculative-decoding draft model.")] = None,
    acceptance_rate: Annotated[_S, _o("--acceptance-rate", help="What-if: draft token acceptance rate.")] = None,
    draft_tokens: Annotated[int, _o("--draft-tokens", help="Draft tokens per verify step.")] = 4,
    max_batch: Annotated[_I, _o("--max-batch", help="What-if: batch limit per replica.")] = None,
    what_if_precision: Annotated[_S, _o("--what-if-precision", help="What-if: another weight precision.")] = None,
    distill_model: Annotated[_S, _o("--distill-model", help="What-if: serve this smaller model instead.")] = None,
    cost_reduction: Annotated[_S, _o("--what-if-cost-reduction", help="What-if: unit cost lower by this share (20% or 0.2).")] = None,
    growth: Annotated[_S, _o("--growth", help="Monthly volume growth (15% or 0.15).")] = None,
    months: Annotated[_I, _o("--months", help="Months to project (default 12 with --growth).")] = None,
    traffic_shape: Annotated[_S, _o("--traffic-shape", help="Built-in hourly shape: flat, business-hours, consumer-evening.")] = None,
    scale_up_delay: Annotated[float, _o("--scale-up-delay", help="Seconds from asking for a replica to its start (autoscaled, scale-to-zero).")] = 0.0,
    idle_timeout: Annotated[float, _o("--idle-timeout", help="Seconds idle before scale-to-zero stops a replica (default 60).")] = 60.0,
    storage_mib_per_s: Annotated[float, _o("--storage-mib-per-s", help="Weight loading bandwidth, MiB/s (cold start; default 1000).")] = 1000.0,
    redundancy: Annotated[_S, _o("--redundancy", help="Reserve replicas: N+1 (N+k) or a percentage (20%).")] = None,
    replica_availability: Annotated[_S, _o("--replica-availability", help="Probability one replica is up (default 99.5%).")] = None,
    prefix_cache_hit: Annotated[_S, _o("--prefix-cache-hit", help="Share of prompt tokens served from the prefix cache (else derived).")] = None,
    sessions: Annotated[_F, _o("--sessions", help="Sessions per day (derives the prefix-cache hit rate).")] = None,
    turns_per_session: Annotated[_I, _o("--turns-per-session", help="Queries per session.")] = None,
    shared_prefix_tokens: Annotated[_I, _o("--shared-prefix-tokens", help="Prompt tokens every query shares (system prompt).")] = None,
    cache_capacity_tokens: Annotated[_F, _o("--cache-capacity-tokens", help="Prefix-cache capacity per replica, tokens.")] = None,
    cache_ttl: Annotated[_F, _o("--cache-ttl", help="Prefix-cache time to live, seconds.")] = None,
    turn_interval: Annotated[_F, _o("--turn-interval", help="Seconds between a session's turns.")] = None,
    routing: Annotated[str, _o("--routing", help="Request routing: random or cache-aware.")] = "random",
    api_cache_ttl: Annotated[str, _o("--api-cache-ttl", help="API cache-write TTL: 5m or 1h.")] = "5m",
    api_batch: Annotated[bool, _o("--api-batch", help="Price APIs at their batch discount.")] = False,
    host_overhead: Annotated[_S, _o("--host-overhead", help="Host CPU/DRAM energy per GPU energy (default 25/58).")] = None,
    grid_gco2_per_kwh: Annotated[_F, _o("--grid-gco2-per-kwh", help="Grid carbon intensity (default 480).")] = None,
    grid_region: Annotated[_S, _o("--grid-region", help="Cloud region for grid carbon intensity (Google Cloud regions, sourced table).")] = None,
    residual_value: Annotated[str, _o("--residual-value", help="Resale value of owned GPUs at the end, share of capex.")] = "0",
    server_capex_usd: Annotated[_F, _o("--server-capex-usd", help="Purchase price per server (with --gpus-per-server).")] = None,
    gpus_per_server: Annotated[_I, _o("--gpus-per-server", help="GPUs per purchased server (default 8).")] = None,
    colocation_usd_per_kw_month: Annotated[_F, _o("--colocation-usd-per-kw-month", help="Colocation price per kW of IT load per month.")] = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Monthly bill for a daily query volume: fleet, self-hosted vs API, ownership, what-ifs.

    Example: inferx bill --daily-queries 5000000 --input-tokens 800 --output-tokens 300 --model llama-3.1-8b --hardware h100 --growth 15%
    """
    with reporting_errors(["bill"], fmt):
        from inferx.bill import BillRequest, read_traffic_profile
        from inferx.bill import bill as run
        from inferx.cli import _scenario
        from inferx.results import Envelope

        given = {k: v for k, v in dict(
            daily_queries=daily_queries, users=users, queries_per_user=queries_per_user,
            days_per_month=days_per_month, router_share=router_share,
            acceptance_rate=acceptance_rate, cache_hit_rate=cache_hit_rate,
            cost_reduction=cost_reduction, growth=growth,
            replica_availability=replica_availability, prefix_cache_hit=prefix_cache_hit,
            host_overhead=host_overhead).items() if v is not None}
        layer = _scenario.layered(ctx, "bill", dict(
            **given, input_tokens=input_tokens, output_tokens=output_tokens, model=model,
            hardware=hardware, precision=precision, peak_to_average=peak_to_average,
            hourly_weights=None if traffic_profile is None else read_traffic_profile(
                traffic_profile),
            max_ttft_ms=max_ttft, max_tpot_ms=max_tpot, target_utilization=target_utilization,
            min_replicas=min_replicas,
            **setup_fields(kv_precision=kv_precision, gpus=gpus, gpu_hour_price=gpu_hour_price,
                           price=price, pricing=pricing, provider=provider, assume=assume,
                           engine=engine, calibration=calibration),
            apis=[a.strip() for a in (api or "").split(",") if a.strip()],
            cost_per_query=cost_per_query, cost_per_million_tokens=cost_per_million_tokens,
            purchase_usd=purchase_usd, amortize_years=amortize_years, usd_per_kwh=usd_per_kwh,
            pue=pue, hosting_usd_per_gpu_month=hosting_usd_per_gpu_month,
            router_model=router_model, draft_model=draft_model, draft_tokens=draft_tokens,
            max_batch=max_batch, what_if_precision=what_if_precision,
            distill_model=distill_model, months=months, traffic_shape=traffic_shape,
            scale_up_delay_s=scale_up_delay, idle_timeout_s=idle_timeout,
            storage_mib_per_s=storage_mib_per_s, redundancy=redundancy, sessions=sessions,
            turns_per_session=turns_per_session, shared_prefix_tokens=shared_prefix_tokens,
            cache_capacity_tokens=cache_capacity_tokens, cache_ttl_s=cache_ttl,
            turn_interval_s=turn_interval, routing=routing, api_cache_ttl=api_cache_ttl,
            api_batch=api_batch, grid_gco2_per_kwh=grid_gco2_per_kwh, grid_region=grid_region,
            residual_value=residual_value, server_capex_usd=server_capex_usd,
            gpus_per_server=gpus_per_server,
            colocation_usd_per_kw_month=colocation_usd_per_kw_month), scenario)
        with _scenario.blaming_files(layer):
            request = BillRequest(**layer.values)
            answer = run(request, STATE.registry())
        _scenario.emit(Envelope.ok(["bill"], answer.result, answer.warnings), fmt, out,
                       force)


def register(app: typer.Typer) -> None:
    app.command("bill")(bill)
