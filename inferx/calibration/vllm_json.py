"""vLLM's ``benchmarks/benchmark_serving.py --save-result`` JSON → one Measurement.

Every key read is checked: a string, null, boolean, NaN or infinity where a number belongs is
refused naming the file and the key (InvalidFileError), never a Python error.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from inferx.calibration.measurements import MAX_TOKENS, BatchMode, Measurement
from inferx.errors import InputError, InvalidFileError, clip
from inferx.files import finite_number, load_json_object, plain_number


def _bad(path: Path, key: str, what: str, value: Any) -> InvalidFileError:
    return InvalidFileError(str(path), key, f"expected {what}, got {clip(repr(value))}")


def _number(path: Path, data: dict[str, Any], key: str, *, minimum: float,
            required: bool = True) -> float | None:
    """data[key] as a finite number >= minimum (> 0 when minimum is 0 and strict)."""
    value = data.get(key)
    if value is None and not required:
        return None
    if not finite_number(value) or value < minimum:
        raise _bad(path, key, f"a finite number >= {minimum:g}", value)
    return float(value)


def _mode(path: Path, data: dict[str, Any]) -> tuple[BatchMode, int | None, float | None]:
    """A run with max_concurrency is a fixed concurrency; otherwise a request rate."""
    conc = data.get("max_concurrency")
    if conc is not None and conc != 0:
        if not plain_number(conc) or conc != int(conc) or conc < 1:
            raise _bad(path, "max_concurrency", "a whole number >= 1 (or null)", conc)
        return "concurrency", int(conc), None
    raw = data.get("request_rate", "inf")
    if isinstance(raw, str) and raw.strip().lower() in ("inf", "infinity"):
        return "rate", None, float("inf")
    if not plain_number(raw) or math.isnan(raw) or raw <= 0:
        raise _bad(path, "request_rate", "a positive number or \"inf\"", raw)
    return "rate", None, float(raw)


def read_vllm_json(path: Path, *, hardware: str, gpus: int, precision: str,
                   kv_precision: str | None = None, model: str | None = None) -> list[Measurement]:
    """One vLLM benchmark_serving result file → one Measurement.

    vLLM does not record the hardware, GPU count or precision, so the caller supplies them.
    Input/output lengths are the means over completed requests; a run with
    ``max_concurrency`` is a fixed concurrency, otherwise a request rate (``inf`` = burst)."""
    data = load_json_object(path)
    if "output_throughput" not in data or "completed" not in data:
        raise InvalidFileError(str(path), "(file)", "not a vLLM benchmark_serving result "
                               "(needs output_throughput and completed)")
    done = data["completed"]
    if not plain_number(done) or not math.isfinite(done) or done != int(done) or done < 1:
        raise _bad(path, "completed", "a whole number of requests >= 1", done)
    lengths = {}
    for key in ("total_input_tokens", "total_output_tokens"):
        total = _number(path, data, key, minimum=0, required=False) or 0.0
        mean = round(total / int(done))
        if not 1 <= mean <= MAX_TOKENS:
            raise InvalidFileError(str(path), key, f"{clip(repr(data.get(key)))} over "
                                   f"{int(done)} requests is not 1 to {MAX_TOKENS:,} tokens each")
        lengths[key] = mean
    throughput = _number(path, data, "output_throughput", minimum=0)
    if not throughput:
        raise _bad(path, "output_throughput", "a positive number", data["output_throughput"])
    metrics = {"throughput_out_tok_s": throughput}
    for key, metric, scale in (("mean_ttft_ms", "ttft_ms", 1.0), ("mean_tpot_ms", "tpot_ms", 1.0),
                               ("mean_e2el_ms", "e2e_latency_s", 1e-3)):
        value = _number(path, data, key, minimum=0, required=False)
        if value is not None:
            metrics[metric] = value * scale
    mode, batch, rate = _mode(path, data)
    model_id = data.get("model_id")
    if model_id is not None and not isinstance(model_id, str):
        raise _bad(path, "model_id", "a string", model_id)
    name = model or (model_id or "").strip()
    if not name:
        raise InputError("--model", f"{clip(path, 400)} has no model_id: pass --model")
    prompts = data.get("num_prompts")
    runs = int(prompts) if finite_number(prompts) and prompts >= 1 else int(done)
    backend = data.get("backend")
    return [Measurement(
        case_id=f"{Path(path).stem}_1", model=name, hardware=hardware, gpus=gpus,
        weight_precision=precision, kv_precision=kv_precision,
        framework=f"vLLM ({backend if isinstance(backend, str) else 'vllm'})",
        input_tokens=lengths["total_input_tokens"],
        output_tokens=lengths["total_output_tokens"], batch_mode=mode, batch=batch,
        request_rate=rate, metrics=metrics, source=str(path),
        notes="vLLM benchmark_serving result", num_requests=runs)]
