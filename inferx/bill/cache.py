"""The prefix-cache hit rate a bill uses: --prefix-cache-hit as given, or derived from the
workload (sessions, turns, shared prefix), the cache's capacity and TTL and the routing
(inferx.bill.econ.prefix_hit_rate).  The self-hosted fleet serves the hit share of prompt tokens
without prefill compute; the APIs bill it at their cached-input price."""

from __future__ import annotations

from inferx.bill import econ as E
from inferx.bill.arithmetic import SECONDS_PER_DAY
from inferx.bill.request import BillRequest
from inferx.bill.results import CacheSection

API_TTL_S = {"5m": 300.0, "1h": 3600.0}


def derives(req: BillRequest) -> bool:
    return any(v is not None for v in (req.sessions, req.turns_per_session,
                                       req.shared_prefix_tokens))


def cache_section(req: BillRequest, volume: float, replicas: int) -> CacheSection | None:
    """The cache figures for a fleet of `replicas`; None when no cache is asked for."""
    if req.prefix_cache_hit is not None and not derives(req):
        h = req.prefix_cache_hit
        return CacheSection(
            source="flag", prefix_cache_hit=h, shared_prefix_share=None,
            session_history_share=None, single_replica_hit_rate=None, replicas=replicas,
            routing=req.routing, p_shared_resident=None, p_within_ttl=None,
            p_within_capacity=None, p_same_replica=None, api_cached_input_share=h,
            api_cache_write_share=0.0, api_cache_ttl=req.api_cache_ttl,
            prefill_tokens_saved_per_day=h * req.input_tokens * volume,
            note="--prefix-cache-hit as given; API cache writes not counted (give the workload "
                 "with --sessions/--turns-per-session/--shared-prefix-tokens to derive them)")
    if not derives(req):
        return None
    turns = req.turns_per_session or 1
    shared, history = E.reusable_shares(input_tokens=req.input_tokens,
                                        shared_prefix_tokens=req.shared_prefix_tokens or 0,
                                        turns_per_session=turns)
    sessions = req.daily_sessions() or volume
    common = dict(shared_share=shared, history_share=history,
                  arrivals_per_s=volume / SECONDS_PER_DAY,
                  sessions_per_s=sessions / SECONDS_PER_DAY, turns_per_session=turns,
                  history_tokens=float(req.input_tokens), turn_interval_s=req.turn_interval_s)
    fleet = E.prefix_hit_rate(replicas=replicas, routing=req.routing, ttl_s=req.cache_ttl_s,
                              capacity_tokens=req.cache_capacity_tokens, **common)
    single = E.prefix_hit_rate(replicas=1, routing="cache-aware", ttl_s=req.cache_ttl_s,
                               capacity_tokens=req.cache_capacity_tokens, **common)
    api = E.prefix_hit_rate(replicas=1, routing="cache-aware",
                            ttl_s=API_TTL_S[req.api_cache_ttl], capacity_tokens=None, **common)
    hit = min(fleet["hit_rate"], 0.99)  # at least one prompt token is computed
    return CacheSection(
        source="derived", prefix_cache_hit=hit, shared_prefix_share=shared,
        session_history_share=history, single_replica_hit_rate=single["hit_rate"],
        replicas=replicas, routing=req.routing, p_shared_resident=fleet["p_shared"],
        p_within_ttl=fleet["p_ttl"], p_within_capacity=fleet["p_capacity"],
        p_same_replica=fleet["p_route"], api_cached_input_share=api["hit_rate"],
        api_cache_write_share=_written(shared, turns, api),
        api_cache_ttl=req.api_cache_ttl,
        prefill_tokens_saved_per_day=hit * req.input_tokens * volume,
        note=f"{req.routing} routing over {replicas} replica(s) of the always-on fleet sized "
             "without the cache (one iteration); APIs: cache-aware, the --api-cache-ttl TTL, "
             "unlimited capacity")


def _written(shared: float, turns: int, api: dict[str, float]) -> float:
    """Share of input tokens an API writes to its cache.  Multi-turn: the cache breakpoint sits
    at the end of each prompt, so every token not read from the cache is written (the new turn
    and any history that expired); one turn: only the shared prefix, when it was not resident."""
    if turns > 1:
        return max(0.0, 1.0 - api["hit_rate"])
    return max(0.0, shared - api["shared"])
