"""The busiest expert-parallel rank's routed load (engine/deployed.py::rank_load_imbalance):
moe_load_imbalance · (1 + cv·√(ep/E)·z(ep)), z the expected maximum of ep standard normals."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from inferx.engine.assumptions import Assumptions
from inferx.engine.deployed import expected_max_standard_normal, rank_load_imbalance
from inferx.engine.deployment import Deployment
from inferx.registry import Registry, builtin_dir

REGISTRY = Registry.from_dirs(builtin_dir())


@pytest.mark.parametrize("n", [2, 4, 8, 32])
def test_blom_is_within_five_percent_of_a_simulated_expected_maximum(n: int) -> None:
    rng = random.Random(n)
    simulated = statistics.fmean(max(rng.gauss(0, 1) for _ in range(n)) for _ in range(40_000))
    assert expected_max_standard_normal(n) == pytest.approx(simulated, rel=0.05)
    assert expected_max_standard_normal(1) == 0.0


def test_deepseek_r1_on_32_ranks_at_cv_2_1_is_trtllms_measured_2_56() -> None:
    """TensorRT-LLM tech blog 4: DeepSeek-R1 on 32 GB200 GPUs without EPLB, busiest rank
    2.56x the mean (report_load_statistics.py imbalance-ratio 1.56)."""
    m = REGISTRY.get("model", "deepseek-r1")
    a = Assumptions.from_values({"expert_load_cv": 2.1})
    got = rank_load_imbalance(m, Deployment(tp=1, ep=32, dp_attention=32), a)
    assert got == pytest.approx(1 + 2.1 * math.sqrt(32 / 256) * expected_max_standard_normal(32))
    assert got == pytest.approx(2.56, abs=0.05)


@pytest.mark.parametrize("model", ["deepseek-r1", "qwen3-235b-a22b", "llama-4-scout"])
def test_more_ranks_wait_longer_for_the_busiest_and_balanced_routing_waits_for_none(
        model: str) -> None:
    m = REGISTRY.get("model", model)
    a = Assumptions.from_values({"expert_load_cv": 2.0})
    seq = [rank_load_imbalance(m, Deployment(tp=1, ep=ep, dp_attention=ep), a)
           for ep in (1, 2, 4, 8, 16)]
    assert seq[0] == 1.0 and all(x < y for x, y in zip(seq, seq[1:], strict=False))
    balanced = Assumptions.from_values({"expert_load_cv": 0.0, "moe_load_imbalance": 1.3})
    assert rank_load_imbalance(m, Deployment(tp=1, ep=8, dp_attention=8), balanced) == 1.3


def test_a_dense_model_or_tensor_parallel_experts_have_no_rank_spread() -> None:
    a = Assumptions.from_values({"expert_load_cv": 3.0})
    dense = REGISTRY.get("model", "llama-3.3-70b")
    moe = REGISTRY.get("model", "deepseek-r1")
    assert rank_load_imbalance(dense, Deployment(tp=8), a) == 1.0
    assert rank_load_imbalance(moe, Deployment(tp=8), a) == 1.0
