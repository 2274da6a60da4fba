"""Parameter counts and KV-cache sizes from model architecture (docs/methodology.md#parameters)."""

from __future__ import annotations

import pytest

from inferx.engine.architecture import (
    kv_cache_bytes_for_context,
    kv_cache_bytes_per_token,
    param_counts,
)
from inferx.engine.memory import weight_bytes
from inferx.profiles import ModelProfile
from inferx.quant import SCHEMES


def test_llama_3_1_70b_weights_are_141_gb_at_16_bit(registry):
    m = registry.get("model", "llama-3.1-70b")
    gb = weight_bytes(param_counts(m), SCHEMES["bf16"]) / 1e9
    assert gb == pytest.approx(141, rel=0.01)


def test_llama_3_1_70b_kv_cache_is_327680_bytes_per_token_at_16_bit(registry):
    m = registry.get("model", "llama-3.1-70b")
    # 2 (K and V) x 80 layers x 8 KV heads x 128 head dim x 2 bytes
    assert kv_cache_bytes_per_token(m, kv_bytes_per_element=2.0) == 327_680


def test_hugging_face_repo_id_is_an_alias(registry):
    assert registry.get("model", "meta-llama/Llama-3.1-70B").id == "llama-3.1-70b"


def _toy(**kw) -> ModelProfile:
    base = dict(id="toy", name="toy", source="unit test", as_of="2026-01-01", num_layers=2,
                hidden_size=8, intermediate_size=16, num_attention_heads=2, num_kv_heads=1,
                vocab_size=10)
    return ModelProfile.model_validate({**base, **kw})


def test_param_count_worked_by_hand():
    # per layer: q 8x8 + o 8x8 + k,v 8x4 each = 192; gated MLP 3x8x16 = 384 → 576 x 2 = 1152
    # embeddings 10x8 + untied lm_head 10x8 = 160; norms (2x2+1) x 8 = 40
    c = param_counts(_toy())
    assert (c.quantizable, c.embeddings, c.other) == (1152, 160, 40)
    assert c.total == c.active == 1352


def test_tied_embeddings_count_once():
    assert param_counts(_toy(tie_word_embeddings=True)).embeddings == 80


def test_moe_active_counts_only_routed_experts():
    m = _toy(num_experts=4, experts_per_token=1, moe_intermediate_size=16)
    c = param_counts(m)
    expert = 3 * 8 * 16
    assert c.expert == expert
    assert c.total - c.active == 2 * 3 * expert  # 3 idle experts in each of 2 layers


def test_sliding_window_caps_kv_of_local_layers():
    m = _toy(sliding_window_tokens=4, sliding_window_layers=1)
    per_layer_token = 2 * 1 * 4 * 2  # K,V x 1 head x head_dim 4 x 2 bytes
    got = kv_cache_bytes_for_context(m, context_tokens=100, kv_bytes_per_element=2)
    assert got == per_layer_token * (100 + 4)


def test_mla_kv_holds_the_latent():
    m = _toy(attention="mla", kv_lora_rank=6, qk_nope_head_dim=4, qk_rope_head_dim=2,
             v_head_dim=4, q_lora_rank=5)
    assert kv_cache_bytes_per_token(m, kv_bytes_per_element=2) == 2 * (6 + 2) * 2
