"""Profile schemas: hardware, models, GPU-hour prices, API token prices, quality impact.

Every profile is one TOML file, validated on load into a frozen model that forbids unknown
keys.  Each carries ``id``, ``aliases``, ``name``, ``source`` and ``as_of``: every figure in a
profile must be traceable to its source.  The format is documented in docs/profiles.md.
The classes live in profile_base.py, profile_hardware.py, profile_model.py and
profile_prices.py; this module is the one place that names them all.
"""

from __future__ import annotations

from inferx.profile_base import (  # noqa: F401 (the profile API)
    ID_PATTERN,
    KINDS,
    PROFILE_SCHEMA_VERSION,
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
    is_finite_number,
    slug,
)
from inferx.profile_hardware import UNPUBLISHABLE, HardwareProfile  # noqa: F401
from inferx.profile_model import WORKLOAD_KIND, ModelProfile  # noqa: F401
from inferx.profile_prices import ApiPriceProfile, GpuPriceProfile, QualityProfile  # noqa: F401

Profile = HardwareProfile | ModelProfile | GpuPriceProfile | ApiPriceProfile | QualityProfile
PROFILE_CLASSES: dict[str, type[_Profile]] = {
    "hardware": HardwareProfile,
    "model": ModelProfile,
    "price": GpuPriceProfile,
    "api": ApiPriceProfile,
    "quality": QualityProfile,
}
# Folder name under a profiles directory for each kind.
KIND_DIRS = {"hardware": "hardware", "model": "models", "price": "prices", "api": "apis",
             "quality": "quality"}
