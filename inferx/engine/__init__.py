"""The estimation engine: pure functions, no I/O.  See docs/methodology.md.

Names are imported lazily, so that reading one small module of the engine (the preset table
for `--engine`'s help) does not load the whole engine and pydantic at start-up."""

from __future__ import annotations

from typing import Any

__all__ = ["Assumptions", "DecoderPoint", "Workload", "compute_dtype_for", "decoder_point"]

_LAZY = {
    "Assumptions": "inferx.engine.assumptions",
    "DecoderPoint": "inferx.engine.point",
    "Workload": "inferx.engine.point",
    "compute_dtype_for": "inferx.engine.point",
    "decoder_point": "inferx.engine.estimate",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'inferx.engine' has no attribute {name!r}")
