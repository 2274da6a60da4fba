"""Option declarations shared by several commands (one spelling, one help text)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from inferx.render import Format


def _engine_help() -> str:
    from inferx.engine.presets import Engine

    return (f"Serving-engine preset (default generic): {Engine.help()}; see docs/accuracy.md.")


def _pricing_help() -> str:
    from inferx.pricing_tiers import PricingTier

    return (f"Pricing tier: {PricingTier.help()} (on-demand: the median offer; the others: "
            "the cheapest offer of the tier).")


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.",
                                           case_sensitive=False)]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Model profile id or alias "
                                       "(e.g. llama-3.1-70b or a Hugging Face repo id), or a "
                                       "path to a config.json or a folder holding one.")]
HardwareOpt = Annotated[str, typer.Option("--hardware", "-H", help="Hardware profile id or alias.")]
PrecisionOpt = Annotated[str, typer.Option(
    "--precision", "-p",
    help="Weight precision: fp32, bf16, fp16, fp8, int8, int8-wo, int4-wo, fp4, mxfp4; "
    "GGUF types (q2_k ... q8_0, q4_k_m, iq4_xs, ...); mlx-4bit, mlx-8bit; int4-g32/g64/g128 "
    "(docs/methodology.md#quantization).")]
KvPrecisionOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--kv-precision", help="KV-cache precision: bf16, fp16, fp8, int8, int4 "
    "(default: fp8 for fp8/fp4 schemes, else 16-bit).")]
GpusOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--gpus", "-g", help="GPUs per replica (tensor parallel). Default: the fewest that fit.")]
InputTokensOpt = Annotated[int, typer.Option("--input-tokens", help="Prompt tokens per request.")]
OutputTokensOpt = Annotated[int, typer.Option("--output-tokens",
                                              help="Generated tokens per request.")]
ConcurrencyOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--concurrency", "-c", help="Requests in flight per replica, or 'max' for the most that fit "
    "(default 32).")]
ClientsOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--clients", help="Closed-loop clients (each sends its next request when the last "
    "completes); those beyond what memory holds wait in the server's queue.")]
RequestRateOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--request-rate", help="Offered load, requests/s (Poisson arrivals): the concurrency it "
    "settles at, or 'overloaded' with the rate the replica sustains.")]
RequestsOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--requests", help="A finite run of N requests, as benchmark tools send them: all at once "
    "(--arrival burst) or at --request-rate; mean TTFT includes waiting behind the others.")]
ArrivalOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--arrival", help="How --requests arrive: burst (all at t=0) or poisson (at --request-rate).")]
ProviderOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--provider", help="Only price profiles of this provider (e.g. aws, lambda, runpod).")]
GpuHourPriceOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--gpu-hour-price", help="USD per GPU-hour (overrides --price).")]
PriceOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--price", help="GPU-hour price profile id (default: the median-priced profile for the hardware).")]
PricingOpt = Annotated[str, typer.Option("--pricing", help=_pricing_help())]
EngineOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--engine", "-e", help=_engine_help())]


def _check_calibration(value: str | None) -> str | None:
    if value is None:  # typer calls the callback for an absent option too
        return None
    from inferx.calibration.file import check_calibration_option  # lazy: start-up time

    return check_calibration_option(value)


CalibrationOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--calibration", callback=_check_calibration,
    help="Calibration file written by `inferx calibrate` (overrides the preset).")]
AssumeOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--assume", help="Override an assumption, NAME=VALUE (repeatable); see docs/methodology.md.")]


_I = Optional[int]  # noqa: UP045 (typer needs Optional)
TpOpt = Annotated[_I, typer.Option("--tp", help="Tensor-parallel size of attention (and dense "
                                   "layers). Default: --gpus / (dp-attention x pp).")]
PpOpt = Annotated[_I, typer.Option("--pp", help="Pipeline-parallel stages (layers split).")]
EpOpt = Annotated[_I, typer.Option("--ep", help="Expert-parallel ranks for MoE layers "
                                   "(default: every device under attention DP, else 1).")]
DpAttentionOpt = Annotated[_I, typer.Option(
    "--dp-attention", help="Attention data-parallel ranks: attention replicated, each rank "
    "keeping the KV cache of its own requests (MoE models, with --ep).")]
DisaggregateOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--disaggregate", help="Disaggregated serving P:D: P prefill and D decode instances of "
    "this layout; the KV cache moves between them.")]
SpeculativeOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--speculative", help="Speculative decoding: mtp, eagle or draft:MODEL (with "
    "--acceptance-length).")]
AcceptanceOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--acceptance-length", help="Mean tokens emitted per verification step (1 = no draft "
    "token accepted; at most draft tokens + 1).")]
DraftTokensOpt = Annotated[_I, typer.Option(
    "--draft-tokens", help="Tokens drafted per verification step (default 1 for mtp/eagle, "
    "4 for a draft model).")]
PrefixHitOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--prefix-cache-hit", help="Share of prompt tokens served from the prefix cache (30% or "
    "0.3): cuts prefill compute, not KV memory.")]

StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Exit 5 (after printing the answer) when the model does not fit.")]


def parse_assume(pairs: list[str] | None) -> dict[str, float]:
    """['compute_efficiency=0.5'] → {'compute_efficiency': 0.5}; errors name --assume."""
    from inferx.errors import InputError

    out: dict[str, float] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InputError("--assume", f"expected NAME=VALUE, got {pair!r}")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError("--assume", f"{name.strip()}: expected a number, got {value!r}") \
                from None
    return out


def setup_fields(*, kv_precision: str | None, gpus: int | None, gpu_hour_price: float | None,
                 price: str | None, pricing: str, provider: str | None,
                 assume: list[str] | None, engine: str | None,
                 calibration: str | None) -> dict[str, object]:
    """The serving-setup fields every performance command passes to its request, from the
    shared options (one spelling, one parse)."""
    return dict(kv_precision=kv_precision, gpus=gpus, gpu_hour_price=gpu_hour_price,
                price=price, pricing=pricing, provider=provider, assume=parse_assume(assume),
                engine=engine, calibration=calibration)


def traffic_fields(*, concurrency: str | None, clients: int | None,
                   request_rate: float | None, requests: int | None,
                   arrival: str | None) -> dict[str, object]:
    """The traffic-model fields of a request from the shared traffic options."""
    return dict(concurrency=concurrency, clients=clients, request_rate=request_rate,
                requests=requests, arrival=arrival)


def layout_fields(*, tp: int | None, pp: int | None, ep: int | None,
                  dp_attention: int | None, disaggregate: str | None,
                  speculative: str | None, acceptance_length: float | None,
                  draft_tokens: int | None, prefix_cache_hit: str | None) -> dict[str, object]:
    """The deployment fields of a request from the shared layout options."""
    return dict(tp=tp, pp=pp, ep=ep, dp_attention=dp_attention, disaggregate=disaggregate,
                speculative=speculative, acceptance_length=acceptance_length,
                draft_tokens=draft_tokens, prefix_cache_hit=prefix_cache_hit)
