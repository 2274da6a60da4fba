"""Validated requests: what a user asked for, checked field by field before any work.

Errors name the request field (``input_tokens``); the CLI maps fields to its flags
(inferx/cli/_errors.py) so a user can fix the command line.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from inferx.defaults import (  # noqa: F401 (re-exported)
    DEFAULT_CONCURRENCY,
    DEFAULT_HARDWARE,
    DEFAULT_INPUT_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_OUTPUT_TOKENS,
    DEFAULT_PRECISION,
)
from inferx.errors import InputError
from inferx.inputs_layout import LayoutFields
from inferx.quant import KV_BYTES, SCHEMES, resolve_scheme

MAX_GPUS = 1024
MAX_TOKENS = 10_000_000
MAX_CONCURRENCY = 100_000
MAX_USD_PER_GPU_HOUR = 1000.0
MAX_REQUEST_RATE = 1e6

Pricing = Literal["on-demand", "spot", "reserved-1y", "reserved-3y", "capacity-block"]


def check_int(flag: str, value: int, *, low: int = 1, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(flag, f"expected a whole number, got {value!r}")
    if value < low:
        raise InputError(flag, f"must be at least {low}, got {value}")
    if value > high:
        raise InputError(flag, f"must be at most {high:,}, got {value:,}")
    return value


def check_positive(flag: str, value: float, *, high: float) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InputError(flag, f"expected a finite number, got {value!r}")
    if value <= 0:
        raise InputError(flag, f"must be greater than 0, got {value:g}")
    if value > high:
        raise InputError(flag, f"must be at most {high:g} (absurd value {value:g})")
    return float(value)


def scheme_id(flag: str, name: str) -> str:
    """A precision scheme's id from its id or alias; an unknown name is an error naming flag."""
    try:
        return resolve_scheme(name).id
    except KeyError:
        raise InputError(flag, f"unknown precision {name!r}; expected one of "
                         f"{', '.join(SCHEMES)}") from None


class WorkloadRequest(LayoutFields):
    """The fields every scenario shares (estimate, compare): workload, GPUs, price, engine.

    Each field is validated here once, with errors naming its CLI flag."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kv_precision: str | None = None
    gpus: int | None = None
    input_tokens: int = DEFAULT_INPUT_TOKENS
    output_tokens: int = DEFAULT_OUTPUT_TOKENS
    # traffic (engine/serving.py): a fixed number in flight (default DEFAULT_CONCURRENCY) or
    # "max"; or closed-loop clients; or an offered request rate; or a finite run of `requests`
    # (all at once, or at `request_rate`)
    concurrency: int | Literal["max"] | None = None
    clients: int | None = None
    request_rate: float | None = None
    requests: int | None = None
    arrival: Literal["burst", "poisson"] | None = None
    gpu_hour_price: float | None = None
    price: str | None = None
    pricing: Pricing = "on-demand"
    provider: str | None = None
    assume: dict[str, float] = Field(default_factory=dict)
    engine: str | None = None  # serving-engine preset (inferx.engine.presets); None: generic
    calibration: str | None = None  # path of a calibration file written by `inferx calibrate`

    @field_validator("engine")
    @classmethod
    def _engine(cls, v: str | None) -> str | None:
        if v is None:
            return None
        from inferx.engine.presets import normalize_engine

        return normalize_engine(v)

    @field_validator("arrival", mode="before")
    @classmethod
    def _arrival(cls, v: object) -> object:
        if v is None:
            return None
        key = str(v).strip().lower()
        if key not in ("burst", "poisson"):
            raise InputError("arrival", f"expected burst or poisson, got {v!r}")
        return key

    @field_validator("pricing", mode="before")
    @classmethod
    def _pricing(cls, v: object) -> object:
        from inferx.pricing_tiers import TIERS

        if str(v).strip().lower() not in TIERS:
            raise InputError("pricing", f"expected one of {', '.join(TIERS)}, got {v!r}")
        return str(v).strip().lower()

    @field_validator("kv_precision")
    @classmethod
    def _kv(cls, v: str | None) -> str | None:
        if v is None:
            return None
        key = v.strip().lower()
        if key not in KV_BYTES:
            raise InputError("--kv-precision", f"unknown KV precision {v!r}; expected one of "
                             f"{', '.join(KV_BYTES)}")
        return key

    @field_validator("gpus")
    @classmethod
    def _gpus(cls, v: int | None) -> int | None:
        return None if v is None else check_int("--gpus", v, high=MAX_GPUS)

    @field_validator("input_tokens")
    @classmethod
    def _in(cls, v: int) -> int:
        return check_int("--input-tokens", v, high=MAX_TOKENS)

    @field_validator("output_tokens")
    @classmethod
    def _out(cls, v: int) -> int:
        return check_int("--output-tokens", v, high=MAX_TOKENS)

    @field_validator("concurrency", mode="before")
    @classmethod
    def _conc(cls, v: object) -> int | str:
        if isinstance(v, str):
            text = v.strip().lower()
            if text == "max":
                return "max"
            try:
                v = int(text)
            except ValueError:
                raise InputError("--concurrency", f"expected a whole number or 'max', "
                                 f"got {v!r}") from None
        if v is None:
            return None
        return check_int("--concurrency", v, high=MAX_CONCURRENCY)  # type: ignore[arg-type]

    @field_validator("gpu_hour_price")
    @classmethod
    def _price(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("--gpu-hour-price", v,
                                                     high=MAX_USD_PER_GPU_HOUR)

    @field_validator("clients")
    @classmethod
    def _clients(cls, v: int | None) -> int | None:
        return None if v is None else check_int("clients", v, high=MAX_CONCURRENCY)

    @field_validator("requests")
    @classmethod
    def _requests(cls, v: int | None) -> int | None:
        return None if v is None else check_int("requests", v, high=MAX_CONCURRENCY * 100)

    @field_validator("request_rate")
    @classmethod
    def _rate(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("request_rate", v, high=MAX_REQUEST_RATE)

    @model_validator(mode="after")
    def _one_traffic_model(self) -> WorkloadRequest:
        given = [name for name, v in (("concurrency", self.concurrency),
                                      ("clients", self.clients),
                                      ("requests", self.requests)) if v is not None]
        if self.request_rate is not None and self.requests is None:
            given.append("request_rate")
        if len(given) > 1:
            raise InputError(given[1], f"give one traffic model: {' or '.join(given)}, "
                             "not both (request_rate with requests is a finite run)")
        if self.arrival is not None and self.requests is None and self.arrival == "burst":
            raise InputError("arrival", "burst describes a finite run: give --requests N")
        if self.arrival == "burst" and self.request_rate is not None:
            raise InputError("arrival", "a burst sends every request at once: drop "
                             "--request-rate, or use --arrival poisson")
        if self.arrival == "poisson" and self.request_rate is None:
            raise InputError("arrival", "poisson arrivals need --request-rate")
        return self

    @property
    def concurrency_value(self) -> int | Literal["max"]:
        """The fixed-concurrency figure (DEFAULT_CONCURRENCY when none was given)."""
        return DEFAULT_CONCURRENCY if self.concurrency is None else self.concurrency


class EstimateRequest(WorkloadRequest):
    """One scenario: a model on `gpus` accelerators at a precision, under a workload."""

    model: str = DEFAULT_MODEL
    hardware: str = DEFAULT_HARDWARE
    precision: str = DEFAULT_PRECISION

    @field_validator("precision")
    @classmethod
    def _precision(cls, v: str) -> str:
        return scheme_id("--precision", v)
