"""inferx: estimate what it costs to serve AI models.

The public library API is re-exported lazily so that ``import inferx`` stays cheap
(the CLI's cold start is benchmarked in benchmarks/startup.py).

Example (a doctest: tests/test_architecture.py runs it):

>>> from inferx import EstimateRequest, estimate
>>> answer = estimate(EstimateRequest(model="llama-3.1-8b", hardware="h100-sxm", concurrency=1))
>>> answer.result.memory.fits, answer.result.inputs.gpus
(True, 1)
>>> 5 < answer.result.latency.tpot_ms < 20   # one sequence: weights streamed once per token
True
>>> answer.result.serving.mode
'concurrency'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "EstimateRequest",
    "EstimateResult",
    "Registry",
    "__version__",
    "estimate",
]

_LAZY = {
    "EstimateRequest": ("inferx.inputs", "EstimateRequest"),
    "EstimateResult": ("inferx.results", "EstimateResult"),
    "Registry": ("inferx.registry", "Registry"),
    "estimate": ("inferx.api", "estimate"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'inferx' has no attribute {name!r}")
