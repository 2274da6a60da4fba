"""What every profile's pydantic model shares: identity and provenance fields, the value types,
purchase prices, and the conversion to a record.  Profiles are data, validated at the door
(docs/profiles.md) by these models, then used as records (profile_record_base.py), which
import no pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from inferx.profile_record_base import (  # noqa: F401 (the profile API)
    ID_PATTERN,
    KINDS,
    PROFILE_SCHEMA_VERSION,
    ProfileMethods,
    PurchasePriceRecord,
    is_finite_number,
    slug,
)


def _plain_number(value: object) -> object:
    """A profile's number is a TOML/JSON number: `true` is not 1 and "80" is not 80."""
    if isinstance(value, bool | str):
        raise ValueError(f"expected a number, got {type(value).__name__} {str(value)[:40]!r}")
    return value


Number = BeforeValidator(_plain_number)
PositiveFloat = Annotated[float, Number, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Number, Field(ge=0, allow_inf_nan=False)]
FiniteFloat = Annotated[float, Number, Field(allow_inf_nan=False)]
PositiveInt = Annotated[int, Number, Field(gt=0)]
NonNegInt = Annotated[int, Number, Field(ge=0)]
StrictBool = Annotated[bool, Field(strict=True)]

# Compute dtypes a profile may list a dense peak for.
ComputeDtype = Literal["fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", "fp4"]


class _Validated(BaseModel):
    """A pydantic model that converts to its record once validated."""

    record_class: ClassVar[type[Any]]

    def to_record(self) -> Any:
        """The record holding this model's values (nested models as their records)."""
        values = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            values[name] = value.to_record() if isinstance(value, _Validated) else value
        return self.record_class(**values)


class _Profile(_Validated, ProfileMethods):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)

    schema_version: Literal[1] = 1
    id: Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
    aliases: list[str] = Field(default_factory=list)
    name: Annotated[str, Field(min_length=1)]
    source: Annotated[str, Field(min_length=3)]
    as_of: dt.date
    notes: str | None = None

    @field_validator("aliases")
    @classmethod
    def _aliases_unique(cls, value: list[str]) -> list[str]:
        lowered = [a.strip().lower() for a in value]
        if len(set(lowered)) != len(lowered):
            raise ValueError("aliases must be unique")
        if any(not a for a in lowered):
            raise ValueError("aliases must be non-empty strings")
        return value


class PurchasePrice(_Validated):
    """A published purchase price, with its own source (it rarely shares the spec sheet's)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    record_class = PurchasePriceRecord

    usd: PositiveFloat
    source: Annotated[str, Field(min_length=3)]
    as_of: dt.date
    notes: str | None = None

