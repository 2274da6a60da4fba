"""The points of `plan`'s search: targets, traffic volume, prices, timed points, candidates
(a point at a price, with its fleet) and families (docs/methodology.md#plan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from inferx.bill import arithmetic as F
from inferx.engine.cost import usd_per_million_tokens
from inferx.engine.deployment import Deployment
from inferx.engine.timing_curve import CurvePoint


@dataclass(frozen=True)
class Targets:
    max_ttft_s: float | None = None
    max_tpot_s: float | None = None

    def misses(self, p: CurvePoint) -> tuple[bool, bool]:
        return ((self.max_ttft_s is not None and p.ttft_s > self.max_ttft_s),
                (self.max_tpot_s is not None and p.tpot_s > self.max_tpot_s))


@dataclass(frozen=True)
class Volume:
    """The traffic a fleet is sized for: peak requests/s, headroom, fewest replicas."""

    peak_qps: float
    target_utilization: float = F.DEFAULT_TARGET_UTILIZATION
    min_replicas: int = 1
    hours_per_month: float = F.hours_per_month(days_per_month=F.DEFAULT_DAYS_PER_MONTH)

    def replicas(self, requests_per_s: float) -> int:
        return F.replicas_for(qps=self.peak_qps, replica_requests_per_s=requests_per_s,
                              target_utilization=self.target_utilization,
                              min_replicas=self.min_replicas)


@dataclass(frozen=True)
class Price:
    tier: str
    label: str | None            # price profile id, or "user"
    usd_per_gpu_hour: float


class Point:
    """One timed configuration: a layout of a family at one concurrency (a plain class with
    slots: the search makes tens of thousands)."""

    __slots__ = ("deployment", "gpus", "hardware", "per_gpu", "perf", "pools", "precision",
                 "tokens_per_s_per_user")

    def __init__(self, hardware: str, precision: str, deployment: Deployment,
                 perf: CurvePoint, pools: tuple[int, int] | None = None) -> None:
        self.hardware, self.precision, self.deployment, self.perf = (hardware, precision,
                                                                     deployment, perf)
        self.pools = pools  # (prefill, decode) instances of `deployment`, or None: aggregated
        self.gpus = deployment.gpus_per_replica * (1 if pools is None else sum(pools))
        self.per_gpu = perf.output_tokens_per_s / self.gpus
        self.tokens_per_s_per_user = 1.0 / perf.tpot_s

    def label(self) -> str:
        text = self.deployment.label()
        if self.pools is not None:
            text += f", {self.pools[0]} prefill + {self.pools[1]} decode"
        return text


@dataclass(frozen=True)
class Candidate:
    """A point at a price: its $/1M output tokens and, with a volume, its fleet."""

    point: Point
    price: Price
    usd_per_million_output_tokens: float
    replicas: int | None = None
    monthly_usd: float | None = None

    @property
    def layout_key(self) -> tuple:
        p = self.point
        return (p.hardware, p.precision, p.deployment, p.pools, self.price.tier)

    @property
    def key(self) -> tuple[float, float, int, str, str, int]:
        cost = self.monthly_usd if self.monthly_usd is not None else \
            self.usd_per_million_output_tokens
        p = self.point
        return (cost, self.usd_per_million_output_tokens, p.gpus, p.hardware, p.precision,
                -p.perf.concurrency)


@dataclass
class Family:
    """One hardware x precision: its timed points, or why it has none."""

    hardware: str
    precision: str
    points: list[Point] = field(default_factory=list)
    feasible: list[Point] = field(default_factory=list)
    prices: list[Price] = field(default_factory=list)
    reason: str | None = None
    detail: str = ""
    layouts: int = 0


def price_point(point: Point, price: Price, volume: Volume | None) -> Candidate:
    hourly = price.usd_per_gpu_hour * point.gpus
    per_m = usd_per_million_tokens(usd_per_hour=hourly,
                                   tokens_per_s=point.perf.output_tokens_per_s)
    if volume is None:
        return Candidate(point, price, per_m)
    n = volume.replicas(point.perf.requests_per_s)
    monthly = F.usd_for_gpu_hours(gpu_hours=F.gpu_hours_always_on(
        replicas=n, gpus_per_replica=point.gpus, hours_per_month=volume.hours_per_month),
        usd_per_gpu_hour=price.usd_per_gpu_hour)
    return Candidate(point, price, per_m, n, monthly)
