"""Operating points per second: the engine and serving model alone, on built scenarios.

    python benchmarks/point_speed.py [--seconds 3] [--repeats 5]

The scenarios of benchmarks/engine_speed.py (models x hardware x precision x concurrency),
each built once (scenario.build: profiles resolved, price looked up); the loop times
`inferx.api.operating_point(scenario)`: engine/serving.py `operate` over engine/estimate.py
`decoder_point` (memory plan, fit search, timing).  Printed: the median over repeats of
points per second on one core (goal >= 50,000), CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_speed import scenarios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds of timing")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from inferx.api import estimate, operating_point
    from inferx.registry import Registry, builtin_dir
    from inferx.scenario import build

    registry = Registry.from_dirs(builtin_dir())
    today = dt.date(2026, 1, 1)
    built = []
    for r in scenarios():
        try:  # keep the scenarios that are estimates, not errors (as engine_speed.py does)
            estimate(r, registry, today)
        except Exception:
            continue
        sc = build(r, registry, today)
        if sc.model.architecture not in ("fixed", "encoder"):
            built.append(sc)
    rates = []
    for _ in range(args.repeats):
        n, start = 0, time.process_time()
        while time.process_time() - start < args.seconds / args.repeats:
            for sc in built:
                operating_point(sc)
            n += len(built)
        rates.append(n / (time.process_time() - start))
    rate = statistics.median(rates)
    print(f"operating points/s over {len(built)} built scenarios (CPU time, median of "
          f"{args.repeats}): {rate:,.0f} ({1e6 / rate:.1f} us each; goal >= 50,000: "
          f"{'met' if rate >= 50_000 else 'MISSED'})")


if __name__ == "__main__":
    main()
