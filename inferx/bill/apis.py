"""Build vs buy: each --api's bill for the same traffic, and the daily volume from which
self-hosting is never dearer."""

from __future__ import annotations

from inferx.bill import arithmetic as F
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.prices import Price, totals
from inferx.bill.results import ApiBill


def api_bills(ctx: BillContext, volume: float, sizing: Sizing | None,
              primary: Price | None) -> list[ApiBill]:
    """Each --api priced for `volume`, with its break-even against the `primary` price."""
    req, out = ctx.req, []
    for api_id in req.apis:
        a = ctx.registry.get("api", api_id)
        ctx.ref("api", a)
        per_query = F.usd_per_query_from_tokens(
            input_tokens=req.input_tokens, output_tokens=req.output_tokens,
            usd_per_million_input_tokens=a.usd_per_million_input_tokens,
            usd_per_million_output_tokens=a.usd_per_million_output_tokens)
        monthly = F.direct_monthly_usd(daily_queries=volume, usd_per_query=per_query,
                                       days_per_month=req.days_per_month)
        be, note = None, "no self-hosted bill to compare (no price or no fit)"
        if sizing is not None and primary is not None:
            be = F.break_even_daily_queries(
                replica_monthly_usd=sizing.always_on(0.0, primary.usd) / req.min_replicas,
                queries_per_replica=F.daily_queries_per_replica(
                    replica_requests_per_s=sizing.requests_per_s,
                    target_utilization=sizing.utilization, peak_to_average=sizing.peak_to_average),
                api_monthly_usd_per_daily_query=per_query * req.days_per_month,
                min_replicas=req.min_replicas)
            note = ("always-on whole-replica fleet at " + primary.pricing + ": from this daily "
                    "volume up, self-hosting is never dearer than this API; at it the two "
                    "monthly bills are equal") if be is not None else (
                "self-hosting is dearer than this API at every volume (a replica's monthly cost "
                "exceeds what its full load would cost through the API)")
        out.append(ApiBill(id=a.id, provider=a.provider, api_model=a.api_model,
                           usd_per_million_input_tokens=a.usd_per_million_input_tokens,
                           usd_per_million_output_tokens=a.usd_per_million_output_tokens,
                           totals=totals(monthly, volume, req), break_even_daily_queries=be,
                           break_even_note=note))
    return out
