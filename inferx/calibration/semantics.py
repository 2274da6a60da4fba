"""Rows that state how their source measured (benchmarks/data/measurements_2026.csv: the
columns `arrival`, `num_requests`, `statistic`, `ttft_includes_queue`, `parallelism`,
`speculative`; README beside it): the columns, not the notes, decide the serving mode."""

from __future__ import annotations

import re

from inferx.calibration.measurements import (
    MAX_GPUS,
    MAX_TOKENS,
    BatchMode,
    Measurement,
    _count,
    _metrics,
    _text,
)

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


def row_2026(r: dict[str, str], notes: str, arrival: str) -> Measurement:
    """A row with the measurement-semantics columns: the columns, not the notes, say how the
    source measured; a length or precision the source does not state leaves the row
    `unstated` (read, counted, not estimated) instead of failing the file."""
    num_requests = int(float(n)) if (n := (r.get("num_requests") or "").strip()) else None
    mode, batch, rate = classify_arrival(arrival, r.get("batch_or_concurrency") or "",
                                         num_requests)
    if arrival == "burst":
        num_requests = num_requests or batch
    metrics = _metrics(r)
    in_text = (r.get("input_tokens") or "").strip()
    out_text = (r.get("output_tokens") or "").strip()
    in_tokens = _count(in_text, "input_tokens", limit=MAX_TOKENS) if in_text else 0
    out_tokens = _count(out_text, "output_tokens", limit=MAX_TOKENS) if out_text else 0
    return Measurement(
        case_id=_text(r, "case_id"), model=_text(r, "model"), hardware=_text(r, "hardware"),
        gpus=_count(r.get("num_gpus"), "num_gpus", limit=MAX_GPUS),
        weight_precision=(r.get("weight_precision") or "").strip(),
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
