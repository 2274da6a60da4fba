"""Assumptions (inferx/engine/assumptions.py): one table of defaults, bounds and descriptions
drives the check of every value and the descriptions results list; errors name the knob."""

from __future__ import annotations

import dataclasses

import pytest

from inferx.engine.assumptions import BOUNDS, Assumptions
from inferx.errors import InputError
from inferx.scenario import build_assumptions


def test_the_table_gives_names_defaults_and_descriptions() -> None:
    a = Assumptions()
    assert Assumptions.names() == tuple(f.name for f in dataclasses.fields(Assumptions))
    assert list(a.as_dict()) == list(Assumptions.names())
    assert set(Assumptions.descriptions()) == set(BOUNDS)
    assert all(Assumptions.descriptions().values())
    assert type(a.max_num_seqs) is int and type(a.pue) is float


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("compute_efficiency", 1.5, "compute_efficiency: expected a number > 0 and <= 1, got 1.5"),
    ("compute_efficiency", 0, "compute_efficiency: expected a number > 0 and <= 1, got 0"),
    ("gqa_kv_reread", -0.1, "gqa_kv_reread: expected a number >= 0 and <= 1, got -0.1"),
    ("pue", float("nan"), "pue: expected a number >= 1 and <= 3, got nan"),
    ("step_overhead_ms", float("inf"), "step_overhead_ms: expected a number >= 0, got inf"),
    ("max_num_seqs", 2.5, "max_num_seqs: expected an integer > 0 and <= 100000, got 2.5"),
    ("max_batched_tokens", 1e9,
     "max_batched_tokens: expected an integer > 0 and <= 1000000, got 1e+09"),
    ("max_num_seqs", 10**400, "max_num_seqs: expected an integer > 0 and <= 100000, got 1000"),
    ("pue", True, "pue: expected a number >= 1 and <= 3, got True"),
    ("pue", "2", "pue: expected a number >= 1 and <= 3, got '2'"),
])
def test_a_value_out_of_bounds_is_one_line_naming_the_knob(name: str, value: object,
                                                          expected: str) -> None:
    with pytest.raises(InputError) as err:
        Assumptions.from_values({name: value})
    assert err.value.field == name
    assert str(err.value).startswith(expected) and "\n" not in str(err.value)


@pytest.mark.parametrize(("name", "value"), [
    ("compute_efficiency", 1), ("gqa_kv_reread", 0), ("pue", 3), ("moe_load_imbalance", 1),
    ("max_num_seqs", 100_000), ("max_batched_tokens", 1), ("step_overhead_ms", 0)])
def test_inclusive_ends_are_accepted(name: str, value: float) -> None:
    assert getattr(Assumptions.from_values({name: value}), name) == value


def test_values_take_the_knobs_type() -> None:
    a = Assumptions.from_values({"max_num_seqs": 64.0, "pue": 2})
    assert (a.max_num_seqs, type(a.max_num_seqs)) == (64, int)
    assert (a.pue, type(a.pue)) == (2.0, float)
    assert dataclasses.replace(a, max_num_seqs=8).max_num_seqs == 8
    with pytest.raises(InputError):
        dataclasses.replace(a, pue=0.5)


def test_from_values_keeps_the_base() -> None:
    base = Assumptions(step_overhead_ms=2.0)
    a = Assumptions.from_values({"pue": 1.2}, base)
    assert (a.step_overhead_ms, a.pue) == (2.0, 1.2)
    with pytest.raises(InputError, match="unknown assumption"):
        Assumptions.from_values({"warp_factor": 9})


def test_assume_errors_name_assume_then_the_knob() -> None:
    with pytest.raises(InputError) as err:
        build_assumptions({"memory_utilization": 1.2})
    assert err.value.field == "assume"
    assert str(err.value) == ("assume: memory_utilization: expected a number > 0 and <= 1, "
                              "got 1.2")
