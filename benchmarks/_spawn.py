"""Run a command in a fresh process and measure it: wall time, CPU time (user + system) and peak
resident memory (ru_maxrss), all of that one child only (os.wait4), stdout to /dev/null."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    maxrss_kib: int


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env if env is not None else dict(os.environ),
                         file_actions=actions)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def median(values: list[float]) -> float:
    return statistics.median(values)


def paired(floor: list[Run], other: list[Run]) -> dict[str, float]:
    """Medians of each and the median of the per-pair ratios (other / floor)."""
    return {
        "floor_cpu_ms": median([r.cpu_s for r in floor]) * 1e3,
        "cpu_ms": median([r.cpu_s for r in other]) * 1e3,
        "floor_wall_ms": median([r.wall_s for r in floor]) * 1e3,
        "wall_ms": median([r.wall_s for r in other]) * 1e3,
        "cpu_ratio": median([o.cpu_s / f.cpu_s for f, o in zip(floor, other, strict=True)]),
        "wall_ratio": median([o.wall_s / f.wall_s for f, o in zip(floor, other, strict=True)]),
        "floor_maxrss_mib": median([r.maxrss_kib for r in floor]) / 1024,
        "maxrss_mib": median([r.maxrss_kib for r in other]) / 1024,
        "maxrss_ratio": median([o.maxrss_kib / f.maxrss_kib
                                for f, o in zip(floor, other, strict=True)]),
    }
