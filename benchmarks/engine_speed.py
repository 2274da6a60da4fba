"""Estimates per second in-process, and peak memory of `inferx estimate` against the floor.

    python benchmarks/engine_speed.py [--seconds 3] [--runs 11]

Speed: one registry (the built-in profiles, warmed), a grid of varied scenarios (models x
hardware x precision x concurrency), each a validated EstimateRequest built beforehand; the
loop times `inferx.api.estimate(request, registry, today)`: scenario build, engine, serving
model, economics and result assembly, i.e. what a library caller or `plan`'s search pays per
point.  Printed: the median over repeats of estimates per second on one core (goal >= 20,000),
and, reported beside it, the same over other serving modes (EP x attention DP, request rate,
closed-loop clients, speculation, prefix cache), which cost more per estimate.

Also printed: the rate of `estimate(request)` without a registry, as the README's library
example calls it (Registry.default() on each call).

Memory: peak resident memory (ru_maxrss from os.wait4) of `inferx estimate --format json`
against `python -c "import typer, pydantic, rich"`, runs interleaved, median paired ratio
(goal <= 1.2).  Run it with the Python of a non-editable install, like benchmarks/startup.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _spawn import paired, run
from startup import FLOOR, inferx_script

MODELS = ("llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen2.5-72b", "deepseek-v3")
HARDWARE = ("h100-sxm", "a100-80gb", "mi300x", "l40s", "h200")
PRECISIONS = ("bf16", "fp8", "int8", "int4-wo", "q4_k_m")
CONCURRENCY = (1, 32, "max")
# Serving modes beyond a plain concurrency (reported, not the goal's grid): expert + attention
# data parallelism, open-loop arrivals, closed-loop clients, speculation, prefix caching
MODES = ({"gpus": 8, "ep": 8, "dp_attention": 8}, {"request_rate": 2.0}, {"clients": 50},
         {"speculative": "mtp", "acceptance_length": 1.8}, {"prefix_cache_hit": 0.5})


def scenarios() -> list:
    from inferx.inputs import EstimateRequest

    out = []
    for model, hw, prec, conc in itertools.product(MODELS, HARDWARE, PRECISIONS, CONCURRENCY):
        out.append(EstimateRequest(model=model, hardware=hw, precision=prec,
                                   concurrency=str(conc)))
    return out


def mode_scenarios() -> list:
    from inferx.inputs import EstimateRequest

    return [EstimateRequest(model=model, hardware=hw, precision=prec, **mode)
            for model, hw, prec, mode in itertools.product(MODELS, HARDWARE, PRECISIONS, MODES)]


def rate(requests: list, registry, today, seconds: float,
         repeats: int) -> tuple[list, float]:
    """(the requests that are estimates, median estimates/s over `repeats` timed slices)."""
    from inferx.api import estimate

    ok = []
    for r in requests:  # warm the registry; keep the scenarios that are estimates, not errors
        try:
            estimate(r, registry, today)
            ok.append(r)
        except Exception:  # an unsupported combination is not timed
            pass
    rates = []
    for _ in range(repeats):
        n, start = 0, time.process_time()
        while time.process_time() - start < seconds / repeats:
            for r in ok:
                estimate(r, registry, today)
            n += len(ok)
        rates.append(n / (time.process_time() - start))
    return ok, statistics.median(rates)


def speed(seconds: float, repeats: int) -> None:
    from inferx.api import estimate
    from inferx.registry import Registry, builtin_dir

    registry = Registry.from_dirs(builtin_dir())
    today = dt.date(2026, 1, 1)
    requests = scenarios()
    ok, grid_rate = rate(requests, registry, today, seconds, repeats)
    n, start = 0, time.process_time()  # the README's call: no registry passed
    while time.process_time() - start < min(1.0, seconds / repeats):
        for r in ok[:25]:
            estimate(r, today=today)
        n += 25
    default_rate = n / (time.process_time() - start)
    print(f"in-process: {len(ok)} of {len(requests)} scenarios "
          f"({len(MODELS)} models x {len(HARDWARE)} hardware x {len(PRECISIONS)} precisions x "
          f"{len(CONCURRENCY)} concurrency), one registry")
    print(f"  estimates/s (CPU time, median of {repeats}): {grid_rate:,.0f} "
          f"(goal >= 20,000: {'met' if grid_rate >= 20_000 else 'MISSED'})")
    print(f"  estimates/s without registry= (Registry.default() per call): {default_rate:,.0f}")
    modes, mode_rate = rate(mode_scenarios(), registry, today, seconds, repeats)
    print(f"  estimates/s over other serving modes ({len(modes)} scenarios: EP8 x DP8 attention, "
          f"request rate, closed-loop clients, MTP speculation, prefix cache; reported, not the "
          f"goal's grid): {mode_rate:,.0f}")


def memory(runs: int) -> None:
    floor = [sys.executable, *FLOOR]
    cmd = [inferx_script(), "estimate", "--format", "json"]
    run(floor), run(cmd)
    a, b = [], []
    for _ in range(runs):
        a.append(run(floor))
        b.append(run(cmd))
    s = paired(a, b)
    print(f"peak memory (ru_maxrss, median of {runs} interleaved pairs): "
          f"inferx estimate {s['maxrss_mib']:.1f} MiB, floor {s['floor_maxrss_mib']:.1f} MiB, "
          f"ratio {s['maxrss_ratio']:.2f} (goal <= 1.2: "
          f"{'met' if s['maxrss_ratio'] <= 1.2 else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds of timing")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=11, help="memory pairs")
    args = parser.parse_args()
    # memory first: on Linux a child's ru_maxrss starts from the spawning process's peak (exec
    # keeps the old mm's high-water mark), so spawn while this process is still small
    memory(args.runs)
    speed(args.seconds, args.repeats)


if __name__ == "__main__":
    main()
