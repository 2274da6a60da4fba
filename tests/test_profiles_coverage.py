"""Which estimate figures each shipped hardware profile can support, and a failure wherever a
profile lacks a figure the engine needs without declaring it unpublished.

An estimate needs, per hardware profile:
  weights/KV memory     memory_gb and memory_bandwidth_gb_per_s (required by the schema)
  compute time          a dense peak for a 16-bit dtype (bf16 or fp16)
  multi-GPU comms       interconnect_gb_per_s
  energy                tdp_w
  multi-node            scale_out_gb_per_s (and scale_up_domain: how many devices share the link)
A figure is either given or listed in `unpublished` (the engine then leaves what depends on it
null with a warning).  `python -m pytest tests/test_profiles_coverage.py -s` prints the table.
"""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.profiles import HardwareProfile
from inferx.quant import SIXTEEN_BIT
from inferx.registry import Registry, builtin_dir

MIN_HARDWARE_PROFILES = 60

# estimate figure -> the profile fields it needs (any one of them, for compute)
FIGURES: dict[str, tuple[str, ...]] = {
    "compute_time": tuple(f"peak_tflops.{d}" for d in SIXTEEN_BIT),
    "multi_gpu_comms": ("interconnect_gb_per_s",),
    "energy": ("tdp_w",),
    "scale_up_domain": ("scale_up_domain",),
    "multi_node": ("scale_out_gb_per_s",),
}


def _given(hw: HardwareProfile, name: str) -> bool:
    base, _, dtype = name.partition(".")
    if dtype:
        return dtype in hw.peak_tflops
    return getattr(hw, base) is not None


def coverage(hw: HardwareProfile) -> dict[str, str]:
    """Per estimate figure: 'yes' (given), 'unpublished' (declared) or 'MISSING'."""
    out = {"weights_kv_memory": "yes"}
    for figure, fields in FIGURES.items():
        if any(_given(hw, f) for f in fields):
            out[figure] = "yes"
        elif all(hw.is_unpublished(f) for f in fields):
            out[figure] = "unpublished"
        else:
            out[figure] = "MISSING"
    return out


def _hardware() -> list[HardwareProfile]:
    reg = Registry.from_dirs(builtin_dir())
    return sorted(reg.all("hardware"), key=lambda p: p.id)  # type: ignore[arg-type]


HARDWARE = _hardware()


def coverage_table() -> str:
    """The per-profile support table (printed by the count test under `pytest -s`)."""
    columns = ["weights_kv_memory", *FIGURES]
    lines = ["id".ljust(26) + " ".join(c[:15].ljust(15) for c in columns)]
    for hw in HARDWARE:
        cov = coverage(hw)
        lines.append(hw.id.ljust(26) + " ".join(cov[c].ljust(15) for c in columns))
    return "\n".join(lines)


def test_at_least_sixty_hardware_profiles_each_with_source_and_date() -> None:
    print("\n" + coverage_table())
    assert len(HARDWARE) >= MIN_HARDWARE_PROFILES, len(HARDWARE)
    for hw in HARDWARE:
        assert len(hw.source.strip()) >= 3, hw.id
        assert isinstance(hw.as_of, dt.date), hw.id


@pytest.mark.parametrize("hw", HARDWARE, ids=lambda h: h.id)
def test_every_figure_is_given_or_declared_unpublished(hw: HardwareProfile) -> None:
    missing = [f for f, state in coverage(hw).items() if state == "MISSING"]
    assert not missing, (f"{hw.id}: lacks {', '.join(missing)}; give the figure with its source "
                         "or declare it in `unpublished`")


def test_the_check_fails_for_a_profile_that_lacks_a_figure() -> None:
    bare = HardwareProfile(id="bare", name="Bare", source="test", as_of=dt.date(2026, 1, 1),
                           vendor="X", memory_gb=16, memory_bandwidth_gb_per_s=100,
                           peak_tflops={"fp32": 10})
    assert set(v for k, v in coverage(bare).items() if k != "weights_kv_memory") == {"MISSING"}
    declared = bare.model_copy(update={"unpublished": ["peak_tflops.bf16", "peak_tflops.fp16",
                                                       "tdp_w"]})
    assert coverage(declared)["compute_time"] == "unpublished"
    assert coverage(declared)["energy"] == "unpublished"
    assert coverage(declared)["multi_node"] == "MISSING"


def test_v100_and_t4_have_no_native_bf16() -> None:
    by_id = {hw.id: hw for hw in HARDWARE}
    for hw_id in ("v100-sxm2-16gb", "v100-sxm2-32gb", "v100-pcie-16gb", "t4"):
        hw = by_id[hw_id]
        assert hw.runs_natively("fp16") and not hw.runs_natively("bf16"), hw_id
