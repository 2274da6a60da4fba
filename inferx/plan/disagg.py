"""Disaggregated prefill/decode pools in plan's search (engine/disagg.py; docs/methodology.md
#disaggregation): for each aggregated point of a plain tensor-parallel layout, a few P:D
ratios around the balanced one, each instance the same layout at the same concurrency, so
`inferx estimate --gpus g --disaggregate P:D --concurrency C` reproduces it."""

from __future__ import annotations

import math

from inferx.engine.architecture import kv_cache_bytes_per_token
from inferx.engine.comm import kv_transfer_time_s
from inferx.engine.deployment import Deployment
from inferx.engine.disagg import disaggregate, transfer_link
from inferx.engine.timing_curve import CurvePoint
from inferx.scenario import Scenario

DECODE_INSTANCES = (1, 2, 4)


def ratios(balanced: float, max_instances: int) -> list[tuple[int, int]]:
    """(P, D) with D in DECODE_INSTANCES and P = floor or ceil of balanced · D (at least 1),
    P + D ≤ max_instances, one per reduced ratio (the smallest D: a finer fleet step)."""
    out: list[tuple[int, int]] = []
    for d in DECODE_INSTANCES:
        x = balanced * d
        lo = math.floor(x)
        for p in (max(1, lo), lo + 1 if x > lo else lo):
            if p >= 1 and p + d <= max_instances and not any(p * e == q * d for q, e in out):
                out.append((p, d))
    return out


def pool_points(sc: Scenario, d: Deployment, perf: list[CurvePoint], *, max_gpus: int
                ) -> list[tuple[tuple[int, int], CurvePoint]]:
    """((P, D), the pools' figures as a CurvePoint) for each point and ratio; none when the
    link the KV cache crosses has no published bandwidth.  engine/disagg.py's disaggregate,
    with the KV transfer time (independent of C) computed once per pool size: the same
    operations in the same order (tests/test_plan.py checks it against the engine)."""
    a, req = sc.assumptions, sc.request
    g, t_out = d.gpus_per_replica, req.output_tokens
    kv_bytes = kv_cache_bytes_per_token(
        sc.model, kv_bytes_per_element=sc.kv_bytes_per_element) * req.input_tokens
    overhead_s = a.request_overhead_ms * 1e-3
    t_kv: dict[int, float | None] = {}
    out = []
    for pt in perf:
        if pt.step_s <= 0 or pt.prefill_s <= 0:
            continue
        c, prefill_s, tpot = pt.concurrency, pt.prefill_s, pt.step_s
        balanced = prefill_s * c / (t_out * tpot)
        for p, dn in ratios(balanced, max_gpus // g):
            devices = (p + dn) * g
            if devices not in t_kv:
                link = transfer_link(sc.hardware, devices)
                t_kv[devices] = None if link.gb_per_s is None else kv_transfer_time_s(
                    kv_bytes=kv_bytes / g, link_gb_per_s=link.gb_per_s,
                    link_efficiency=a.interconnect_efficiency,
                    hop_latency_us=a.allreduce_hop_latency_us)
            kv_s = t_kv[devices]
            if kv_s is None:
                continue
            cap_p = p / prefill_s
            cap_d = dn * c / (t_out * tpot)
            rate = min(cap_p, cap_d)
            rho = min(0.9, rate / cap_p)
            wait = rho * prefill_s / (2 * (1 - rho))
            ttft = prefill_s + wait + kv_s + overhead_s
            out.append(((p, dn), CurvePoint(c, ttft, tpot, ttft + (t_out - 1) * tpot,
                                            rate * t_out, rate, p / (p + dn), tpot, prefill_s)))
    return out


def engine_pools(sc: Scenario, d: Deployment, pt: CurvePoint, p: int, dn: int) -> CurvePoint:
    """The same figures through engine/disagg.py's disaggregate (for tests)."""
    a, req = sc.assumptions, sc.request
    g = d.gpus_per_replica
    dis = disaggregate(
        prefill_instances=p, decode_instances=dn, devices_per_instance=g,
        prefill_s=pt.prefill_s, decode_tpot_s=pt.step_s, concurrency=pt.concurrency,
        output_tokens=req.output_tokens, kv_bytes=kv_cache_bytes_per_token(
            sc.model, kv_bytes_per_element=sc.kv_bytes_per_element) * req.input_tokens,
        link=transfer_link(sc.hardware, (p + dn) * g), link_efficiency=a.interconnect_efficiency,
        hop_latency_us=a.allreduce_hop_latency_us, request_overhead_s=a.request_overhead_ms * 1e-3)
    return CurvePoint(pt.concurrency, dis.ttft_s, dis.decode_tpot_s, dis.e2e_s,
                      dis.output_tokens_per_s, dis.requests_per_s, p / (p + dn),
                      dis.decode_tpot_s, pt.prefill_s)
