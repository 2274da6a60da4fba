"""The deployment fields of a request: parallelism (TP, PP, EP, attention DP), disaggregated
prefill/decode pools, speculative decoding and prefix caching, validated field by field (errors
name the request field; the CLI maps it to its flag).  Rules that need the model (heads,
experts, layers) are checked when the scenario is built (engine/deployment.py)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from inferx.checks import Check, integer, optional, parse_fraction, text
from inferx.errors import InputError
from inferx.request_base import Request

MAX_PARALLEL = 1024
MAX_DRAFT_TOKENS = 64
SPEC_METHODS = ("mtp", "eagle")  # plus "draft:MODEL"


def between(high: int = MAX_PARALLEL) -> Any:
    """A whole number from 1 to `high` ("must be between" messages)."""
    def check(field: str, value: Any) -> int:
        v = integer(field, value)
        if not 1 <= v <= high:
            raise InputError(field, f"must be between 1 and {high:,}, got {v}")
        return v

    return check


def _disaggregate(field: str, value: Any) -> str:
    v = text(field, value)
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", v)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1 or max(
            int(m.group(1)), int(m.group(2))) > MAX_PARALLEL:
        raise InputError(field, f"expected P:D, prefill and decode instances "
                         f"(whole numbers from 1 to {MAX_PARALLEL}), got {v!r}")
    return f"{int(m.group(1))}:{int(m.group(2))}"


def _speculative(field: str, value: Any) -> str:
    v = text(field, value)
    method, _, draft = v.strip().partition(":")
    if method.lower() in SPEC_METHODS and not draft:
        return method.lower()
    if method.lower() == "draft" and draft.strip():
        return f"draft:{draft.strip()}"
    raise InputError(field, f"expected mtp, eagle or draft:MODEL, got {v!r}")


def _acceptance(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(field, f"expected a finite number, got {value!r}")
    try:
        v = float(value.strip()) if isinstance(value, str) else float(value)
    except ValueError:
        raise InputError(field, f"expected a finite number, got {value!r}") from None
    if not math.isfinite(v):
        raise InputError(field, f"expected a finite number, got {v!r}")
    if not 1 <= v <= MAX_DRAFT_TOKENS + 1:
        raise InputError(field, f"tokens emitted per verification step: "
                         f"between 1 and {MAX_DRAFT_TOKENS + 1}, got {v:g}")
    return v


def _prefix_hit(field: str, value: Any) -> float:
    frac = parse_fraction(field, value, high=1.0)
    if frac >= 1.0:
        raise InputError(field, "must be below 100%: at least one prompt token is computed")
    return frac


@dataclass(frozen=True, init=False)
class LayoutFields(Request):
    """How the replica is laid out and what it runs besides the model."""

    tp: int | None = None
    pp: int | None = None
    ep: int | None = None
    dp_attention: int | None = None
    disaggregate: str | None = None        # "P:D" prefill and decode instances
    speculative: str | None = None         # "mtp", "eagle" or "draft:MODEL"
    acceptance_length: float | None = None  # tokens emitted per verification step
    draft_tokens: int | None = None        # tokens drafted per verification step
    prefix_cache_hit: float | None = None  # share of prompt tokens served from the cache

    CHECKS: ClassVar[dict[str, Check]] = {
        "tp": optional(between()), "pp": optional(between()), "ep": optional(between()),
        "dp_attention": optional(between()),
        "draft_tokens": optional(between(MAX_DRAFT_TOKENS)),
        "disaggregate": optional(_disaggregate), "speculative": optional(_speculative),
        "acceptance_length": optional(_acceptance), "prefix_cache_hit": optional(_prefix_hit),
    }

    def speculation_parts(self) -> tuple[str, int, float, str | None] | None:
        """(method, draft tokens k, acceptance length L, draft model or None), with the
        defaults k = 1 for MTP/EAGLE (DeepSeek-V3's one MTP module) and 4 for a draft model;
        an acceptance length is required (it is a property of the data, not the system)."""
        if self.speculative is None:
            if self.acceptance_length is not None:
                raise InputError("speculative", "--acceptance-length needs "
                                 "--speculative mtp|eagle|draft:MODEL")
            return None
        method, _, draft = self.speculative.partition(":")
        k = self.draft_tokens or (4 if method == "draft" else 1)
        if self.acceptance_length is None:
            raise InputError("acceptance_length", "speculative decoding needs the mean tokens "
                             "emitted per verification step (1 = no draft token accepted)")
        if self.acceptance_length > k + 1:
            raise InputError("acceptance_length", f"at most draft tokens + 1 = {k + 1}, got "
                             f"{self.acceptance_length:g}")
        return method, k, self.acceptance_length, draft or None

    def disaggregation(self) -> tuple[int, int] | None:
        if self.disaggregate is None:
            return None
        p, d = self.disaggregate.split(":")
        return int(p), int(d)
