"""GPU-hour prices for a bill (a flag or a price profile, one per pricing kind), the
self-hosted bill at each, and the daily/monthly/yearly totals every section reports."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.api import default_price_profile, stale_price_warning
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.request import BillRequest
from inferx.bill.results import SelfHostedPrice, Totals
from inferx.engine import fleet as F

PRICINGS = ("on-demand", "reserved-1y", "reserved-3y", "spot", "capacity-block")


@dataclass
class Price:
    pricing: str
    label: str
    usd: float


def gpu_prices(ctx: BillContext) -> list[Price]:
    """--gpu-hour-price, else every pricing kind of --price or the hardware's default profile;
    [] (with a warning) when there is none."""
    req, reg = ctx.req, ctx.registry
    if req.gpu_hour_price is not None:
        return [Price("user", "--gpu-hour-price", req.gpu_hour_price)]
    hw = reg.get("hardware", req.hardware)
    if req.price is not None:
        profile = reg.get("price", req.price)
        if profile.hardware != hw.id:
            ctx.warn("price_hardware_mismatch", f"price profile {profile.id} is for "
                     f"{profile.hardware}, not {hw.id}")
    else:
        profile = (default_price_profile(reg, hw.id, "on-demand")
                   or default_price_profile(reg, hw.id, "any"))
        if profile is None:
            ctx.warn("no_price", f"no price profile for {hw.id}: self-hosted dollars not "
                     "estimated; pass --gpu-hour-price or --price")
            return []
    ctx.ref("price", profile)
    stale = stale_price_warning(profile, ctx.today)
    if stale:
        ctx.warn(stale.code, stale.message)
    return [Price(k, profile.id, profile.price_for(k)) for k in PRICINGS
            if profile.price_for(k) is not None]


def totals(monthly: float, daily_queries: float, req: BillRequest) -> Totals:
    return Totals(**F.totals(monthly_usd=monthly, daily_queries=daily_queries,
                             days_per_month=req.days_per_month,
                             tokens_per_query=req.input_tokens + req.output_tokens))


def self_hosted_prices(prices: list[Price], sizing: Sizing, req: BillRequest,
                       volume: float) -> list[SelfHostedPrice]:
    """The always-on (and, with a traffic profile, autoscaled) bill at each price."""
    out = []
    for p in prices:
        auto = sizing.autoscaled(volume, p.usd)
        out.append(SelfHostedPrice(
            pricing=p.pricing, price=p.label, usd_per_gpu_hour=p.usd,
            always_on=totals(sizing.always_on(volume, p.usd), volume, req),
            autoscaled=None if auto is None else totals(auto, volume, req)))
    return out
