"""Activation traffic of the elementwise kernels between the matmuls (engine/activations.py,
docs/methodology.md#latency): its formula, its place in a pass, and where it matters."""

from __future__ import annotations

import dataclasses

import pytest

from inferx.engine.activations import activation_bytes_per_token
from inferx.engine.architecture import kv_elements_per_token_per_layer, param_counts
from inferx.engine.decoder import decode_step_work, prefill_work, weight_layout
from inferx.engine.decoder_work import decoder_work
from inferx.engine.memory import weight_bytes
from inferx.engine.roofline import pass_time
from inferx.quant import resolve_scheme


def test_dense_layer_counts_norms_rope_and_the_gated_activation(registry):
    m = registry.get("model", "llama-3.1-8b")
    h, q = m.hidden_size, m.num_attention_heads * m.head_dim_effective
    kv = kv_elements_per_token_per_layer(m)
    per_layer = 8 * h + 2 * q + kv + 3 * m.intermediate_size
    assert activation_bytes_per_token(m, param_counts(m)) == pytest.approx(
        2 * m.num_layers * per_layer)


def test_tensor_parallelism_splits_all_but_the_replicated_residual_stream(registry):
    m = registry.get("model", "llama-3.1-70b")
    c = param_counts(m)
    one, eight = activation_bytes_per_token(m, c), activation_bytes_per_token(m, c, tp=8)
    residual = 2 * m.num_layers * 8 * m.hidden_size
    assert eight - residual == pytest.approx((one - residual) / 8)


def test_moe_layer_adds_k_experts_activation_and_the_permute_and_combine(registry):
    m = registry.get("model", "qwen3-30b-a3b")
    c = param_counts(m)
    assert c.moe_layers == m.num_layers
    h, k, i = m.hidden_size, m.experts_per_token, m.moe_intermediate_size
    q = m.num_attention_heads * m.head_dim_effective
    per_layer = (8 * h + 2 * q + kv_elements_per_token_per_layer(m)
                 + 3 * (k + m.num_shared_experts) * i + 2 * h + 2 * k * h)
    assert activation_bytes_per_token(m, c) == pytest.approx(2 * m.num_layers * per_layer)


def test_elementwise_time_is_activation_bytes_over_bandwidth_and_adds_to_the_pass():
    common = dict(flops_per_gpu=1e15, bytes_per_gpu=1e9, peak_flops=1e15,
                  bandwidth_bytes_per_s=1e12, compute_efficiency=1.0,
                  bandwidth_efficiency=0.5, comm_s=0.0, overhead_s=0.0)
    without = pass_time(**common)
    with_act = pass_time(**common, activation_bytes_per_gpu=1e11)
    assert without.elementwise_s == 0.0
    assert with_act.elementwise_s == pytest.approx(1e11 / (1e12 * 0.5))
    assert with_act.total_s == pytest.approx(without.total_s + 0.2)


def test_passes_carry_the_activation_bytes_of_their_tokens(registry):
    m = registry.get("model", "llama-3.1-8b")
    c, s = param_counts(m), resolve_scheme("fp8")
    layout = weight_layout(m, c, s, weight_bytes(c, s))
    per_token = activation_bytes_per_token(m, c, tp=2)
    step = decode_step_work(m=m, counts=c, layout=layout, batch=64, context_tokens=1000,
                            kv_bytes_per_element=1.0, tp=2)
    assert step.activation_bytes_per_gpu == pytest.approx(64 * per_token)
    pf, _ = prefill_work(m=m, counts=c, layout=layout, prompt_tokens=3000,
                         kv_bytes_per_element=1.0, tp=2, max_batched_tokens=8192)
    assert pf.activation_bytes_per_gpu == pytest.approx(3000 * per_token)


def test_fine_grained_moe_prefill_loses_more_to_elementwise_traffic_than_a_dense_model(
        registry):
    """Per token, Qwen3-30B-A3B's elementwise bytes are ~1 MB per active GFLOP, Llama-3.1-8B's
    ~0.3: the faster the matmuls, the larger this share of a fine-grained MoE's prefill."""
    def bytes_per_flop(model):
        m = registry.get("model", model)
        c = param_counts(m)
        return activation_bytes_per_token(m, c) / (2 * c.active)
    assert bytes_per_flop("qwen3-30b-a3b") > 2 * bytes_per_flop("llama-3.1-8b")


def test_an_encoder_decoder_has_no_elementwise_term(registry):
    m = registry.get("model", "llama-3.1-8b")
    seq2seq = dataclasses.replace(m, architecture="encoder-decoder")
    assert activation_bytes_per_token(seq2seq, param_counts(m)) == 0.0


def _written_out(m, counts, tp):  # noqa: ANN001, ANN202
    """activation_bytes_per_token as first written: one expression per call."""
    if m.architecture != "decoder":
        return 0.0
    h, layers = m.hidden_size or 0, m.num_layers or 0
    head = ((m.qk_nope_head_dim or 0) + (m.qk_rope_head_dim or 0) if m.attention == "mla"
            else m.head_dim_effective or 0)
    q = (m.num_attention_heads or 0) * head
    attention = 2 * q + kv_elements_per_token_per_layer(m)
    per_width = 3 if m.mlp == "gated" else 2
    moe_layers = counts.moe_layers if m.is_moe else 0
    dense_mlp = per_width * (m.intermediate_size or 0)
    routed = (m.experts_per_token or 0) + m.num_shared_experts
    moe_mlp = (per_width * routed * (m.moe_intermediate_size or 0)
               + 2 * h + 2 * (m.experts_per_token or 0) * h)
    sharded = (layers * attention + (layers - moe_layers) * dense_mlp
               + moe_layers * moe_mlp) / max(tp, 1)
    return 2.0 * (layers * 8 * h + sharded)


def test_the_split_into_replicated_and_sharded_elements_is_the_same_float(registry):
    """decoder_work keeps activation_elements per model and divides by tp per replica: the
    bytes are, to the last bit, the expression written out per call, for every built-in
    model and TP size."""
    checked = 0
    for m in registry.all("model"):
        if m.architecture not in ("decoder", "encoder-decoder"):
            continue  # an encoder or a CNN: timed per inference (engine/fixed.py)
        c = param_counts(m)
        s = resolve_scheme("bf16")
        work = decoder_work(m, c, weight_layout(m, c, s, weight_bytes(c, s)), 2.0)
        for tp in (1, 2, 3, 8, 64):
            expected = _written_out(m, c, tp)
            assert activation_bytes_per_token(m, c, tp=tp) == expected
            assert work.activation_bytes(tp) == expected
            checked += expected > 0
    assert checked > 100
