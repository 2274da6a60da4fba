"""`inferx calibrate FILE`: fit engine efficiencies on your own benchmark results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from inferx.cli._errors import reporting_errors
from inferx.cli._options import EngineOpt, FormatOpt, GpusOpt
from inferx.cli._state import STATE
from inferx.render import Format


def calibrate(
    file: Annotated[Path, typer.Argument(help="Measurements: a CSV with the columns of "
                                         "benchmarks/data/published_measurements.csv, or a vLLM "
                                         "benchmark_serving --save-result JSON.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Calibration file to write "
                                         "(TOML); pass it to other commands with --calibration.")
                      ] = Path("inferx-calibration.toml"),
    engine: EngineOpt = None,
    hardware: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--hardware", "-H", help="Hardware of a vLLM JSON run (the JSON does not record it).")
    ] = None,
    gpus: GpusOpt = None,
    precision: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--precision", "-p", help="Weight precision of a vLLM JSON run (default bf16).")] = None,
    model: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--model", "-m", help="Model of a vLLM JSON run (default: its model_id).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")
                     ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Fit the engine's efficiencies and overheads on your measurements; write a profile.

    Example: inferx calibrate my_runs.csv --engine vllm -o vllm-h100.toml, then
    inferx estimate --calibration vllm-h100.toml ...
    """
    with reporting_errors(["calibrate"], fmt):
        from inferx.calibration.profile import calibrate as run
        from inferx.render import render
        from inferx.results import Envelope

        result = run(file, output, engine=engine, force=force, registry=STATE.registry(),
                     hardware=hardware, gpus=gpus, precision=precision, model=model)
        render(Envelope.ok(["calibrate"], result), fmt)


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate)
