"""`inferx bill --format focus-csv`: the headline monthly bill as FinOps FOCUS 1.2 rows.

Column names and the Mandatory set are the spec's (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec,
tag v1.2, specification/columns/*.md); docs/methodology.md#focus-export says how each is filled.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any, TextIO

from inferx.errors import InputError
from inferx.jsonable import to_jsonable

FOCUS_VERSION = "1.2"
# every column FOCUS 1.2 marks "Feature level: Mandatory"
MANDATORY = (
    "BilledCost BillingAccountId BillingAccountName BillingCurrency BillingPeriodEnd "
    "BillingPeriodStart ChargeCategory ChargeClass ChargeDescription ChargePeriodEnd "
    "ChargePeriodStart ContractedCost EffectiveCost InvoiceIssuerName ListCost PricingQuantity "
    "PricingUnit ProviderName PublisherName ServiceCategory ServiceName").split()
OPTIONAL = ("ConsumedQuantity ConsumedUnit ListUnitPrice ContractedUnitPrice PricingCategory "
            "ChargeFrequency ResourceType SkuId Tags").split()
COLUMNS = MANDATORY + OPTIONAL
_PRICING_CATEGORY = {"on-demand": "Standard", "spot": "Dynamic", "reserved-1y": "Committed",
                     "reserved-3y": "Committed", "capacity-block": "Committed",
                     "user": "Other"}


def billing_period(today: dt.date) -> tuple[str, str]:
    """The next calendar month, [start, end) in UTC, as FOCUS DateTimeFormat."""
    start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return f"{start.isoformat()}T00:00:00Z", f"{end.isoformat()}T00:00:00Z"


def focus_rows(data: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    start, end = billing_period(today)
    base = dict(BillingAccountId="inferx-estimate", BillingAccountName="inferx bill projection",
                BillingCurrency="USD", BillingPeriodStart=start, BillingPeriodEnd=end,
                ChargePeriodStart=start, ChargePeriodEnd=end, ChargeCategory="Usage",
                ChargeClass="", ChargeFrequency="Usage-Based",
                ServiceCategory="AI and Machine Learning")
    rows = []
    if data.get("direct") is not None:
        t, month_q = data["direct"], data["traffic"]["monthly_queries"]
        unit = t["usd_per_query"] or 0.0
        rows.append({**base, "BilledCost": t["monthly_usd"], "EffectiveCost": t["monthly_usd"],
                     "ListCost": t["monthly_usd"], "ContractedCost": t["monthly_usd"],
                     "ChargeDescription": data["headline"]["basis"],
                     "InvoiceIssuerName": "unknown", "ProviderName": "unknown",
                     "PublisherName": "unknown", "ServiceName": "LLM inference",
                     "PricingQuantity": month_q, "PricingUnit": "Queries",
                     "ConsumedQuantity": month_q, "ConsumedUnit": "Queries",
                     "ListUnitPrice": unit, "ContractedUnitPrice": unit,
                     "PricingCategory": "Other", "ResourceType": "", "SkuId": "",
                     "Tags": json.dumps({"inferx_basis": "direct"})})
        return rows
    if not data.get("self_hosted") or data.get("fleet") is None:
        return rows
    sh, fleet, rep = data["self_hosted"][0], data["fleet"], data["replica"]
    hours = fleet["gpu_hours_per_month_always_on"]
    cost = sh["always_on"]["monthly_usd"]
    provider = sh["price"] or "unknown"
    rows.append({**base, "BilledCost": cost, "EffectiveCost": cost, "ListCost": cost,
                 "ContractedCost": cost,
                 "ChargeDescription": f"{fleet['gpus_always_on']} x {rep['hardware']} always on "
                 f"serving {rep['model']} ({data['headline']['basis']})",
                 "InvoiceIssuerName": provider, "ProviderName": provider,
                 "PublisherName": provider, "ServiceName": "GPU compute",
                 "PricingQuantity": hours, "PricingUnit": "GPU-Hours",
                 "ConsumedQuantity": hours, "ConsumedUnit": "GPU-Hours",
                 "ListUnitPrice": sh["usd_per_gpu_hour"],
                 "ContractedUnitPrice": sh["usd_per_gpu_hour"],
                 "PricingCategory": _PRICING_CATEGORY.get(sh["pricing"], "Other"),
                 "ResourceType": rep["hardware"], "SkuId": sh["price"] or "",
                 "Tags": json.dumps({"inferx_model": rep["model"],
                                     "inferx_pricing": sh["pricing"],
                                     "inferx_replicas": fleet["replicas_always_on"]})})
    return rows


def write_focus(envelope: Any, out: TextIO, today: dt.date | None = None) -> None:
    if list(envelope.command) != ["bill"]:
        raise InputError("--format", "focus-csv is for `inferx bill` only")
    data = to_jsonable(envelope.data)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in focus_rows(data, today or dt.date.today()):
        writer.writerow(row)
