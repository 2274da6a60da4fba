"""The accuracy regression gate (tests/test_accuracy_gate.py): leave-one-hardware-family-out
on a fixed stratified subset of the measured rows, fast enough for the test suite, compared
with committed figures (tests/fixtures/accuracy_gate.json).

Regenerate the committed figures after an intended change (and say why in the commit):

    python -m inferx.calibration.gate --write tests/fixtures/accuracy_gate.json

A group regresses when its median APE grows by more than TOLERANCE_POINTS percentage points,
or when it is no longer scored (lost coverage).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from inferx.calibration.fitting import evaluate
from inferx.calibration.harness import CannotEstimate, Scenario, resolve
from inferx.calibration.holdout import HeldOut, leave_groups_out, stratified
from inferx.calibration.measurements import read_csv
from inferx.calibration.validation import gate_figures
from inferx.registry import Registry

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
FILES = ("published_measurements.csv", "extra_measurements.csv", "measurements_2026.csv")
AXES = ("hardware family", "serving mode")
SUBSET_PER_STRATUM = 1   # one row per (source, hardware, model, serving mode) stratum
ITERATIONS = 12          # fit budget: the gate checks drift, not the best fit
TOLERANCE_POINTS = 2.0

Adjust = Callable[[dict[str, float]], dict[str, float]]


def subset(registry: Registry | None = None) -> list[Scenario]:
    """The fixed stratified subset the gate runs on (deterministic)."""
    registry = registry or Registry.default()
    scenarios = []
    for name in FILES:
        for row in read_csv(DATA / name):
            try:
                scenarios.append(resolve(row, registry))
            except CannotEstimate:
                continue
    return stratified(scenarios, SUBSET_PER_STRATUM)


def held_out(scenarios: Sequence[Scenario]) -> list[HeldOut]:
    return leave_groups_out(scenarios, AXES, iterations=ITERATIONS, per_stratum=None)


def figures(scenarios: Sequence[Scenario], held: Sequence[HeldOut],
            adjust: Adjust | None = None) -> dict[str, float]:
    """Gate figures; `adjust` overrides the fitted assumptions at prediction time (a
    perturbation: e.g. compute_efficiency x 0.7) without refitting."""
    if adjust is None:
        return gate_figures(held)
    from inferx.calibration.holdout import AXES as KEYS

    redone = []
    for h in held:
        test = [s for s in scenarios if KEYS[h.axis](s) == h.group]
        p, k = evaluate(test, lambda e, h=h: adjust(h.lookup(e)))
        redone.append(HeldOut(h.axis, h.group, p, k, h.values))
    return gate_figures(redone)


def regressions(expected: dict[str, float], got: dict[str, float],
                tolerance: float = TOLERANCE_POINTS) -> list[str]:
    """Each group whose median APE worsened by more than `tolerance` points, or vanished."""
    out = []
    for key, was in sorted(expected.items()):
        now = got.get(key)
        if now is None:
            out.append(f"{key}: no longer scored (was {was:.2f}%)")
        elif now > was + tolerance:
            out.append(f"{key}: median APE {was:.2f}% -> {now:.2f}%")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="regenerate the accuracy gate's figures")
    ap.add_argument("--write", type=Path, required=True)
    args = ap.parse_args(argv)
    scenarios = subset()
    got = figures(scenarios, held_out(scenarios))
    doc = {"command": "python -m inferx.calibration.gate --write "
                      "tests/fixtures/accuracy_gate.json",
           "rows": len(scenarios), "axes": list(AXES), "iterations": ITERATIONS,
           "tolerance_points": TOLERANCE_POINTS, "median_ape_percent": got}
    args.write.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.write} ({len(got)} groups)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
