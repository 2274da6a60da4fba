"""Measurement rows' parallelism and speculative columns → the engine's layout."""

from __future__ import annotations

import pytest

from inferx.calibration.layout import row_layout, row_speculation
from inferx.engine.deployment import Deployment


@pytest.mark.parametrize(("text", "gpus", "deployment", "pools"), [
    ("", 1, None, None),
    ("tp8", 8, None, None),
    ("tp4 pp2", 8, Deployment(tp=4, pp=2), None),
    ("tp8 ep8", 8, Deployment(tp=8, ep=8), None),
    ("dp8 ep8", 8, Deployment(tp=1, ep=8, dp_attention=8), None),
    ("tp8 dp8", 8, Deployment(tp=1, ep=8, dp_attention=8), None),  # SGLang: world of 8
    ("dp2 ep2 pp2", 4, Deployment(tp=1, pp=2, ep=2, dp_attention=2), None),
    ("disagg p2x(dp8 ep8) d3x(dp8 ep8)", 40, Deployment(tp=1, ep=8, dp_attention=8), (2, 3)),
])
def test_layouts(text, gpus, deployment, pools) -> None:
    lay = row_layout(text, gpus)
    assert lay.skip is None and lay.deployment == deployment and lay.disaggregation == pools


@pytest.mark.parametrize(("text", "gpus"), [
    ("disagg d16 (prefill not stated)", 16), ("disagg p32 (dp32 ep32)", 32), ("tp8", 16),
    ("dp4 ep4", 8)])
def test_unreproducible_layouts_say_why(text, gpus) -> None:
    assert row_layout(text, gpus).skip


@pytest.mark.parametrize(("text", "chips", "per_chip", "deployment"), [
    ("tp32", 16, 2, None),                              # trn1: 32 NeuronCores on 16 chips
    ("tp64", 16, 4, None),                              # trn2 at LNC=2: 4 logical cores a chip
    ("tp8 ep8", 4, 2, Deployment(tp=4, ep=4)),          # TPU7x: 2 devices a chip
])
def test_layouts_stated_in_cores_replay_over_chips(text, chips, per_chip, deployment) -> None:
    """A layout counting cores on a row counting chips: the same split over the chips."""
    assert row_layout(text, chips).skip                 # read as devices, it does not add up
    lay = row_layout(text, chips, per_chip)
    assert lay.skip is None and lay.deployment == deployment


def test_a_layout_that_is_not_the_rows_cores_is_left_as_stated() -> None:
    assert row_layout("tp24", 16, 2).skip               # 24 cores are not 16 chips x 2
    assert row_layout("tp8", 8, 2).deployment is None   # already one device per chip


def test_speculation_needs_a_stated_acceptance_length() -> None:
    assert row_speculation("") is None
    assert row_speculation("mtp k=3 topk=1 accept=2.18") == ("mtp", 3, 2.18)
    assert "acceptance" in row_speculation("mtp k=3")
