"""`inferx bill` as a library: BillRequest → BillResult.

    from inferx.bill import BillRequest, bill
    answer = bill(BillRequest(daily_queries=5e6, model="llama-3.1-8b", hardware="h100"))
    answer.result.headline.monthly_usd

Per-replica capacity and latency come from inferx.api.estimate; everything volume-dependent is
the pure arithmetic in inferx.bill.arithmetic (docs/methodology.md#fleet-and-bill).
Percent inputs accept ``15%`` (percent) or ``0.15`` (a fraction): a number without ``%`` is a
fraction, so ``15`` means 1,500 % and is rejected where that is absurd.

Modules: request (BillRequest), percent (parse_fraction), traffic (the traffic profile file and
the traffic section), results (the result models), context (warnings and profiles of one run),
replica (sizing one replica through inferx.api.estimate), fleet (replicas and GPU-hours for a
volume), prices (GPU-hour prices and totals), apis (build vs buy), ownership, levers, growth,
defaults, project (`bill`, which composes them).
"""

from inferx.bill.percent import parse_fraction
from inferx.bill.project import bill
from inferx.bill.request import BillRequest
from inferx.bill.results import BillResult
from inferx.bill.traffic import read_traffic_profile

__all__ = ["BillRequest", "BillResult", "bill", "parse_fraction", "read_traffic_profile"]
