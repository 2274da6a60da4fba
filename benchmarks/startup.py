"""Cold start of `inferx estimate --format json` against importing its dependencies.

    python benchmarks/startup.py [--runs 10]

Prints the median wall time of each over N runs and their ratio (goal: at most 1.5).  Each run is
a fresh interpreter, so nothing is cached in-process; the OS file cache is warm after run one.
For context it also times a floor: a one-option Typer command that validates one pydantic model,
which is the least any command of this stack pays.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


FLOOR = """
import sys, typer
from pydantic import BaseModel
class Request(BaseModel):
    tokens: int
app = typer.Typer()
@app.command()
def run(tokens: int = 1):
    sys.stdout.write(Request(tokens=tokens).model_dump_json())
@app.command()
def other():
    pass
sys.argv = ["floor", "run"]
app()
"""


def median_s(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    exe = shutil.which("inferx") or str(Path(sys.executable).parent / "inferx")
    baseline = median_s([sys.executable, "-c", "import typer, pydantic, rich"], args.runs)
    floor = median_s([sys.executable, "-c", FLOOR], args.runs)
    inferx = median_s([exe, "estimate", "--format", "json"], args.runs)
    print(f"import typer, pydantic, rich : median {baseline * 1e3:7.1f} ms over {args.runs} runs")
    print(f"floor (Typer + one pydantic model): median {floor * 1e3:7.1f} ms "
          f"(ratio {floor / baseline:.2f})")
    print(f"inferx estimate --format json: median {inferx * 1e3:7.1f} ms over {args.runs} runs")
    ratio = inferx / baseline
    print(f"ratio {ratio:.2f} (goal <= 1.5): {'met' if ratio <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
