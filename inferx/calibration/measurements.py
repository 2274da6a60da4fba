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
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from inferx.errors import InvalidFileError, clip
from inferx.files import read_text

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


class RowProblem(ValueError):
    """One cell of one row is wrong: `field` is its column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SkipRow(Exception):
    """A row that parses but holds no usable measurement (NaN, zero or negative metric)."""


MAX_TOKENS = 100_000_000  # longer than any context window: a typo, not a measurement
MAX_GPUS = 100_000


def _num(text: str | None, column: str = "value") -> float | None:
    """A number cell, or None when empty; text that is not a number names its column."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowProblem(column, f"expected a number, got {clip(text)!r}") from None


def _count(text: str | None, column: str, *, limit: int) -> int:
    """A whole number of tokens / GPUs >= 1 (``1024`` or ``1024.0``)."""
    value = _num(text, column)
    if value is None:
        raise RowProblem(column, "missing value")
    if not math.isfinite(value) or value < 1 or value > limit or value != int(value):
        raise RowProblem(column, f"expected a whole number from 1 to {limit:,}, got "
                         f"{clip((text or '').strip())!r}")
    return int(value)


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
        rate_text = text[4:].strip()
        if rate_text in ("inf", "infinite", "infinity"):
            return "rate", None, float("inf")
        try:
            rate = float(rate_text)
        except ValueError:
            rate = float("nan")
        if not (math.isfinite(rate) and rate > 0):
            raise RowProblem("batch_or_concurrency", "expected qps=N with N a positive number "
                             f"(or qps=inf), got {clip(value)!r}")
        return "rate", None, rate
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= MAX_GPUS * 1000:
        raise RowProblem("batch_or_concurrency", "expected a whole number >= 1, max or qps=N, "
                         f"got {clip(value)!r}")
    n = int(text)
    if "max num seqs" in low_notes or "max_num_seqs" in low_notes:
        return "max", n, None
    if "concurren" in low_notes and "static" not in low_notes:
        return "concurrency", n, None
    return "static", n, None


REQUIRED_COLUMNS = ("case_id", "model", "hardware", "num_gpus", "weight_precision",
                    "input_tokens", "batch_or_concurrency")


def read_csv(path: Path) -> list[Measurement]:
    """Parse a measurements CSV (rows without a usable measurement are dropped)."""
    return parse_csv(path)[0]


def parse_csv(path: Path) -> tuple[list[Measurement], list[dict[str, str]]]:
    """(rows, skipped): errors name the file, the line, the column and its header; a row
    whose measured metrics are NaN, infinite, zero or negative is skipped with the reason."""
    text = read_text(path)
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidFileError(str(path), missing[0], "not a measurements CSV: missing "
                               f"column(s) {', '.join(missing)}", line=1)
    rows: list[Measurement] = []
    skipped: list[dict[str, str]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise InvalidFileError(str(path), "(row)", f"{len(cells)} fields, the header has "
                                   f"{len(header)}", line=line)
        raw = dict(zip(header, cells, strict=False))
        try:
            rows.append(_row(raw))
        except RowProblem as exc:
            column = header.index(exc.field) + 1 if exc.field in header else None
            raise InvalidFileError(str(path), exc.field, exc.message, line=line,
                                   column=column) from None
        except SkipRow as exc:
            skipped.append({"case_id": clip(raw.get("case_id", "").strip() or f"line {line}"),
                            "reason": f"line {line}: {exc}"})
    return rows, skipped


def requests_in_run(text: str) -> int | None:
    """The number of requests a finite benchmark run sent, if the text states it
    (``"500 requests"``, ``"num_prompts=1000"``); None otherwise."""
    match = (re.search(r"(\d[\d,]*)\s+(?:requests|prompts)\b", text, re.IGNORECASE)
             or re.search(r"num[_ ](?:prompts|requests)\s*[=:]\s*(\d[\d,]*)", text, re.IGNORECASE))
    return int(match.group(1).replace(",", "")) if match else None


def _text(r: dict[str, str], column: str) -> str:
    value = (r.get(column) or "").strip()
    if not value:
        raise RowProblem(column, "missing value")
    return value


def _metrics(r: dict[str, str]) -> dict[str, float]:
    metrics = {}
    for m in METRICS:
        value = _num(r.get(m), m)
        if value is None:
            continue
        if not (math.isfinite(value) and value > 0):
            raise SkipRow(f"{m} {clip((r.get(m) or '').strip())!r} is not a positive finite "
                          "measurement")
        metrics[m] = value
    return metrics


def _row(r: dict[str, str]) -> Measurement:
    notes = r.get("notes") or ""
    arrival = (r.get("arrival") or "").strip().lower()
    if arrival:
        from inferx.calibration.semantics import row_2026

        return row_2026(r, notes, arrival)
    case_id, model, hardware = _text(r, "case_id"), _text(r, "model"), _text(r, "hardware")
    gpus = _count(r.get("num_gpus"), "num_gpus", limit=MAX_GPUS)
    precision = _text(r, "weight_precision")
    input_tokens = _count(r.get("input_tokens"), "input_tokens", limit=MAX_TOKENS)
    # A row with no output length measured first-token latency only: one output token.
    out_text = (r.get("output_tokens") or "").strip()
    output_tokens = _count(out_text, "output_tokens", limit=MAX_TOKENS) if out_text else 1
    mode, batch, rate = classify_batch(_text(r, "batch_or_concurrency"), notes)
    metrics = _metrics(r)
    return Measurement(
        case_id=case_id, model=model, hardware=hardware, gpus=gpus, weight_precision=precision,
        kv_precision=(r.get("kv_precision") or "").strip() or None,
        framework=(r.get("framework") or "").strip(), input_tokens=input_tokens,
        output_tokens=output_tokens, batch_mode=mode, batch=batch, request_rate=rate,
        metrics=metrics, source=(r.get("source") or "").strip(), notes=notes,
        num_requests=requests_in_run(f"{r.get('source_detail') or ''} {notes}"))
