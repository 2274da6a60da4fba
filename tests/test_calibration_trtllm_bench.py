"""The runtime limits trtllm-bench runs with (inferx/calibration/trtllm_bench.py), and the
gathered MoE workspace under attention data parallelism (engine/memory.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inferx.calibration.harness import predict, resolve
from inferx.calibration.measurements import Measurement
from inferx.calibration.trtllm_bench import (
    _round_batch,
    _round_tokens,
    bench_limits,
    runs_trtllm_bench,
    tuned_limits,
)
from inferx.engine import Assumptions
from inferx.engine.memory import activation_bytes_per_gpu
from inferx.quant import resolve_scheme

PYTORCH = "TensorRT-LLM 1.0 (trtllm-bench, PyTorch backend)"


@pytest.mark.parametrize(("raw", "batch"), [
    (10, 64), (100, 128), (255, 256), (256, 256), (300, 384), (1023, 1024), (1500, 1536),
    (4096, 4096)])
def test_batch_rounding_follows_finetune_setting(raw, batch):
    assert _round_batch(raw) == batch


@pytest.mark.parametrize(("raw", "tokens"), [
    (100, 2048), (2100, 2304), (4095, 4096), (5000, 5120), (8100, 8192), (20000, 20480),
    (32768, 32768)])
def test_token_rounding_follows_finetune_setting(raw, tokens):
    assert _round_tokens(raw) == tokens


def test_tuner_by_hand_for_llama_70b_fp8_on_two_h100(registry):
    """Llama-3.3-70B FP8 on 2 x H100 (80 GB), 1000/1000, fp8 KV, f = 0.90:
    weights 70.6e9 B; KV 2·80 layers·8 heads·128·1 B = 163,840 B a token."""
    m, hw = registry.get("model", "llama-3.3-70b"), registry.get("hardware", "h100-sxm")
    gib = 1024 ** 3
    from inferx.engine.architecture import param_counts
    from inferx.engine.memory import weight_bytes
    engine = weight_bytes(param_counts(m), resolve_scheme("fp8")) / gib
    requests = 0.90 * (2 * hw.capacity_bytes / gib - engine) / (163840 / gib * 2000)
    batch, tokens = tuned_limits(m, hw, resolve_scheme("fp8"), kv_bytes=1, gpus=2, tp=2,
                                 input_tokens=1000, output_tokens=1000, kv_fraction=0.90)
    assert 250 < requests < 400
    assert batch == _round_batch(requests) and tokens == _round_tokens(2 * requests)


def test_pytorch_rows_without_chunked_prefill_fit_a_whole_prompt_in_one_pass(registry):
    m, hw = registry.get("model", "llama-3.3-70b"), registry.get("hardware", "h200")
    limits = bench_limits(m, hw, resolve_scheme("fp8"), kv_bytes=1, gpus=1,
                          input_tokens=20000, output_tokens=2000, framework=PYTORCH, notes="")
    batch, _ = tuned_limits(m, hw, resolve_scheme("fp8"), kv_bytes=1, gpus=1, tp=1,
                            input_tokens=20000, output_tokens=2000, kv_fraction=0.90)
    assert limits == {"max_batched_tokens": 20000 + batch}
    short = bench_limits(m, hw, resolve_scheme("fp8"), kv_bytes=1, gpus=1, input_tokens=128,
                         output_tokens=2048, framework=PYTORCH, notes="")
    assert short == {"max_batched_tokens": 2048}


def test_stated_flags_replace_the_tuner_and_untuned_formats_keep_the_defaults(registry):
    m, hw = registry.get("model", "deepseek-r1"), registry.get("hardware", "h200")
    stated = bench_limits(m, hw, resolve_scheme("fp8"), kv_bytes=1, gpus=8, input_tokens=1024,
                          output_tokens=2048, framework=PYTORCH,
                          notes="--max_batch_size 128 (per rank) --max_num_tokens 1151")
    assert stated == {"max_batched_tokens": 1151, "max_num_seqs": 128}
    oss = registry.get("model", "gpt-oss-120b")
    untuned = bench_limits(oss, hw, resolve_scheme("mxfp4"), kv_bytes=2, gpus=1,
                           input_tokens=1024, output_tokens=1024, framework=PYTORCH, notes="")
    assert untuned == {"max_batched_tokens": 8192}           # max(8192, 1024 + 2048)


def _row(framework: str, **kw) -> Measurement:
    base = dict(case_id="t_001", model="meta-llama/Llama-3.3-70B-Instruct", hardware="H200",
                gpus=1, weight_precision="fp8", kv_precision="fp8", framework=framework,
                input_tokens=20000, output_tokens=2000, batch_mode="max", batch=None,
                request_rate=None, metrics={"throughput_out_tok_s": 100.0})
    return Measurement(**{**base, **kw})


def test_only_trtllm_bench_rows_carry_limits_and_predict_applies_them(registry):
    bench = resolve(_row(PYTORCH), registry)
    other = resolve(_row("vLLM 0.10.1"), registry)
    assert runs_trtllm_bench(PYTORCH) and not runs_trtllm_bench("vLLM 0.10.1")
    assert dict(bench.runtime)["max_batched_tokens"] > 20000 and other.runtime == ()
    a = Assumptions.from_values({"max_batched_tokens": 8192})
    with_limits = predict(bench, a).values["throughput_out_tok_s"]
    without = predict(replace(bench, runtime=()), a).values["throughput_out_tok_s"]
    assert with_limits != without


def test_an_moe_layer_under_attention_dp_holds_every_ranks_tokens(registry):
    moe, dense = registry.get("model", "qwen3-235b-a22b"), registry.get("model", "llama-3.3-70b")
    h = moe.hidden_size
    width = (moe.experts_per_token + moe.num_shared_experts) * moe.moe_intermediate_size
    own = activation_bytes_per_gpu(moe, tp=1, max_batched_tokens=2048)
    assert own == 2048 * (4 * h + 2 * width) * 2
    assert activation_bytes_per_gpu(moe, tp=1, max_batched_tokens=2048, gathered_ranks=8) == \
        own + 7 * 2048 * (h + 2 * width) * 2
    assert activation_bytes_per_gpu(dense, tp=1, max_batched_tokens=2048, gathered_ranks=8) == \
        activation_bytes_per_gpu(dense, tp=1, max_batched_tokens=2048)
