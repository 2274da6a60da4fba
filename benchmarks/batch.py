"""Wall time of `inferx estimate --batch` over N scenarios (goal: 10,000 lines in under 5 s).

    python benchmarks/batch.py [--lines 10000] [--runs 3]

Writes N JSON Lines scenarios (models, hardware, precisions, tokens and traffic vary from line
to line, so nothing is a cache hit by repetition) and times one `inferx estimate --batch FILE`
process end to end, start-up included, printing the median of the runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODELS = ["llama-3.1-8b", "llama-3.1-70b", "qwen2.5-7b", "mistral-7b"]
HARDWARE = ["h100-sxm", "a100-80gb", "l40s", "h200"]
PRECISIONS = ["bf16", "fp8", "int8", "int4-wo"]
TRAFFIC = [{"concurrency": 16}, {"concurrency": "max"}, {"clients": 64}, {"request_rate": 2.0}]


def scenarios(n: int) -> list[dict]:
    grid = itertools.cycle(itertools.product(MODELS, HARDWARE, PRECISIONS, TRAFFIC))
    out = []
    for i, (model, hardware, precision, traffic) in zip(range(n), grid, strict=False):
        out.append({"id": i, "model": model, "hardware": hardware, "precision": precision,
                    "input_tokens": 500 + 10 * (i % 200), "output_tokens": 100 + (i % 50),
                    **traffic})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = shutil.which("inferx") or str(Path(sys.executable).with_name("inferx"))
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "batch.jsonl"
        batch.write_text("".join(json.dumps(s) + "\n" for s in scenarios(args.lines)))
        times, cpu, lines, failed = [], [], 0, 0
        for _ in range(args.runs):
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = Path(folder) / "out.jsonl"
            with out.open("w") as sink:  # to a file: the timing is inferx's, not a reader's
                start = time.perf_counter()
                done = subprocess.run([exe, "estimate", "--batch", str(batch)], stdout=sink,
                                      stderr=subprocess.PIPE, text=True, cwd=folder)
                times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
            result = out.read_text().splitlines()
            lines, failed = len(result), sum('"status":"error"' in line for line in result)
    print(f"{args.lines:,} scenarios: median wall time {statistics.median(times):.2f} s over "
          f"{args.runs} runs (min {min(times):.2f} s); {lines:,} envelopes, {failed} errors, "
          f"exit {done.returncode}; CPU time {statistics.median(cpu):.2f} s (all processes); "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    if failed:
        print(done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
