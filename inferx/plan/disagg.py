"""Disaggregated prefill/decode pools in plan's search (engine/disagg.py; docs/methodology.md
#disaggregation): for each aggregated point of a plain tensor-parallel layout, a few P:D
ratios around the balanced one, each instance the same layout at the same concurrency, so
`inferx estimate --gpus g --disaggregate P:D --concurrency C` reproduces it."""

from __future__ import annotations

import math
from fractions import Fraction

from inferx.engine.architecture import kv_cache_bytes_per_token
from inferx.engine.deployment import Deployment
from inferx.engine.disagg import disaggregate, transfer_link
from inferx.engine.timing_curve import CurvePoint
from inferx.scenario import Scenario

DECODE_INSTANCES = (1, 2, 4)


def ratios(balanced: float, max_instances: int) -> list[tuple[int, int]]:
    """(P, D) with D in DECODE_INSTANCES and P = floor or ceil of balanced · D (at least 1),
    P + D ≤ max_instances, one per reduced ratio (the smallest: a finer fleet step)."""
    out: dict[Fraction, tuple[int, int]] = {}
    for d in DECODE_INSTANCES:
        x = balanced * d
        for p in {max(1, math.floor(x)), max(1, math.ceil(x))}:
            if p + d <= max_instances and Fraction(p, d) not in out:
                out[Fraction(p, d)] = (p, d)
    return sorted(out.values())


def pool_points(sc: Scenario, d: Deployment, perf: list[CurvePoint], *, max_gpus: int) -> list[tuple[tuple[int, int], CurvePoint]]:
    """((P, D), the pools' figures as a CurvePoint) for each point and ratio; none when the
    link the KV cache crosses has no published bandwidth."""
    a, req = sc.assumptions, sc.request
    g = d.gpus_per_replica
    kv_bytes = kv_cache_bytes_per_token(
        sc.model, kv_bytes_per_element=sc.kv_bytes_per_element) * req.input_tokens
    links: dict[int, object] = {}
    out = []
    for pt in perf:
        if pt.step_s <= 0 or pt.prefill_s <= 0:
            continue
        balanced = pt.prefill_s * pt.concurrency / (req.output_tokens * pt.step_s)
        for p, dn in ratios(balanced, max_gpus // g):
            devices = (p + dn) * g
            link = links.get(devices) or links.setdefault(devices, transfer_link(sc.hardware,
                                                                               devices))
            if link.gb_per_s is None:  # type: ignore[attr-defined]
                continue
            dis = disaggregate(
                prefill_instances=p, decode_instances=dn, devices_per_instance=g,
                prefill_s=pt.prefill_s, decode_tpot_s=pt.step_s, concurrency=pt.concurrency,
                output_tokens=req.output_tokens, kv_bytes=kv_bytes, link=link,  # type: ignore[arg-type]
                link_efficiency=a.interconnect_efficiency, hop_latency_us=a.allreduce_hop_latency_us,
                request_overhead_s=a.request_overhead_ms * 1e-3)
            out.append(((p, dn), CurvePoint(
                pt.concurrency, dis.ttft_s, dis.decode_tpot_s, dis.e2e_s,
                dis.output_tokens_per_s, dis.requests_per_s, p / (p + dn), dis.decode_tpot_s,
                pt.prefill_s)))
    return out
