"""Build the accuracy report (docs/accuracy.md) from measurements: pure text, no I/O."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from inferx.calibration.measurements import METRIC_LABELS, METRICS, Measurement
from inferx.calibration.scoring import Pair, Skip, by_metric, group, stats


@dataclass
class Run:
    """One way of predicting: a label and its scored pairs and skips."""

    label: str
    pairs: list[Pair]
    skips: list[Skip]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _bias(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def summary_table(runs: Sequence[Run], expected: dict[str, int]) -> list[str]:
    lines = ["| metric | measured values | method | scored | not estimated | median APE "
             "| p90 APE | bias (geo-mean pred/meas) | ratio p10-p90 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for metric in METRICS:
        for run in runs:
            ps = by_metric(run.pairs)[metric]
            ks = [k for k in run.skips if k.metric == metric]
            st = stats(ps, ks)
            band = ("-" if st.ratio_p10 is None
                    else f"{st.ratio_p10:.2f}-{st.ratio_p90:.2f}")
            lines.append(f"| {METRIC_LABELS[metric]} | {expected.get(metric, 0)} | {run.label} "
                         f"| {st.rows} | {st.not_estimated} | {_pct(st.median_ape)} "
                         f"| {_pct(st.p90_ape)} | {_bias(st.bias)} | {band} |")
    return lines


def breakdown_table(run: Run, key: str) -> list[str]:
    getter = {"source": lambda p: p.source, "hardware": lambda p: p.hardware,
              "precision": lambda p: p.precision, "engine": lambda p: p.engine}[key]
    lines = [f"| {key} | metric | scored | median APE | p90 APE | bias |", "|---|---|---|---|---|---|"]
    for name, ps in group(run.pairs, getter).items():
        for metric, mps in by_metric(ps).items():
            if not mps:
                continue
            st = stats(mps)
            lines.append(f"| {name} | {METRIC_LABELS[metric]} | {st.rows} | "
                         f"{_pct(st.median_ape)} | {_pct(st.p90_ape)} | {_bias(st.bias)} |")
    return lines


def skipped_table(skips: Sequence[Skip]) -> list[str]:
    if not skips:
        return ["None: every measured value was estimated."]
    lines = ["| case | metric | reason |", "|---|---|---|"]
    for k in sorted(skips, key=lambda s: (s.case_id, s.metric)):
        lines.append(f"| {k.case_id} | {METRIC_LABELS[k.metric]} | {k.reason} |")
    return lines


def worst_table(pairs: Sequence[Pair], n: int = 15) -> list[str]:
    lines = ["| case | engine | metric | measured | predicted | ratio |", "|---|---|---|---|---|---|"]
    for p in sorted(pairs, key=lambda p: -abs(math.log(p.ratio)))[:n]:
        lines.append(f"| {p.case_id} | {p.engine} | {METRIC_LABELS[p.metric]} | "
                     f"{p.measured:.4g} | {p.predicted:.4g} | {p.ratio:.2f} |")
    return lines


def rows_estimated(rows: Sequence[Measurement], skips: Sequence[Skip]) -> tuple[int, int]:
    """(rows with every measured metric estimated, rows)."""
    bad = {k.case_id for k in skips}
    return sum(1 for r in rows if r.case_id not in bad), len(rows)


def worst_held_out(pairs: Sequence[Pair], n: int = 20) -> list[str]:
    lines = ["| case | hardware family | engine | metric | measured | predicted | ratio |",
             "|---|---|---|---|---|---|---|"]
    for p in sorted(pairs, key=lambda p: (-abs(math.log(p.ratio)), p.case_id, p.metric))[:n]:
        lines.append(f"| {p.case_id} | {p.hardware_family} | {p.engine} | "
                     f"{METRIC_LABELS[p.metric]} | {p.measured:.4g} | {p.predicted:.4g} | "
                     f"{p.ratio:.2f} |")
    return lines


def reasons_table(skips: Sequence[Skip]) -> list[str]:
    rows: dict[str, set[str]] = {}
    cases: dict[str, set[str]] = {}
    for k in skips:
        rows.setdefault(k.reason, set()).add(k.case_id)
        cases.setdefault(k.reason, set()).add(k.source)
    lines = ["| reason | rows | sources |", "|---|---|---|"]
    for reason in sorted(rows, key=lambda r: (-len(rows[r]), r)):
        lines.append(f"| {reason} | {len(rows[reason])} | {', '.join(sorted(cases[reason]))} |")
    return lines
