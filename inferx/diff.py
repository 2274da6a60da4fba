"""`inferx diff`: what changed between two saved results of the same command.

A saved result is a `--format json` envelope, or a `--batch` output (one envelope per line);
batch envelopes are matched by their scenario id (the line's ``id``), else by order.  The
figures compared are the result's cost (USD), latency, throughput, memory and fit; inputs,
assumptions and provenance are not.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from inferx.errors import InputError
from inferx.results_base import Out, result

SKIP_TOP = ("inputs", "assumptions", "profiles", "defaults", "conventions", "preset", "ranges",
            "overridden", "workload", "model", "baseline", "cheapest_meeting_targets")
LATENCY = ("ttft_ms", "tpot_ms", "e2e_s", "latency_ms", "queue_wait_ms")
MEMORY = ("min_gpus", "max_concurrency", "max_batch_size", "gpus", "gpus_always_on",
          "replicas_always_on")
NOT_COSTS = ("saving", "minus", "break_even")


@result
class Change(Out):
    scenario: str  # batch id, "#N" (order), or "" for single results
    figure: str  # JSON path in data
    kind: str  # cost, latency, throughput, memory, fit
    base: bool | int | float | None
    new: bool | int | float | None
    change: float | None  # new / base - 1
    exceeds: bool  # a cost that rose more than fail_above


@result
class Unmatched(Out):
    scenario: str
    base_status: str | None
    new_status: str | None


@result
class DiffResult(Out):
    """`data` of `inferx diff` (docs/scenario-files.md#inferx-diff)."""

    base: str
    new: str
    command: list[str]
    scenarios: int
    fail_above: float | None
    changes: list[Change]
    unmatched: list[Unmatched]
    cost_increases_above_threshold: int


def kind_of(path: str) -> str | None:
    """cost / latency / throughput / memory / fit, or None for figures not compared."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf == "fits":
        return "fit"
    if "usd" in leaf:
        return None if any(w in leaf for w in NOT_COSTS) else "cost"
    if leaf in LATENCY:
        return "latency"
    if "_per_s" in leaf:
        return "throughput"
    if "_gb" in leaf or leaf in MEMORY:
        return "memory"
    return None


def _leaves(value: Any, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, sub in value.items():
            out.update(_leaves(sub, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            label = None
            if isinstance(sub, dict):  # name list items by what they are, not where they sit
                label = sub.get("row") or sub.get("id") or sub.get("lever") or sub.get("pricing")
                if "month" in sub:
                    label = f"month {sub['month']}"
            out.update(_leaves(sub, f"{prefix}[{label if label is not None else i}]"))
    else:
        out[prefix] = value
    return out


def figures(data: Any) -> dict[str, tuple[str, Any]]:
    """figure path → (kind, value) for the figures diff compares."""
    if not isinstance(data, dict):
        return {}
    out: dict[str, tuple[str, Any]] = {}
    for top, value in data.items():
        if top in SKIP_TOP:
            continue
        for path, leaf in _leaves(value, top).items():
            kind = kind_of(path)
            if kind is not None and (leaf is None or isinstance(leaf, bool | int | float)):
                out[path] = (kind, leaf)
    return out


def read_results(path: Path, arg: str) -> list[dict[str, Any]]:
    """The envelopes in a saved result: one JSON document, or JSON Lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(arg, f"cannot read {path}: {exc.strerror}") from None
    try:
        docs = [json.loads(text)]
    except ValueError:
        docs = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except ValueError:
                raise InputError(arg, f"{path}:{n}: not a JSON envelope (save results with "
                                 "--format json or --batch)") from None
    for doc in docs:
        if not isinstance(doc, dict) or "command" not in doc or "status" not in doc:
            raise InputError(arg, f"{path}: not an inferx JSON envelope (save results with "
                             "--format json or --batch)")
    return docs


def _key(doc: dict[str, Any], index: int) -> str:
    batch = doc.get("batch") or {}
    if batch.get("id") is not None:
        return str(batch["id"])
    return f"#{index + 1}"


def _pairs(base: list[dict], new: list[dict]) -> list[tuple[str, dict | None, dict | None]]:
    with_ids = all((d.get("batch") or {}).get("id") is not None for d in base + new)
    if with_ids:
        b = {_key(d, i): d for i, d in enumerate(base)}
        n = {_key(d, i): d for i, d in enumerate(new)}
        keys = list(b) + [k for k in n if k not in b]
        return [(k, b.get(k), n.get(k)) for k in keys]
    size = max(len(base), len(new))
    single = size == 1
    return [("" if single else f"#{i + 1}", base[i] if i < len(base) else None,
             new[i] if i < len(new) else None) for i in range(size)]


def change(base: Any, new: Any) -> float | None:
    """Relative change new/base - 1; None where it has no meaning (missing, zero, booleans)."""
    if isinstance(base, bool) or isinstance(new, bool) or base is None or new is None:
        return None
    if base == 0:
        return None if new == 0 else math.copysign(math.inf, new)
    return new / base - 1


def diff(base_path: Path, new_path: Path, fail_above: float | None = None) -> DiffResult:
    """The changed figures of two saved results, and the cost rises above `fail_above`."""
    base, new = read_results(base_path, "BASE"), read_results(new_path, "NEW")
    commands = {tuple(d["command"]) for d in base + new}
    if len(commands) > 1:
        raise InputError("NEW", "the two results are of different commands: "
                         + " and ".join(" ".join(c) for c in sorted(commands)))
    changes, unmatched = [], []
    for key, b, n in _pairs(base, new):
        if b is None or n is None or b.get("status") != "ok" or n.get("status") != "ok":
            unmatched.append({"scenario": key, "base_status": None if b is None else b["status"],
                              "new_status": None if n is None else n["status"]})
            continue
        fb, fn = figures(b["data"]), figures(n["data"])
        for path in list(fb) + [p for p in fn if p not in fb]:
            kind, vb = fb.get(path, (fn.get(path, (None, None))[0], None))
            vn = fn.get(path, (kind, None))[1]
            if vb == vn:
                continue
            rel = change(vb, vn)
            changes.append({"scenario": key, "figure": path, "kind": kind, "base": vb,
                            "new": vn, "change": None if rel is None or math.isinf(rel)
                            else rel, "exceeds": False})
    for c in changes:
        if fail_above is None or c["kind"] != "cost" or c["base"] is None or c["new"] is None:
            continue
        rel = change(c["base"], c["new"])
        c["exceeds"] = rel is not None and rel > fail_above + 1e-12
    return DiffResult(base=str(base_path), new=str(new_path), command=list(commands.pop()),
                      scenarios=max(len(base), len(new)), fail_above=fail_above,
                      changes=[Change(**c) for c in changes],
                      unmatched=[Unmatched(**u) for u in unmatched],
                      cost_increases_above_threshold=sum(c["exceeds"] for c in changes))
