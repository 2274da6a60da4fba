"""Build vs buy: each --api's bill for the same traffic (its price tiers read by
inferx.bill.api_tiers), and the daily volume from which self-hosting is never dearer.  An API
whose price for this traffic is unknown is not priced and is left out of break-even."""

from __future__ import annotations

from collections.abc import Sequence

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
from inferx.bill.api_tiers import quote
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing
from inferx.bill.prices import Price, totals
from inferx.bill.results import ApiBill, CacheSection


def _break_even(ctx: BillContext, sizing: Sizing, primary: Price, per_query: float) -> float | None:
    req = ctx.req
    q = F.daily_queries_per_replica(replica_requests_per_s=sizing.requests_per_s,
                                    target_utilization=sizing.utilization,
                                    peak_to_average=sizing.peak_to_average)
    c = F.gpu_hours_always_on(replicas=1, gpus_per_replica=sizing.gpus,
                              hours_per_month=F.hours_per_month(
                                  days_per_month=req.days_per_month)) * primary.usd
    a = per_query * req.days_per_month
    if not (sizing.spare or sizing.reserve):
        return F.break_even_daily_queries(replica_monthly_usd=c, queries_per_replica=q,
                                          api_monthly_usd_per_daily_query=a,
                                          min_replicas=req.min_replicas)
    return E.break_even_steps(replica_monthly_usd=c, queries_per_replica=q,
                              api_monthly_usd_per_daily_query=a, min_replicas=req.min_replicas,
                              billed=sizing.billed, slope=1.0 + sizing.reserve,
                              extra=sizing.spare + 1.0)


def api_bills(ctx: BillContext, volume: float, sizing: Sizing | None, primary: Price | None,
              cache: CacheSection | None = None,
              shares: Sequence[float] | None = None) -> list[ApiBill]:
    """Each --api priced for `volume`, with its break-even against the `primary` price."""
    req, out = ctx.req, []
    for api_id in req.apis:
        a = ctx.registry.get("api", api_id)
        ctx.ref("api", a)
        qt = quote(a, input_tokens=req.input_tokens, output_tokens=req.output_tokens,
                   cached_share=0.0 if cache is None else cache.api_cached_input_share,
                   write_share=0.0 if cache is None else cache.api_cache_write_share,
                   ttl=req.api_cache_ttl, batch=req.api_batch, shares=shares)
        per_query = qt.usd_per_query
        be, note = None, "no self-hosted bill to compare (no price or no fit)"
        if per_query is None:
            note = ("not priced: " + "; ".join(qt.unknown) + " (an unknown price is never $0: "
                    "this API is left out of break-even)")
            ctx.warn("api_price_unknown", f"{a.id}: {'; '.join(qt.unknown)}; not priced and "
                     "left out of break-even")
        elif sizing is not None and primary is not None:
            be = _break_even(ctx, sizing, primary, per_query)
            note = ("always-on whole-replica fleet at " + primary.pricing + ": from this daily "
                    "volume up, self-hosting is never dearer than this API; at it the two "
                    "monthly bills are equal") if be is not None else (
                "self-hosting is dearer than this API at every volume (a replica's monthly cost "
                "exceeds what its full load would cost through the API)")
        monthly = None if per_query is None else F.direct_monthly_usd(
            daily_queries=volume, usd_per_query=per_query, days_per_month=req.days_per_month)
        out.append(ApiBill(
            id=a.id, provider=a.provider, api_model=a.api_model,
            usd_per_million_input_tokens=a.usd_per_million_input_tokens,
            usd_per_million_output_tokens=a.usd_per_million_output_tokens,
            totals=None if monthly is None else totals(monthly, volume, req),
            break_even_daily_queries=be, break_even_note=note, priced=per_query is not None,
            unknown_prices=qt.unknown, price_notes=qt.notes, long_context=qt.long_context,
            usd_per_million_output_tokens_effective=None if per_query is None else
            per_query / req.output_tokens * 1e6))
    return out
