"""The estimation engine: pure functions, no I/O.  See docs/methodology.md."""

from inferx.engine.assumptions import Assumptions
from inferx.engine.estimate import DecoderPoint, Workload, compute_dtype_for, decoder_point

__all__ = ["Assumptions", "DecoderPoint", "Workload", "compute_dtype_for", "decoder_point"]
