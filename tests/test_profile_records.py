"""Profile records (inferx/profile_record_*.py) against their pydantic models: the same fields
in the same order, the same defaults, the same methods, the same JSON; and the path an
estimate takes through profiles, presets and assumptions imports no pydantic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import typing

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from inferx.profile_base import PurchasePrice
from inferx.profile_record_base import _DATES, ProfileMethods, PurchasePriceRecord
from inferx.profiles import KINDS, PROFILE_CLASSES, RECORD_CLASSES
from inferx.registry import Registry, builtin_dir, read_profile

PAIRS = [*((PROFILE_CLASSES[k], RECORD_CLASSES[k]) for k in KINDS),
         (PurchasePrice, PurchasePriceRecord)]
IDS = [model.__name__ for model, _ in PAIRS]


def _default(model_field: typing.Any) -> typing.Any:
    if model_field.default_factory is not None:
        return model_field.default_factory()
    return model_field.default


def _record_default(f: dataclasses.Field[typing.Any]) -> typing.Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return PydanticUndefined if f.default is dataclasses.MISSING else f.default


@pytest.mark.parametrize(("model", "record"), PAIRS, ids=IDS)
def test_a_record_has_its_models_fields_in_order_with_the_same_defaults(model, record) -> None:
    """The drift test: a field added to (or renamed in, or re-defaulted in) a pydantic profile
    model must be added to its record, where the index fills unset fields from."""
    fields = dataclasses.fields(record)
    assert [f.name for f in fields] == list(model.model_fields)
    for f in fields:
        expected, got = _default(model.model_fields[f.name]), _record_default(f)
        assert (got, type(got)) == (expected, type(expected)), f"{record.__name__}.{f.name}"


@pytest.mark.parametrize(("model", "record"), PAIRS, ids=IDS)
def test_every_field_json_cannot_hold_is_converted_by_from_json(model, record) -> None:
    """Dates and nested models come back from the index's JSON as validation made them."""

    def kinds(annotation: typing.Any) -> set[type]:
        found = {a for a in typing.get_args(annotation) for a in kinds(a)}
        if isinstance(annotation, type) and (annotation is dt.date
                                             or issubclass(annotation, BaseModel)):
            found.add(annotation)
        return found

    for name, info in model.model_fields.items():
        for kind in kinds(info.annotation):
            if kind is dt.date:
                assert name in _DATES, f"{model.__name__}.{name}: a date from_json leaves text"
            else:
                assert record.nested().get(name) is kind.record_class, f"{model.__name__}.{name}"


@pytest.mark.parametrize(("model", "record"), PAIRS, ids=IDS)
def test_records_and_models_share_their_methods(model, record) -> None:
    mixins = [c for c in model.__mro__ if c.__module__.startswith("inferx.profile_record")]
    assert all(issubclass(record, c) for c in mixins)
    assert model is PurchasePrice or ProfileMethods in mixins


def test_every_builtin_record_dumps_as_its_model_does() -> None:
    """`profiles show --format json` prints `to_json()`: what `model_dump(mode="json")` gave."""
    registry = Registry.from_dirs(builtin_dir())
    for kind in KINDS:
        for entry in registry.entries(kind):
            model = read_profile(entry.path, kind)
            assert entry.profile.to_json() == model.model_dump(mode="json"), entry.path
            assert list(entry.profile.to_json()) == list(model.model_dump(mode="json"))
            assert type(entry.profile).from_json(entry.profile.to_json()) == entry.profile


def test_records_behave_as_frozen_keyword_only_dataclasses() -> None:
    """Record's shared __init__ / __repr__ / __eq__ / __hash__ do what the dataclass
    decorator's would (profile_record_base.py says why they are shared)."""
    hw = Registry.from_dirs(builtin_dir()).get("hardware", "h100")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hw.memory_gb = 1.0
    bigger = dataclasses.replace(hw, memory_gb=1.0, device_memory_mib=None)
    assert bigger.memory_gb == 1.0 and bigger.capacity_bytes == 1e9 and bigger != hw
    assert dataclasses.replace(hw) == hw and dataclasses.replace(hw) is not hw
    assert repr(hw).startswith("HardwareRecord(schema_version=1, id='h100-sxm', aliases=[")
    price = PurchasePriceRecord(usd=1.0, source="abc", as_of=dt.date(2026, 1, 1))
    assert hash(price) == hash(dataclasses.replace(price)) and price.notes is None
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'as_of'"):
        PurchasePriceRecord(usd=1.0, source="abc")
    with pytest.raises(TypeError, match="unexpected keyword argument 'euro'"):
        PurchasePriceRecord(usd=1.0, source="abc", as_of=dt.date(2026, 1, 1), euro=2)
    one, two = (RECORD_CLASSES["hardware"].from_json({"id": "x", "name": "X", "source": "abc",
                                                      "as_of": "2026-01-01", "vendor": "v",
                                                      "memory_gb": 1.0,
                                                      "memory_bandwidth_gb_per_s": 2.0})
                for _ in range(2))
    assert one == two and one.aliases == [] and one.aliases is not two.aliases


def test_the_estimate_path_of_profiles_presets_and_assumptions_imports_no_pydantic() -> None:
    """Resolving built-in profiles, a preset, a calibration file's checks, assumptions and
    the engine load no pydantic (the request and result models are another matter)."""
    code = """if True:
        import sys
        from inferx.registry import Registry, builtin_dir
        import inferx.engine.estimate, inferx.engine.serving, inferx.pricing, inferx.preset_files
        import inferx.calibration.file, inferx.calibration.bands, inferx.result_ranges
        from inferx.engine.assumptions import Assumptions
        from inferx.engine.presets import base_assumptions
        from inferx.preset_files import builtin_preset
        reg = Registry.from_dirs(builtin_dir())
        hw, m = reg.get("hardware", "h100"), reg.get("model", "llama-3.1-70b")
        reg.all("price"); reg.get("api", reg.all("api")[0].id)
        base_assumptions(builtin_preset("vllm")).as_dict()
        found = sorted(n for n in sys.modules if n.split(".")[0] in ("pydantic", "pydantic_core"))
        print(found)
        sys.exit(1 if found else 0)
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
