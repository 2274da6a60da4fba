"""How GPU time is bought: the pricing tiers, one vocabulary (help text and validation derive
from it).  Kept free of heavy imports: the CLI builds its option help from it at start-up."""

from __future__ import annotations

from enum import Enum


class PricingTier(str, Enum):
    """How GPU time is bought."""

    on_demand = "on-demand"
    reserved_1y = "reserved-1y"
    reserved_3y = "reserved-3y"
    spot = "spot"
    capacity_block = "capacity-block"

    @classmethod
    def help(cls) -> str:
        return ", ".join(t.value for t in cls)


TIERS = tuple(t.value for t in PricingTier)
