"""The one GPU-hour price resolver: hardware x pricing tier x provider → a dated price.

Every command (estimate, compare, bill, plan) prices GPU time here, by one rule
(docs/methodology.md#prices):

1. `gpu_hour_price` (the user's own figure) wins;
2. else `price` (a price profile id): that profile's figure for the tier (an error naming
   `pricing` when it publishes none);
3. else among the price profiles for the hardware (of `provider` only, when given) that
   publish the tier:
   * on-demand: the median by price (the lower middle one for an even count, ties by id): a
     typical market price, neither the cheapest marketplace listing nor the dearest
     hyperscaler;
   * a commitment or interruptible tier (reserved-1y, reserved-3y, spot, capacity-block): the
     cheapest, since whoever commits shops for it; when even that costs more than the
     on-demand default, a warning says so.
   The result names the profile it used; none found: no price (costs are not estimated).
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

from inferx.errors import InputError
from inferx.pricing_tiers import TIERS, PricingTier  # noqa: F401 (re-exported)
from inferx.profiles import GpuPriceRecord

PRICE_MAX_AGE_DAYS = 180
MAX_QUOTES = 1024  # default prices kept by registry_quote


@dataclass(frozen=True)
class PriceNote:
    code: str
    message: str


@dataclass(frozen=True)
class PriceQuote:
    """A resolved price: label ('user', a profile id, or None), USD per GPU-hour (None: no
    price known), the profile behind it, the tier, and what the user should know."""

    label: str | None
    usd_per_gpu_hour: float | None
    profile: GpuPriceRecord | None
    tier: str
    notes: tuple[PriceNote, ...] = ()


def stale_note(p: Any, today: dt.date) -> PriceNote | None:
    age = (today - p.as_of).days
    if age > PRICE_MAX_AGE_DAYS:
        return PriceNote("price_stale", (
            f"price profile {p.id} is {age} days old (as_of {p.as_of}); prices move often: "
            "check it or pass --gpu-hour-price"))
    return None


def _offers(profiles: list[Any], hardware_id: str, tier: str,
            provider: str | None) -> list[tuple[float, str, Any]]:
    offers = []
    for p in profiles:  # the hardware test first: it rules out most profiles cheaply
        if p.hardware != hardware_id or (provider is not None
                                         and p.provider.lower() != provider.lower()):
            continue
        usd = p.price_for(tier)
        if usd is not None:
            offers.append((usd, p.id, p))
    return sorted(offers)


def default_profile(profiles: list[Any], hardware_id: str, tier: str = "on-demand",
                    provider: str | None = None) -> Any | None:
    """The profile rule 3 picks (module docstring), or None."""
    offers = _offers(profiles, hardware_id, tier, provider)
    if not offers:
        return None
    if tier in ("on-demand", "any"):
        return offers[(len(offers) - 1) // 2][2]
    return offers[0][2]


def quote(profiles: list[Any], hardware_id: str, *, tier: str = "on-demand",
          price_profile: Any | None = None, gpu_hour_price: float | None = None,
          provider: str | None = None, today: dt.date) -> PriceQuote:
    """Resolve one price by the module's rule.  `profiles`: the price profiles to choose from
    (every one known, or `Registry.prices_for(hardware_id)`: the same answer, fewer to scan);
    `price_profile`: the one the user named (already looked up)."""
    if gpu_hour_price is not None:
        return PriceQuote("user", gpu_hour_price, None, tier)
    notes: list[PriceNote] = []
    if price_profile is not None:
        p = price_profile
        if p.hardware != hardware_id:
            notes.append(PriceNote("price_hardware_mismatch",
                                   f"price profile {p.id} is for {p.hardware}, not {hardware_id}"))
        usd = p.price_for(tier)
        if usd is None:
            raise InputError("pricing", f"price profile {p.id} has no {tier} price")
    else:
        p = default_profile(profiles, hardware_id, tier, provider)
        if p is None:
            whose = f" from provider {provider}" if provider else ""
            notes.append(PriceNote("no_price", (
                f"no {tier} price profile{whose} for {hardware_id}: costs not estimated; "
                "pass --gpu-hour-price or --price")))
            return PriceQuote(None, None, None, tier, tuple(notes))
        usd = p.price_for(tier)
        if tier != "on-demand":
            od = default_profile(profiles, hardware_id, "on-demand", provider)
            if od is not None and od.price_for("on-demand") < usd:
                notes.append(PriceNote("tier_dearer_than_on_demand", (
                    f"the cheapest {tier} price for {hardware_id} ({p.id}, ${usd:g}/GPU-h) is "
                    f"above the on-demand default ({od.id}, "
                    f"${od.price_for('on-demand'):g}/GPU-h)")))
    stale = stale_note(p, today)
    if stale:
        notes.append(stale)
    return PriceQuote(p.id, usd, p, tier, tuple(notes))


# (id(registry), hardware id, tier, provider, day) → (weak reference to the registry, quote):
# an entry answers only while its registry lives (a reused id finds a dead reference), and
# keeps no registry alive
_QUOTES: dict[tuple[Any, ...], tuple[Any, PriceQuote]] = {}


def registry_quote(registry: Any, hardware_id: str, *, tier: str, provider: str | None,
                   today: dt.date) -> PriceQuote:
    """`quote`'s default price (rule 3) among a registry's price profiles for one hardware id,
    resolved once per (registry, hardware id, tier, provider, day): a registry reads each
    profile once, so the answer cannot change (bounded: emptied past MAX_QUOTES entries)."""
    key = (id(registry), hardware_id, tier, provider, today)
    hit = _QUOTES.get(key)
    if hit is not None and hit[0]() is registry:
        return hit[1]
    found = quote(registry.prices_for(hardware_id), hardware_id, tier=tier, provider=provider,
                  today=today)
    if len(_QUOTES) >= MAX_QUOTES:
        _QUOTES.clear()
    _QUOTES[key] = (weakref.ref(registry), found)
    return found
