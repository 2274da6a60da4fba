"""The serving loop's host time on a Grace host (engine/timing.py::host_factor): the per-step
and per-sequence overheads scale by grace_host_factor on hardware whose profile names a Grace
host CPU, and nowhere else."""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.engine.assumptions import Assumptions
from inferx.engine.timing import host_factor, step_overhead_s
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.registry import Registry, builtin_dir
from inferx.scenario import build

REGISTRY = Registry.from_dirs(builtin_dir())
TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("hw", ["gh200", "gh200-hbm3e", "gb200", "gb300"])
def test_grace_hosted_parts_take_the_factor(hw: str) -> None:
    a = Assumptions.from_values({"grace_host_factor": 2.5})
    assert host_factor(REGISTRY.get("hardware", hw), a) == 2.5


@pytest.mark.parametrize("hw", ["h100-sxm", "b200", "b300", "mi300x", "m4-max"])
def test_other_hosts_do_not(hw: str) -> None:
    a = Assumptions.from_values({"grace_host_factor": 2.5})
    assert host_factor(REGISTRY.get("hardware", hw), a) == 1.0


def test_step_overhead_scales_both_terms() -> None:
    a = Assumptions.from_values({"step_overhead_ms": 2.0, "sequence_overhead_us": 10.0})
    one = step_overhead_s(passes=3, sequences=100, a=a)
    assert one == pytest.approx(3 * 2e-3 + 100 * 10e-6)
    assert step_overhead_s(passes=3, sequences=100, a=a, host=1.5) == pytest.approx(1.5 * one)


def _decode_overhead_ms(hw: str, factor: float, **layout) -> float:
    req = EstimateRequest(model="qwen3-30b-a3b" if not layout else "qwen3-235b-a22b", hardware=hw,
                          precision="fp4", concurrency=256, engine="tensorrt-llm",
                          assume={"grace_host_factor": factor}, **layout)
    from inferx.api import estimate

    return estimate(req, REGISTRY, TODAY).result.latency.decode.overhead_ms


@pytest.mark.parametrize("layout", [{}, {"gpus": 4, "ep": 4, "dp_attention": 4}])
def test_gb200_decode_overhead_scales_and_b200_does_not(layout: dict) -> None:
    """Tensor-parallel and expert/attention-data-parallel replicas alike."""
    base = _decode_overhead_ms("gb200", 1.0, **layout)
    assert _decode_overhead_ms("gb200", 2.0, **layout) == pytest.approx(2 * base)
    assert _decode_overhead_ms("b200", 2.0, **layout) == _decode_overhead_ms("b200", 1.0,
                                                                               **layout)


@pytest.mark.parametrize("value", ["0.5", "nan", "11"])
def test_the_factor_is_bounded(value: str) -> None:
    with pytest.raises(InputError, match="grace_host_factor"):
        build(EstimateRequest(model="llama-3.1-8b", hardware="gb200",
                              assume={"grace_host_factor": float(value)}), REGISTRY, TODAY)


def test_an_unknown_host_cpu_is_a_profile_error(tmp_path) -> None:
    from inferx.profile_hardware import HardwareProfile

    src = (REGISTRY.entry("hardware", "gb200").path).read_text()
    data = __import__("tomllib").loads(src.replace('host_cpu = "grace"', 'host_cpu = "arm"'))
    with pytest.raises(ValueError, match="host_cpu"):
        HardwareProfile.model_validate(data)
