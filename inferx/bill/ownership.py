"""Owning the GPUs instead of renting them: amortised purchase, energy and hosting per GPU,
and the owned fleet's bill against each rented one."""

from __future__ import annotations

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
from inferx.bill.context import BillContext
from inferx.bill.prices import totals
from inferx.bill.replica import Fit
from inferx.bill.results import (
    ApiBill,
    Fleet,
    Ownership,
    OwnershipApi,
    OwnershipRent,
    SelfHostedPrice,
)
from inferx.engine import Assumptions

DEFAULT_GPUS_PER_SERVER = 8  # an HGX/DGX-class server board holds 8 GPUs


def ownership(ctx: BillContext, fit: Fit, fleet: Fleet, rent: list[SelfHostedPrice],
              volume: float, apis: list[ApiBill] | None = None) -> Ownership:
    """The owned fleet's bill, or why it cannot be priced; `rent` are the rented bills."""
    req = ctx.req
    hw = ctx.registry.get("hardware", req.hardware)
    purchase, source = req.purchase_usd, "--purchase-usd"
    if req.server_capex_usd is not None:
        per_server = req.gpus_per_server or DEFAULT_GPUS_PER_SERVER
        purchase = req.server_capex_usd / per_server
        source = f"--server-capex-usd / {per_server} GPUs per server"
    if purchase is None and hw.purchase is not None:
        purchase, source = hw.purchase.usd, f"{hw.purchase.source} (as of {hw.purchase.as_of})"
    pue = req.pue if req.pue is not None else E.DEFAULT_FACILITY_PUE
    host = E.DEFAULT_HOST_OVERHEAD if req.host_overhead is None else req.host_overhead
    power = None if fit.tdp_w is None else fit.tdp_w * Assumptions().power_fraction_of_tdp
    reasons = []
    if purchase is None:
        reasons.append(f"no purchase price for {hw.id} in its profile: pass --purchase-usd")
        source = None
    if req.usd_per_kwh is None:
        reasons.append("no electricity price: pass --usd-per-kwh")
    if power is None:
        reasons.append(f"{hw.id} has no published TDP, so power cannot be priced")
    base = dict(gpus=fleet.gpus_always_on, purchase_usd_per_gpu=purchase,
                purchase_source=source, amortize_years=req.amortize_years,
                usd_per_kwh=req.usd_per_kwh, pue=pue, power_w_per_gpu=power,
                hosting_usd_per_gpu_month=req.hosting_usd_per_gpu_month,
                residual_value=req.residual_value,
                colocation_usd_per_kw_month=req.colocation_usd_per_kw_month)
    if reasons:
        return Ownership(priced=False, reason="ownership cannot be priced: " + "; ".join(reasons),
                         capital_usd_per_gpu_month=None, energy_usd_per_gpu_month=None,
                         total_usd_per_gpu_month=None, totals=None, vs_renting=[],
                         capex_source=source, **base)
    assert purchase is not None and power is not None and req.usd_per_kwh is not None
    it_w = power * (1.0 + host)  # the GPU and its share of the host draw
    colo = 0.0 if req.colocation_usd_per_kw_month is None else \
        req.colocation_usd_per_kw_month * it_w / 1000.0
    per_gpu = F.ownership_usd_per_gpu_month(
        purchase_usd=purchase * (1.0 - req.residual_value), amortize_years=req.amortize_years,
        power_w=it_w, pue=pue, usd_per_kwh=req.usd_per_kwh,
        hosting_usd_per_gpu_month=req.hosting_usd_per_gpu_month + colo,
        hours_per_month=F.hours_per_month(days_per_month=req.days_per_month))
    gpus = fleet.gpus_always_on
    monthly = per_gpu["total_usd"] * gpus
    opex = (per_gpu["energy_usd"] + per_gpu["hosting_usd"]) * gpus
    capex = purchase * gpus

    def payback(alternative: float) -> float | None:
        return E.payback_months(capex_usd=capex, alternative_monthly_usd=alternative,
                                owned_opex_monthly_usd=opex)

    return Ownership(
        priced=True, reason=None, capital_usd_per_gpu_month=per_gpu["capital_usd"],
        energy_usd_per_gpu_month=per_gpu["energy_usd"],
        total_usd_per_gpu_month=per_gpu["total_usd"],
        totals=totals(monthly, volume, req), capex_usd=capex, capex_source=source,
        opex_monthly_usd=opex,
        vs_renting=[OwnershipRent(pricing=r.pricing, rent_monthly_usd=r.always_on.monthly_usd,
                                  own_minus_rent_monthly_usd=monthly - r.always_on.monthly_usd,
                                  payback_months=payback(r.always_on.monthly_usd))
                    for r in rent],
        vs_apis=[OwnershipApi(id=a.id, api_monthly_usd=a.totals.monthly_usd,
                              payback_months=payback(a.totals.monthly_usd))
                 for a in apis or [] if a.totals is not None], **base)
