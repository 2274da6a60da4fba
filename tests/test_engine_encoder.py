"""Encoder-only models (BERT): one bidirectional pass per request."""

from __future__ import annotations

import pytest

from inferx.api import estimate
from inferx.engine.architecture import param_counts
from inferx.engine.encoder import encoder_workload
from inferx.inputs import EstimateRequest
from inferx.quant import SCHEMES


def test_bert_base_parameter_count_matches_the_paper(registry):
    m = registry.get("model", "google-bert/bert-base-uncased")
    assert m.architecture == "encoder"
    assert param_counts(m).total / 1e9 == pytest.approx(m.params_b, rel=0.02)  # 110M


def test_encoder_flops_worked_by_hand(registry):
    m = registry.get("model", "bert-base")
    t = 128
    linear = 12 * (4 * 768 * 768 + 2 * 768 * 3072)  # q,k,v,o + plain MLP per layer
    attention = 12 * 2 * 12 * (64 + 64) * t * t  # every token attends to all t (bidirectional)
    w = encoder_workload(model=m, scheme=SCHEMES["bf16"], tokens=t)
    assert w.flops_per_inference == pytest.approx(2 * linear * t + attention)
    assert w.weights_bytes == pytest.approx(param_counts(m).total * 2)
    assert encoder_workload(model=m, scheme=SCHEMES["int8"], tokens=t).weights_bytes < w.weights_bytes


def test_estimate_answers_per_inference_for_an_encoder(registry):
    short = estimate(EstimateRequest(model="bert-base", hardware="l4", input_tokens=128,
                                     concurrency=16, gpu_hour_price=1.0), registry).result
    long = estimate(EstimateRequest(model="bert-base", hardware="l4", input_tokens=512,
                                    concurrency=16, gpu_hour_price=1.0), registry).result
    assert short.workload_kind == "encoder" and short.memory.fits
    assert short.workload.gflops_per_inference == pytest.approx(22.3, rel=0.01)
    assert long.latency.latency_ms > short.latency.latency_ms
    assert long.cost.usd_per_thousand_inferences > short.cost.usd_per_thousand_inferences


def test_encoder_past_its_window_warns(registry):
    ans = estimate(EstimateRequest(model="bert-base", hardware="l4", input_tokens=1024), registry)
    assert "context_exceeds_model" in [w.code for w in ans.warnings]
