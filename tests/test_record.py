"""inferx/record.py: a `@record` class behaves as the frozen keyword-only dataclass it stands
in for (the decorator's generated __init__, __repr__, __eq__ and __hash__ are replaced by
shared ones, which cost less at start-up)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from inferx.record import Record, record


@dataclass(frozen=True, kw_only=True)
class Plain:
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)
    count: int


@record
class Rec(Record):
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)
    count: int


@record
class Checked(Record):
    n: int = 1

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError("n: expected >= 0")


def test_a_record_matches_the_dataclass() -> None:
    p, r = Plain(name="a", count=2), Rec(name="a", count=2)
    assert repr(r) == repr(p).replace("Plain(", "Rec(")
    assert [f.name for f in dataclasses.fields(r)] == [f.name for f in dataclasses.fields(p)]
    assert dataclasses.asdict(r) == dataclasses.asdict(p)
    assert r == Rec(name="a", count=2) and r != Rec(name="a", count=3) and r != p
    assert hash(Rec(name="a", count=2, tags=())) == hash(Rec(name="a", count=2, tags=()))
    assert Rec(name="a", count=2).tags is not r.tags  # a fresh default per instance
    assert dataclasses.replace(r, size=2.0) == Rec(name="a", size=2.0, count=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.size = 3.0  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'count'"):
        Rec(name="a")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Rec(name="a", count=1, colour="red")
    with pytest.raises(TypeError):
        Rec("a", 1.0)  # type: ignore[misc]  (keyword-only, as kw_only=True makes it)


def test_post_init_runs_on_construction_and_replace() -> None:
    assert Checked().n == 1
    with pytest.raises(ValueError, match="n: expected >= 0"):
        Checked(n=-1)
    with pytest.raises(ValueError):
        dataclasses.replace(Checked(), n=-2)


@record(slots=True)
class Slotted(Record):
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)


@record(slots=True)
class SlottedChild(Slotted):
    count: int = 0


def test_a_slotted_record_writes_its_slots_and_stays_frozen() -> None:
    """A slotted record's __init__ sets each field through its slot (record._slot_setter),
    inherited slots included; the result is the same record, still frozen."""
    s = SlottedChild(name="a", tags=["x"], count=3)
    assert (s.name, s.size, s.tags, s.count) == ("a", 1.0, ["x"], 3)
    assert s == SlottedChild(name="a", tags=["x"], count=3) != SlottedChild(name="b", count=3)
    assert not hasattr(s, "__dict__")
    assert SlottedChild(name="a").tags is not SlottedChild(name="a").tags
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.size = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'name'"):
        SlottedChild()  # type: ignore[call-arg]
    assert dataclasses.replace(s, size=4.0).size == 4.0
    assert Rec(name="a", count=1).size == 1.0  # unslotted: the object.__setattr__ path


def test_a_maker_builds_what_the_class_builds() -> None:
    """record.maker(cls): the same keyword construction as cls(...), without the type call."""
    from inferx.record import maker

    for cls, kw in ((Rec, {"name": "a", "count": 2}), (SlottedChild, {"name": "b", "count": 1}),
                    (Slotted, {"name": "c", "size": 3.0, "tags": ["t"]})):
        made = maker(cls)(**kw)
        assert type(made) is cls and made == cls(**kw) and repr(made) == repr(cls(**kw))
    assert maker(Rec) is maker(Rec)  # compiled once per class
    assert maker(Rec)(name="a", count=1).tags is not maker(Rec)(name="a", count=1).tags
    with pytest.raises(ValueError, match="n: expected >= 0"):
        maker(Checked)(n=-1)  # __post_init__ runs
    for call in (lambda c: c(name="a"), lambda c: c(name="a", count=1, colour="red")):
        with pytest.raises(TypeError) as by_class:
            call(Rec)
        with pytest.raises(TypeError) as by_maker:
            call(maker(Rec))
        assert str(by_maker.value) == str(by_class.value)
    with pytest.raises(dataclasses.FrozenInstanceError):
        maker(SlottedChild)(name="a").count = 2  # type: ignore[misc]


def test_init_is_compiled_on_the_first_call_and_behaves_alike_before_and_after() -> None:
    @record(slots=True)
    class Fresh(Record):
        a: int
        b: str = "x"

    stub = Fresh.__init__
    with pytest.raises(TypeError) as first:
        Fresh()  # type: ignore[call-arg]  (the first call: through the stub)
    assert Fresh.__init__ is not stub  # compiled and installed
    with pytest.raises(TypeError) as again:
        Fresh()  # type: ignore[call-arg]
    assert str(first.value) == str(again.value) == (
        "test_init_is_compiled_on_the_first_call_and_behaves_alike_before_and_after.<locals>."
        "Fresh.__init__() missing 1 required keyword-only argument: 'a'")
    assert Fresh(a=1) == Fresh(a=1, b="x") and Fresh(a=1).b == "x"
