"""Read published or user benchmark results into `Measurement` rows.

Two inputs are understood:

* a CSV with the columns of benchmarks/data/published_measurements.csv (README beside it);
* the JSON file vLLM's ``benchmarks/benchmark_serving.py --save-result`` writes (one run per
  file; keys ``model_id``, ``max_concurrency`` or ``request_rate``, ``output_throughput``,
  ``mean_ttft_ms``, ``mean_tpot_ms``, ``total_input_tokens``, ``completed`` ...).

Nothing here runs the engine: rows are parsed, their batch column classified, and the
measured metrics kept with their units in the names.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from inferx.errors import InputError

METRICS = ("throughput_out_tok_s", "ttft_ms", "tpot_ms", "e2e_latency_s")
METRIC_LABELS = {
    "throughput_out_tok_s": "output throughput",
    "ttft_ms": "TTFT",
    "tpot_ms": "TPOT",
    "e2e_latency_s": "end-to-end latency",
}
CSV_COLUMNS = (
    "case_id", "model", "params_b", "active_params_b", "hardware", "num_gpus",
    "weight_precision", "kv_precision", "framework", "input_tokens", "output_tokens",
    "batch_or_concurrency", "throughput_out_tok_s", "throughput_total_tok_s", "ttft_ms",
    "tpot_ms", "e2e_latency_s", "source", "source_detail", "notes",
)

BatchMode = Literal["static", "concurrency", "max", "rate"]


@dataclass(frozen=True)
class Measurement:
    """One measured result.  `metrics` holds only the values the source reported."""

    case_id: str
    model: str
    hardware: str
    gpus: int
    weight_precision: str
    kv_precision: str | None
    framework: str
    input_tokens: int
    output_tokens: int
    batch_mode: BatchMode
    batch: int | None          # static batch or fixed concurrency; cap on sequences for "max"
    request_rate: float | None  # requests/s for "rate" (inf for an unbounded burst)
    metrics: dict[str, float] = field(default_factory=dict)
    source: str = ""
    notes: str = ""
    num_requests: int | None = None  # requests in the run, where the source says ("500 requests")
    # How the source measured (measurements_2026.csv columns; empty in the older files).
    arrival: str = ""              # static | max | closed_loop | rate | burst
    statistic: str = ""            # mean | median | p50 ... of the latency columns
    ttft_includes_queue: str = ""  # yes | no | unknown
    parallelism: str = ""          # as the source states it: "tp8", "dp8 ep8", "disagg ..."
    speculative: str = ""          # "mtp k=3", "draft ... k=7"; empty: none
    # Why the row itself cannot be replayed (a length the source does not state ...); None: it can.
    unstated: str | None = None

    @property
    def source_key(self) -> str:
        """The case_id prefix that names the source (``trtllm017_001`` → ``trtllm017``)."""
        head, sep, tail = self.case_id.rpartition("_")
        return head if sep and tail.isdigit() else self.case_id


def _num(text: str | None) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    return float(text)


def classify_batch(value: str, notes: str) -> tuple[BatchMode, int | None, float | None]:
    """Read the batch_or_concurrency column (README rules):

    * ``max`` → the runtime picks the batch (largest that fits memory);
    * ``qps=N`` / ``qps=inf`` → online serving at N requests/s;
    * an integer → a static batch, unless the notes call it a concurrency (``concurren``) or
      the runtime's sequence cap (``max num seqs``): then continuous batching.
    """
    text = value.strip().lower()
    low_notes = notes.lower()
    if text == "max":
        return "max", None, None
    if text.startswith("qps="):
        rate = text[4:]
        return "rate", None, float("inf") if rate in ("inf", "infinite") else float(rate)
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"batch_or_concurrency: expected an integer, max or qps=N, got {value!r}")
    n = int(text)
    if "max num seqs" in low_notes or "max_num_seqs" in low_notes:
        return "max", n, None
    if "concurren" in low_notes and "static" not in low_notes:
        return "concurrency", n, None
    return "static", n, None


def read_csv(path: Path) -> list[Measurement]:
    """Parse a measurements CSV; errors name the file, the row and the column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("FILE", f"cannot read {path}: {exc.strerror or exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("case_id", "model", "hardware", "num_gpus", "weight_precision",
                           "input_tokens", "batch_or_concurrency") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError("FILE", f"{path}: not a measurements CSV, missing column(s) "
                         f"{', '.join(missing)}")
    rows: list[Measurement] = []
    for line, raw in enumerate(reader, start=2):
        try:
            rows.append(_row(raw))
        except (ValueError, TypeError) as exc:
            raise InputError("FILE", f"{path} line {line}: {exc}") from None
    return rows


def requests_in_run(text: str) -> int | None:
    """The number of requests a finite benchmark run sent, if the text states it
    (``"500 requests"``, ``"num_prompts=1000"``); None otherwise."""
    match = (re.search(r"(\d[\d,]*)\s+(?:requests|prompts)\b", text, re.IGNORECASE)
             or re.search(r"num[_ ](?:prompts|requests)\s*[=:]\s*(\d[\d,]*)", text, re.IGNORECASE))
    return int(match.group(1).replace(",", "")) if match else None


ARRIVALS = ("static", "max", "closed_loop", "rate", "burst")


def classify_arrival(arrival: str, value: str, num_requests: int | None,
                     ) -> tuple[BatchMode, int | None, float | None]:
    """Read a row that states its `arrival` (measurements_2026.csv; README beside it):

    * ``static`` → a static batch of `batch_or_concurrency` requests;
    * ``max`` → the runtime picks the batch (an integer is its sequence cap);
    * ``closed_loop`` → N clients (continuous batching; the excess queues);
    * ``rate`` → arrivals at ``qps=R`` (a finite run when `num_requests` is given);
    * ``burst`` → `num_requests` (or N) requests sent at once (qps=inf, finite).
    """
    text = value.strip().lower()
    n = int(text) if re.fullmatch(r"\d+", text) else None
    if arrival == "static":
        return "static", n, None
    if arrival == "max":
        return "max", n, None
    if arrival == "closed_loop":
        if n is None:
            raise ValueError(f"closed_loop needs a client count, got {value!r}")
        return "concurrency", n, None
    if arrival == "rate":
        if not text.startswith("qps="):
            raise ValueError(f"rate needs batch_or_concurrency qps=R, got {value!r}")
        rate = text[4:]
        return "rate", None, float("inf") if rate in ("inf", "infinite") else float(rate)
    if arrival == "burst":
        if (num_requests or n) is None:
            raise ValueError("burst needs num_requests or a request count")
        return "rate", n, float("inf")
    raise ValueError(f"arrival: expected one of {', '.join(ARRIVALS)}, got {arrival!r}")


def _unstated(r: dict[str, str], notes: str) -> str | None:
    """The reason a row cannot be replayed from what its source states, or None."""
    if not (r.get("output_tokens") or "").strip():
        return "output length not stated by the source"
    if not (r.get("input_tokens") or "").strip() and "empty prompt" not in notes.lower():
        return "input length not stated by the source"
    if not (r.get("weight_precision") or "").strip():
        return "weight precision not stated by the source"
    return None


def _row(r: dict[str, str]) -> Measurement:
    notes = r.get("notes") or ""
    arrival = (r.get("arrival") or "").strip().lower()
    if arrival:
        return _row_2026(r, notes, arrival)
    mode, batch, rate = classify_batch(r["batch_or_concurrency"], notes)
    metrics = {m: v for m in METRICS if (v := _num(r.get(m))) is not None}
    out_tokens = _num(r.get("output_tokens"))
    return Measurement(
        case_id=r["case_id"].strip(), model=r["model"].strip(), hardware=r["hardware"].strip(),
        gpus=int(r["num_gpus"]), weight_precision=r["weight_precision"].strip(),
        kv_precision=(r.get("kv_precision") or "").strip() or None,
        framework=(r.get("framework") or "").strip(),
        input_tokens=int(float(r["input_tokens"])),
        # A row with no output length measured first-token latency only: one output token.
        output_tokens=int(out_tokens) if out_tokens else 1,
        batch_mode=mode, batch=batch, request_rate=rate, metrics=metrics,
        source=(r.get("source") or "").strip(), notes=notes,
        num_requests=requests_in_run(f"{r.get('source_detail') or ''} {notes}"))


def _row_2026(r: dict[str, str], notes: str, arrival: str) -> Measurement:
    """A row with the measurement-semantics columns: the columns, not the notes, say how the
    source measured; a length or precision the source does not state leaves the row
    `unstated` (read, counted, not estimated) instead of failing the file."""
    num_requests = int(float(n)) if (n := (r.get("num_requests") or "").strip()) else None
    mode, batch, rate = classify_arrival(arrival, r.get("batch_or_concurrency") or "",
                                         num_requests)
    if arrival == "burst":
        num_requests = num_requests or batch
    metrics = {m: v for m in METRICS if (v := _num(r.get(m))) is not None}
    in_tokens = _num(r.get("input_tokens"))
    out_tokens = _num(r.get("output_tokens"))
    return Measurement(
        case_id=r["case_id"].strip(), model=r["model"].strip(), hardware=r["hardware"].strip(),
        gpus=int(r["num_gpus"]), weight_precision=r["weight_precision"].strip(),
        kv_precision=(r.get("kv_precision") or "").strip() or None,
        framework=(r.get("framework") or "").strip(),
        # llama-bench "tg" tests generate from an empty prompt: no input tokens.
        input_tokens=int(in_tokens) if in_tokens else 0,
        output_tokens=int(out_tokens) if out_tokens else 1,
        batch_mode=mode, batch=batch, request_rate=rate, metrics=metrics,
        source=(r.get("source") or "").strip(), notes=notes,
        num_requests=num_requests if mode == "rate" else None,
        arrival=arrival, statistic=(r.get("statistic") or "").strip(),
        ttft_includes_queue=(r.get("ttft_includes_queue") or "").strip(),
        parallelism=(r.get("parallelism") or "").strip().lower(),
        speculative=(r.get("speculative") or "").strip(),
        unstated=_unstated(r, notes))


def read_vllm_json(path: Path, *, hardware: str, gpus: int, precision: str,
                   kv_precision: str | None = None, model: str | None = None) -> list[Measurement]:
    """One vLLM benchmark_serving result file → one Measurement.

    vLLM does not record the hardware, GPU count or precision, so the caller supplies them.
    Input/output lengths are the means over completed requests; a run with
    ``max_concurrency`` is a fixed concurrency, otherwise a request rate (``inf`` = burst)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("FILE", f"cannot read {path} as JSON: {exc}") from None
    if not isinstance(data, dict) or "output_throughput" not in data or "completed" not in data:
        raise InputError("FILE", f"{path}: not a vLLM benchmark_serving result "
                         "(needs output_throughput and completed)")
    done = max(int(data["completed"]), 1)
    t_in = round(float(data.get("total_input_tokens", 0)) / done)
    t_out = round(float(data.get("total_output_tokens", 0)) / done)
    if t_in < 1 or t_out < 1:
        raise InputError("FILE", f"{path}: total_input_tokens / total_output_tokens missing")
    conc = data.get("max_concurrency")
    if conc:
        mode: BatchMode = "concurrency"
        batch: int | None = int(conc)
        rate = None
    else:
        mode, batch = "rate", None
        raw_rate = data.get("request_rate", "inf")
        rate = float("inf") if str(raw_rate).lower() in ("inf", "infinity") else float(raw_rate)
    metrics = {"throughput_out_tok_s": float(data["output_throughput"])}
    if data.get("mean_ttft_ms") is not None:
        metrics["ttft_ms"] = float(data["mean_ttft_ms"])
    if data.get("mean_tpot_ms") is not None:
        metrics["tpot_ms"] = float(data["mean_tpot_ms"])
    if data.get("mean_e2el_ms") is not None:
        metrics["e2e_latency_s"] = float(data["mean_e2el_ms"]) / 1e3
    name = model or str(data.get("model_id") or "")
    if not name:
        raise InputError("--model", f"{path} has no model_id: pass --model")
    return [Measurement(
        case_id=f"{Path(path).stem}_1", model=name, hardware=hardware, gpus=gpus,
        weight_precision=precision, kv_precision=kv_precision,
        framework=f"vLLM ({data.get('backend', 'vllm')})", input_tokens=t_in,
        output_tokens=t_out, batch_mode=mode, batch=batch, request_rate=rate, metrics=metrics,
        source=str(path), notes="vLLM benchmark_serving result",
        num_requests=int(data.get("num_prompts") or data["completed"]))]
