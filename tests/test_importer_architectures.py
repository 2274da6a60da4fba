"""Issue 12: configs of Llama 4 Maverick, Qwen3-Next, gpt-oss, Whisper (and Llama 3,
DeepSeek-V3) import with the right layer layout and parameter counts within 2% of the
published ones (fixtures and sources: tests/fixtures/hf_configs/README.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inferx.engine.architecture import (
    kv_cache_bytes_for_context,
    kv_cache_bytes_per_token,
    layer_split,
    param_counts,
)
from inferx.engine.hybrid import state_bytes_per_sequence
from inferx.engine.seq2seq import request_flops, seq2seq_params
from inferx.importers.hf import import_config

HF = Path(__file__).parent / "fixtures" / "hf_configs"
TODAY = dt.date(2026, 12, 1)

# (fixture, published total B, published active B or None)
PUBLISHED = [
    ("llama-3.1-8b", 8.03, None),
    ("llama-4-maverick", 400, 17),
    ("qwen3-next-80b-a3b", 80, None),
    ("deepseek-v3", 671, 37),
    ("gpt-oss-120b", 117, None),
    ("whisper-large-v3", 1.55, None),
]


def _load(name: str):
    return import_config(str(HF / name), as_of=TODAY)


@pytest.mark.parametrize(("fixture", "total_b", "active_b"), PUBLISHED)
def test_parameter_counts_within_2_percent_of_published(fixture, total_b, active_b) -> None:
    counts = param_counts(_load(fixture))
    assert counts.total / 1e9 == pytest.approx(total_b, rel=0.02)
    if active_b is not None:
        assert counts.active / 1e9 == pytest.approx(active_b, rel=0.02)


def test_maverick_interleaves_dense_and_moe_layers() -> None:
    m = _load("llama-4-maverick")
    assert (m.moe_layer_step, m.moe_layer_count) == (2, 24)
    assert (m.intermediate_size, m.moe_intermediate_size, m.num_shared_experts) == \
        (16384, 8192, 1)
    # every layer MoE (the pre-issue-12 reading) would give ~778B
    every = m.model_copy(update={"moe_layer_step": 1})
    assert param_counts(every).total / 1e9 > 700


def test_maverick_chunked_attention_caps_kv_on_rope_layers() -> None:
    m = _load("llama-4-maverick")
    split = layer_split(m)
    assert (split.full, split.chunked, m.attention_chunk_tokens) == (12, 36, 8192)
    per_token_layer = 2 * 8 * 128 * 2  # K and V, 8 KV heads of 128, 16-bit
    got = kv_cache_bytes_for_context(m, context_tokens=100_000, kv_bytes_per_element=2)
    assert got == per_token_layer * (12 * 100_000 + 36 * 8192)


def test_qwen3_next_linear_layers_hold_fixed_state_not_kv() -> None:
    m = _load("qwen3-next-80b-a3b")
    assert (m.linear_attention_layers, layer_split(m).full) == (36, 12)
    assert m.attention_output_gate
    # state per linear layer: 32 value heads x 128 x 128 + conv (2*16*128 + 32*128) x 3
    state = 36 * (32 * 128 * 128 + 8192 * 3) * 2
    assert state_bytes_per_sequence(m) == state
    kv_token = 12 * 2 * 2 * 256 * 2
    assert kv_cache_bytes_per_token(m, kv_bytes_per_element=2) == kv_token
    for ctx in (1_000, 100_000):
        got = kv_cache_bytes_for_context(m, context_tokens=ctx, kv_bytes_per_element=2)
        assert got == kv_token * ctx + state


def test_gpt_oss_alternates_sliding_and_full_layers() -> None:
    m = _load("gpt-oss-120b")
    assert (m.sliding_window_tokens, layer_split(m).sliding, layer_split(m).full) == \
        (128, 18, 18)


def test_whisper_is_an_encoder_decoder_with_a_cross_attention_cache() -> None:
    m = _load("whisper-large-v3")
    assert m.architecture == "encoder-decoder" and m.encoder_tokens == 1500
    cross = 32 * 2 * 1280 * 1500 * 2
    self_kv = 32 * 2 * 1280 * 100 * 2
    assert kv_cache_bytes_for_context(m, context_tokens=100, kv_bytes_per_element=2) == \
        cross + self_kv
    flops = request_flops(m, output_tokens=100)
    # the encoder pass over 1500 frames dominates a 100-token transcript
    assert flops.encoder > flops.decoder > 0
    enc = seq2seq_params(m).encoder_linear
    assert enc == 32 * (4 * 1280**2 + 2 * 1280 * 5120)
    assert flops.encoder > 2 * enc * 1500  # linear layers plus attention and convolutions


@pytest.mark.parametrize("fixture", ["llama-4-maverick", "qwen3-next-80b-a3b", "whisper-large-v3"])
def test_imported_layouts_round_trip_through_toml(fixture: str, tmp_path: Path) -> None:
    from inferx.importers import write_profiles
    from inferx.registry import read_profile

    m = _load(fixture)
    [path] = write_profiles([m], tmp_path, force=False)
    again = read_profile(path)
    assert again == m
    assert param_counts(again).total == param_counts(m).total
