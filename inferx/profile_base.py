"""What every profile shares: identity and provenance fields, the value types, purchase prices,
and small helpers.  Profiles are data, validated at the door (docs/profiles.md)."""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

PROFILE_SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
class ProfileKind(str, Enum):
    """The kinds of profile; each has a folder of TOML files (profiles.KIND_DIRS)."""

    hardware = "hardware"
    model = "model"
    price = "price"
    api = "api"
    quality = "quality"


KINDS = tuple(k.value for k in ProfileKind)

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


class _Profile(BaseModel):
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

    def names(self) -> list[str]:
        """The id and every alias, lower-cased: what a user may type to pick this profile."""
        return [self.id.lower(), *(a.strip().lower() for a in self.aliases)]


class PurchasePrice(BaseModel):
    """A published purchase price, with its own source (it rarely shares the spec sheet's)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    usd: PositiveFloat
    source: Annotated[str, Field(min_length=3)]
    as_of: dt.date
    notes: str | None = None


# Hardware figures a profile may declare unpublished (HardwareProfile.unpublished).


def is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def slug(text: str) -> str:
    """Kebab-case id from free text: 'Llama-3.1 8B' → 'llama-3.1-8b'."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")
