"""The estimation engine: pure functions, no I/O.  See docs/methodology.md."""

from inferx.engine.assumptions import Assumptions
from inferx.engine.estimate import EngineOutput, Workload, compute_dtype_for, estimate_decoder

__all__ = ["Assumptions", "EngineOutput", "Workload", "compute_dtype_for", "estimate_decoder"]
