"""Queueing arithmetic of serving (pure): closed-loop clients beyond what a server holds, and
a finite benchmark run as a fluid of request cohorts.  Used by engine/serving.py.
docs/methodology.md#serving-modes."""

from __future__ import annotations

import math
from collections.abc import Callable


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
    at_n, tpot_at_n = -1.0, 0.0
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
        if max(n, 1.0) != at_n:  # perf is pure: asked again only when n changed
            at_n = max(n, 1.0)
            tpot_at_n = perf(at_n)[1]
        tpot_s = tpot_at_n
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
