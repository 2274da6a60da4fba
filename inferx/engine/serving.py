"""Traffic → operating point: every model of how requests reach a replica, in one place.

    concurrency  a fixed number of requests in flight (continuous batching; a static batch
                 for engines that batch statically)
    max          the most requests memory holds (capped by the runtime's max_num_seqs)
    clients      N closed-loop clients, more than memory holds: the server runs what fits,
                 the rest queue (closed_loop)
    rate         Poisson arrivals at λ requests/s: the concurrency C = λ·E2E(C) the replica
                 settles at, or "overloaded" with the rate it can sustain
    burst        a finite run of N requests (all sent at t = 0, or at a rate λ): the fluid
                 model finite_run, as benchmark tools run it

The CLI (`inferx estimate --clients/--request-rate/--requests`) and the accuracy harness
(inferx/calibration/harness.py) both call `operate`; no model of serving lives elsewhere.
`run(c, static)` is the engine at c in flight (None: the most that fit).
docs/methodology.md#serving-modes.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inferx.engine.point import DecoderPoint, Note
from inferx.engine.queueing import closed_loop, finite_run

if TYPE_CHECKING:  # a type only: disaggregated pools are built in api.py, imported on use
    from inferx.engine.disagg import Disaggregated

Run = Callable[[int | None, bool], DecoderPoint]
MODES = ("concurrency", "max", "clients", "rate", "burst")


@dataclass(frozen=True)
class Traffic:
    """How requests arrive.  mode "burst" with request_rate set is a finite run at that rate."""

    mode: str = "concurrency"
    concurrency: int | None = None
    clients: int | None = None
    request_rate: float | None = None   # requests/s; inf: all at once
    requests: int | None = None         # requests in a finite run


@dataclass(frozen=True)
class OperatingPoint:
    """What a client sees, and the server's point behind it (seconds; rates per second).

    Latency figures are None where the traffic makes them unbounded (an overloaded rate) or
    the replica cannot run (does not fit, a missing hardware figure)."""

    point: DecoderPoint                 # the server at its in-flight concurrency
    traffic: Traffic
    ttft_s: float | None
    tpot_s: float | None
    e2e_s: float | None
    output_tokens_per_s: float | None
    requests_per_s: float | None
    queue_wait_s: float | None = None
    overloaded: bool = False
    sustainable_request_rate: float | None = None
    notes: tuple[Note, ...] = ()
    disaggregated: Disaggregated | None = None  # prefill/decode pools (engine/disagg.py)

    @property
    def server_concurrency(self) -> int:
        return self.point.concurrency

    @property
    def gpus(self) -> int:
        """Devices the operating point occupies: one replica, or both disaggregated pools."""
        return self.disaggregated.devices if self.disaggregated else self.point.gpus


def _direct(p: DecoderPoint, traffic: Traffic) -> OperatingPoint:
    t = p.timing
    if t is None:
        return OperatingPoint(p, traffic, None, None, None, None, None)
    return OperatingPoint(p, traffic, t.ttft_s, t.tpot_s, t.e2e_s, t.output_tokens_per_s,
                          t.requests_per_s)


def operate(traffic: Traffic, run: Run, *, output_tokens: int, request_overhead_s: float = 0.0,
            static_batch: bool = False) -> OperatingPoint:
    """The operating point a traffic model reaches on the replica `run` describes."""
    if traffic.mode == "concurrency":
        return _direct(run(traffic.concurrency, static_batch), traffic)
    if traffic.mode == "max":
        return _direct(run(None, False), traffic)
    if traffic.mode == "clients":
        return _clients(traffic, run, output_tokens=output_tokens)
    if traffic.mode == "rate":
        return _rate(traffic, run, output_tokens=output_tokens)
    if traffic.mode == "burst":
        return _finite(traffic, run, output_tokens=output_tokens,
                       request_overhead_s=request_overhead_s)
    raise ValueError(f"unknown traffic mode {traffic.mode!r}")


def _clients(traffic: Traffic, run: Run, *, output_tokens: int) -> OperatingPoint:
    """N closed-loop clients: beyond the memory-limited concurrency the rest queue."""
    n = traffic.clients or 1
    top = run(None, False)
    cap = top.concurrency
    if not (top.memory.fits and cap and n > cap):
        return _direct(run(n, False), traffic)
    p = run(cap, False)
    if p.timing is None:
        return OperatingPoint(p, traffic, None, None, None, None, None)
    t = p.timing
    loop = closed_loop(clients=n, cap=cap, ttft_s=t.ttft_s, tpot_s=t.tpot_s,
                       output_tokens=output_tokens)
    note = Note("clients_queue", (
        f"{n} clients but memory holds {cap} requests in flight: the other {n - cap} wait in "
        f"the server's queue (TTFT includes the wait)"))
    return OperatingPoint(p, traffic, loop["ttft_s"], loop["tpot_s"], loop["e2e_s"],
                          loop["throughput"], loop["throughput"] / output_tokens,
                          queue_wait_s=loop["ttft_s"] - t.ttft_s, notes=(note,))


def _rate(traffic: Traffic, run: Run, *, output_tokens: int) -> OperatingPoint:
    """Poisson arrivals at λ: C = λ·E2E(C) iterated from C = 1 up to the most that fit.

    λ above what the replica sustains at its largest concurrency (cap / E2E(cap)) is
    overloaded: the queue grows without bound, so latency is not reported; throughput is the
    capacity.  Below it, output tokens/s = min(λ·T_out, C·T_out/E2E(C))."""
    rate = traffic.request_rate if traffic.request_rate is not None else math.inf
    top = run(None, False)
    if top.timing is None or not top.memory.fits:
        return _direct(top, traffic)
    sustainable = top.timing.requests_per_s
    if math.isinf(rate) or rate > sustainable:
        note = Note("overloaded", (
            f"{rate:g} requests/s is more than this replica sustains ({sustainable:.4g}/s at "
            f"{top.concurrency} in flight): the queue grows without bound; latency is not "
            "estimated and throughput is the capacity"))
        t = top.timing
        return OperatingPoint(top, traffic, None, None, None, t.output_tokens_per_s,
                              t.requests_per_s, overloaded=True,
                              sustainable_request_rate=sustainable, notes=(note,))
    cap = max(top.concurrency, 1)
    c = 1
    p = run(c, False)
    for _ in range(30):
        if p.timing is None:
            return _direct(p, traffic)
        nxt = min(cap, max(1, math.ceil(rate * p.timing.e2e_s)))
        if nxt == c:
            break
        c = nxt
        p = run(c, False)
    t = p.timing
    if t is None:
        return _direct(p, traffic)
    out_tps = min(rate * output_tokens, t.output_tokens_per_s)
    return OperatingPoint(p, traffic, t.ttft_s, t.tpot_s, t.e2e_s, out_tps,
                          out_tps / output_tokens, sustainable_request_rate=sustainable)


def perf_curve(run: Run, cap: int, *, output_tokens: int, request_overhead_s: float,
               burst: bool = False) -> Callable[[float], tuple[float, float, float]] | None:
    """(TTFT_s, TPOT_s, E2E_s) at n in flight: the engine at a geometric grid of integer
    concurrencies 1..cap, log-log interpolated between them.  `burst`: the n requests
    arrived together, so the whole cohort's prefill work P(n) (one batched prefill) is done
    once, while the first-admitted requests already decode: request i of n sees the prefills
    of the n − i after it, on average half of P(n), spread over its decode steps:

        TTFT = P(n)/2 + request_overhead
        TPOT = t_step(n) + P(n) / (2 · (T_out − 1))
        E2E  = P(n) + request_overhead + (T_out − 1) · t_step(n)   (static-batch E2E + overhead)

    with P(n) and t_step(n) the static-batch figures, whose TTFT is P(n) (a static batch is
    timed from its token ids: no per-request overhead), plus the request overhead each
    request of a served burst pays (steady-state TPOT instead charges every step with the
    others' prefills, which in a burst happen once, at the start)."""
    grid = sorted({1, cap} | {int(round(cap ** (i / 10))) for i in range(1, 10)})
    pts = []
    t_out = max(output_tokens, 2)
    for c in grid:
        t = run(c, burst).timing
        if t is None:
            break
        ttft_s, tpot_s, e2e_s = t.ttft_s, t.tpot_s, t.e2e_s
        if burst:
            p_s = ttft_s
            ttft_s, tpot_s = p_s / 2 + request_overhead_s, tpot_s + p_s / (2 * (t_out - 1))
            e2e_s += request_overhead_s
        pts.append((math.log(c), math.log(ttft_s), math.log(tpot_s), math.log(e2e_s)))
    if not pts:
        return None
    xs = [p[0] for p in pts]
    top = math.exp(pts[-1][0])
    last = len(pts) - 1
    exp, log = math.exp, math.log

    def perf(n: float) -> tuple[float, float, float]:
        x = log(min(max(n, 1.0), top))
        i = min(bisect_left(xs, x, 1), last)  # the first grid point at or above x
        lo, hi = pts[max(i - 1, 0)], pts[i]
        w = 0.0 if hi[0] == lo[0] else (x - lo[0]) / (hi[0] - lo[0])
        return (exp(lo[1] + w * (hi[1] - lo[1])), exp(lo[2] + w * (hi[2] - lo[2])),
                exp(lo[3] + w * (hi[3] - lo[3])))
    return perf


def _finite(traffic: Traffic, run: Run, *, output_tokens: int,
            request_overhead_s: float) -> OperatingPoint:
    """A finite run of N requests: finite_run over the engine's curve, with at most
    min(memory-limited concurrency, N) in flight.  Mean TTFT includes waiting behind the
    others' prefills (and in the queue when N exceeds what memory holds)."""
    n = traffic.requests or 1
    rate = traffic.request_rate if traffic.request_rate is not None else math.inf
    top = run(None, False)
    if top.timing is None or not top.memory.fits:
        return _direct(top, traffic)
    cap = max(1, min(top.concurrency or 1, n))
    perf = perf_curve(run, cap, output_tokens=output_tokens, request_overhead_s=request_overhead_s,
                      burst=math.isinf(rate))
    if perf is None:
        return _direct(top, traffic)
    fr = finite_run(rate_per_s=rate, num_requests=n, output_tokens=output_tokens, cap=cap,
                    perf=perf)
    out_tps = n * output_tokens / fr["run_s"]
    ttft_s, tpot_s = fr["ttft_s"], fr["tpot_s"]
    return OperatingPoint(top, traffic, ttft_s, tpot_s, ttft_s + (output_tokens - 1) * tpot_s,
                          out_tps, n / fr["run_s"])
