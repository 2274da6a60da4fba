"""Run the engine on measured rows: map each row to a scenario, predict its metrics.

Mapping rules (docs/accuracy.md#mapping):

* model and hardware names resolve through the registry (ids and aliases); a row whose model
  or hardware has no profile cannot be estimated, and the reason says which;
* ``max`` rows: continuous batching at the largest concurrency that fits memory, capped by
  the engine's ``max_num_seqs`` (or the row's own cap, e.g. AMD's "max num seqs = 3200");
* static-batch rows: `Workload(static_batch=True)` (B prompts prefilled together, decoded in
  lock step);
* fixed-concurrency rows: continuous batching at that concurrency; more clients than fit
  memory queue at the server (`closed_loop`: the server runs the memory-limited concurrency,
  the rest wait, TTFT includes the wait);
* ``qps=N`` rows: the concurrency C solving C = N · E2E(C) (Little's law, fixed point), or
  the memory-limited maximum when N exceeds what the replica can serve; throughput is then
  min(N · T_out, capacity).  ``qps=inf`` (a finite burst sent at once) runs at the maximum
  concurrency; its TTFT is mostly queueing for the burst, which is not modelled, so TTFT is
  not scored for those rows.
* a rate row whose source states how many requests the run sent (``500 requests``) is a
  finite run, not a steady state: `finite_run` integrates arrivals, admissions and
  completions over the run (a fluid model, below) instead of the fixed point, so a rate
  near or above capacity reaches only the concurrency that many requests build up, and a
  burst (qps=inf) never holds more requests than it sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from inferx.calibration.measurements import METRICS, Measurement
from inferx.engine import Assumptions, Workload, estimate_decoder
from inferx.engine.presets import engine_for_framework
from inferx.errors import InferxError
from inferx.profiles import HardwareProfile, ModelProfile
from inferx.quant import Scheme, default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.registry import Registry


@dataclass(frozen=True)
class Scenario:
    """A measurement resolved against the registry: everything the engine needs but knobs."""

    row: Measurement
    model: ModelProfile
    hardware: HardwareProfile
    scheme: Scheme
    kv_precision: str
    engine: str


@dataclass
class Prediction:
    case_id: str
    values: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # metric → reason not estimated
    concurrency: int | None = None


class CannotEstimate(Exception):
    """A row the engine cannot run; str() is the reason shown in docs/accuracy.md."""


def _precision(name: str) -> Scheme:
    key = name.strip().lower()
    key = {"int4": "int4-wo", "w4a16": "int4-wo", "awq": "int4-wo"}.get(key, key)
    return resolve_scheme(key)


def resolve(row: Measurement, registry: Registry) -> Scenario:
    """Resolve a row's names; raises CannotEstimate with the reason."""
    try:
        model = registry.get("model", row.model)
    except InferxError:
        raise CannotEstimate(f"no model profile for {row.model}") from None
    try:
        hw = registry.get("hardware", row.hardware)
    except InferxError:
        raise CannotEstimate(f"no hardware profile for {row.hardware}") from None
    if model.architecture != "decoder":
        raise CannotEstimate(f"{model.id} is not a decoder")
    try:
        scheme = _precision(row.weight_precision)
    except KeyError:
        raise CannotEstimate(f"unknown precision {row.weight_precision}") from None
    kv = (row.kv_precision or default_kv_precision(scheme)).lower()
    if (model.num_attention_heads or 1) % row.gpus:
        raise CannotEstimate(f"{row.gpus} GPUs do not divide {model.id}'s attention heads")
    return Scenario(row=row, model=model, hardware=hw, scheme=scheme, kv_precision=kv,
                    engine=engine_for_framework(row.framework))


def _run(s: Scenario, a: Assumptions, concurrency: int | None, static: bool):
    r = s.row
    return estimate_decoder(
        model=s.model, hardware=s.hardware, scheme=s.scheme, kv_precision=s.kv_precision,
        kv_bytes_per_element=kv_bytes_per_element(s.kv_precision), gpus=r.gpus,
        workload=Workload(r.input_tokens, r.output_tokens, concurrency, static,
                          require_fit=concurrency is None),
        usd_per_gpu_hour=None, assumptions=a)


def _values(out) -> dict[str, float]:
    lat, thr = out.latency, out.throughput
    vals = {"throughput_out_tok_s": thr.output_tokens_per_s, "ttft_ms": lat.ttft_ms,
            "tpot_ms": lat.tpot_ms, "e2e_latency_s": lat.e2e_s}
    return {k: float(v) for k, v in vals.items() if v is not None}


def predict(s: Scenario, a: Assumptions) -> Prediction:
    """Predicted metrics for one resolved row under assumptions `a` (pure)."""
    r = s.row
    pred = Prediction(case_id=r.case_id)
    if r.batch_mode == "max" and r.batch is not None:
        a = a.model_copy(update={"max_num_seqs": r.batch})
    if r.batch_mode == "static":
        out = _run(s, a, r.batch, True)
    elif r.batch_mode == "concurrency":
        top = _run(s, a, None, False)
        if top.memory.fits and top.concurrency and (r.batch or 1) > top.concurrency:
            return _predict_closed_loop(s, a, pred, clients=r.batch or 1, cap=top.concurrency)
        out = _run(s, a, r.batch, False)
    elif r.batch_mode == "max":
        out = _run(s, a, None, False)
    elif r.num_requests:
        return _predict_finite(s, a, pred)
    else:
        out = _rate(s, a, r.request_rate or math.inf)
        if r.request_rate == math.inf:
            pred.skipped["ttft_ms"] = "qps=inf: TTFT is queueing for a finite burst (not modelled)"
            pred.skipped["e2e_latency_s"] = pred.skipped["ttft_ms"]
    if out.latency.tpot_ms is None:
        reason = next((w.message for w in out.warnings if w.code == "does_not_fit"),
                      "does not fit in memory")
        for m in METRICS:
            pred.skipped.setdefault(m, reason)
        return pred
    pred.concurrency = out.concurrency
    vals = _values(out)
    if r.batch_mode == "rate" and r.request_rate not in (None, math.inf):
        vals["throughput_out_tok_s"] = min(r.request_rate * r.output_tokens,
                                           vals["throughput_out_tok_s"])
    pred.values = {k: v for k, v in vals.items() if k not in pred.skipped}
    return pred


def closed_loop(*, clients: int, cap: int, ttft_s: float, tpot_s: float,
                output_tokens: int) -> dict[str, float]:
    """N closed-loop clients (each sends its next request when the last one completes) against
    a server that holds at most `cap` < N requests in flight (pure).

    The server runs `cap` requests with TTFT(cap), TPOT(cap); the other N − cap wait in its
    queue. Every request's client-side time is, by Little's law over the N circulating
    requests, E2E_client = N / λ with λ = cap / E2E(cap), so

        E2E(cap)    = TTFT(cap) + (T_out − 1) · TPOT(cap)
        E2E_client  = E2E(cap) · N / cap
        TTFT_client = E2E_client − (T_out − 1) · TPOT(cap)     (queue wait + first token)
        output tokens/s = cap · T_out / E2E(cap)                 (unchanged by the queue)
    """
    e2e_s = ttft_s + (output_tokens - 1) * tpot_s
    e2e_client_s = e2e_s * clients / cap
    return {"ttft_s": e2e_client_s - (output_tokens - 1) * tpot_s, "tpot_s": tpot_s,
            "e2e_s": e2e_client_s, "throughput": cap * output_tokens / e2e_s}


def _predict_closed_loop(s: Scenario, a: Assumptions, pred: Prediction, *, clients: int,
                         cap: int) -> Prediction:
    """A fixed client concurrency above what fits memory: `closed_loop` around the engine at
    its memory-limited concurrency."""
    out = _run(s, a, cap, False)
    lat = out.latency
    if lat.tpot_ms is None or lat.ttft_ms is None:
        pred.skipped = {m: "does not fit in memory" for m in METRICS}
        return pred
    run = closed_loop(clients=clients, cap=cap, ttft_s=lat.ttft_ms / 1e3,
                      tpot_s=lat.tpot_ms / 1e3, output_tokens=s.row.output_tokens)
    pred.values = {"throughput_out_tok_s": run["throughput"], "ttft_ms": run["ttft_s"] * 1e3,
                   "tpot_ms": run["tpot_s"] * 1e3, "e2e_latency_s": run["e2e_s"]}
    pred.concurrency = cap
    return pred


def finite_run(*, rate_per_s: float, num_requests: int, output_tokens: int, cap: int,
               perf: Callable[[float], tuple[float, float, float]],
               steps: int = 400) -> dict[str, float]:
    """A finite benchmark run as a fluid of request cohorts (pure).

    N requests arrive at rate λ (all at t = 0 when λ = inf) into a FIFO queue; up to `cap`
    are in flight; `perf(n)` gives (TTFT_s, TPOT_s, E2E_s) of the engine with n in flight.
    Every in-flight request gains one token per decode step, so one token clock serves all:

        K(t) = ∫ dt / TPOT(n(t))                     (tokens generated per request so far)
        arrivals:  dA/dt = λ while A < N
        admission: whenever n < cap, queued requests enter (n ← min(cap, n + q)); a cohort
                   entering at clock K0 with n in flight leaves at
                   K0 + TTFT(n) / TPOT(n) + T_out − 1
        run time T: when the last cohort leaves.

    integrated in `steps` slices of the expected run length. Scored as a benchmark reports:

        output tokens/s = N · T_out / T            (returned as the run time run_s)
        TPOT = ∫ n dt / ∫ n / TPOT(n) dt           (mean over generated tokens)
        TTFT = (∫ q dt + Σ cohort · TTFT(n)) / N   (queue wait + first-token time)
    """
    n_req = float(num_requests)
    burst = math.isinf(rate_per_s)
    arrive_s = 0.0 if burst else n_req / rate_per_s
    full = perf(float(min(cap, num_requests)))[2]
    horizon = arrive_s + full * max(1.0, n_req / max(cap, 1)) + perf(1.0)[2]
    dt = horizon / steps
    t = q = n = arrived = clock = 0.0
    q_area = n_area = tokens = ttft_sum = 0.0
    cohorts: list[list[float]] = []  # [leave_clock, mass], FIFO = leave order
    head = 0
    for _ in range(steps * 50):
        if arrived < n_req:
            add = n_req - arrived if burst else min(rate_per_s * dt, n_req - arrived)
            q += add
            arrived += add
        admit = min(q, cap - n)
        if admit > 1e-12:
            ttft_s, tpot_s, _ = perf(max(n + admit, 1.0))
            ttft_sum += admit * ttft_s
            cohorts.append([clock + ttft_s / tpot_s + output_tokens - 1, admit])
            n += admit
            q -= admit
        tpot_s = perf(max(n, 1.0))[1]
        n_area += n * dt
        tokens += n * dt / tpot_s
        q_area += q * dt
        clock += dt / tpot_s
        t += dt
        while head < len(cohorts) and cohorts[head][0] <= clock:
            n -= cohorts[head][1]
            head += 1
        n = max(n, 0.0)
        if arrived >= n_req and q <= 1e-9 and head == len(cohorts):
            break
    return {"run_s": t, "tpot_s": n_area / tokens if tokens else perf(1.0)[1],
            "ttft_s": (q_area + ttft_sum) / n_req}


def _perf_curve(s: Scenario, a: Assumptions, cap: int, burst: bool = False):
    """(TTFT_s, TPOT_s, E2E_s) at n in flight: the engine at a geometric grid of integer
    concurrencies 1..cap, log-log interpolated between them.  `burst`: the n requests
    arrived together, so the whole cohort's prefill work P(n) (one batched prefill) is done
    once, while the first-admitted requests already decode: request i of n sees the prefills
    of the n − i after it, on average half of P(n), spread over its decode steps:

        TTFT = P(n)/2 + request_overhead
        TPOT = t_step(n) + P(n) / (2 · (T_out − 1))
        E2E  = P(n) + request_overhead + (T_out − 1) · t_step(n)   (the static-batch E2E)

    with P(n) and t_step(n) the static-batch figures (steady-state TPOT instead charges every
    step with the others' prefills, which in a burst happen once, at the start)."""
    grid = sorted({1, cap} | {int(round(cap ** (i / 10))) for i in range(1, 10)})
    pts = []
    t_out = max(s.row.output_tokens, 2)
    for c in grid:
        lat = _run(s, a, c, burst).latency
        if lat.e2e_s is None or lat.tpot_ms is None:
            break
        ttft_s, tpot_s = lat.ttft_ms / 1e3, lat.tpot_ms / 1e3
        if burst:
            p_s = max(ttft_s - a.request_overhead_ms * 1e-3, 0.0)
            ttft_s, tpot_s = ttft_s - p_s / 2, tpot_s + p_s / (2 * (t_out - 1))
        pts.append((math.log(c), math.log(ttft_s), math.log(tpot_s), math.log(lat.e2e_s)))
    if not pts:
        return None

    def perf(n: float) -> tuple[float, float, float]:
        x = math.log(min(max(n, 1.0), math.exp(pts[-1][0])))
        i = next((k for k in range(1, len(pts)) if pts[k][0] >= x), len(pts) - 1)
        lo, hi = pts[max(i - 1, 0)], pts[i]
        w = 0.0 if hi[0] == lo[0] else (x - lo[0]) / (hi[0] - lo[0])
        return tuple(math.exp(lo[j] + w * (hi[j] - lo[j])) for j in (1, 2, 3))  # type: ignore
    return perf


def _predict_finite(s: Scenario, a: Assumptions, pred: Prediction) -> Prediction:
    """A rate row with a stated request count: `finite_run` over the engine's curve, with at
    most min(memory-limited concurrency, requests sent) in flight."""
    r = s.row
    top = _run(s, a, None, False)
    rate = r.request_rate or math.inf
    perf = _perf_curve(s, a, max(1, min(top.concurrency or 1, r.num_requests or 1)),
                       burst=math.isinf(rate))
    if not top.memory.fits or perf is None:
        reason = next((w.message for w in top.warnings if w.code == "does_not_fit"),
                      "does not fit in memory")
        pred.skipped = {m: reason for m in METRICS}
        return pred
    run = finite_run(rate_per_s=rate, num_requests=r.num_requests or 1,
                     output_tokens=r.output_tokens, cap=max(1, min(top.concurrency or 1, r.num_requests or 1)), perf=perf)
    tpot_ms = run["tpot_s"] * 1e3
    ttft_ms = run["ttft_s"] * 1e3
    pred.values = {"throughput_out_tok_s": (r.num_requests or 1) * r.output_tokens / run["run_s"],
                   "tpot_ms": tpot_ms}
    if math.isinf(rate):
        reason = ("qps=inf: TTFT is the burst's prefills queueing behind each other "
                  "(not modelled)")
        pred.skipped["ttft_ms"] = pred.skipped["e2e_latency_s"] = reason
    else:
        pred.values["ttft_ms"] = ttft_ms
        pred.values["e2e_latency_s"] = (ttft_ms + (r.output_tokens - 1) * tpot_ms) / 1e3
    pred.concurrency = top.concurrency
    return pred


def _rate(s: Scenario, a: Assumptions, rate: float):
    """Concurrency at request rate λ: C = λ·E2E(C), iterated from C = 1; capped at the most
    that fits (λ = inf → the cap)."""
    top = _run(s, a, None, False)
    cap = max(top.concurrency, 1)
    if rate == math.inf or not top.memory.fits or top.latency.e2e_s is None:
        return top
    c = 1
    out = _run(s, a, c, False)
    for _ in range(30):
        if out.latency.e2e_s is None:
            return out
        nxt = min(cap, max(1, math.ceil(rate * out.latency.e2e_s)))
        if nxt == c:
            break
        c = nxt
        out = _run(s, a, c, False)
    return out
