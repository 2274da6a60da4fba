"""CSV: one header and one row per result; column names are the dotted JSON key paths."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from inferx.results import Envelope

SKIP = ("assumptions", "profiles")


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} → {'a.b': 1}; lists listed in SKIP are left out (they are in JSON)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in SKIP:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        elif not isinstance(value, list):
            flat[name] = value
    return flat


def rows_of(envelope: Envelope) -> list[dict[str, Any]]:
    data = envelope.model_dump(mode="json")["data"]
    # one line per row: compare's rows, plan's configurations, estimate --sweep's points
    for key in ("rows", "configurations", "points"):
        if isinstance(data, dict) and isinstance(data.get(key), list):
            return [flatten(r) for r in data[key]]
    if isinstance(data, list):
        return [flatten(r) for r in data]
    return [flatten(data or {})]


def write_csv(envelope: Envelope, out: TextIO) -> None:
    rows = rows_of(envelope)
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
