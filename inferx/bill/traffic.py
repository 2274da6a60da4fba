"""The traffic side of a bill: the hourly profile file, the peak, the month convention."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inferx.bill import arithmetic as F
from inferx.bill.request import BillRequest
from inferx.bill.results import Conventions, Traffic
from inferx.bill.shapes import SHAPES
from inferx.errors import InputError


def read_traffic_profile(path: str | Path) -> list[float]:
    """24 or 168 hourly weights from a text or CSV file: one weight per line (hours in order),
    or `HOUR,WEIGHT` lines; blank lines and `#` comments ignored.  24 values are a day (every
    day alike), 168 a week starting Monday 00:00.  Weights are relative (any scale); they must
    be finite, non-negative and not all zero.  Errors name file and line."""
    flag = "--traffic-profile"
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(flag, f"{p}: cannot read: {exc}") from None
    weights: list[float] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [s.strip() for s in line.replace(",", " ").split()]
        if len(parts) == 2:
            try:
                hour = int(parts[0])
            except ValueError:
                raise InputError(flag, f"{p} line {lineno}: hour {parts[0]!r} is not a whole "
                                 "number") from None
            if hour != len(weights):
                raise InputError(flag, f"{p} line {lineno}: expected hour {len(weights)}, "
                                 f"got {hour} (hours 0..23 or 0..167 in order)")
            parts = parts[1:]
        if len(parts) != 1:
            raise InputError(flag, f"{p} line {lineno}: expected one weight or HOUR,WEIGHT, "
                             f"got {raw.strip()!r}")
        try:
            w = float(parts[0])
        except ValueError:
            raise InputError(flag, f"{p} line {lineno}: weight {parts[0]!r} is not a "
                             "number") from None
        if not math.isfinite(w) or w < 0:
            raise InputError(flag, f"{p} line {lineno}: weight must be a finite number >= 0, "
                             f"got {parts[0]}")
        weights.append(w)
    if len(weights) not in (24, 168):
        raise InputError(flag, f"{p}: expected 24 or 168 hourly weights, found {len(weights)}")
    if sum(weights) <= 0:
        raise InputError(flag, f"{p}: weights are all zero (no traffic)")
    return weights


@dataclass(frozen=True)
class Shape:
    """The day's shape: hourly shares (from --traffic-profile) and the peak-to-average ratio."""

    shares: list[float] | None
    peak_to_average: float
    source: Literal["default", "flag", "traffic_profile", "traffic_shape"]


def traffic_shape(req: BillRequest) -> Shape:
    """Peak / average from the traffic profile or built-in shape, else --peak-to-average, else
    the default."""
    if req.traffic_shape is not None:
        shares = F.hourly_shares(weights=SHAPES[req.traffic_shape][1])
        return Shape(shares, F.peak_to_average_of(shares=shares), "traffic_shape")
    shares = None if req.hourly_weights is None else F.hourly_shares(weights=req.hourly_weights)
    if shares is not None:
        return Shape(shares, F.peak_to_average_of(shares=shares), "traffic_profile")
    if req.peak_to_average is not None:
        return Shape(None, req.peak_to_average, "flag")
    return Shape(None, F.DEFAULT_PEAK_TO_AVERAGE, "default")


def conventions(req: BillRequest) -> Conventions:
    """How long a month and a year are, stated in words as well as numbers."""
    hours = F.hours_per_month(days_per_month=req.days_per_month)
    return Conventions(
        hours_per_month=hours, days_per_month=req.days_per_month,
        statement=(f"a month is {hours:g} hours ({req.days_per_month:g} days"
                   + ("; the 8,760 h / 12 cloud convention" if req.days_per_month
                      == F.DEFAULT_DAYS_PER_MONTH else ", from --days-per-month")
                   + "); a year is 12 months; daily = monthly / days per month"))


def traffic(req: BillRequest, volume: float, shape: Shape) -> Traffic:
    """Daily and monthly queries, average and peak QPS for a daily volume."""
    p2a = shape.peak_to_average
    return Traffic(
        daily_queries=volume,
        monthly_queries=F.monthly_queries(daily_queries=volume,
                                          days_per_month=req.days_per_month),
        tokens_per_query=req.input_tokens + req.output_tokens,
        average_qps=F.average_qps(daily_queries=volume),
        peak_qps=F.peak_qps(daily_queries=volume, peak_to_average=p2a), peak_to_average=p2a,
        peak_to_average_source=shape.source, hourly_shares=shape.shares)
