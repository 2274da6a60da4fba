"""`bill`: compose a BillResult from the traffic, the direct unit price or the sized fleet, the
prices, the APIs, ownership, the levers and growth (see the package docstring)."""

from __future__ import annotations

import datetime as dt

from inferx.api import Answer
from inferx.bill import arithmetic as F
from inferx.bill.apis import api_bills
from inferx.bill.context import BillContext
from inferx.bill.defaults import bill_defaults
from inferx.bill.economics import economics, with_cache
from inferx.bill.fleet import Sizing, fleet, sizing_for
from inferx.bill.growth import growth
from inferx.bill.levers import levers
from inferx.bill.ownership import ownership
from inferx.bill.prices import Price, gpu_prices, self_hosted_prices, totals
from inferx.bill.replica import size_replica
from inferx.bill.request import BillRequest
from inferx.bill.results import BillResult, Fleet, Headline, SelfHostedPrice
from inferx.bill.traffic import conventions, traffic, traffic_shape
from inferx.registry import Registry

# The bill's `inputs` keys, in the order schema "1" has listed them; the shared serving-setup
# fields (engine, calibration, assumptions, pricing tier, provider, KV precision) follow.
INPUT_KEYS = (
    "daily_queries users queries_per_user input_tokens output_tokens peak_to_average "
    "days_per_month cost_per_query cost_per_million_tokens model hardware precision gpus "
    "max_ttft_ms max_tpot_ms target_utilization min_replicas price gpu_hour_price apis "
    "purchase_usd amortize_years usd_per_kwh pue hosting_usd_per_gpu_month cache_hit_rate "
    "router_share router_model draft_model acceptance_rate draft_tokens max_batch "
    "what_if_precision distill_model cost_reduction growth months kv_precision engine "
    "calibration assume pricing provider").split() + (
    # issue 16: utilization, redundancy, cache, API tiers, energy, owned hardware
    "traffic_shape scale_up_delay_s idle_timeout_s storage_mib_per_s redundancy "
    "replica_availability prefix_cache_hit sessions turns_per_session shared_prefix_tokens "
    "cache_capacity_tokens cache_ttl_s turn_interval_s routing api_cache_ttl api_batch "
    "host_overhead grid_gco2_per_kwh grid_region residual_value server_capex_usd gpus_per_server "
    "colocation_usd_per_kw_month").split()

def bill(request: BillRequest, registry: Registry | None = None,
         today: dt.date | None = None) -> Answer:
    """Project daily, monthly and yearly bills for a query volume (see module docstring)."""
    ctx = BillContext(request, registry or Registry.default(), today or dt.date.today())
    req = request
    volume = req.volume()
    tokens = req.input_tokens + req.output_tokens
    shape = traffic_shape(req)
    shares, p2a = shape.shares, shape.peak_to_average
    section = traffic(req, volume, shape)

    direct_usd_per_query: float | None = None
    if req.cost_per_query is not None:
        direct_usd_per_query = req.cost_per_query
    elif req.cost_per_million_tokens is not None:
        direct_usd_per_query = req.cost_per_million_tokens * tokens / 1e6
    direct = None
    if direct_usd_per_query is not None:
        direct = totals(F.direct_monthly_usd(daily_queries=volume,
                                             usd_per_query=direct_usd_per_query,
                                             days_per_month=req.days_per_month), volume, req)

    fit = None
    cache_ = None
    fleet_: Fleet | None = None
    sizing: Sizing | None = None
    prices: list[Price] = []
    self_hosted: list[SelfHostedPrice] = []
    if not req.direct:
        fit = size_replica(ctx, model=req.model, precision=req.precision, gpus=req.gpus,
                           batch_limit=None, label="baseline")
        prices = gpu_prices(ctx)
        if fit is not None:
            sizing = sizing_for(fit, req, p2a, shares)
            fit, sizing, cache_ = with_cache(
                ctx, fit, sizing, volume, resize=lambda: size_replica(
                    ctx, model=req.model, precision=req.precision, gpus=req.gpus,
                    batch_limit=None, label="baseline"),
                make_sizing=lambda f: sizing_for(f, req, p2a, shares))
            fleet_ = fleet(fit, sizing, req, volume, section.peak_qps)
            self_hosted = self_hosted_prices(prices, sizing, req, volume)
            if shares is None:
                ctx.warn("no_traffic_profile", "no --traffic-profile: the autoscaled fleet is not "
                         "priced (it needs the hourly shape); the always-on fleet is sized for "
                         f"peak = {p2a:g} x average")

    headline = None
    if direct is not None:
        headline = Headline(basis="direct: --cost-per-query" if req.cost_per_query is not None
                            else "direct: --cost-per-million-tokens", totals=direct)
    elif self_hosted:
        headline = Headline(basis=f"self-hosted, always-on fleet sized for peak, "
                            f"{self_hosted[0].pricing} ({self_hosted[0].price})",
                            totals=self_hosted[0].always_on)
    # the headline prices GPU time at --pricing when that tier has a price, else the first
    primary = next((p for p in prices if p.pricing == req.pricing), prices[0] if prices else None)
    if sizing is None:
        primary = None

    def headline_at(daily: float, s: Sizing | None = sizing) -> float | None:
        if direct_usd_per_query is not None:
            return F.direct_monthly_usd(daily_queries=daily, usd_per_query=direct_usd_per_query,
                                        days_per_month=req.days_per_month)
        if primary is None or s is None:
            return None
        return s.always_on(daily, primary.usd)

    apis = api_bills(ctx, volume, sizing, primary, cache_, shares)
    owned = None if fit is None or fleet_ is None else ownership(ctx, fit, fleet_, self_hosted,
                                                                 volume, apis)
    util = energy_ = None
    ranges = {}
    if fit is not None and sizing is not None:
        util, energy_, ranges = economics(ctx, fit, sizing, primary, volume, prices, apis, owned)
        if direct is not None:
            ranges = {k: v for k, v in ranges.items() if not k.startswith("headline.")}
    what_ifs = levers(ctx, volume, fit, sizing, primary, headline_at, p2a, shares)
    series = growth(req, volume, sizing, primary,
                    None if direct_usd_per_query is None else headline_at, apis,
                    headline.basis if headline else "no priced bill")

    dump = req.model_dump(exclude={"hourly_weights"})
    inputs = {k: dump[k] for k in INPUT_KEYS}
    inputs["daily_queries"] = volume
    if req.direct:
        for k in ("model", "hardware", "precision", "gpus"):
            inputs[k] = None
    result = BillResult(
        inputs=inputs, conventions=conventions(req), traffic=section, direct=direct,
        replica=None if fit is None else fit.replica, fleet=fleet_, self_hosted=self_hosted,
        headline=headline, apis=apis, ownership=owned, levers=what_ifs, growth=series,
        defaults=bill_defaults(req), profiles=list(ctx.profiles.values()),
        utilization=util, cache=cache_, energy=energy_, ranges=ranges)
    return Answer(result=result, warnings=ctx.warnings)
