"""`plan`'s validated request: the workload, the targets, the traffic and the search space.

Errors name the request field (``max_ttft_ms``); the CLI maps fields to flags."""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from inferx.defaults import DEFAULT_INPUT_TOKENS, DEFAULT_MODEL, DEFAULT_OUTPUT_TOKENS
from inferx.errors import InputError
from inferx.inputs import (
    MAX_GPUS,
    MAX_REQUEST_RATE,
    MAX_TOKENS,
    check_int,
    check_positive,
    scheme_id,
)

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


def _names(value: object) -> list[str] | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [str(v).strip() for v in items if str(v).strip()] or None


class PlanRequest(BaseModel):
    """What `inferx plan` searches for: the cheapest deployment meeting every target."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
    pricing: list[str] = ["on-demand"]
    provider: str | None = None
    engine: str | None = None
    kv_precision: str | None = None
    assume: dict[str, float] = {}              # as estimate's --assume (knobs, hardware figures)
    calibration: str | None = None             # a calibration file (inferx calibrate)
    max_gpus: int = 64
    top: int = DEFAULT_TOP
    peak_to_average: float = 2.0               # with daily_queries: peak hour / average hour
    target_utilization: float = 0.7            # share of a replica's capacity used at peak
    min_replicas: int = 1
    layouts: str = "all"                       # "all", or "tp": plain tensor parallelism only

    @field_validator("max_ttft_ms", "max_tpot_ms", mode="before")
    @classmethod
    def _durations(cls, v: object, info) -> float | None:
        return parse_duration_ms(info.field_name, v)

    @field_validator("input_tokens", "output_tokens")
    @classmethod
    def _tokens(cls, v: int, info) -> int:
        return check_int(info.field_name, v, high=MAX_TOKENS)

    @field_validator("min_tokens_per_user")
    @classmethod
    def _tpu(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("min_tokens_per_user", v, high=1e6)

    @field_validator("daily_queries")
    @classmethod
    def _daily(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("daily_queries", v, high=MAX_DAILY_QUERIES)

    @field_validator("request_rate")
    @classmethod
    def _rate(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("request_rate", v, high=MAX_REQUEST_RATE)

    @field_validator("hardware", mode="before")
    @classmethod
    def _hardware(cls, v: object) -> list[str] | None:
        return _names(v)

    @field_validator("precision", mode="before")
    @classmethod
    def _precisions(cls, v: object) -> list[str] | None:
        names = _names(v)
        return None if names is None else list(dict.fromkeys(scheme_id("precision", n)
                                                            for n in names))

    @field_validator("pricing", mode="before")
    @classmethod
    def _pricing(cls, v: object) -> list[str]:
        from inferx.pricing import TIERS

        names = [n.lower() for n in (_names(v) or ["on-demand"])]
        if names == ["all"]:
            return list(TIERS)
        bad = [n for n in names if n not in TIERS]
        if bad:
            raise InputError("pricing", f"expected one or more of {', '.join(TIERS)} (comma-"
                             f"separated) or all, got {bad[0]!r}")
        return list(dict.fromkeys(names))

    @field_validator("engine")
    @classmethod
    def _engine(cls, v: str | None) -> str | None:
        if v is None:
            return None
        from inferx.engine.presets import normalize_engine

        return normalize_engine(v)

    @field_validator("max_gpus")
    @classmethod
    def _max_gpus(cls, v: int) -> int:
        return check_int("max_gpus", v, high=MAX_GPUS)

    @field_validator("top")
    @classmethod
    def _top(cls, v: int) -> int:
        return check_int("top", v, high=1000)

    @field_validator("peak_to_average")
    @classmethod
    def _p2a(cls, v: float) -> float:
        v = check_positive("peak_to_average", v, high=24.0)
        if v < 1:
            raise InputError("peak_to_average", f"must be at least 1, got {v:g}")
        return v

    @field_validator("target_utilization")
    @classmethod
    def _util(cls, v: float) -> float:
        v = check_positive("target_utilization", v, high=1.0)
        return v

    @field_validator("min_replicas")
    @classmethod
    def _min_rep(cls, v: int) -> int:
        return check_int("min_replicas", v, high=100_000)

    @field_validator("layouts")
    @classmethod
    def _layouts(cls, v: str) -> str:
        if v not in ("all", "tp"):
            raise InputError("layouts", f"expected all or tp, got {v!r}")
        return v

    @model_validator(mode="after")
    def _one_volume(self) -> PlanRequest:
        if self.daily_queries is not None and self.request_rate is not None:
            raise InputError("request_rate", "give one traffic volume: --daily-queries or "
                             "--request-rate, not both")
        return self

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
