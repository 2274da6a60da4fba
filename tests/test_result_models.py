"""Result models are plain dataclasses built without validation: every command must build them
as their annotations say, and inferx/jsonable.py must write them as pydantic would (the JSON
contract was pydantic's `model_dump(mode="json")`; pydantic still writes the schemas)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import types
import typing
from typing import Any, Literal

import pytest

from inferx.jsonable import to_jsonable
from inferx.results import Assumption, Envelope, ErrorInfo, PhaseBreakdown, ProfileRef

COMMANDS = [
    ["estimate"],
    ["estimate", "--model", "deepseek-v3", "--hardware", "h200", "--gpus", "8", "--ep", "8",
     "--dp-attention", "8", "--speculative", "mtp", "--acceptance-length", "1.8"],
    ["estimate", "--model", "llama-3.1-70b", "--gpus", "4", "--disaggregate", "1:2",
     "--concurrency", "16"],
    ["estimate", "--model", "llama-3.1-70b", "--request-rate", "2"],
    ["estimate", "--model", "resnet-50"],
    ["estimate", "--sweep", "concurrency"],
    ["compare", "--model", "llama-3.1-8b", "--max-ttft", "500"],
    ["compare", "--across", "hardware", "--hardware", "h100-sxm,a100-80gb,mi300x"],
    ["bill", "--daily-queries", "5000000", "--input-tokens", "800", "--output-tokens", "300",
     "--gpu-hour-price", "2", "--api", "openai-gpt-4o,anthropic-claude-3-5-sonnet",
     "--growth", "15%", "--months", "3", "--cache-hit-rate", "0.3",
     "--purchase-usd", "30000", "--usd-per-kwh", "0.1", "--traffic-shape", "business-hours"],
    ["bill", "--daily-queries", "1000", "--cost-per-query", "0.01"],
    ["plan", "--model", "llama-3.1-8b", "--max-ttft", "1000", "--daily-queries", "100000"],
]


def problems(value: Any, hint: Any, path: str) -> list[str]:
    """Where `value` is not what `hint` declares (dicts for models, tuples for lists, ...)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return []
    if origin in (typing.Union, types.UnionType):
        if any(not problems(value, a, path) for a in args):
            return []
        return [f"{path}: {value!r:.60} is not {hint}"]
    if origin is Literal:
        return [] if value in args else [f"{path}: {value!r} not in {args}"]
    if origin in (list, dict):
        if type(value) is not origin:
            return [f"{path}: {type(value).__name__}, not {origin.__name__}"]
        items = value.items() if origin is dict else enumerate(value)
        return [p for k, v in items for p in problems(v, args[-1], f"{path}[{k!r}]")]
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, hint):
            return [f"{path}: {type(value).__name__}, not {hint.__name__}"]
        hints = typing.get_type_hints(hint)
        return [p for f in dataclasses.fields(hint)
                for p in problems(getattr(value, f.name), hints[f.name], f"{path}.{f.name}")]
    if hint is float:
        ok = type(value) in (float, int)
    elif hint in (int, bool, type(None)):
        ok = type(value) is hint
    else:
        ok = isinstance(value, hint)
    return [] if ok else [f"{path}: {type(value).__name__} {value!r:.60}, not {hint}"]


@pytest.fixture
def envelopes(invoke, monkeypatch, tmp_path):
    import inferx.render

    seen: list[Envelope] = []
    original = inferx.render.render

    def keep(envelope, *args, **kwargs):
        seen.append(envelope)
        return original(envelope, *args, **kwargs)

    monkeypatch.setattr(inferx.render, "render", keep)
    for args in COMMANDS:
        result, _ = invoke(*args, "--format", "json")
        assert result.exit_code == 0, (args, result.stderr)
    base, new = tmp_path / "base.json", tmp_path / "new.json"
    for path, usd in ((base, "0.01"), (new, "0.02")):
        invoke("bill", "--daily-queries", "1000", "--cost-per-query", usd, "--format", "json",
               "--out", str(path))
    result, _ = invoke("diff", str(base), str(new), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return seen


def test_every_command_builds_its_models_as_annotated(envelopes) -> None:
    assert len(envelopes) > len(COMMANDS) and envelopes[-1].command == ["diff"]
    for env in envelopes:
        assert problems(env, type(env), env.command[0]) == []
        if env.data is not None:
            assert dataclasses.is_dataclass(env.data)
            assert problems(env.data, type(env.data), f"{env.command[0]}.data") == []


def test_json_is_what_pydantic_writes(envelopes) -> None:
    """As the pydantic models did: validate (ints in float fields become floats), dump."""
    from pydantic import TypeAdapter

    for env in envelopes:
        if env.data is None:
            continue
        adapter = TypeAdapter(type(env.data))
        validated = adapter.validate_python(adapter.dump_python(env.data))
        theirs = json.dumps(adapter.dump_python(validated, mode="json"), ensure_ascii=False)
        assert json.dumps(to_jsonable(env.data), ensure_ascii=False) == theirs, env.command


class Colour(str, enum.Enum):
    red = "red"


@pytest.mark.parametrize("value", [
    3, 2.5, math.inf, math.nan, None, True, "x", Colour.red, (1, 2.0), {3}, dt.date(2026, 1, 2),
    dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc), {"a": (math.inf,), Colour.red: 1},
    [ProfileRef(kind="k", id="i", name="n", source="s", as_of="2026-01-01")],
])
def test_edge_values_match_pydantic(value) -> None:
    """Num fields write ints as floats and keep inf; Any fields write inf/nan as null."""
    from pydantic import TypeAdapter

    models = [Assumption(name="a", value=value, description="d"),
              ErrorInfo(code="c", message="m", details={"v": value}),
              Envelope.ok(["x"], {"v": value})]
    if isinstance(value, int | float) and not isinstance(value, bool):
        models.append(PhaseBreakdown(bound="memory", compute_ms=value, memory_ms=1,
                                     communication_ms=0, overhead_ms=value))
    for m in models:
        ours = json.dumps(to_jsonable(m))
        assert ours == json.dumps(TypeAdapter(type(m)).dump_python(m, mode="json")), ours


def test_result_models_behave_as_frozen_dataclasses() -> None:
    import copy
    import pickle

    p = PhaseBreakdown(bound="memory", compute_ms=1.0, memory_ms=2.0, communication_ms=0.0,
                       overhead_ms=0.5)
    assert p.attention_ms == 0.0 and dataclasses.is_dataclass(p)
    assert [f.name for f in dataclasses.fields(p)][:2] == ["bound", "compute_ms"]
    assert p == copy.deepcopy(p) == pickle.loads(pickle.dumps(p)) and hash(p) == hash(copy.copy(p))
    assert dataclasses.replace(p, memory_ms=3.0).memory_ms == 3.0 and p.memory_ms == 2.0
    assert repr(p).startswith("PhaseBreakdown(bound='memory', compute_ms=1.0,")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.memory_ms = 4.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        PhaseBreakdown("memory", 1.0, 2.0, 0.0, 0.5)  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError):
        PhaseBreakdown(bound="memory")  # type: ignore[call-arg]
    a, b = ErrorInfo(code="c", message="m"), ErrorInfo(code="c", message="m")
    assert a.details == {} and a.details is not b.details  # default_factory, per instance


def test_assumptions_list_keeps_each_values_type() -> None:
    """The list is reused for equal values; 1, 1.0 and True are equal but write differently."""
    from types import SimpleNamespace

    from inferx.assemble import assumptions_list
    from inferx.engine.assumptions import Assumptions

    names = list(Assumptions.descriptions())
    written = []
    for value in (1, 1.0, True, 1):
        a = SimpleNamespace(**{n: getattr(Assumptions(), n) for n in names})
        setattr(a, names[0], value)
        first = assumptions_list(a, {"memory_bandwidth_gb_per_s": value})  # type: ignore[arg-type]
        written.append(json.dumps(to_jsonable([first[0], first[-1]])))
        first.clear()  # the caller's list is its own
    assert written[0] == written[3] != written[1] != written[2]
    assert '"value": 1.0' in written[1] and '"value": true' in written[2]


def test_every_float_annotation_is_known_to_the_json_writer() -> None:
    """A float field must be listed in jsonable.KINDS (ints in it are written as floats); the
    unions that keep the given type (pydantic's smart mode) are the exceptions."""
    import importlib

    from inferx.jsonable import KINDS

    smart_unions = {"bool | int | float | None", "str | int | float | None"}
    unknown = set()
    for name in ("results_base", "results", "results_fixed", "results_deployment",
                 "compare_results", "bill.results", "plan.results", "plan.sweep", "diff"):
        module = importlib.import_module(f"inferx.{name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls):
                unknown |= {f"{cls.__name__}.{f.name}: {f.type}" for f in dataclasses.fields(cls)
                            if ("Num" in f.type or "float" in f.type)
                            and f.type not in KINDS and f.type not in smart_unions}
    assert unknown == set()
