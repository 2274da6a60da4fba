"""Profile records: what every profile is at run time, a frozen dataclass.

A profile file is validated once, by its pydantic model (profile_base.py and the kind modules
beside it), and then becomes a record: the same field names, defaults and methods, without
pydantic, so an estimate does not import it.  The built-in profiles' index
(profile_index.py) makes records straight from its stored JSON.  tests/test_profile_records.py
fails when a record's fields drift from its model's.

Records are declared with `@record` (inferx/record.py: frozen dataclasses that cost less to
define, which matters at start-up).

This module holds what every record shares: identity and provenance fields, the purchase
price, the JSON conversions, and the constants the light modules need (ids, kinds, folders).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import field, fields
from typing import TYPE_CHECKING, Any

from inferx.record import Record, record

PROFILE_SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
KINDS = ("hardware", "model", "price", "api", "quality")
# Folder name under a profiles directory for each kind.
KIND_DIRS = {"hardware": "hardware", "model": "models", "price": "prices", "api": "apis",
             "quality": "quality"}
# Fields a record's JSON holds as text: turned back into their values by `from_json`.
_DATES = ("as_of",)


class ProfileMethods:
    """Methods of every profile, shared by the records and the pydantic models."""

    if TYPE_CHECKING:  # not at run time: pydantic would take them for fields
        id: str
        aliases: list[str]

    def names(self) -> list[str]:
        """The id and every alias, lower-cased: what a user may type to pick this profile."""
        return [self.id.lower(), *(a.strip().lower() for a in self.aliases)]


class JsonRecord(Record):
    """A validated value, rebuilt from its JSON form (`from_json`) or dumped to it
    (`to_json`, what pydantic's `model_dump(mode="json")` gives for its model)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Any:
        """The record whose `to_json` (or its model's JSON dump, unset fields left out) is
        `data`; missing fields take their defaults.  Trusts `data`: it was validated."""
        values = dict(data)
        for name in _DATES:
            if isinstance(values.get(name), str):
                values[name] = dt.date.fromisoformat(values[name])
        for name, record_class in cls.nested().items():
            if values.get(name) is not None:
                values[name] = record_class.from_json(values[name])
        return cls(**values)

    @classmethod
    def nested(cls) -> dict[str, type[JsonRecord]]:
        """Fields holding a record of their own (none here)."""
        return {}

    def to_json(self) -> dict[str, Any]:
        """Every field, in declaration order, as JSON values: dates as ISO text."""
        return {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, JsonRecord):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class ProfileRecord(ProfileMethods, JsonRecord):
    """Identity and provenance, common to every kind of profile."""

    schema_version: int = 1
    id: str
    aliases: list[str] = field(default_factory=list)
    name: str
    source: str
    as_of: dt.date
    notes: str | None = None


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class PurchasePriceRecord(JsonRecord):
    """A published purchase price, with its own source (it rarely shares the spec sheet's)."""

    usd: float
    source: str
    as_of: dt.date
    notes: str | None = None


def is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def slug(text: str) -> str:
    """Kebab-case id from free text: 'Llama-3.1 8B' → 'llama-3.1-8b'."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")
