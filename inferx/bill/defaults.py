"""The defaults a bill assumed when a flag was not given, reported with the result."""

from __future__ import annotations

from inferx.bill import arithmetic as F
from inferx.bill.request import BillRequest
from inferx.bill.results import BillDefault


def bill_defaults(req: BillRequest) -> list[BillDefault]:
    return [
        BillDefault(name="peak_to_average", value=F.DEFAULT_PEAK_TO_AVERAGE,
                    description="peak hour / average hour when no --traffic-profile or "
                    "--peak-to-average is given"),
        BillDefault(name="target_utilization", value=F.DEFAULT_TARGET_UTILIZATION,
                    description="share of a replica's capacity used at peak (headroom)"),
        BillDefault(name="min_replicas", value=F.DEFAULT_MIN_REPLICAS,
                    description="fewest replicas kept running"),
        BillDefault(name="days_per_month", value=F.DEFAULT_DAYS_PER_MONTH,
                    description="730 hours / 24 (8,760 h / 12)"),
        BillDefault(name="amortize_years", value=F.DEFAULT_AMORTIZE_YEARS,
                    description="straight-line life of a purchased GPU"),
        BillDefault(name="draft_tokens", value=F.DEFAULT_DRAFT_TOKENS,
                    description="speculative tokens proposed per verify step"),
    ]
