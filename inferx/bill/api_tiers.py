"""One API's price for one query, reading its price tiers: cached reads, cache writes by TTL,
the long-context tier, the batch discount and an off-peak window.  A tier the profile does
not publish is "unknown": the query is not priced (never $0), and the reason is returned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inferx.bill import econ as E
from inferx.profiles import ApiPriceRecord


@dataclass
class ApiQuote:
    usd_per_query: float | None
    long_context: bool
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    off_peak_share: float | None = None


def _hours(hhmm: str) -> float:
    h, m = hhmm.split(":")
    return int(h) + int(m) / 60


def quote(a: ApiPriceRecord, *, input_tokens: int, output_tokens: int, cached_share: float,
          write_share: float, ttl: str, batch: bool,
          shares: Sequence[float] | None) -> ApiQuote:
    """Price one query of `a` (see the module docstring; docs/methodology.md#fleet-and-bill)."""
    unknown: list[str] = []
    notes: list[str] = []
    if a.context_tokens is not None and input_tokens > a.context_tokens:
        unknown.append(f"the {input_tokens:,}-token prompt exceeds its {a.context_tokens:,}-token "
                       "context window")
    long = a.long_context_threshold_tokens is not None \
        and input_tokens > a.long_context_threshold_tokens
    p_in, p_out, p_cached = (a.usd_per_million_input_tokens, a.usd_per_million_output_tokens,
                             a.usd_per_million_cached_input_tokens)
    if long:
        notes.append(f"prompt above {a.long_context_threshold_tokens:,} tokens: long-context "
                     "tier")
        p_in, p_out = (a.usd_per_million_input_tokens_long_context,
                       a.usd_per_million_output_tokens_long_context)
        p_cached = a.usd_per_million_cached_input_tokens_long_context
        if p_in is None:
            unknown.append("long-context input price not published")
        if p_out is None:
            unknown.append("long-context output price not published")
    p_write = None
    if cached_share > 0 and p_cached is None and p_in is not None:
        p_cached = p_in
        notes.append("no cached-input price published: cached tokens priced at the full input "
                     "rate (an upper bound)")
    if write_share > 0 and p_in is not None:
        written = {"5m": a.usd_per_million_cache_write_5m_tokens,
                   "1h": a.usd_per_million_cache_write_1h_tokens}
        if all(v is None for v in written.values()):
            p_write = p_in
            notes.append("no cache-write price published: cache writes billed as input")
        elif written[ttl] is None:
            unknown.append(f"{ttl} cache-write price not published")
        else:
            p_write = written[ttl]
    factor = 1.0
    if batch:
        if a.batch_discount is None:
            unknown.append("batch discount not published")
        else:
            factor *= 1.0 - a.batch_discount
            notes.append(f"batch API: {a.batch_discount:.0%} off")
    off_share = None
    if a.off_peak_discount is not None and a.off_peak_start_utc and a.off_peak_end_utc:
        if shares is None:
            notes.append("off-peak window not applied: no hourly shape (--traffic-shape or "
                         "--traffic-profile)")
        else:
            off_share = E.share_in_window(shares=shares, start_hour=_hours(a.off_peak_start_utc),
                                          end_hour=_hours(a.off_peak_end_utc))
            factor *= 1.0 - a.off_peak_discount * off_share
            notes.append(f"{off_share:.0%} of traffic in the off-peak window "
                         f"{a.off_peak_start_utc}-{a.off_peak_end_utc} UTC "
                         f"({a.off_peak_discount:.0%} off)")
    if unknown or p_in is None or p_out is None:
        return ApiQuote(None, long, unknown, notes, off_share)
    per_query = E.api_usd_per_query(
        input_tokens=input_tokens, output_tokens=output_tokens, cached_share=cached_share,
        write_share=write_share if p_write is not None else 0.0, p_in=p_in, p_out=p_out,
        p_cached=p_cached if p_cached is not None else p_in,
        p_write=p_write if p_write is not None else p_in)
    return ApiQuote(per_query * factor, long, unknown, notes, off_share)
