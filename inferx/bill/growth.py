"""Growth: the month-by-month volume at a compound growth rate and each bill at it."""

from __future__ import annotations

from collections.abc import Callable

from inferx.bill import arithmetic as F
from inferx.bill.fleet import Sizing
from inferx.bill.prices import Price
from inferx.bill.request import BillRequest
from inferx.bill.results import ApiBill, Growth, GrowthMonth


def growth(req: BillRequest, volume: float, sizing: Sizing | None, primary: Price | None,
           direct_at: Callable[[float], float | None] | None, apis: list[ApiBill],
           basis: str) -> Growth | None:
    """The series for --growth/--months (None without them); `direct_at(daily)` is the direct
    bill at a volume when the bill is direct arithmetic."""
    if req.growth is None or req.months is None:
        return None
    series = []
    for m, v in enumerate(F.growth_volumes(daily_queries=volume, growth_rate=req.growth,
                                           months=req.months), 1):
        series.append(GrowthMonth(
            month=m, daily_queries=v,
            replicas_always_on=None if sizing is None else sizing.replicas(v),
            self_hosted_monthly_usd=None if primary is None or sizing is None
            else sizing.always_on(v, primary.usd),
            autoscaled_monthly_usd=None if primary is None or sizing is None
            else sizing.autoscaled(v, primary.usd),
            direct_monthly_usd=None if direct_at is None else direct_at(v),
            api_monthly_usd={a.id: F.direct_monthly_usd(
                daily_queries=v, usd_per_query=a.totals.usd_per_query,
                days_per_month=req.days_per_month) for a in apis
                if a.totals is not None and a.totals.usd_per_query is not None}))
    return Growth(growth_per_month=req.growth, months=req.months, basis=basis, series=series)
