"""Replicas, GPU-hours and dollars for a daily volume, given one sized replica and the
traffic shape (the pure arithmetic is inferx.bill.arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.bill import arithmetic as F
from inferx.bill import econ as E
from inferx.bill.replica import Fit
from inferx.bill.request import BillRequest
from inferx.bill.results import Fleet


@dataclass
class Sizing:
    """What the fleet arithmetic needs about one replica type and the traffic shape."""

    requests_per_s: float
    gpus: int
    peak_to_average: float
    shares: list[float] | None
    utilization: float
    min_replicas: int
    days_per_month: float
    spare: int = 0            # --redundancy N+k
    reserve: float = 0.0      # --redundancy P%

    def billed(self, needed: int) -> int:
        """Replicas run for `needed` (the redundancy reserve added)."""
        return E.with_redundancy(needed, spare=self.spare, fraction=self.reserve)

    def needed(self, daily: float) -> int:
        """Replicas the peak needs (no reserve)."""
        return F.replicas_for(qps=F.peak_qps(daily_queries=daily,
                                             peak_to_average=self.peak_to_average),
                              replica_requests_per_s=self.requests_per_s,
                              target_utilization=self.utilization,
                              min_replicas=self.min_replicas)

    def replicas(self, daily: float) -> int:
        return self.billed(self.needed(daily))

    def always_on(self, daily: float, usd: float) -> float:
        if not (self.spare or self.reserve):
            return F.always_on_monthly_usd(
                daily_queries=daily, replica_requests_per_s=self.requests_per_s,
                target_utilization=self.utilization, peak_to_average=self.peak_to_average,
                min_replicas=self.min_replicas, gpus_per_replica=self.gpus,
                usd_per_gpu_hour=usd, days_per_month=self.days_per_month)
        return F.usd_for_gpu_hours(gpu_hours=F.gpu_hours_always_on(
            replicas=self.replicas(daily), gpus_per_replica=self.gpus,
            hours_per_month=F.hours_per_month(days_per_month=self.days_per_month)),
            usd_per_gpu_hour=usd)

    def by_hour(self, daily: float) -> list[int] | None:
        if self.shares is None:
            return None
        return [self.billed(n) for n in F.autoscaled_replicas(
            daily_queries=daily, shares=self.shares, replica_requests_per_s=self.requests_per_s,
            target_utilization=self.utilization, min_replicas=self.min_replicas)]

    def autoscaled(self, daily: float, usd: float) -> float | None:
        hours = self.by_hour(daily)
        if hours is None:
            return None
        return F.usd_for_gpu_hours(gpu_hours=F.gpu_hours_autoscaled(
            replicas_by_hour=hours, gpus_per_replica=self.gpus,
            days_per_month=self.days_per_month), usd_per_gpu_hour=usd)


def sizing_for(fit: Fit, req: BillRequest, p2a: float, shares: list[float] | None,
               rps: float | None = None) -> Sizing:
    """The fleet arithmetic for `fit`; `rps` overrides its requests per second (a what-if)."""
    spare, reserve = req.spare()
    return Sizing(requests_per_s=rps or fit.replica.requests_per_s, gpus=fit.replica.gpus,
                  peak_to_average=p2a, shares=shares, utilization=req.target_utilization,
                  min_replicas=req.min_replicas, days_per_month=req.days_per_month,
                  spare=spare, reserve=reserve)


def fleet(fit: Fit, sizing: Sizing, req: BillRequest, volume: float, peak_qps: float) -> Fleet:
    """The always-on fleet for `volume` and, with a traffic profile, the autoscaled one."""
    n = sizing.replicas(volume)
    by_hour = sizing.by_hour(volume)
    return Fleet(
        replicas_always_on=n, gpus_always_on=n * fit.replica.gpus,
        gpu_hours_per_month_always_on=F.gpu_hours_always_on(
            replicas=n, gpus_per_replica=fit.replica.gpus,
            hours_per_month=F.hours_per_month(days_per_month=req.days_per_month)),
        peak_utilization=peak_qps / (n * fit.replica.requests_per_s),
        replicas_by_hour=by_hour,
        gpu_hours_per_month_autoscaled=None if by_hour is None else
        F.gpu_hours_autoscaled(replicas_by_hour=by_hour, gpus_per_replica=fit.replica.gpus,
                               days_per_month=req.days_per_month))
