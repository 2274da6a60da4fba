"""The requests: frozen dataclasses checked by one table-driven validator (inferx/request_base.py)
that raises InputError naming the field, in one line, for every way a request is built."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys

import pytest

from inferx.bill.request import BillRequest
from inferx.compare_request import CompareRequest
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.plan.request import PlanRequest

REQUESTS = [(EstimateRequest, {}), (CompareRequest, {}), (PlanRequest, {}),
            (BillRequest, {"daily_queries": 1000})]


def _error(cls: type, **given: object) -> InputError:
    with pytest.raises(InputError) as info:
        cls(**given)
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize(("field", "value", "message"), [
    ("gpus", True, "gpus: expected a whole number, got True"),
    ("gpus", 2.5, "gpus: expected a whole number, got 2.5"),
    ("gpus", "two", "gpus: expected a whole number, got 'two'"),
    ("gpus", 0, "gpus: must be at least 1, got 0"),
    ("input_tokens", None, "input_tokens: expected a whole number, got None"),
    ("input_tokens", math.inf, "input_tokens: expected a whole number, got inf"),
    ("request_rate", math.nan, "request_rate: expected a finite number, got nan"),
    ("request_rate", False, "request_rate: expected a number, got False"),
    ("gpu_hour_price", "inf", "gpu_hour_price: expected a finite number, got inf"),
    ("model", 5, "model: expected a string, got 5"),
    ("assume", 3, "assume: expected a table of name = number, got 3"),
    ("assume", {"bandwidth_efficiency": "x"},
     "assume: bandwidth_efficiency: expected a number, got 'x'"),
    ("pricing", "cheap",
     ("pricing: expected one of on-demand, reserved-1y, reserved-3y, spot, capacity-block, "
      "got 'cheap'")),
    ("tp", 0, "tp: must be between 1 and 1,024, got 0"),
    ("acceptance_length", True, "acceptance_length: expected a finite number, got True"),
    ("modle", "x", "modle: not a field of EstimateRequest; did you mean model?"),
])
def test_a_bad_value_names_its_field_in_one_line(field: str, value: object,
                                                 message: str) -> None:
    err = _error(EstimateRequest, **{field: value})
    assert str(err) == message
    assert err.field == field


def test_of_several_bad_fields_the_first_in_field_order_is_reported() -> None:
    assert _error(EstimateRequest, precision="nope", gpus=0).field == "gpus"
    assert _error(EstimateRequest, gpus=0, tp=0).field == "tp"


def test_numbers_are_read_as_scenario_files_spell_them() -> None:
    r = EstimateRequest(gpus="4", input_tokens=2000.0, request_rate="2.5",
                        assume={"bandwidth_efficiency": "0.7"})
    assert (r.gpus, r.input_tokens, r.request_rate) == (4, 2000, 2.5)
    assert r.assume == {"bandwidth_efficiency": 0.7}
    assert isinstance(r.input_tokens, int) and isinstance(r.request_rate, float)


def test_cross_field_rules_name_the_later_field() -> None:
    assert _error(EstimateRequest, concurrency=4, clients=3).field == "clients"
    assert _error(BillRequest).field == "daily_queries"
    assert _error(PlanRequest, daily_queries=10, request_rate=1).field == "request_rate"
    assert _error(CompareRequest, models=["a,a"]).field == "models"


@pytest.mark.parametrize(("cls", "given"), REQUESTS)
def test_requests_are_frozen_dataclasses_with_keyword_defaults(cls: type, given: dict) -> None:
    r = cls(**given)
    assert dataclasses.is_dataclass(r)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.model = "x"  # type: ignore[misc]
    assert cls(**given) == r
    assert dataclasses.replace(r) == r
    assert _error(cls, **given, nonsense=1).field == "nonsense"


def test_lists_and_tables_are_not_shared_between_requests() -> None:
    a, b = EstimateRequest(), EstimateRequest()
    assert a.assume == {} and a.assume is not b.assume
    assert CompareRequest().models is not CompareRequest().models


def test_model_dump_and_model_copy_are_kept() -> None:
    r = BillRequest(daily_queries=1000, months=6)
    dump = r.model_dump(exclude={"hourly_weights"})
    assert "hourly_weights" not in dump and dump["growth"] == 0.0 and dump["months"] == 6
    assert list(dump)[:2] == ["tp", "pp"]
    copy = r.model_copy(update={"gpus": 2})
    assert copy.gpus == 2 and r.gpus is None and type(copy) is BillRequest


def test_building_a_request_imports_no_pydantic() -> None:
    """The estimate path builds its request without pydantic (issue 14: start fast)."""
    code = ("import sys, json\n"
            "from inferx.inputs import EstimateRequest\n"
            "from inferx.compare_request import CompareRequest\n"
            "EstimateRequest(gpus=2, prefix_cache_hit='20%', engine='vllm'); CompareRequest()\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pydantic'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("module", ["request_base", "checks", "inputs", "inputs_layout",
                                    "compare_request", "bill/request", "plan/request"])
def test_request_modules_do_not_import_pydantic(module: str) -> None:
    import ast
    from pathlib import Path

    import inferx

    tree = ast.parse((Path(inferx.__file__).parent / f"{module}.py").read_text())
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [n for n in names if n.split(".")[0] == "pydantic"]
