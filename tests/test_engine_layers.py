"""Engine: interleaved MoE, chunked attention, linear-attention state and encoder-decoder
(inferx/engine/architecture.py, hybrid.py, seq2seq.py): hand-checked cases and invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inferx.engine.architecture import (
    attention_flops_per_token,
    kv_cache_bytes_for_context,
    param_counts,
    prefill_attention_flops,
)
from inferx.engine.hybrid import state_bytes_per_sequence
from inferx.profiles import ModelProfile


def _toy(**kw) -> ModelProfile:
    base = {"id": "toy", "name": "toy", "source": "hand-made test model",
            "as_of": dt.date(2026, 12, 1), "num_layers": 8, "hidden_size": 64,
            "intermediate_size": 128, "num_attention_heads": 4, "num_kv_heads": 2,
            "vocab_size": 100}
    return ModelProfile.model_validate({**base, **kw})


@pytest.mark.parametrize(("layers", "first_dense", "step", "moe"),
                         [(8, 0, 1, 8), (8, 0, 2, 4), (8, 1, 2, 4), (8, 3, 1, 5), (9, 0, 4, 2)])
def test_moe_layer_count(layers, first_dense, step, moe) -> None:
    m = _toy(num_layers=layers, num_experts=4, moe_intermediate_size=16,
             first_dense_layers=first_dense, moe_layer_step=step)
    assert m.moe_layer_count == moe == param_counts(m).moe_layers


def test_interleaved_layers_are_dense_or_moe_never_both() -> None:
    m = _toy(num_experts=4, experts_per_token=1, moe_intermediate_size=16, moe_layer_step=2)
    h = 64
    expert, dense = 3 * h * 16, 3 * h * 128
    attn = 8 * (2 * h * 4 * 16 + 2 * h * 2 * 16)
    assert param_counts(m).quantizable == attn + 4 * (4 * expert) + 4 * dense


def _brute_prefill_positions(t: int, chunk: int) -> float:
    return sum(i % chunk for i in range(t))


@given(t=st.integers(1, 5000), chunk=st.integers(1, 2048))
@settings(max_examples=60, deadline=None)
def test_chunked_sum_matches_counting(t: int, chunk: int) -> None:
    m = _toy(num_layers=1, attention_chunk_tokens=chunk, chunked_attention_layers=1)
    per_position = 2 * 4 * (16 + 16)
    got = prefill_attention_flops(m, prompt_tokens=t)
    # the closed form q·C²/2 + r²/2 is the continuous version of Σ (i mod C): within C/2 per chunk
    brute = per_position * _brute_prefill_positions(t, chunk)
    assert abs(got - brute) <= per_position * (t / chunk + 1) * chunk / 2 + 1e-6


@given(ctx=st.integers(1, 200_000))
@settings(max_examples=40, deadline=None)
def test_chunked_and_sliding_layers_never_hold_more_than_full_ones(ctx: int) -> None:
    full = _toy()
    chunked = _toy(attention_chunk_tokens=512, chunked_attention_layers=6)
    sliding = _toy(sliding_window_tokens=512, sliding_window_layers=6)
    f = kv_cache_bytes_for_context(full, context_tokens=ctx, kv_bytes_per_element=2)
    assert kv_cache_bytes_for_context(chunked, context_tokens=ctx, kv_bytes_per_element=2) <= f
    assert kv_cache_bytes_for_context(sliding, context_tokens=ctx, kv_bytes_per_element=2) <= f
    assert attention_flops_per_token(chunked, context_tokens=ctx) <= \
        attention_flops_per_token(full, context_tokens=ctx)


def _hybrid(**kw) -> ModelProfile:
    return _toy(linear_attention_layers=6, linear_num_key_heads=2, linear_num_value_heads=4,
                linear_key_head_dim=8, linear_value_head_dim=8, linear_conv_kernel_dim=4, **kw)


def test_linear_state_is_fixed_per_sequence() -> None:
    m = _hybrid()
    state = 6 * (4 * 8 * 8 + (2 * 2 * 8 + 4 * 8) * 3) * 2
    assert state_bytes_per_sequence(m) == state
    kv_token = 2 * 2 * 2 * 16 * 2  # 2 full layers, K and V, 2 KV heads of 16, 16-bit
    for ctx in (1, 1000, 100_000):
        assert kv_cache_bytes_for_context(m, context_tokens=ctx, kv_bytes_per_element=2) == \
            kv_token * ctx + state
    wide = _hybrid(linear_state_bytes=4.0)  # mamba_ssm_dtype float32 doubles it
    assert state_bytes_per_sequence(wide) == 2 * state


def test_linear_layers_replace_attention_weights() -> None:
    plain, hybrid = _toy(), _hybrid()
    attn = 2 * 64 * 4 * 16 + 2 * 64 * 2 * 16
    lin = 64 * (2 * 2 * 8 + 2 * 4 * 8) + 64 * 2 * 4 + (2 * 2 * 8 + 4 * 8) * 4 + 4 * 8 * 64 \
        + 2 * 4 + 8
    assert param_counts(hybrid).quantizable - param_counts(plain).quantizable == \
        6 * (lin - attn)


def test_too_many_special_layers_is_refused() -> None:
    with pytest.raises(ValueError, match="linear_attention_layers"):
        _hybrid(sliding_window_tokens=64, sliding_window_layers=4)


def test_encoder_decoder_requires_its_encoder() -> None:
    with pytest.raises(ValueError, match="encoder_layers"):
        _toy(architecture="encoder-decoder")


def test_encoder_weights_are_not_streamed_per_decode_step() -> None:
    from inferx.engine.decoder import weight_layout
    from inferx.engine.memory import weight_bytes
    from inferx.engine.seq2seq import seq2seq_params
    from inferx.quant import SCHEMES
    from inferx.registry import Registry, builtin_dir

    m = Registry.from_dirs(builtin_dir()).get("model", "whisper-large-v3")
    counts, bf16 = param_counts(m), SCHEMES["bf16"]
    layout = weight_layout(m, counts, bf16, weight_bytes(counts, bf16))
    streamed = layout.streamed_bytes(experts_touched_per_layer=1, num_experts=1)
    assert layout.encoder_bytes == seq2seq_params(m).encoder_linear * 2
    assert streamed == layout.total_bytes - layout.encoder_bytes  # tied: no input-table cut


def test_encoder_pass_work_matches_the_request_flops() -> None:
    from inferx.engine.decoder import encoder_pass_work
    from inferx.engine.seq2seq import request_flops
    from inferx.quant import SCHEMES
    from inferx.registry import Registry, builtin_dir

    reg = Registry.from_dirs(builtin_dir())
    whisper = reg.get("model", "whisper-large-v3")
    work = encoder_pass_work(m=whisper, scheme=SCHEMES["bf16"], tp=1, batch=2)
    total = work.flops_per_gpu + work.attention_flops_per_gpu
    assert total == pytest.approx(2 * request_flops(whisper, output_tokens=0).encoder)
    halves = encoder_pass_work(m=whisper, scheme=SCHEMES["bf16"], tp=2, batch=2)
    assert halves.flops_per_gpu == pytest.approx(work.flops_per_gpu / 2)
    none = encoder_pass_work(m=reg.get("model", "llama-3.1-8b"), scheme=SCHEMES["bf16"], tp=1)
    assert none.flops_per_gpu == none.bytes_per_gpu == 0


def test_cache_per_gpu_shards_state_by_value_heads() -> None:
    from inferx.engine.memory import cache_bytes_per_gpu, kv_shard_factor

    m = _hybrid()  # 2 KV heads, 4 value heads
    state = state_bytes_per_sequence(m)
    kv = kv_cache_bytes_for_context(m, context_tokens=1000, kv_bytes_per_element=2) - state
    for tp in (1, 2, 4):
        got = cache_bytes_per_gpu(m, context_tokens=1000, kv_bytes_per_element=2, tp=tp)
        assert got == pytest.approx(kv * kv_shard_factor(m, tp=tp) + state / tp)
    plain = _toy()
    assert cache_bytes_per_gpu(plain, context_tokens=10, kv_bytes_per_element=2, tp=2) == \
        kv_cache_bytes_for_context(plain, context_tokens=10, kv_bytes_per_element=2) / 2
