"""CSV: one header and one row per result; column names are the dotted JSON key paths.
`inferx bill` is written in long format instead (key, month, value), so its monthly series
fits next to its totals."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from inferx.jsonable import to_jsonable
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
    data = to_jsonable(envelope.data, any_=True)
    # one line per row: compare's rows, plan's configurations, estimate --sweep's points
    for key in ("rows", "configurations", "points"):
        if isinstance(data, dict) and isinstance(data.get(key), list):
            return [flatten(r) for r in data[key]]
    if isinstance(data, list):
        return [flatten(r) for r in data]
    return [flatten(data or {})]


LONG_SKIP = ("profiles",)


def _label(item: dict[str, Any], index: int) -> str:
    for key in ("row", "id", "lever", "pricing", "name"):
        if item.get(key) is not None:
            return str(item[key])
    return str(index)


def long_rows(value: Any, key: str = "", month: int | None = None) -> list[list[Any]]:
    """[key, month, value] for every figure: a series of months (dicts with a "month") is
    one row per month and figure; other lists are keyed by what their items are."""
    if isinstance(value, dict):
        out: list[list[Any]] = []
        for sub, v in value.items():
            if not key and sub in LONG_SKIP:
                continue
            if sub == "month" and month is not None:
                continue
            out += long_rows(v, f"{key}.{sub}" if key else sub, month)
        return out
    if isinstance(value, list):
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict) and "month" in item:
                out += long_rows(item, key, item["month"])
            elif isinstance(item, dict):
                out += long_rows(item, f"{key}[{_label(item, i)}]", month)
            else:
                out += long_rows(item, f"{key}[{i}]", month)
        return out
    if isinstance(value, bool):
        value = "true" if value else "false"
    return [[key, "" if month is None else month, "" if value is None else value]]


def write_long_csv(envelope: Envelope, out: TextIO) -> None:
    """Long format (one figure a row: key, month, value), for results holding a monthly
    series (`inferx bill`): the series stays in, next to the totals."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "month", "value"])
    writer.writerows(long_rows(to_jsonable(envelope.data, any_=True)))


def write_csv(envelope: Envelope, out: TextIO) -> None:
    if envelope.command == ["bill"]:
        write_long_csv(envelope, out)
        return
    rows = rows_of(envelope)
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
