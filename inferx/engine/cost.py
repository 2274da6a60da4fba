"""Dollars from GPU-hours and token rates.  No I/O.  Formulas: docs/methodology.md#cost."""

from __future__ import annotations

from inferx.units import SECONDS_PER_HOUR, TOKENS_PER_MILLION


def usd_per_hour(*, usd_per_gpu_hour: float, gpus: int) -> float:
    """Fleet price per hour: usd_per_gpu_hour · gpus."""
    return usd_per_gpu_hour * gpus


def usd_per_million_tokens(*, usd_per_hour: float, tokens_per_s: float) -> float:
    """usd_per_hour / (tokens_per_s · 3600) · 10^6."""
    return usd_per_hour / (tokens_per_s * SECONDS_PER_HOUR) * TOKENS_PER_MILLION


def usd_per_request(*, usd_per_hour: float, requests_per_s: float) -> float:
    """usd_per_hour / (requests_per_s · 3600)."""
    return usd_per_hour / (requests_per_s * SECONDS_PER_HOUR)
