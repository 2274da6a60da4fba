"""Speed of `inferx plan`'s search: configurations per second in-process, and the wall time of
the default search over every built-in accelerator, start-up included.

    python benchmarks/plan_speed.py [--runs 7]

Configurations per second: `inferx.plan.plan` over every built-in hardware profile at the default
precisions (no --hardware, no --precision) for a few models, registry warmed; a configuration
is one (hardware, precision, layout, concurrency, price tier) point timed and priced
(`data.search.configurations`).  Printed: the median over runs (goal >= 50,000/s).

Default search: `inferx plan --format json` (Llama 3.1 8B over every built-in accelerator),
and `inferx plan --model llama-3.3-70b --max-tpot 50ms --format json`, each in a fresh
process (benchmarks/_spawn.py: wall time of that child), median over runs (goal < 1 s).  Run it
with the Python of a non-editable install for the figure users see, like benchmarks/startup.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _spawn import run
from startup import inferx_script

MODELS = ("llama-3.3-70b", "llama-3.1-8b", "mixtral-8x7b", "qwen2.5-72b")
SEARCHES = (["plan", "--format", "json"],  # the default: Llama 3.1 8B, every accelerator
            ["plan", "--model", "llama-3.3-70b", "--max-tpot", "50ms", "--format", "json"])


def in_process(runs: int) -> None:
    from inferx.plan import PlanRequest, plan
    from inferx.registry import Registry, builtin_dir

    registry = Registry.from_dirs(builtin_dir())
    today = dt.date(2026, 1, 1)
    plan(PlanRequest(model=MODELS[0]), registry, today)  # warm the registry
    for model in MODELS:
        rates, secs = [], []
        configs = 0
        for _ in range(runs):
            start = time.perf_counter()
            r = plan(PlanRequest(model=model, max_tpot_ms=50), registry, today).result
            s = time.perf_counter() - start
            configs = r.search.configurations
            rates.append(configs / s)
            secs.append(s)
        print(f"{model:<16} {configs:>7,} configurations  {statistics.median(secs) * 1e3:7.1f} ms"
              f"  {statistics.median(rates):>9,.0f} configurations/s (goal >= 50,000)")


def default_search(runs: int) -> None:
    for argv in SEARCHES:
        cmd = [inferx_script(), *argv]
        run(cmd)  # warm the file cache and the profile index
        walls = [run(cmd).wall_s for _ in range(runs)]
        print(f"`inferx {' '.join(argv)}`: median wall {statistics.median(walls) * 1e3:.0f} ms "
              f"over {runs} runs (min {min(walls) * 1e3:.0f}, max {max(walls) * 1e3:.0f}; "
              "goal < 1,000 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    in_process(args.runs)
    default_search(args.runs)


if __name__ == "__main__":
    main()
