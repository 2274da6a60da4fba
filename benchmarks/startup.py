"""Cold start of inferx commands against the import floor, runs interleaved.

    python benchmarks/startup.py [--runs 21] [--only estimate,bill]

Run it with the Python of a NON-editable install (`pip install .` in a fresh venv): an editable
install imports through a path hook and starts differently.  The `inferx` script next to that
Python is timed.

The floor is `python -c "import typer, pydantic, rich"`: the least any command of this stack
pays.  For each command the floor (A) and the command (B) run alternately, A B A B ..., each in a
fresh process with stdout to /dev/null, after one untimed warm-up of each; CPU time (user +
system) and peak memory come from os.wait4 for that child alone.  Printed per command: median
CPU and wall time of each, and the median of the per-pair ratios B / A, which cancels most of
the noise of a shared machine (issue 14 goals: estimate <= 1.5, compare and bill <= 2,
--version and --help <= 1, on the CPU ratio).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _spawn import paired, run  # noqa: E402

FLOOR = ["-c", "import typer, pydantic, rich"]
COMMANDS: dict[str, tuple[list[str], float]] = {
    "estimate": (["estimate", "--format", "json"], 1.5),
    "compare": (["compare", "--format", "json"], 2.0),
    "bill": (["bill", "--daily-queries", "5000000", "--input-tokens", "800",
              "--output-tokens", "300", "--model", "llama-3.1-8b", "--hardware", "h100-sxm",
              "--api", "openai-gpt-4o-mini", "--growth", "15%", "--months", "12",
              "--format", "json"], 2.0),
    "--version": (["--version"], 1.0),
    "--help": (["--help"], 1.0),
}


def inferx_script() -> str:
    beside = Path(sys.executable).parent / "inferx"
    return str(beside) if beside.exists() else (shutil.which("inferx") or "inferx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="pairs per command")
    parser.add_argument("--only", default="", help="comma-separated subset of: "
                        + ", ".join(COMMANDS))
    args = parser.parse_args()
    exe = inferx_script()
    floor = [sys.executable, *FLOOR]
    names = [n for n in args.only.split(",") if n] or list(COMMANDS)
    print(f"{exe} vs `{' '.join(['python', *FLOOR])}`, {args.runs} interleaved pairs each")
    print(f"{'command':<10} {'cpu ms':>7} {'floor':>7} {'ratio':>6} {'goal':>5} "
          f"{'wall ms':>8} {'floor':>7} {'ratio':>6} {'MiB':>6} {'floor':>6} {'ratio':>6}")
    for name in names:
        argv, goal = COMMANDS[name]
        cmd = [exe, *argv]
        run(floor), run(cmd)  # warm the file cache
        a, b = [], []
        for _ in range(args.runs):
            a.append(run(floor))
            b.append(run(cmd))
        s = paired(a, b)
        verdict = "met" if s["cpu_ratio"] <= goal else "MISSED"
        print(f"{name:<10} {s['cpu_ms']:7.1f} {s['floor_cpu_ms']:7.1f} {s['cpu_ratio']:6.2f} "
              f"{goal:5.1f} {s['wall_ms']:8.1f} {s['floor_wall_ms']:7.1f} {s['wall_ratio']:6.2f} "
              f"{s['maxrss_mib']:6.1f} {s['floor_maxrss_mib']:6.1f} {s['maxrss_ratio']:6.2f}  "
              f"{verdict}", flush=True)


if __name__ == "__main__":
    main()
