"""`plan`'s validated request: the workload, the targets, the traffic and the search space.

Errors name the request field (``max_ttft_ms``); the CLI maps fields to flags."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from inferx.checks import Check, number_map, optional, positive, text, whole
from inferx.defaults import DEFAULT_INPUT_TOKENS, DEFAULT_MODEL, DEFAULT_OUTPUT_TOKENS
from inferx.errors import InputError
from inferx.inputs import MAX_GPUS, MAX_REQUEST_RATE, MAX_TOKENS, engine_preset, scheme_id
from inferx.request_base import Request

MAX_DAILY_QUERIES = 1e12
MAX_DURATION_MS = 3.6e6
DEFAULT_TOP = 10
_DURATION = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s)?\s*")


def parse_duration_ms(field: str, value: object) -> float | None:
    """Milliseconds from '500ms', '1.5s' or a bare number (ms); None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(field, f"expected a duration such as 500ms or 1.5s, got {value!r}")
    if isinstance(value, int | float):
        ms = float(value)
    else:
        m = _DURATION.fullmatch(str(value))
        if not m:
            raise InputError(field, f"expected a duration such as 500ms or 1.5s (a bare number "
                             f"is ms), got {value!r}")
        ms = float(m.group(1)) * (1000.0 if m.group(2) == "s" else 1.0)
    if not math.isfinite(ms) or ms <= 0:
        raise InputError(field, f"must be a positive duration, got {value!r}")
    if ms > MAX_DURATION_MS:
        raise InputError(field, f"must be at most 1 hour, got {value!r}")
    return ms


def _names(field_: str, value: object) -> list[str] | None:
    """'a, b' or ['a', 'b'] → ['a', 'b'] (blanks dropped); nothing left → None."""
    if value is None:
        return None
    if not isinstance(value, str | list | tuple | set | frozenset):
        raise InputError(field_, f"expected a comma-separated list of names, got {value!r}")
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(v).strip() for v in items if str(v).strip()] or None


def _precisions(field_: str, value: object) -> list[str] | None:
    names = _names(field_, value)
    return None if names is None else list(dict.fromkeys(scheme_id(field_, n) for n in names))


def _pricing(field_: str, value: object) -> list[str]:
    from inferx.pricing import TIERS

    names = [n.lower() for n in (_names(field_, value) or ["on-demand"])]
    if names == ["all"]:
        return list(TIERS)
    bad = [n for n in names if n not in TIERS]
    if bad:
        raise InputError(field_, f"expected one or more of {', '.join(TIERS)} (comma-"
                         f"separated) or all, got {bad[0]!r}")
    return list(dict.fromkeys(names))


def _peak_to_average(field_: str, value: Any) -> float:
    v = positive(high=24.0)(field_, value)
    if v < 1:
        raise InputError(field_, f"must be at least 1, got {v:g}")
    return v


def _layouts(field_: str, value: Any) -> str:
    if value not in ("all", "tp"):
        raise InputError(field_, f"expected all or tp, got {value!r}")
    return value


@dataclass(frozen=True, init=False)
class PlanRequest(Request):
    """What `inferx plan` searches for: the cheapest deployment meeting every target.

    Built by keyword; a bad value or an unknown field raises InputError naming the field."""

    model: str = DEFAULT_MODEL
    input_tokens: int = DEFAULT_INPUT_TOKENS
    output_tokens: int = DEFAULT_OUTPUT_TOKENS
    max_ttft_ms: float | None = None
    max_tpot_ms: float | None = None
    min_tokens_per_user: float | None = None
    daily_queries: float | None = None
    request_rate: float | None = None         # peak requests/s the fleet must carry
    hardware: list[str] | None = None          # None: every built-in hardware profile
    precision: list[str] | None = None        # None: the schemes native on each hardware
    pricing: list[str] = field(default_factory=lambda: ["on-demand"])
    provider: str | None = None
    engine: str | None = None
    kv_precision: str | None = None
    assume: dict[str, float] = field(default_factory=dict)  # as estimate's --assume
    calibration: str | None = None             # a calibration file (inferx calibrate)
    max_gpus: int = 64
    top: int = DEFAULT_TOP
    peak_to_average: float = 2.0               # with daily_queries: peak hour / average hour
    target_utilization: float = 0.7            # share of a replica's capacity used at peak
    min_replicas: int = 1
    layouts: str = "all"                       # "all", or "tp": plain tensor parallelism only

    CHECKS: ClassVar[dict[str, Check]] = {
        "model": text, "max_ttft_ms": parse_duration_ms, "max_tpot_ms": parse_duration_ms,
        "input_tokens": whole(high=MAX_TOKENS), "output_tokens": whole(high=MAX_TOKENS),
        "min_tokens_per_user": optional(positive(high=1e6)),
        "daily_queries": optional(positive(high=MAX_DAILY_QUERIES)),
        "request_rate": optional(positive(high=MAX_REQUEST_RATE)),
        "hardware": _names, "precision": _precisions, "pricing": _pricing,
        "provider": optional(text), "engine": optional(engine_preset),
        "kv_precision": optional(text), "assume": number_map, "calibration": optional(text),
        "max_gpus": whole(high=MAX_GPUS), "top": whole(high=1000),
        "peak_to_average": _peak_to_average, "target_utilization": positive(high=1.0),
        "min_replicas": whole(high=100_000), "layouts": _layouts,
    }

    def _rules(self) -> None:
        if self.daily_queries is not None and self.request_rate is not None:
            raise InputError("request_rate", "give one traffic volume: --daily-queries or "
                             "--request-rate, not both")

    @property
    def tpot_limit_ms(self) -> float | None:
        """The tighter of max_tpot_ms and 1000 / min_tokens_per_user."""
        limits = [x for x in (self.max_tpot_ms, None if self.min_tokens_per_user is None
                              else 1000.0 / self.min_tokens_per_user) if x is not None]
        return min(limits) if limits else None

    @property
    def peak_qps(self) -> float | None:
        """Requests/s the fleet is sized for: the given rate, or the daily volume's peak hour."""
        if self.request_rate is not None:
            return self.request_rate
        if self.daily_queries is not None:
            return self.daily_queries / 86_400 * self.peak_to_average
        return None
