"""Validated requests: what a user asked for, checked field by field before any work.

Requests are frozen dataclasses built by keyword (inferx/request_base.py): a bad value raises
inferx.errors.InputError (not pydantic's ValidationError: requests are not pydantic
models) whose ``field`` is the
request field (``input_tokens``); the CLI maps fields to its flags (inferx/cli/_errors.py) so a
user can fix the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from inferx.checks import (  # noqa: F401 (check_int, check_positive re-exported)
    Check,
    check_int,
    check_positive,
    number_map,
    optional,
    positive,
    text,
    whole,
)
from inferx.defaults import (
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


def scheme_id(flag: str, name: str) -> str:
    """A precision scheme's id from its id or alias; an unknown name is an error naming flag."""
    try:
        return resolve_scheme(text(flag, name)).id
    except KeyError:
        raise InputError(flag, f"unknown precision {name!r}; expected one of "
                         f"{', '.join(SCHEMES)}") from None


def engine_preset(field_: str, value: Any) -> str:
    """A serving-engine preset's canonical name (inferx.engine.presets.normalize_engine)."""
    from inferx.engine.presets import normalize_engine

    return normalize_engine(text(field_, value))


def _arrival(field_: str, value: Any) -> str:
    key = str(value).strip().lower()
    if key not in ("burst", "poisson"):
        raise InputError(field_, f"expected burst or poisson, got {value!r}")
    return key


def _pricing(field_: str, value: Any) -> str:
    from inferx.pricing_tiers import TIERS

    key = str(value).strip().lower()
    if key not in TIERS:
        raise InputError(field_, f"expected one of {', '.join(TIERS)}, got {value!r}")
    return key


def _kv(field_: str, value: Any) -> str:
    key = text(field_, value).strip().lower()
    if key not in KV_BYTES:
        raise InputError(field_, f"unknown KV precision {value!r}; expected one of "
                         f"{', '.join(KV_BYTES)}")
    return key


def _concurrency(field_: str, value: Any) -> int | str:
    if isinstance(value, str):
        key = value.strip().lower()
        if key == "max":
            return "max"
        try:
            value = int(key)
        except ValueError:
            raise InputError(field_, f"expected a whole number or 'max', "
                             f"got {value!r}") from None
    return check_int(field_, value, high=MAX_CONCURRENCY)


@dataclass(frozen=True, init=False)
class WorkloadRequest(LayoutFields):
    """The fields every scenario shares (estimate, compare): workload, GPUs, price, engine.

    Each field is validated here once, with errors naming the field."""

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
    assume: dict[str, float] = field(default_factory=dict)
    engine: str | None = None  # serving-engine preset (inferx.engine.presets); None: generic
    calibration: str | None = None  # path of a calibration file written by `inferx calibrate`

    CHECKS: ClassVar[dict[str, Check]] = {
        "kv_precision": optional(_kv),
        "gpus": optional(whole(high=MAX_GPUS)),
        "input_tokens": whole(high=MAX_TOKENS),
        "output_tokens": whole(high=MAX_TOKENS),
        "concurrency": optional(_concurrency),
        "clients": optional(whole(high=MAX_CONCURRENCY)),
        "request_rate": optional(positive(high=MAX_REQUEST_RATE)),
        "requests": optional(whole(high=MAX_CONCURRENCY * 100)),
        "arrival": optional(_arrival),
        "gpu_hour_price": optional(positive(high=MAX_USD_PER_GPU_HOUR)),
        "price": optional(text),
        "pricing": _pricing,
        "provider": optional(text),
        "assume": number_map,
        "engine": optional(engine_preset),
        "calibration": optional(text),
    }

    def _rules(self) -> None:
        super()._rules()
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

    @property
    def concurrency_value(self) -> int | Literal["max"]:
        """The fixed-concurrency figure (DEFAULT_CONCURRENCY when none was given)."""
        return DEFAULT_CONCURRENCY if self.concurrency is None else self.concurrency


@dataclass(frozen=True, init=False)
class EstimateRequest(WorkloadRequest):
    """One scenario: a model on `gpus` accelerators at a precision, under a workload.

    Built by keyword: ``EstimateRequest(model="llama-3.1-70b", hardware="h100", gpus=4)``; a
    value out of range, of the wrong type, or an unknown field raises InputError naming the
    field (``exc.field``)."""

    model: str = DEFAULT_MODEL
    hardware: str = DEFAULT_HARDWARE
    precision: str = DEFAULT_PRECISION

    CHECKS: ClassVar[dict[str, Check]] = {"model": text, "hardware": text, "precision": scheme_id}
