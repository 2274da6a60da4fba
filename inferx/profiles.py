"""Profile schemas: hardware, models, GPU-hour prices, API token prices, quality impact.

Every profile is one TOML file, validated on load into a frozen model that forbids unknown
keys.  Each carries ``id``, ``aliases``, ``name``, ``source`` and ``as_of``: every figure in a
profile must be traceable to its source.  The format is documented in docs/profiles.md.

Two classes per kind, with the same fields and methods:
* the record (``HardwareRecord``, ``ModelRecord``, ...: profile_record_*.py), a frozen
  dataclass: what the registry hands out and the engine computes on;
* the pydantic model (``HardwareProfile``, ``ModelProfile``, ...: profile_base.py,
  profile_hardware.py, profile_model.py, profile_prices.py), which validates a file and turns
  into its record (``to_record()``).
This module is the one place that names them all.  The records and constants import without
pydantic; the models (and PROFILE_CLASSES, the value types) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inferx.profile_record_base import (  # noqa: F401 (the profile API)
    ID_PATTERN,
    KIND_DIRS,
    KINDS,
    PROFILE_SCHEMA_VERSION,
    ProfileRecord,
    PurchasePriceRecord,
    is_finite_number,
    slug,
)
from inferx.profile_record_hardware import UNPUBLISHABLE, HardwareRecord  # noqa: F401
from inferx.profile_record_model import WORKLOAD_KIND, ModelRecord  # noqa: F401
from inferx.profile_record_prices import (  # noqa: F401
    ApiPriceRecord,
    GpuPriceRecord,
    QualityRecord,
)

if TYPE_CHECKING:
    from inferx.profile_base import (  # noqa: F401
        ComputeDtype,
        FiniteFloat,
        NonNegFloat,
        NonNegInt,
        Number,
        PositiveFloat,
        PositiveInt,
        PurchasePrice,
        StrictBool,
        _Profile,
    )
    from inferx.profile_hardware import HardwareProfile  # noqa: F401
    from inferx.profile_model import ModelProfile  # noqa: F401
    from inferx.profile_prices import ApiPriceProfile, GpuPriceProfile, QualityProfile  # noqa: F401

Record = HardwareRecord | ModelRecord | GpuPriceRecord | ApiPriceRecord | QualityRecord
RECORD_CLASSES: dict[str, type[ProfileRecord]] = {
    "hardware": HardwareRecord,
    "model": ModelRecord,
    "price": GpuPriceRecord,
    "api": ApiPriceRecord,
    "quality": QualityRecord,
}

# The pydantic side, by the module that defines each name (imported when first asked for).
_MODELS = {
    "inferx.profile_base": ("ComputeDtype", "FiniteFloat", "NonNegFloat", "NonNegInt", "Number",
                            "PositiveFloat", "PositiveInt", "PurchasePrice", "StrictBool",
                            "_Profile"),
    "inferx.profile_hardware": ("HardwareProfile",),
    "inferx.profile_model": ("ModelProfile",),
    "inferx.profile_prices": ("ApiPriceProfile", "GpuPriceProfile", "QualityProfile"),
}


def _profile_classes() -> dict[str, Any]:
    from inferx.profile_hardware import HardwareProfile
    from inferx.profile_model import ModelProfile
    from inferx.profile_prices import ApiPriceProfile, GpuPriceProfile, QualityProfile

    return {"hardware": HardwareProfile, "model": ModelProfile, "price": GpuPriceProfile,
            "api": ApiPriceProfile, "quality": QualityProfile}


def __getattr__(name: str) -> Any:
    """The pydantic models (and PROFILE_CLASSES, Profile), imported on first use."""
    import importlib

    if name == "PROFILE_CLASSES":
        value: Any = _profile_classes()
    elif name == "Profile":
        c = _profile_classes()
        value = c["hardware"] | c["model"] | c["price"] | c["api"] | c["quality"]
    else:
        module = next((m for m, names in _MODELS.items() if name in names), None)
        if module is None:
            raise AttributeError(f"module 'inferx.profiles' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
