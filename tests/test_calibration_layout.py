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


def test_speculation_needs_a_stated_acceptance_length() -> None:
    assert row_speculation("") is None
    assert row_speculation("mtp k=3 topk=1 accept=2.18") == ("mtp", 3, 2.18)
    assert "acceptance" in row_speculation("mtp k=3")
