"""docs/accuracy.md as text (pure): the out-of-family headline first, then the detail.

Every figure is computed from the predictions passed in; the text holds no number of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inferx.calibration.fitting import EVALUATIONS_PER_ITERATION, ROBUST_SCALE, FitResult
from inferx.calibration.fitting import LAYOUT_KNOBS as STAGE_2
from inferx.calibration.holdout import STRATUM_ROWS, HeldOut
from inferx.calibration.measurements import METRIC_LABELS, METRICS, Measurement
from inferx.calibration.report import (
    Run,
    breakdown_table,
    reasons_table,
    summary_table,
    worst_held_out,
)
from inferx.calibration.scoring import Pair, Skip, by_metric, stats
from inferx.calibration.validation import (
    LOFO_AXES,
    GroupFigures,
    group_figures,
    measured_counts,
)

# Acceptance targets of issue 13 (leave-one-family-out).
TARGETS = {"throughput_out_tok_s": (0.15, 0.40), "ttft_ms": (0.25, None),
           "tpot_ms": (0.15, None)}
MIN_FAMILY_ROWS = 10
COVERAGE_TARGET = 0.95


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _x(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _reason_kind(reason: str) -> str:
    if reason.startswith("no hardware profile") or reason.startswith("no model profile"):
        return "no profile"
    if any(k in reason for k in ("disaggregation", "acceptance length", "llama.cpp splits",
                                 "notes only", "layout ", "speculative decoding")):
        return "serving the harness does not replay"
    if "not stated by the source" in reason:
        return "not stated by the source"
    if reason.startswith("hardware profile"):
        return "profile figure missing"
    if "does not fit" in reason:
        return "does not fit"
    return "other"


# The first four kinds are rows the engine cannot be asked about (no profile, serving the
# harness does not replay, a length the source omits, a figure the profile declares
# unpublished); the rest count against coverage.
REASON_KINDS = ("no profile", "serving the harness does not replay",
                "not stated by the source", "profile figure missing", "does not fit", "other")


def _coverage(rows: Sequence[Measurement], groups: dict[str, dict[str, str]],
              skips: Sequence[Skip], axis: str) -> dict[str, dict[str, int]]:
    """Per group: rows held, rows with every metric estimated, rows not, by reason kind."""
    first_reason: dict[str, str] = {}
    for k in sorted(skips, key=lambda k: (k.case_id, k.metric)):
        first_reason.setdefault(k.case_id, k.reason)
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        g = out.setdefault(groups[r.case_id][axis], {"held": 0, "estimated": 0})
        g["held"] += 1
        if r.case_id in first_reason:
            kind = _reason_kind(first_reason[r.case_id])
            g[kind] = g.get(kind, 0) + 1
        else:
            g["estimated"] += 1
    return dict(sorted(out.items()))


def _figure_rows(figs: Sequence[GroupFigures], axis: str) -> list[str]:
    lines = [f"| {axis} | metric | measured | scored | median APE | p90 APE "
             "| bias (median pred/meas) | ratio p10-p90 |", "|---|---|---|---|---|---|---|---|"]
    for f in figs:
        if f.axis != axis:
            continue
        band = "-" if f.ratio_p10 is None else f"{f.ratio_p10:.2f}-{f.ratio_p90:.2f}"
        lines.append(f"| {f.group} | {METRIC_LABELS[f.metric]} | {f.measured} | {f.scored} "
                     f"| {_pct(f.median_ape)} | {_pct(f.p90_ape)} | {_x(f.bias)} | {band} |")
    return lines


def _pooled(pairs: list[Pair], metric: str) -> tuple[int, float | None, float | None,
                                                     float | None]:
    st = stats(by_metric(pairs)[metric])
    return st.rows, st.median_ape, st.p90_ape, st.median_ratio


def _acceptance(figs: Sequence[GroupFigures], family_pairs: list[Pair],
                estimated: int, estimable: int) -> list[str]:
    lines = ["| target | group | figure | met |", "|---|---|---|---|"]
    for f in figs:
        if f.axis != "hardware family" or f.metric != "throughput_out_tok_s":
            continue
        if f.scored < MIN_FAMILY_ROWS:
            continue
        med, p90 = TARGETS["throughput_out_tok_s"]
        ok = (f.median_ape is not None and f.median_ape <= med
              and f.p90_ape is not None and p90 is not None and f.p90_ape <= p90)
        lines.append(f"| throughput median <= 15%, p90 <= 40% | {f.group} ({f.scored} values) "
                     f"| {_pct(f.median_ape)} / {_pct(f.p90_ape)} | {'yes' if ok else 'no'} |")
    for metric in ("ttft_ms", "tpot_ms"):
        n, med, _, _ = _pooled(family_pairs, metric)
        goal = TARGETS[metric][0]
        ok = med is not None and med <= goal
        lines.append(f"| {METRIC_LABELS[metric]} median <= {100 * goal:.0f}% | every held-out "
                     f"family pooled ({n} values) | {_pct(med)} | {'yes' if ok else 'no'} |")
    share = estimated / estimable if estimable else 0.0
    lines.append(f"| >= 95% of estimable rows estimated | rows the engine supports "
                 f"({estimable}) | {estimated} ({100 * share:.1f}%) "
                 f"| {'yes' if share >= COVERAGE_TARGET else 'no'} |")
    return lines


def _known_wrong(figs: Sequence[GroupFigures]) -> list[str]:
    """Every held-out group whose median error is over 25% (any metric, >= 3 values)."""
    out = []
    for f in figs:
        if f.scored >= 3 and f.median_ape is not None and f.median_ape > 0.25:
            way = "over-predicts" if (f.bias or 1) > 1 else "under-predicts"
            out.append(f"* {f.axis} **{f.group}**, {METRIC_LABELS[f.metric]}: median error "
                       f"{_pct(f.median_ape)} over {f.scored} values; inferx {way} "
                       f"(median ratio {_x(f.bias)}).")
    return out or ["* No held-out group has a median error above 25%."]


def render(rows: Sequence[Measurement], groups: dict[str, dict[str, str]],
           runs: Sequence[Run], held: Sequence[HeldOut], unresolved: Sequence[Skip],
           fits: dict[str, FitResult], *, iterations: int) -> str:
    counts = measured_counts(rows, groups, LOFO_AXES)
    lofo = [h for h in held if h.axis != "source"]
    figs = group_figures(lofo, counts)
    fam_pairs = [p for h in lofo if h.axis == "hardware family" for p in h.pairs]
    fam_skips = [k for h in lofo if h.axis == "hardware family" for k in h.skips]
    all_skips = fam_skips + list(unresolved)
    cov = _coverage(rows, groups, all_skips, "hardware family")
    total = len(rows)
    estimated = sum(c["estimated"] for c in cov.values())
    supported = total - sum(c.get(k, 0) for c in cov.values() for k in REASON_KINDS[:4])
    lofo_run = Run("leave-one-hardware-family-out", fam_pairs, all_skips)
    files: dict[str, int] = {}
    for r in rows:
        name = ("measurements_2026.csv" if r.case_id.startswith("y_") else
                "extra_measurements.csv" if r.case_id.startswith("x_")
                else "published_measurements.csv")
        files[name] = files.get(name, 0) + 1
    knob_names = list(next(iter(fits.values())).values)

    head = []
    for metric in METRICS:
        n, med, p90, bias = _pooled(fam_pairs, metric)
        head.append(f"{METRIC_LABELS[metric]} {_pct(med)} median, {_pct(p90)} p90 "
                    f"(median ratio {_x(bias)}, {n} values)")
    out: list[str] = [
        "# Accuracy against published measurements",
        "",
        "Generated by `python benchmarks/accuracy.py` (add `--write-presets` to refit the "
        "built-in presets). Do not edit by hand: a regeneration on the same code is "
        "byte-identical.",
        "",
        f"Rows held: {total} (" + ", ".join(f"{n} in benchmarks/data/{f}"
                                          for f, n in sorted(files.items())) + ").",
        "",
        "## Headline: accuracy outside the data it was fitted on",
        "",
        "Each hardware family is predicted by presets refitted without a single row of that "
        "family (leave-one-family-out). Pooled over every held-out family: "
        + "; ".join(head) + ".",
        "",
        f"Coverage: {estimated} of {total} rows held ({100 * estimated / total:.0f}%) have "
        f"every measured value estimated; {estimated} of the {supported} rows the engine "
        f"supports ({100 * estimated / max(supported, 1):.1f}%). The rest are rows whose "
        "hardware or model has no profile, whose source does not state a length or "
        "precision, whose profile declares a figure the estimate needs unpublished, or whose "
        "serving the harness does not replay (disaggregated pools of different layouts, "
        "speculative decoding without a stated acceptance length, llama.cpp's layer split): "
        "they count as coverage, not error. Rows served with expert or attention-data or "
        "pipeline parallelism, speculative decoding with a stated acceptance length, or "
        "across nodes are replayed with their layout and form their own serving-mode groups.",
        "",
        "### Acceptance (issue 13)",
        "",
        *_acceptance(figs, fam_pairs, estimated, supported),
        "",
        "### Leave-one-hardware-family-out",
        "",
        *_figure_rows(figs, "hardware family"),
        "",
        "### Coverage by hardware family",
        "",
        "| hardware family | rows held | estimated | " + " | ".join(REASON_KINDS) + " |",
        "|---|---|---|" + "---|" * len(REASON_KINDS),
    ]
    for fam, c in cov.items():
        out.append(f"| {fam} | {c['held']} | {c['estimated']} | "
                   + " | ".join(str(c.get(k, 0)) for k in REASON_KINDS) + " |")
    out += ["", "### Where inferx is known to be wrong", "",
            "Every held-out group (hardware family, engine, model family, serving mode) whose "
            "median error exceeds 25%:", "", *_known_wrong(figs), "",
            "Largest leave-one-hardware-family-out errors:", "", *worst_held_out(fam_pairs), ""]
    measured_fams = sorted(h.group for h in lofo if h.axis == "hardware family" and h.pairs)
    measured_modes = sorted(h.group for h in lofo if h.axis == "serving mode" and h.pairs)
    out += [
        "## Ranges",
        "",
        "The low/high range on an estimate is built from predicted/measured ratio quantiles "
        "(p10-p90) stored in inferx/calibration/fitted.json by `python benchmarks/accuracy.py "
        "--write-bands` (or `--write-presets`). `inferx.calibration.bands.band_for(preset, "
        "hardware_family, serving_mode, metric)` returns the envelope of the preset's "
        "leave-one-source-out band, the hardware family's leave-one-family-out band (the "
        "pooled out-of-family band when the family has fewer than 5 values of the metric) "
        "and the serving mode's leave-one-mode-out band. A scenario whose hardware family or "
        "serving mode has no scored row is `extrapolated` and gets the widest band measured.",
        "",
        "Measured hardware families: " + ", ".join(measured_fams) + ". Measured serving "
        "modes: " + ", ".join(measured_modes) + " (a fixed concurrency reads as closed-loop "
        "clients).",
        "",
    ]
    for axis in LOFO_AXES[1:]:
        out += [f"## Leave-one-{axis.replace(' ', '-')}-out", "", *_figure_rows(figs, axis), ""]
    out += [
        "## Summary by method",
        "",
        "APE = |predicted - measured| / measured. Bias = geometric mean of predicted / "
        "measured (1 = unbiased, above 1 over-predicts). 'ratio p10-p90' is the spread the "
        "low/high ranges in every result are built from.",
        "",
        *summary_table([*runs, lofo_run], {m: sum(1 for r in rows if m in r.metrics)
                                           for m in METRICS}),
        "",
        "## Method",
        "",
        "* Each row is mapped to a scenario (docs/methodology.md#calibration): names through "
        "the profile registry; the row's serving mode through engine/serving.py's `operate`: "
        "`static` → a static batch; `max` → the largest concurrency that fits memory within "
        "the engine's sequence cap; `closed_loop` (or an integer the notes call a "
        "concurrency) → N closed-loop clients; `rate` → the steady state at that offered "
        "rate, or a finite run when the source states how many requests it sent; `burst` → "
        "a finite burst. Rows whose `parallelism` or `speculative` column names something "
        "the engine does not model are not estimated, with the reason.",
        "* Roofline baseline: efficiencies 1, no step/request overhead, zero all-reduce "
        "latency, ideal links.",
        "* Presets: a robust (pseudo-Huber) least squares on r = ln(predicted/measured) over "
        "every metric of the training rows, 2δ²(√(1 + (r/δ)²) − 1) with "
        f"δ = {ROBUST_SCALE}: quadratic within ~35% and linear beyond, so a group of rows the "
        "model cannot explain pulls the shared knobs by its sign, not by the square of a 10x "
        "error; bounded Levenberg-Marquardt in log space (inferx/calibration/optimise.py, at "
        f"most {EVALUATIONS_PER_ITERATION * iterations} loss evaluations), knobs: "
        + ", ".join(knob_names) + ", each clipped to a physical bound (inferx/calibration/"
        "fitting.py BOUNDS). The pooled fit starts from, and is weakly pulled toward (w = "
        "0.1), the centre of each knob's bounds in log space, a fixed table: never the "
        "previous fit, so a refit does not depend on what fitted.json held. Training rows: at "
        f"most {STRATUM_ROWS} per (source, hardware, model, serving mode) stratum, evenly "
        "spaced by case id, so no large source outweighs the rest. Engine presets are pulled "
        "toward the pooled fit (one knob 2x away costs as much as one value 2x off). No row "
        "has its own value. Two stages: every knob is fitted on rows served with plain tensor "
        f"parallelism; then {', '.join(STAGE_2[:-1])} and {STAGE_2[-1]} (the knobs "
        "expert / attention-data parallel layouts exercise) are refitted on every replayed "
        "row without speculative decoding, the other knobs held.",
        "* Leave-one-source-out: each source (case_id prefix) is predicted by presets "
        "refitted without it. Leave-one-family-out: the same, holding out every row of one "
        "hardware family (vendor + generation, inferx/calibration/families.py), one engine, "
        "one model family or one serving mode; an engine whose rows are all held out falls "
        "back to the pooled fit.",
        "",
        "## Fitted presets",
        "",
        "This run's fit on every estimated row (stratified). The shipped presets in "
        "inferx/calibration/fitted.json change only with `--write-presets`; the `llama.cpp` "
        "row is a calibration-only preset (llama.cpp and Ollama rows) that the CLI does not "
        "offer yet.",
        "",
        "| preset | rows | sources | " + " | ".join(knob_names) + " |",
        "|---|---|---|" + "---|" * len(knob_names),
    ]
    for engine, f in fits.items():
        out.append(f"| {engine} | {f.rows} | {', '.join(f.sources)} | "
                   + " | ".join(f"{v:g}" for v in f.values.values()) + " |")
    lo = runs[2]
    out += ["", "## Leave-one-source-out by source", "", *breakdown_table(lo, "source")]
    out += ["", "## Not estimated", "", *reasons_table(all_skips), ""]
    return "\n".join(out)


__all__: list[Any] = ["render"]
