"""Number types and the base of the result models.  Floats keep full precision (render rounds,
data does not): ``Num`` and ``OptNum`` name the figures that are measurements, for readers of
the models, and add no validation.

Result models are plain frozen dataclasses (``@result`` on an ``Out`` subclass): the engine's
figures are trusted, so building a result validates nothing and costs no pydantic import.
pydantic only writes their JSON Schemas (inferx/_schema.py), reading ``__pydantic_config__``;
inferx/jsonable.py turns them into the JSON data `--format json` prints.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from inferx.record import Record, record

Num = float
OptNum = float | None


class Out(Record):
    """Base of every result model: the JSON Schema forbids keys it does not list."""

    __slots__ = ()
    __pydantic_config__ = {"extra": "forbid"}  # a plain dict: read by pydantic, if imported


# ``@dataclass(frozen=True, slots=True, kw_only=True)`` at a quarter of the import cost
# (inferx/record.py); keyword-only, like the pydantic models they replaced: fields with defaults
# may come first.  ``@result(frozen=False)``: assignable (and unhashable).
result = partial(record, slots=True)


@result
class Warning_(Out):
    code: str
    message: str


@result
class ProfileRef(Out):
    kind: str
    id: str
    name: str
    source: str
    as_of: str


@result
class Assumption(Out):
    name: str
    value: Any
    description: str


@result
class PhaseBreakdown(Out):
    """Roofline terms of one forward pass (ms), and which bound applies."""

    bound: Literal["compute", "memory", "communication"]  # the largest term of the pass
    compute_ms: Num
    memory_ms: Num
    communication_ms: Num
    overhead_ms: Num
    attention_ms: Num = 0.0  # attention kernels, after the linear layers' max(compute, memory)
