"""Serving-engine presets: the efficiencies and overheads one runtime achieves.

A preset is a set of `Assumptions` values.  Two kinds of value live in a preset:

* runtime settings read from the engine's own documentation (memory share it may use, its
  limit on sequences in flight, tokens per forward pass); these are not fitted;
* performance knobs (compute and bandwidth efficiency, per-step and per-request overhead,
  all-reduce latency and link efficiency) fitted on published measurements by
  `python benchmarks/accuracy.py --write-presets` (method: docs/accuracy.md#method,
  docs/methodology.md#presets): least squares on log(predicted / measured) over every metric
  of every training row, with a weak prior toward the pooled fit.  No row gets its own value.

The fitted values and the measured error spread (used for low/high ranges) are stored in
inferx/calibration/fitted.json, which the benchmark script writes; a preset with no
measurements of its own uses the pooled ("generic") fit and says so.

`resolve_preset("tensorrt-llm@2023")` picks a release era; `tensorrt-llm` alone is the
current era.  A user calibration file (`inferx calibrate`) overrides any preset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from inferx.errors import InputError

DEFAULT_ENGINE = "generic"

# Runtime settings each engine documents (not fitted).  Sources:
#   vLLM: --gpu-memory-utilization 0.90, --max-num-seqs 256, chunked prefill 8192 tokens
#     (docs.vllm.ai engine arguments);
#   TensorRT-LLM: kv_cache_free_gpu_memory_fraction 0.90; trtllm-bench sizes max batch from
#     ISL/OSL up to a few thousand sequences (nvidia.github.io/TensorRT-LLM trtllm-bench,
#     "Tuning Max Batch Size and Max Num Tokens"); 2023 releases (gptSessionBenchmark) ran a
#     static batch chosen by the user;
#   SGLang: --mem-fraction-static ~0.88, max running requests bounded by memory;
#   Hugging Face transformers generate(): a static batch, no paged KV cache.
RUNTIME_SETTINGS: dict[str, dict[str, float]] = {
    "generic": {"memory_utilization": 0.90, "max_num_seqs": 256, "max_batched_tokens": 8192},
    "vllm": {"memory_utilization": 0.90, "max_num_seqs": 256, "max_batched_tokens": 8192},
    "tensorrt-llm": {"memory_utilization": 0.90, "max_num_seqs": 2048,
                     "max_batched_tokens": 8192},
    "tensorrt-llm@2023": {"memory_utilization": 0.90, "max_num_seqs": 1024,
                          "max_batched_tokens": 8192},
    "sglang": {"memory_utilization": 0.88, "max_num_seqs": 1024, "max_batched_tokens": 8192},
    "hf-transformers": {"memory_utilization": 0.90, "max_num_seqs": 256,
                        "max_batched_tokens": 8192},
    "lmdeploy@2023": {"memory_utilization": 0.90, "max_num_seqs": 256,
                      "max_batched_tokens": 8192},
    "optimum-habana": {"memory_utilization": 0.90, "max_num_seqs": 256,
                       "max_batched_tokens": 8192},
}

ENGINE_DESCRIPTIONS: dict[str, str] = {
    "generic": "pooled fit over every published measurement (no engine-specific data)",
    "vllm": "vLLM (2025 releases, V1 engine, continuous batching)",
    "tensorrt-llm": "NVIDIA TensorRT-LLM 0.14+ (2024-2025, in-flight batching)",
    "tensorrt-llm@2023": "NVIDIA TensorRT-LLM 0.5-0.7 (2023, static batch in gptSessionBenchmark)",
    "sglang": "SGLang (continuous batching, radix cache)",
    "hf-transformers": "Hugging Face transformers generate() (static batch, no paged KV)",
    "lmdeploy@2023": "InternLM LMDeploy TurboMind 0.1 (2023)",
    "optimum-habana": "Hugging Face optimum-habana on Intel Gaudi (SynapseAI 1.18)",
}
ENGINES = tuple(ENGINE_DESCRIPTIONS)
ERAS = {"tensorrt-llm": ("2025", "2023")}
CLI_ENGINES = ("vllm", "tensorrt-llm", "sglang", "hf-transformers", "generic",
               "tensorrt-llm@2023", "lmdeploy@2023", "optimum-habana")
# Engines that batch statically by default (a concurrency is a batch of requests run together).
STATIC_BATCH_ENGINES = frozenset({"hf-transformers", "tensorrt-llm@2023", "optimum-habana"})

FITTED_KNOBS = ("compute_efficiency", "bandwidth_efficiency", "step_overhead_ms",
                "request_overhead_ms", "allreduce_latency_us", "interconnect_efficiency")


@dataclass(frozen=True)
class Preset:
    """Assumption values for one serving engine (and release era), with provenance."""

    id: str
    description: str
    values: dict[str, float]
    fitted_on: tuple[str, ...] = ()      # sources (case_id prefixes) whose rows fixed the values
    fitted_rows: int = 0
    inherits: str | None = None          # "generic" when the engine had no rows of its own
    # predicted/measured ratio quantiles (leave-one-source-out) per metric: {"ttft_ms": [lo, hi]}
    error_ratio: dict[str, list[float]] = field(default_factory=dict)
    origin: str = "built-in"             # or the calibration file path

    @property
    def static_batch(self) -> bool:
        return self.id in STATIC_BATCH_ENGINES

    def label(self) -> str:
        note = f", values from {self.inherits}" if self.inherits else ""
        return f"{self.id} ({self.origin}{note})"


@lru_cache(maxsize=1)
def _fitted() -> dict[str, Any]:
    try:
        text = resources.files("inferx.calibration").joinpath("fitted.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    return json.loads(text)


def fitted_table() -> dict[str, Any]:
    """The fitted values and error spreads written by benchmarks/accuracy.py (may be empty)."""
    return _fitted()


def normalize_engine(name: str) -> str:
    """'TensorRT-LLM' → 'tensorrt-llm', 'trtllm@2023' → 'tensorrt-llm@2023'; errors name --engine."""
    key = name.strip().lower().replace("_", "-")
    base, _, era = key.partition("@")
    base = {"trtllm": "tensorrt-llm", "trt-llm": "tensorrt-llm", "tensorrtllm": "tensorrt-llm",
            "transformers": "hf-transformers", "hf": "hf-transformers",
            "lmdeploy": "lmdeploy", "habana": "optimum-habana"}.get(base, base)
    if base == "tensorrt-llm" and era in ("2024", "2025", "0.17", "current"):
        era = ""
    if base == "tensorrt-llm" and era in ("0.5", "0.6", "0.7"):
        era = "2023"
    if base == "lmdeploy":
        era = era or "2023"
    full = f"{base}@{era}" if era else base
    if full not in ENGINE_DESCRIPTIONS:
        raise InputError("--engine", f"unknown engine {name!r}; expected one of "
                         f"{', '.join(CLI_ENGINES)}")
    return full


def builtin_preset(engine: str = DEFAULT_ENGINE) -> Preset:
    """The built-in preset for an engine: documented runtime settings + fitted knobs."""
    pid = normalize_engine(engine)
    table = _fitted().get("presets", {})
    entry = table.get(pid) or {}
    inherits = None
    if not entry.get("values") and pid != "generic":
        entry = {**table.get("generic", {}), "fitted_on": [], "fitted_rows": 0}
        inherits = "generic"
    values = {**RUNTIME_SETTINGS.get(pid, RUNTIME_SETTINGS["generic"]),
              **(entry.get("values") or {})}
    return Preset(id=pid, description=ENGINE_DESCRIPTIONS[pid], values=values,
                  fitted_on=tuple(entry.get("fitted_on") or ()),
                  fitted_rows=int(entry.get("fitted_rows") or 0), inherits=inherits,
                  error_ratio=dict(entry.get("error_ratio") or {}))


def engine_for_framework(framework: str) -> str:
    """Map a measurement's framework column to a preset id (docs/accuracy.md#engines).

    TensorRT-LLM 0.5-0.9 → tensorrt-llm@2023, 0.10+ → tensorrt-llm; vLLM → vllm;
    LMDeploy → lmdeploy@2023; Intel Gaudi / optimum-habana → optimum-habana;
    SGLang → sglang; transformers → hf-transformers; anything else → generic."""
    import re

    text = framework.lower()
    if "tensorrt-llm" in text or "trt-llm" in text or "trtllm" in text:
        match = re.search(r"(\d+)\.(\d+)", text)
        if match and int(match.group(1)) == 0 and int(match.group(2)) < 10:
            return "tensorrt-llm@2023"
        return "tensorrt-llm"
    if "vllm" in text:
        return "vllm"
    if "lmdeploy" in text:
        return "lmdeploy@2023"
    if "gaudi" in text or "habana" in text:
        return "optimum-habana"
    if "sglang" in text:
        return "sglang"
    if "transformers" in text:
        return "hf-transformers"
    return "generic"
