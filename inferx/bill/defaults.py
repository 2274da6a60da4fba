"""The defaults a bill assumed when a flag was not given, reported with the result."""

from __future__ import annotations

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
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
        BillDefault(name="idle_timeout_s", value=E.DEFAULT_IDLE_TIMEOUT_S,
                    description="scale-to-zero stops an idle replica after this long (Knative "
                    "stable-window default)"),
        BillDefault(name="scale_up_delay_s", value=E.DEFAULT_SCALE_UP_DELAY_S,
                    description="from asking for a replica to its start, before the cold start "
                    "(Kubernetes HPA scale-up stabilization default)"),
        BillDefault(name="storage_mib_per_s", value=E.DEFAULT_STORAGE_MIB_PER_S,
                    description="weight loading bandwidth for the cold start (AWS EBS gp3 "
                    "maximum provisioned throughput)"),
        BillDefault(name="replica_availability", value=E.DEFAULT_REPLICA_AVAILABILITY,
                    description="probability one replica is up (AWS EC2 instance-level SLA)"),
        BillDefault(name="pue", value=E.DEFAULT_FACILITY_PUE,
                    description="facility PUE for energy and owned GPUs (Uptime Institute "
                    "industry average, 2023)"),
        BillDefault(name="host_overhead", value=E.DEFAULT_HOST_OVERHEAD,
                    description="host CPU and DRAM energy per accelerator energy (Google, "
                    "arXiv 2508.15734, 2025: 25 % vs 58 %)"),
        BillDefault(name="residual_value", value=0.0,
                    description="resale share of owned GPUs at the end of their life"),
        BillDefault(name="routing", value="random",
                    description="requests spread over replicas without regard to the cache"),
    ]
