"""CompareRequest: the estimate scenario varied along one axis (precision, hardware, model),
validated field by field; errors name the request field (the CLI maps it to its flag)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from inferx.checks import Check, choice, optional, positive, strings, text
from inferx.defaults import DEFAULT_PRECISIONS
from inferx.errors import InputError
from inferx.inputs import (
    DEFAULT_HARDWARE,
    DEFAULT_MODEL,
    DEFAULT_PRECISION,
    WorkloadRequest,
    scheme_id,
)

ACROSS = ("precision", "hardware", "model")
# The WorkloadRequest fields every row's EstimateRequest inherits from the sweep.
SHARED_FIELDS = {"kv_precision", "gpus", "input_tokens", "output_tokens", "concurrency",
                 "clients", "request_rate", "requests", "arrival", "gpu_hour_price", "price",
                 "pricing", "provider", "assume", "engine", "calibration", "tp", "pp", "ep",
                 "dp_attention", "disaggregate", "speculative", "acceptance_length",
                 "draft_tokens", "prefix_cache_hit"}
MAX_TARGET_MS = 1e7


def _split(flag: str, values: list[str]) -> list[str]:
    """['a,b', 'c'] → ['a', 'b', 'c']; an empty item is an error naming the flag."""
    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in value.split(",")]
        if any(not p for p in parts):
            raise InputError(flag, f"expected a comma-separated list without empty items, "
                             f"got {value!r}")
        out.extend(parts)
    if len(set(p.lower() for p in out)) != len(out):
        raise InputError(flag, f"an item is listed twice in {','.join(out)!r}")
    return out


def _names(field_: str, value: Any) -> list[str]:
    return _split(field_, strings(field_, value))


def _precisions(field_: str, value: Any) -> list[str]:
    ids = [scheme_id(field_, name) for name in _names(field_, value)]
    if len(set(ids)) != len(ids):
        raise InputError(field_, "two names in the list are the same scheme")
    return ids


def _across(field_: str, value: Any) -> str:
    return choice(ACROSS)(field_, text(field_, value))


@dataclass(frozen=True, init=False)
class CompareRequest(WorkloadRequest):
    """A sweep: the estimate scenario, varied along ``across``.

    across = "precision": one model, one hardware, a row per scheme in ``precisions``.
    across = "hardware":  one model at ``precision``, a row per entry of ``hardware``.
    across = "model":     one hardware at ``precision``, a row per entry of ``models``.
    ``gpus`` None: every row uses its own fewest GPUs that fit (rows compare as deployments).
    """

    across: str = "precision"
    models: list[str] = field(default_factory=lambda: [DEFAULT_MODEL])
    hardware: list[str] = field(default_factory=lambda: [DEFAULT_HARDWARE])
    precisions: list[str] = field(default_factory=lambda: list(DEFAULT_PRECISIONS))
    precision: str = DEFAULT_PRECISION
    baseline: str | None = None
    max_ttft_ms: float | None = None
    max_tpot_ms: float | None = None

    CHECKS: ClassVar[dict[str, Check]] = {
        "across": _across, "models": _names, "hardware": _names, "precisions": _precisions,
        "precision": text, "baseline": optional(text),
        "max_ttft_ms": optional(positive(high=MAX_TARGET_MS)),
        "max_tpot_ms": optional(positive(high=MAX_TARGET_MS)),
    }
