"""The bandwidth a memory-bound phase sustains (engine/roofline.py::achieved_bandwidth): the
share bandwidth_efficiency of the peak, softly capped at sm_bytes_per_cycle · SMs · boost clock
on hardware whose profile lists SMs and clock, and nowhere else."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from inferx.engine.assumptions import Assumptions
from inferx.engine.roofline import achieved_bandwidth
from inferx.engine.timing import achieved_bandwidth_of
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.registry import Registry, builtin_dir
from inferx.scenario import build

REGISTRY = Registry.from_dirs(builtin_dir())
TODAY = dt.date(2026, 12, 1)


def _bw(sm_count: int | None, clock: float | None, k: float, peak: float = 2039e9,
        be: float = 0.8) -> float:
    return achieved_bandwidth(peak_bytes_per_s=peak, bandwidth_efficiency=be, sm_count=sm_count,
                              boost_clock_mhz=clock, sm_bytes_per_cycle=k)


def test_without_sms_and_clock_it_is_the_dram_share_exactly() -> None:
    assert _bw(None, None, 1.0) == 2039e9 * 0.8


def test_equal_limits_give_two_to_the_minus_quarter() -> None:
    dram = 2039e9 * 0.8
    k = dram / (108 * 1410e6)  # the SM limit equal to the DRAM one
    assert _bw(108, 1410, k) == pytest.approx(dram * 2 ** -0.25)


def test_the_soft_minimum_by_hand() -> None:
    """A100 SXM at llama.cpp's fitted 6.8 B per SM-cycle: the SM limit (1.036 TB/s) binds."""
    dram, sm = 2039e9 * 0.8, 6.8 * 108 * 1410e6
    assert _bw(108, 1410, 6.8) == pytest.approx((dram ** -4 + sm ** -4) ** -0.25)
    assert 0.95 * sm < _bw(108, 1410, 6.8) < sm


def test_a_limit_twice_the_other_costs_under_two_percent() -> None:
    dram = 2039e9 * 0.8
    k = 2 * dram / (108 * 1410e6)
    assert 0.98 * dram < _bw(108, 1410, k) < dram


@pytest.mark.parametrize("k", [1.0, 6.8, 20.0, 64.0])
def test_never_above_either_limit(k: float) -> None:
    got = _bw(128, 2520, k, peak=1008e9)
    assert got <= 1008e9 * 0.8 and got <= k * 128 * 2520e6


def test_profiles_carry_sms_and_clock_where_sourced() -> None:
    a100 = REGISTRY.get("hardware", "a100-80gb")
    assert (a100.sm_count, a100.boost_clock_mhz) == (108, 1410)
    assert REGISTRY.get("hardware", "mi300x").sm_count is None  # no NVIDIA SM: no cap


def test_the_cap_binds_on_hbm_and_not_on_gddr() -> None:
    """The same kernels (6.8 B per SM-cycle) lose half an A100's bandwidth and almost none of
    an RTX 4090's, whose peak needs 3.1 B per SM-cycle."""
    slow = Assumptions.from_values({"sm_bytes_per_cycle": 6.8, "bandwidth_efficiency": 0.85})
    fast = Assumptions.from_values({"sm_bytes_per_cycle": 64.0, "bandwidth_efficiency": 0.85})
    a100, rtx = (REGISTRY.get("hardware", h) for h in ("a100-80gb", "rtx-4090"))
    assert achieved_bandwidth_of(a100, slow) < 0.62 * achieved_bandwidth_of(a100, fast)
    assert achieved_bandwidth_of(rtx, slow) > 0.97 * achieved_bandwidth_of(rtx, fast)
    mi = REGISTRY.get("hardware", "mi300x")
    assert achieved_bandwidth_of(mi, slow) == achieved_bandwidth_of(mi, fast)


def _tpot_ms(hw: str, k: float, **layout) -> float:
    from inferx.api import estimate

    req = EstimateRequest(model="qwen3-30b-a3b" if layout else "llama-3.1-8b", hardware=hw,
                          concurrency=1, assume={"sm_bytes_per_cycle": k}, **layout)
    return estimate(req, REGISTRY, TODAY).result.latency.tpot_ms


@pytest.mark.parametrize("layout", [{}, {"gpus": 4, "ep": 4, "dp_attention": 4}])
def test_batch1_decode_slows_where_the_cap_binds(layout: dict) -> None:
    """Tensor-parallel and expert/attention-data-parallel replicas alike."""
    assert _tpot_ms("a100-80gb", 4.0, **layout) > 1.3 * _tpot_ms("a100-80gb", 64.0, **layout)
    assert _tpot_ms("mi300x", 4.0, **layout) == _tpot_ms("mi300x", 64.0, **layout)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "2000"])
def test_the_knob_is_bounded(value: str) -> None:
    with pytest.raises(InputError, match="sm_bytes_per_cycle"):
        build(EstimateRequest(model="llama-3.1-8b", hardware="a100-80gb",
                              assume={"sm_bytes_per_cycle": float(value)}), REGISTRY, TODAY)


def test_sm_count_without_a_clock_is_a_profile_error() -> None:
    from inferx.profile_hardware import HardwareProfile

    src = REGISTRY.entry("hardware", "a100-80gb").path.read_text()
    data = tomllib.loads(src.replace("boost_clock_mhz = 1410\n", ""))
    with pytest.raises(ValueError, match="boost_clock_mhz"):
        HardwareProfile.model_validate(data)
