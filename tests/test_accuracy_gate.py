"""Accuracy regression gate: leave-one-family-out on a fixed stratified subset must not get
worse than the committed figures (tests/fixtures/accuracy_gate.json) by more than 2 points.

Regenerate after an intended change: python -m inferx.calibration.gate --write
tests/fixtures/accuracy_gate.json (and say in the commit why the figures moved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inferx.calibration import gate

COMMITTED = Path(__file__).parent / "fixtures" / "accuracy_gate.json"


@pytest.fixture(scope="module")
def run():
    scenarios = gate.subset()
    return scenarios, gate.held_out(scenarios)


@pytest.fixture(scope="module")
def expected():
    doc = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert doc["iterations"] == gate.ITERATIONS and doc["axes"] == list(gate.AXES)
    return doc


def test_subset_is_fixed(run, expected):
    scenarios, _ = run
    assert len(scenarios) == expected["rows"]


def test_no_held_out_group_got_worse(run, expected):
    scenarios, held = run
    got = gate.figures(scenarios, held)
    assert gate.regressions(expected["median_ape_percent"], got) == []
    hardware = [k for k in got if k.startswith("hardware family |")]
    assert len(hardware) >= 5, "the gate must cover several hardware families"


@pytest.mark.parametrize("factor", [0.7, 1.3])
def test_gate_reports_a_perturbed_compute_efficiency(run, expected, factor):
    """compute_efficiency x 0.7 or x 1.3 as an assumptions override at prediction time:
    the gate must see some group's median error grow by more than 2 points."""
    scenarios, held = run

    def perturb(values: dict[str, float]) -> dict[str, float]:
        # an efficiency is at most 1 (Assumptions rejects more)
        return {**values, "compute_efficiency": min(values["compute_efficiency"] * factor, 1.0)}

    got = gate.figures(scenarios, held, adjust=perturb)
    found = gate.regressions(expected["median_ape_percent"], got)
    assert found, "a 30% change of compute_efficiency went unnoticed"


def test_regressions_compare_points_and_coverage():
    assert gate.regressions({"a": 10.0}, {"a": 11.9}) == []
    assert gate.regressions({"a": 10.0}, {"a": 12.1}) == ["a: median APE 10.00% -> 12.10%"]
    assert gate.regressions({"a": 10.0}, {}) == ["a: no longer scored (was 10.00%)"]
    assert gate.regressions({}, {"new": 50.0}) == []
