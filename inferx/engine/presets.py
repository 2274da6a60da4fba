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
inferx/calibration/fitted.json, which the benchmark script writes; inferx/preset_files.py
reads it and user calibration files (`inferx calibrate`), which override any preset.  This
module is the pure table: engines, runtime settings, presets built from a fitted table.
`normalize_engine("tensorrt-llm@2023")` picks a release era; `tensorrt-llm` alone is the
current era.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
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
    "tensorrt-llm@0.6": {"memory_utilization": 0.90, "max_num_seqs": 1024,
                         "max_batched_tokens": 8192},
    "sglang": {"memory_utilization": 0.88, "max_num_seqs": 1024, "max_batched_tokens": 8192},
    "hf-transformers": {"memory_utilization": 0.90, "max_num_seqs": 256,
                        "max_batched_tokens": 8192},
    "lmdeploy@2023": {"memory_utilization": 0.90, "max_num_seqs": 256,
                      "max_batched_tokens": 8192},
    "optimum-habana": {"memory_utilization": 0.90, "max_num_seqs": 256,
                       "max_batched_tokens": 8192},
    # llama-server: --parallel defaults to auto, which initialises 4 slots (ggml-org/llama.cpp
    # issue #17989, 2025-12); logical batch -b 2048 (tools/server/README.md).
    "llama.cpp": {"memory_utilization": 0.90, "max_num_seqs": 4, "max_batched_tokens": 2048},
}

class Engine(str, Enum):
    """Serving-engine presets (and release eras) a run can name with --engine."""

    vllm = "vllm"
    tensorrt_llm = "tensorrt-llm"
    sglang = "sglang"
    hf_transformers = "hf-transformers"
    generic = "generic"
    tensorrt_llm_2023 = "tensorrt-llm@2023"
    tensorrt_llm_0_6 = "tensorrt-llm@0.6"
    lmdeploy_2023 = "lmdeploy@2023"
    optimum_habana = "optimum-habana"
    llama_cpp = "llama.cpp"
    mlx = "mlx"

    @property
    def description(self) -> str:
        return ENGINE_DESCRIPTIONS[self.value]

    @classmethod
    def help(cls) -> str:
        return ", ".join(e.value for e in cls)


ENGINE_DESCRIPTIONS: dict[str, str] = {
    "generic": "pooled fit over every published measurement (no engine-specific data)",
    "vllm": "vLLM (2025 releases, V1 engine, continuous batching)",
    "tensorrt-llm": "NVIDIA TensorRT-LLM 0.14+ (2024-2025, in-flight batching)",
    "tensorrt-llm@2023": "NVIDIA TensorRT-LLM 0.7-0.9 (2023-24, static batch in gptSessionBenchmark)",
    "tensorrt-llm@0.6": "NVIDIA TensorRT-LLM 0.5-0.6 (2023, static batch; decode attention "
                        "not yet GQA-aware: one KV read per query head)",
    "sglang": "SGLang (continuous batching, radix cache)",
    "hf-transformers": "Hugging Face transformers generate() (static batch, no paged KV)",
    "lmdeploy@2023": "InternLM LMDeploy TurboMind 0.1 (2023)",
    "optimum-habana": "Hugging Face optimum-habana on Intel Gaudi (SynapseAI 1.18)",
    "llama.cpp": "llama.cpp / llama-server (also Ollama and LM Studio, which run it): GGUF "
                 "weights; uncalibrated until its fit ships (efficiencies from generic)",
    "mlx": "Apple MLX / mlx-lm on Apple silicon; uncalibrated (efficiencies from generic)",
}
ENGINES = tuple(ENGINE_DESCRIPTIONS)
CLI_ENGINES = tuple(e.value for e in Engine)
# Engines that batch statically by default (a concurrency is a batch of requests run together).
STATIC_BATCH_ENGINES = frozenset({"hf-transformers", "tensorrt-llm@2023", "tensorrt-llm@0.6",
                                  "optimum-habana"})

# Releases whose kernels are documented to lack an optimisation a fitted knob stands for: the
# knob is set from the release's documentation, not fitted, and the release shares the
# fitted values of the preset it is grouped with (FIT_GROUP).  TensorRT-LLM 0.7.0's change
# log lists "MMHA optimization for MQA and GQA" (the generation-phase kernel that reads a KV
# head once for the query heads sharing it; NVIDIA's XQA blog: up to 2.4x Llama-70B
# throughput over 0.5); before it the masked-MHA kernel ran one query head per block, each
# reading its KV head (gqa_kv_reread = 1, no credit for what the L2 cache catches).
KERNEL_SETTINGS: dict[str, dict[str, float]] = {
    "tensorrt-llm@0.6": {"gqa_kv_reread": 1.0},
}
FIT_GROUP: dict[str, str] = {"tensorrt-llm@0.6": "tensorrt-llm@2023"}


def fit_group(engine: str) -> str:
    """The preset whose fitted values an engine uses (itself unless FIT_GROUP names one)."""
    return FIT_GROUP.get(engine, engine)


def preset_values(engine: str, fitted: dict[str, float] | None) -> dict[str, float]:
    """An engine's assumption values: its documented runtime settings ← the fitted knobs ←
    the knobs its release's documentation fixes (KERNEL_SETTINGS)."""
    return {**RUNTIME_SETTINGS.get(engine, RUNTIME_SETTINGS["generic"]), **(fitted or {}),
            **KERNEL_SETTINGS.get(engine, {})}

FITTED_KNOBS = ("compute_efficiency", "bandwidth_efficiency", "step_overhead_ms",
                "request_overhead_ms", "allreduce_hop_latency_us", "interconnect_efficiency",
                "gqa_kv_reread", "moe_compute_efficiency", "sequence_overhead_us",
                "grace_host_factor", "gemm_padding_tokens", "sm_bytes_per_cycle")


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


def normalize_engine(name: str) -> str:
    """'TensorRT-LLM' → 'tensorrt-llm', 'trtllm@2023' → 'tensorrt-llm@2023'; errors name --engine."""
    key = name.strip().lower().replace("_", "-")
    base, _, era = key.partition("@")
    base = {"trtllm": "tensorrt-llm", "trt-llm": "tensorrt-llm", "tensorrtllm": "tensorrt-llm",
            "transformers": "hf-transformers", "hf": "hf-transformers",
            "lmdeploy": "lmdeploy", "habana": "optimum-habana", "llamacpp": "llama.cpp",
            "llama-cpp": "llama.cpp", "ollama": "llama.cpp", "lm-studio": "llama.cpp",
            "lmstudio": "llama.cpp", "mlx-lm": "mlx"}.get(base, base)
    if base == "tensorrt-llm" and era in ("2024", "2025", "0.17", "current"):
        era = ""
    if base == "tensorrt-llm" and era in ("0.7", "0.8", "0.9"):
        era = "2023"
    if base == "tensorrt-llm" and era == "0.5":
        era = "0.6"
    if base == "lmdeploy":
        era = era or "2023"
    full = f"{base}@{era}" if era else base
    if full not in ENGINE_DESCRIPTIONS:
        raise InputError("--engine", f"unknown engine {name!r}; expected one of "
                         f"{', '.join(CLI_ENGINES)}")
    return full


def preset_from_table(table: dict[str, Any], engine: str = DEFAULT_ENGINE) -> Preset:
    """The built-in preset for an engine from the fitted table (inferx/calibration/fitted.json,
    read by inferx.preset_files): documented runtime settings + fitted knobs; an engine with no
    rows of its own takes the pooled ("generic") values and says so."""
    pid = normalize_engine(engine)
    presets = table.get("presets", {})
    group = fit_group(pid)
    entry = presets.get(group) or {}
    inherits = group if group != pid else None
    if not entry.get("values") and pid != "generic":
        entry = {**presets.get("generic", {}), "fitted_on": [], "fitted_rows": 0}
        inherits = "generic"
    return Preset(id=pid, description=ENGINE_DESCRIPTIONS[pid],
                  values=preset_values(pid, entry.get("values")),
                  fitted_on=tuple(entry.get("fitted_on") or ()),
                  fitted_rows=int(entry.get("fitted_rows") or 0), inherits=inherits,
                  # metrics without a band of their own (too few rows) use the pooled band
                  error_ratio={**(presets.get("generic", {}).get("error_ratio") or {}),
                               **(entry.get("error_ratio") or {})})


def engine_for_framework(framework: str) -> str:
    """Map a measurement's framework column to a preset id (docs/accuracy.md#engines).

    TensorRT-LLM 0.5-0.6 → tensorrt-llm@0.6, 0.7-0.9 → tensorrt-llm@2023, 0.10+ →
    tensorrt-llm; vLLM → vllm;
    LMDeploy → lmdeploy@2023; Intel Gaudi / optimum-habana → optimum-habana;
    SGLang → sglang; transformers → hf-transformers; NVIDIA NIM → tensorrt-llm (NIM's
    optimized Llama profiles are TensorRT-LLM engines: NIM support matrix, "optimized using
    TRT-LLM"); anything else → generic."""
    import re

    text = framework.lower()
    if "tensorrt-llm" in text or "trt-llm" in text or "trtllm" in text:
        match = re.search(r"(\d+)\.(\d+)", text)
        minor = int(match.group(2)) if match and int(match.group(1)) == 0 else None
        if minor is not None and minor < 7:
            return "tensorrt-llm@0.6"
        if minor is not None and minor < 10:
            return "tensorrt-llm@2023"
        return "tensorrt-llm"
    if "vllm" in text:
        return "vllm"
    if re.search(r"\bnim\b", text):
        return "tensorrt-llm"
    if "lmdeploy" in text:
        return "lmdeploy@2023"
    if "gaudi" in text or "habana" in text:
        return "optimum-habana"
    if "sglang" in text:
        return "sglang"
    if "transformers" in text:
        return "hf-transformers"
    return "generic"


# Which measured error spread bounds which result figure (docs/methodology.md#ranges).
# A throughput band b = [p10, p90] of predicted/measured gives measured ∈ [v/p90, v/p10];
# costs scale as 1/throughput; e2e uses the TPOT band (decode dominates, no e2e rows).
RANGE_BASIS: dict[str, tuple[str, bool]] = {
    "latency.ttft_ms": ("ttft_ms", False),
    "latency.tpot_ms": ("tpot_ms", False),
    "latency.e2e_s": ("tpot_ms", False),
    "throughput.output_tokens_per_s": ("throughput_out_tok_s", False),
    "throughput.output_tokens_per_s_per_gpu": ("throughput_out_tok_s", False),
    "throughput.input_tokens_per_s": ("throughput_out_tok_s", False),
    "throughput.requests_per_s": ("throughput_out_tok_s", False),
    "cost.usd_per_million_output_tokens": ("throughput_out_tok_s", True),
    "cost.usd_per_million_input_tokens": ("throughput_out_tok_s", True),
    "cost.usd_per_million_tokens": ("throughput_out_tok_s", True),
    "cost.usd_per_request": ("throughput_out_tok_s", True),
}


def value_range(value: float, band: list[float], *, inverse: bool) -> tuple[float, float]:
    """Low/high for a predicted value given the predicted/measured ratio band [p10, p90]:

        figure ∝ metric:      [min(value, value / p90), max(value, value / p10)]
        figure ∝ 1 / metric:  [min(value, value · p10), max(value, value · p90)]   (costs)

    The measured spread alone can sit wholly on one side of the estimate when a preset is
    biased (p10 > 1 or p90 < 1); the estimate itself is kept inside its range, so
    low ≤ value ≤ high always holds.
    """
    p10, p90 = band
    lo, hi = (value * p10, value * p90) if inverse else (value / p90, value / p10)
    return min(value, lo), max(value, hi)


_BASES: dict[tuple[tuple[str, float], ...], Any] = {}


def base_assumptions(preset: Preset) -> Any:
    """Assumptions defaults overlaid with the preset's values (before --assume); checked once
    per distinct set of values and process (Assumptions is frozen)."""
    key = tuple(preset.values.items())
    base = _BASES.get(key)
    if base is None:
        from inferx.engine.assumptions import Assumptions

        base = _BASES[key] = Assumptions.from_values(preset.values)
    return base
