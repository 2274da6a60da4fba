"""Option declarations shared by several commands (one spelling, one help text)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from inferx.render import Format

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.",
                                           case_sensitive=False)]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Model profile id or alias "
                                       "(e.g. llama-3.1-70b or a Hugging Face repo id).")]
HardwareOpt = Annotated[str, typer.Option("--hardware", "-H", help="Hardware profile id or alias.")]
PrecisionOpt = Annotated[str, typer.Option(
    "--precision", "-p",
    help="Weight precision: fp32, bf16, fp16, fp8, int8, int8-wo, int4-wo, fp4, mxfp4.")]
KvPrecisionOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--kv-precision", help="KV-cache precision: bf16, fp16, fp8, int8, int4 "
    "(default: fp8 for fp8/fp4 schemes, else 16-bit).")]
GpusOpt = Annotated[Optional[int], typer.Option(  # noqa: UP045
    "--gpus", "-g", help="GPUs per replica (tensor parallel). Default: the fewest that fit.")]
InputTokensOpt = Annotated[int, typer.Option("--input-tokens", help="Prompt tokens per request.")]
OutputTokensOpt = Annotated[int, typer.Option("--output-tokens",
                                              help="Generated tokens per request.")]
ConcurrencyOpt = Annotated[str, typer.Option(
    "--concurrency", "-c", help="Requests in flight per replica, or 'max' for the most that fit.")]
GpuHourPriceOpt = Annotated[Optional[float], typer.Option(  # noqa: UP045
    "--gpu-hour-price", help="USD per GPU-hour (overrides --price).")]
PriceOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--price", help="GPU-hour price profile id (default: the median-priced profile for the hardware).")]
PricingOpt = Annotated[str, typer.Option(
    "--pricing", help="on-demand, spot, reserved-1y, reserved-3y or capacity-block.")]
EngineOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--engine", "-e", help="Serving-engine preset: vllm, tensorrt-llm, sglang, hf-transformers, "
    "generic (default), or an era such as tensorrt-llm@2023; see docs/accuracy.md.")]


def _check_calibration(value: str | None) -> str | None:
    from inferx.calibration.file import check_calibration_option  # lazy: start-up time

    return check_calibration_option(value)


CalibrationOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--calibration", callback=_check_calibration,
    help="Calibration file written by `inferx calibrate` (overrides the preset).")]
AssumeOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--assume", help="Override an assumption, NAME=VALUE (repeatable); see docs/methodology.md.")]


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
