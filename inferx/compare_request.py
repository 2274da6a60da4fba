"""CompareRequest: the estimate scenario varied along one axis (precision, hardware, model),
validated field by field; errors name the request field (the CLI maps it to its flag)."""

from __future__ import annotations

from pydantic import Field, field_validator

from inferx.defaults import DEFAULT_PRECISIONS
from inferx.errors import InputError
from inferx.inputs import (
    DEFAULT_HARDWARE,
    DEFAULT_MODEL,
    DEFAULT_PRECISION,
    WorkloadRequest,
    check_positive,
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


class CompareRequest(WorkloadRequest):
    """A sweep: the estimate scenario, varied along ``across``.

    across = "precision": one model, one hardware, a row per scheme in ``precisions``.
    across = "hardware":  one model at ``precision``, a row per entry of ``hardware``.
    across = "model":     one hardware at ``precision``, a row per entry of ``models``.
    ``gpus`` None: every row uses its own fewest GPUs that fit (rows compare as deployments).
    """

    across: str = "precision"
    models: list[str] = Field(default_factory=lambda: [DEFAULT_MODEL])
    hardware: list[str] = Field(default_factory=lambda: [DEFAULT_HARDWARE])
    precisions: list[str] = Field(default_factory=lambda: list(DEFAULT_PRECISIONS))
    precision: str = DEFAULT_PRECISION
    baseline: str | None = None
    max_ttft_ms: float | None = None
    max_tpot_ms: float | None = None

    @field_validator("across")
    @classmethod
    def _across(cls, v: str) -> str:
        key = v.strip().lower()
        if key not in ACROSS:
            raise InputError("--across", f"expected one of {', '.join(ACROSS)}, got {v!r}")
        return key

    @field_validator("models")
    @classmethod
    def _models(cls, v: list[str]) -> list[str]:
        return _split("--model", v)

    @field_validator("hardware")
    @classmethod
    def _hardware(cls, v: list[str]) -> list[str]:
        return _split("--hardware", v)

    @field_validator("precisions")
    @classmethod
    def _precisions(cls, v: list[str]) -> list[str]:
        ids = []
        for name in _split("--precisions", v):
            ids.append(scheme_id("--precisions", name))
        if len(set(ids)) != len(ids):
            raise InputError("--precisions", "two names in the list are the same scheme")
        return ids

    @field_validator("max_ttft_ms")
    @classmethod
    def _ttft(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("--max-ttft", v, high=MAX_TARGET_MS)

    @field_validator("max_tpot_ms")
    @classmethod
    def _tpot(cls, v: float | None) -> float | None:
        return None if v is None else check_positive("--max-tpot", v, high=MAX_TARGET_MS)
