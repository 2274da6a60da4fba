"""Estimates per second in-process, and peak memory of `inferx estimate` against the floor.

    python benchmarks/engine_speed.py [--seconds 3] [--runs 11]

Speed: one registry (the built-in profiles, warmed), a grid of varied scenarios (models x
hardware x precision x concurrency), each a validated EstimateRequest built beforehand; the
loop times `inferx.api.estimate(request, registry, today)`: scenario build, engine, serving
model, economics and result assembly, i.e. what a library caller or `plan`'s search pays per
point.  Printed: the median over repeats of estimates per second on one core (goal >= 20,000).

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

from _spawn import paired, run  # noqa: E402
from startup import FLOOR, inferx_script  # noqa: E402

MODELS = ("llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen2.5-72b", "deepseek-v3")
HARDWARE = ("h100-sxm", "a100-80gb", "mi300x", "l40s", "h200")
PRECISIONS = ("bf16", "fp8", "int8", "int4-wo", "q4_k_m")
CONCURRENCY = (1, 32, "max")


def scenarios():  # noqa: ANN201
    from inferx.inputs import EstimateRequest

    out = []
    for model, hw, prec, conc in itertools.product(MODELS, HARDWARE, PRECISIONS, CONCURRENCY):
        out.append(EstimateRequest(model=model, hardware=hw, precision=prec,
                                   concurrency=str(conc)))
    return out


def speed(seconds: float, repeats: int) -> None:
    from inferx.api import estimate
    from inferx.registry import Registry, builtin_dir

    registry = Registry.from_dirs(builtin_dir())
    today = dt.date(2026, 1, 1)
    requests = scenarios()
    ok = []
    for r in requests:  # warm the registry; keep the scenarios that are estimates, not errors
        try:
            estimate(r, registry, today)
            ok.append(r)
        except Exception:  # noqa: BLE001 (an unsupported combination is not timed)
            pass
    rates = []
    for _ in range(repeats):
        n, start = 0, time.process_time()
        while time.process_time() - start < seconds / repeats:
            for r in ok:
                estimate(r, registry, today)
            n += len(ok)
        rates.append(n / (time.process_time() - start))
    print(f"in-process: {len(ok)} of {len(requests)} scenarios "
          f"({len(MODELS)} models x {len(HARDWARE)} hardware x {len(PRECISIONS)} precisions x "
          f"{len(CONCURRENCY)} concurrency), one registry")
    print(f"  estimates/s (CPU time, median of {repeats}): {statistics.median(rates):,.0f} "
          f"(goal >= 20,000: {'met' if statistics.median(rates) >= 20_000 else 'MISSED'})")


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
