"""The assembly caches (inferx/assemble*.py, inferx/result_ranges.py): what a sweep over
concurrency or traffic repeats for every point is resolved once per frozen input, follows a
changed input, stays bounded, and gives the values the uncached formulas give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inferx import assemble, assemble_deployment, result_ranges
from inferx.assemble import assumptions_list, deployment_result, hardware_ref, model_ref
from inferx.engine.assumptions import Assumptions
from inferx.engine.deployment import Deployment
from inferx.engine.presets import RANGE_BASIS, value_range
from inferx.preset_files import builtin_preset
from inferx.registry import Registry, builtin_dir
from inferx.result_ranges import RANGED, estimate_ranges, range_plan

REG = Registry.from_dirs(builtin_dir())
H100 = REG.get("hardware", "h100-sxm")


def _blocks(value: float | None) -> tuple[SimpleNamespace, ...]:
    """latency, throughput and cost sections holding `value` in every ranged figure."""
    sections: list[dict[str, float | None]] = [{}, {}, {}]
    for section, name, _, _ in RANGED:
        sections[section][name] = value
    return tuple(SimpleNamespace(**s) for s in sections)


def _uncached(preset, hw, mode: str) -> tuple:
    """The plan built from result_ranges._bands directly, as group_ranges read it per figure."""
    bands = result_ranges._bands(preset, result_ranges._family(hw), mode)
    return tuple((s, name, key, *(bands[m][0] or (None, None)), inv, bands[m][1], bands[m][2])
                 for s, name, key, (m, inv) in RANGED if bands[m] is not None)


@pytest.mark.parametrize("hw", ["h100-sxm", "mi300x", "tpu-v5e"])
@pytest.mark.parametrize("mode", ["clients", "rate", "static (EP)", "never measured"])
def test_range_plan_is_the_groups_bands(hw: str, mode: str) -> None:
    vllm, hardware = builtin_preset("vllm"), REG.get("hardware", hw)
    plan = range_plan(vllm, hardware, mode)
    assert range_plan(vllm, hardware, mode) is plan  # resolved once per group
    assert plan == _uncached(vllm, hardware, mode)
    assert {key for _, _, key, *_ in plan} == set(RANGE_BASIS)


def test_range_plan_follows_the_group() -> None:
    vllm = builtin_preset("vllm")
    plan = range_plan(vllm, H100, "clients")
    assert range_plan(vllm, H100, "rate") != plan  # another serving mode, another band
    assert range_plan(vllm, REG.get("hardware", "mi300x"), "clients") != plan  # family
    unmeasured = range_plan(vllm, H100, "never measured")
    assert all(step[-1] for step in unmeasured) and not any(step[-1] for step in plan)


def test_range_plan_follows_a_new_fitted_table(monkeypatch) -> None:
    vllm = builtin_preset("vllm")
    plan = range_plan(vllm, H100, "clients")
    table = result_ranges.fitted_table()
    monkeypatch.setattr(result_ranges, "fitted_table", lambda: dict(table))  # equal, new
    assert range_plan(vllm, H100, "clients") is not plan
    assert range_plan(vllm, H100, "clients") == plan


def test_range_plans_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(result_ranges, "MAX_PLANS", 3)
    for n in range(8):
        range_plan(builtin_preset("vllm"), H100, f"mode {n}")
    assert len(result_ranges._PLANS) <= 3


@given(value=st.floats(min_value=1e-9, max_value=1e12) | st.just(0.0) | st.just(math.nan),
       p10=st.floats(min_value=0.05, max_value=3.0), width=st.floats(min_value=0, max_value=3))
def test_one_pass_ranges_are_value_range(value: float, p10: float, width: float) -> None:
    """estimate_ranges writes engine/presets.py value_range out: the same floats, NaN too."""
    band = [p10, p10 + width]
    plan = tuple((s, name, key, band[0], band[1], inverse, metric, False)
                 for s, name, key, (metric, inverse) in RANGED)
    got, extrapolated = estimate_ranges(plan, *_blocks(value))
    assert not extrapolated and list(got) == [key for _, _, key, _ in RANGED]
    for _, _, key, (metric, inverse) in RANGED:
        want = value_range(value, band, inverse=inverse)
        pair = (got[key].low, got[key].high)
        assert repr(pair) == repr(want) and got[key].basis == metric


def test_missing_figures_and_empty_bands_get_no_range() -> None:
    plan = tuple((s, name, key, None, None, False, metric, True)
                 for s, name, key, (metric, _) in RANGED)
    assert estimate_ranges(plan, *_blocks(None)) == ({}, False)
    assert estimate_ranges(plan, *_blocks(5.0)) == ({}, True)  # extrapolated all the same


def test_profile_refs_are_kept_per_record_and_follow_a_changed_record() -> None:
    m = REG.get("model", "llama-3.1-8b")
    ref = model_ref(m)
    assert model_ref(m) is ref and ref == assemble.profile_ref("model", m)
    newer = dataclasses.replace(m, as_of=dt.date(2030, 1, 2))
    assert model_ref(newer).as_of == "2030-01-02" and model_ref(m) is ref
    assert hardware_ref(H100).kind == "hardware" and hardware_ref(H100).id == H100.id


def test_assumptions_list_per_object_equals_the_list_by_value() -> None:
    a = Assumptions()
    first = assumptions_list(a, {})
    assert first == assumptions_list(a, {}, by_value=True)
    first.clear()  # the caller's list is its own
    assert assumptions_list(a, {}) == assumptions_list(a, {}, by_value=True) != []
    b = Assumptions.from_values({"pue": 1.5})
    assert {x.name: x.value for x in assumptions_list(b, {})}["pue"] == 1.5
    with_hw = assumptions_list(a, {"tdp_w": 300.0})
    assert with_hw[:-1] == assumptions_list(a, {}) and with_hw[-1].name == "tdp_w"


def _point(hw, d: Deployment, gpus: int, k: int = 8) -> tuple[SimpleNamespace, SimpleNamespace]:
    sc = SimpleNamespace(hardware=hw, speculation=None, deployment=d,
                         model=SimpleNamespace(experts_per_token=k),
                         request=SimpleNamespace(gpus=None, prefix_cache_hit=None))
    op = SimpleNamespace(point=SimpleNamespace(deployment=d), disaggregated=None, gpus=gpus)
    return sc, op


def test_layout_links_are_kept_per_hardware_and_deployment(monkeypatch) -> None:
    d = Deployment(tp=4, ep=4)
    one = deployment_result(*_point(H100, d, 4))
    assert [lk.collective for lk in one.links] == ["all-reduce", "all-gather + reduce-scatter"]
    # the entry is per experts-per-token too: over a 72-GPU fabric the exchange's name
    # depends on k (an all-to-all only when ep > k)
    fabric = dataclasses.replace(H100, scale_up_domain=72)
    names = [deployment_result(*_point(fabric, d, 4, k=k)).links[1].collective
             for k in (8, 1, 8)]
    assert names == ["all-gather + reduce-scatter", "all-to-all", "all-gather + reduce-scatter"]
    again = deployment_result(*_point(H100, d, 4))
    assert again == one and again.links is not one.links  # a list of its own
    slower = dataclasses.replace(H100, interconnect_gb_per_s=100.0)
    assert {lk.gb_per_s for lk in deployment_result(*_point(slower, d, 4)).links} == {100.0}
    assert deployment_result(*_point(H100, Deployment(tp=2), 2)).layout == "TP2"
    monkeypatch.setattr(assemble_deployment, "MAX_LAYOUTS", 2)
    for n in range(5):  # new records: each a new entry
        deployment_result(*_point(dataclasses.replace(H100, tdp_w=100.0 + n), d, 4))
    assert len(assemble_deployment._LAYOUTS) <= 2


@pytest.mark.parametrize("mode", ["concurrency", "max", "clients"])
def test_serving_group_without_a_layout_has_no_slice(mode: str) -> None:
    from inferx.calibration.families import layout_slice

    want = "static" if mode == "concurrency" else {"concurrency": "clients"}.get(mode, mode)
    got = result_ranges.serving_group(mode, mode == "concurrency", None, None)
    assert got == want + layout_slice(None, None)
    assert result_ranges.serving_group(mode, False, Deployment(tp=2, pp=2), None).endswith(
        layout_slice(Deployment(tp=2, pp=2), None))
