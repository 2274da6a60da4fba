"""Rules for the bill inputs of issue 16 (utilization, redundancy, cache, API tiers, energy,
owned hardware), kept apart from BillRequest so each module stays small."""

from __future__ import annotations

from typing import Any

from inferx.bill.percent import parse_fraction
from inferx.checks import check_positive
from inferx.errors import InputError

MAX_DAILY_QUERIES = 1e13
ROUTINGS = ("random", "cache-aware")
API_CACHE_TTLS = ("5m", "1h")


def parse_redundancy(text: str) -> tuple[int, float]:
    """`N+k` → (k spare replicas, 0); `P%` or a fraction → (0, P/100): the reserve on top of
    the replicas the traffic needs."""
    flag, t = "--redundancy", text.strip().upper().replace(" ", "")
    if t.startswith("N+"):
        try:
            k = int(t[2:])
        except ValueError:
            raise InputError(flag, f"expected N+k (e.g. N+1) or a percentage (e.g. 20%), "
                             f"got {text!r}") from None
        if not 0 <= k <= 1000:
            raise InputError(flag, f"spare replicas must be 0..1000, got {k}")
        return k, 0.0
    return 0, parse_fraction(flag, text, high=10.0)


def _finite(flag: str, value: float | None, *, high: float, low: float = 0.0,
            allow_zero: bool = False) -> float | None:
    if value is None:
        return None
    if allow_zero and value == 0:
        return 0.0
    if low and value < low:
        raise InputError(flag, f"must be at least {low:g}, got {value:g}")
    return check_positive(flag, value, high=high)


def check_economics(self: Any) -> None:
    """The cross-field rules of the utilization, redundancy, cache, API-tier, energy and
    ownership inputs (each error names its flag)."""
    _finite("--scale-up-delay", self.scale_up_delay_s, high=86_400, allow_zero=True)
    _finite("--idle-timeout", self.idle_timeout_s, high=86_400, allow_zero=True)
    _finite("--storage-mib-per-s", self.storage_mib_per_s, high=1e7)
    if self.redundancy is not None:
        parse_redundancy(self.redundancy)
    if self.replica_availability <= 0:
        raise InputError("--replica-availability", "must be above 0")
    _finite("--sessions", self.sessions, high=MAX_DAILY_QUERIES)
    _finite("--shared-prefix-tokens", self.shared_prefix_tokens, high=10_000_000,
            allow_zero=True)
    _finite("--cache-capacity-tokens", self.cache_capacity_tokens, high=1e12)
    _finite("--cache-ttl", self.cache_ttl_s, high=30 * 86_400)
    _finite("--turn-interval", self.turn_interval_s, high=30 * 86_400)
    derived = (self.sessions, self.turns_per_session, self.shared_prefix_tokens,
               self.cache_capacity_tokens, self.cache_ttl_s, self.turn_interval_s)
    if any(v is not None for v in derived):
        if self.prefix_cache_hit is not None:
            raise InputError("--prefix-cache-hit", "give --prefix-cache-hit or the workload "
                             "it is derived from (--sessions, --turns-per-session, ...), "
                             "not both")
        if self.sessions is None and self.turns_per_session is None \
                and self.shared_prefix_tokens is None:
            raise InputError("--sessions", "a derived cache hit rate needs --sessions with "
                             "--turns-per-session, or --shared-prefix-tokens")
        if self.sessions is not None and self.turns_per_session is None:
            raise InputError("--turns-per-session", "required with --sessions")
        if (self.cache_capacity_tokens is not None or self.cache_ttl_s is not None) \
                and self.turns_per_session is not None and self.turn_interval_s is None:
            raise InputError("--turn-interval", "required with --cache-ttl or "
                             "--cache-capacity-tokens: how long a session waits between "
                             "turns decides whether its history is still cached")
        if self.shared_prefix_tokens is not None \
                and self.shared_prefix_tokens > self.input_tokens:
            raise InputError("--shared-prefix-tokens", f"cannot exceed --input-tokens "
                             f"({self.input_tokens})")
    if self.routing not in ROUTINGS:
        raise InputError("--routing", f"expected one of {', '.join(ROUTINGS)}, "
                         f"got {self.routing!r}")
    if self.api_cache_ttl not in API_CACHE_TTLS:
        raise InputError("--api-cache-ttl", f"expected one of {', '.join(API_CACHE_TTLS)}, "
                         f"got {self.api_cache_ttl!r}")
    _finite("--grid-gco2-per-kwh", self.grid_gco2_per_kwh, high=5000, allow_zero=True)
    if self.grid_region is not None:
        from inferx.bill.grid import GRID_GCO2_PER_KWH

        if self.grid_region not in GRID_GCO2_PER_KWH:
            raise InputError("--grid-region", f"no sourced grid intensity for "
                             f"{self.grid_region!r}; known: Google Cloud regions such as "
                             "us-central1, europe-west4 (or pass --grid-gco2-per-kwh)")
        if self.grid_gco2_per_kwh is not None:
            raise InputError("--grid-region", "give --grid-region or --grid-gco2-per-kwh, "
                             "not both")
    _finite("--server-capex-usd", self.server_capex_usd, high=1e9)
    _finite("--colocation-usd-per-kw-month", self.colocation_usd_per_kw_month, high=100_000,
            allow_zero=True)
    if self.gpus_per_server is not None and self.server_capex_usd is None:
        raise InputError("--gpus-per-server", "give it with --server-capex-usd")
