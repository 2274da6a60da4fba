"""The runtime limits trtllm-bench runs with: a row's benchmark semantics, not a knob.

`trtllm-bench throughput` (TensorRT-LLM 0.17-1.2) sizes the scheduler's max_batch_size and
max_num_tokens from the dataset's mean input and output lengths unless the command gives them
(tensorrt_llm/bench/build/tuning.py ``calc_engine_setting`` and ``finetune_setting``; the
PyTorch backend's ``bench/benchmark/utils/general.py::get_settings``):

    requests   = f · (n_gpus · device_GiB − params · bytes_per_param) / (kv_per_token · (I + O))
    kv_per_token = 2 · layers · max(tp, kv_heads) · head_size · kv_bytes      (config.json view)
    raw_bs     = min(requests, 4096);  max_bs rounded up: ≥ 64 in 32s below 256, 128s below
                 1024, 256s above
    raw_tokens = min(raw_bs · (1 + I/O), 32768);  max_num_tokens rounded up: ≥ 2048 in 256s
                 below 4096, 512s below 8192, 1024s above

f is the KV share of memory (the PyTorch path passes --kv_cache_free_gpu_mem_fraction, 0.90 by
default; the engine-build path of the TensorRT backend its own default 0.95).  Quantizations
the tuner does not cover (MXFP4) keep BuildConfig's defaults, 2048 sequences and 8192 tokens.
The PyTorch backend runs without chunked prefill unless asked (--enable_chunked_prefill), so a
whole prompt must fit one pass: max_num_tokens = max(max_num_tokens, I + max_bs).  Under
attention data parallelism each rank's scheduler has these limits.  Values a row's command
states (--max_batch_size, --max_num_tokens in its notes) replace the tuner's.

device_GiB is the profile's capacity (the datasheet's), not the runtime's reading.  The
tuner's max_batch_size is not applied as a cap, only a stated one: for GQA models it is the
KV estimate rounded up, so memory binds first; for MLA models config.json's view counts the
cache ~25x too big (docs/methodology.md#calibration).
"""

from __future__ import annotations

import math
import re

from inferx.engine.architecture import param_counts
from inferx.engine.memory import weight_bytes
from inferx.profile_record_hardware import HardwareRecord
from inferx.profile_record_model import ModelRecord
from inferx.quant import Scheme

GIB = 1024 ** 3
UNTUNED = ("mxfp4",)  # quant_algo outside tuning.py's BYTES_PER_ELEM / TUNED_QUANTS
DEFAULT_LIMITS = (2048, 8192)  # BuildConfig.max_batch_size, BuildConfig.max_num_tokens


def runs_trtllm_bench(framework: str) -> bool:
    return "trtllm-bench" in framework.lower()


def _stated(notes: str, flag: str) -> int | None:
    match = re.search(rf"--{flag}[ =](\d+)", notes)
    return int(match.group(1)) if match else None


# finetune_setting's rounding: (below this raw value, round up to a multiple of), and a floor.
BATCH_STEPS, BATCH_FLOOR = ((256, 32), (1024, 128), (math.inf, 256)), 64
TOKEN_STEPS, TOKEN_FLOOR = ((4096, 256), (8192, 512), (math.inf, 1024)), 2048


def _round_up(raw: float, steps: tuple[tuple[float, int], ...], floor: int) -> int:
    step = next(step for below, step in steps if raw < below)
    return max(floor, step * math.ceil(raw / step))


def _round_batch(raw: float) -> int:
    return _round_up(raw, BATCH_STEPS, BATCH_FLOOR)


def _round_tokens(raw: float) -> int:
    return _round_up(raw, TOKEN_STEPS, TOKEN_FLOOR)


def tuned_limits(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, *, kv_bytes: float,
                 gpus: int, tp: int, input_tokens: int, output_tokens: int,
                 kv_fraction: float) -> tuple[int, int]:
    """(max_batch_size, max_num_tokens) from calc_engine_setting (module docstring)."""
    if scheme.id in UNTUNED:
        return DEFAULT_LIMITS
    engine_gib = weight_bytes(param_counts(m), scheme) / GIB
    heads = m.num_attention_heads or 1
    kv_heads = m.num_kv_heads or heads
    head_size = m.head_dim or (m.hidden_size or 0) // heads
    per_token_gib = 2 * (m.num_layers or 0) * max(tp, kv_heads) * head_size * kv_bytes / GIB
    cache_gib = (hw.capacity_bytes / GIB * gpus - engine_gib) * kv_fraction
    requests = cache_gib / (per_token_gib * (input_tokens + output_tokens))
    raw_bs = min(requests, 4096)
    raw_tokens = min(raw_bs * (1 + input_tokens / output_tokens), 32768)
    return _round_batch(raw_bs), _round_tokens(raw_tokens)


def bench_limits(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, *, kv_bytes: float,
                 gpus: int, input_tokens: int, output_tokens: int, framework: str,
                 notes: str) -> dict[str, int]:
    """The max_batched_tokens a trtllm-bench row ran with, and its max_num_seqs (per rank)
    where the row states one."""
    pytorch = "pytorch" in framework.lower()
    batch, tokens = tuned_limits(m, hw, scheme, kv_bytes=kv_bytes, gpus=gpus, tp=gpus,
                                 input_tokens=input_tokens, output_tokens=output_tokens,
                                 kv_fraction=0.90 if pytorch else 0.95)
    stated_batch = _stated(notes, "max_batch_size")
    stated_tokens = _stated(notes, "max_num_tokens")
    if stated_tokens:
        tokens = stated_tokens
    elif pytorch:
        tokens = max(tokens, input_tokens + (stated_batch or batch))
    limits = {"max_batched_tokens": tokens}
    if stated_batch:
        limits["max_num_seqs"] = stated_batch
    return limits
