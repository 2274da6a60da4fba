"""Error statistics of predictions against measurements.

For each metric, over the rows where both a measurement and a prediction exist:

    APE   = |predicted − measured| / measured
    ratio = predicted / measured
    bias  = geometric mean of ratio = exp(mean(ln ratio))   (1 = unbiased, > 1 over-predicts)

A row the engine could not estimate counts under `not_estimated` with its reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from inferx.calibration.measurements import METRICS, Measurement


@dataclass(frozen=True)
class Pair:
    """One scored value: a row's measured and predicted metric."""

    case_id: str
    source: str
    hardware: str
    precision: str
    engine: str
    metric: str
    measured: float
    predicted: float
    hardware_family: str = ""
    model_family: str = ""
    serving_mode: str = ""

    @property
    def ratio(self) -> float:
        return self.predicted / self.measured

    @property
    def ape(self) -> float:
        return abs(self.predicted - self.measured) / self.measured


@dataclass(frozen=True)
class Skip:
    case_id: str
    source: str
    metric: str
    reason: str
    hardware_family: str = ""
    engine: str = ""
    model_family: str = ""
    serving_mode: str = ""


@dataclass
class Stats:
    rows: int = 0
    not_estimated: int = 0
    median_ape: float | None = None
    p90_ape: float | None = None
    bias: float | None = None
    ratio_p10: float | None = None
    ratio_p90: float | None = None
    median_ratio: float | None = None  # exp(median ln ratio): the typical row's bias
    reasons: dict[str, int] = field(default_factory=dict)


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile (numpy's default 'linear' method) of a non-empty list."""
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def stats(pairs: list[Pair], skips: list[Skip] | None = None) -> Stats:
    skips = skips or []
    out = Stats(rows=len(pairs), not_estimated=len(skips))
    for s in skips:
        out.reasons[s.reason] = out.reasons.get(s.reason, 0) + 1
    if pairs:
        apes = [p.ape for p in pairs]
        ratios = [p.ratio for p in pairs]
        out.median_ape = quantile(apes, 0.5)
        out.p90_ape = quantile(apes, 0.9)
        out.bias = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        out.ratio_p10 = quantile(ratios, 0.1)
        out.ratio_p90 = quantile(ratios, 0.9)
        out.median_ratio = math.exp(quantile([math.log(r) for r in ratios], 0.5))
    return out


def group(pairs: Iterable[Pair], key: Callable[[Pair], str]) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = {}
    for p in pairs:
        out.setdefault(key(p), []).append(p)
    return dict(sorted(out.items()))


def by_metric(pairs: Iterable[Pair]) -> dict[str, list[Pair]]:
    got = group(pairs, lambda p: p.metric)
    return {m: got.get(m, []) for m in METRICS}


def expected_metrics(rows: Iterable[Measurement]) -> int:
    return sum(len(r.metrics) for r in rows)
