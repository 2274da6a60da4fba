"""GPU-hour prices for a bill (a flag or a price profile, one per pricing kind), the
self-hosted bill at each, and the daily/monthly/yearly totals every section reports."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.bill import arithmetic as F
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.request import BillRequest
from inferx.bill.results import SelfHostedPrice, Totals
from inferx.pricing import TIERS, quote

PRICINGS = TIERS  # the order bills list them in


@dataclass
class Price:
    pricing: str
    label: str
    usd: float


def gpu_prices(ctx: BillContext) -> list[Price]:
    """--gpu-hour-price, else each pricing tier resolved by inferx.pricing (the one resolver:
    --price's profile, or the default profile of that tier); [] (with a warning) when none."""
    req, reg = ctx.req, ctx.registry
    if req.gpu_hour_price is not None:
        return [Price("user", "--gpu-hour-price", req.gpu_hour_price)]
    hw = reg.get("hardware", req.hardware)
    named = reg.get("price", req.price) if req.price is not None else None
    offers = [] if named is not None else reg.all("price")
    out: list[Price] = []
    for tier in PRICINGS:
        if named is not None and named.price_for(tier) is None:
            continue
        q = quote(offers, hw.id, tier=tier, price_profile=named, provider=req.provider,
                  today=ctx.today)
        if q.usd_per_gpu_hour is None:
            continue
        ctx.ref("price", q.profile)
        for n in q.notes:
            ctx.warn(n.code, n.message)
        out.append(Price(tier, q.label or "", q.usd_per_gpu_hour))
    if not out:
        ctx.warn("no_price", f"no price profile for {hw.id}: self-hosted dollars not "
                 "estimated; pass --gpu-hour-price or --price")
    return out


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
