"""Serving-engine presets: selection, stated in results, ranges, calibration files."""

from __future__ import annotations

import json

import pytest

from inferx.api import estimate
from inferx.engine import Assumptions
from inferx.engine.presets import (
    FITTED_KNOBS,
    engine_for_framework,
    fit_group,
    normalize_engine,
    value_range,
)
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.preset_files import builtin_preset, fitted_table


def test_assumption_defaults_are_the_pooled_fit():
    """A refit (benchmarks/accuracy.py --write-presets) must be copied into assumptions.py."""
    generic = fitted_table()["presets"]["generic"]["values"]
    defaults = Assumptions()
    assert {k: getattr(defaults, k) for k in FITTED_KNOBS} == pytest.approx(generic)


@pytest.mark.parametrize(("name", "expected"), [
    ("vllm", "vllm"), ("TensorRT-LLM", "tensorrt-llm"), ("trtllm@2023", "tensorrt-llm@2023"),
    ("tensorrt-llm@0.17", "tensorrt-llm"), ("transformers", "hf-transformers"),
    ("sglang", "sglang"), ("lmdeploy", "lmdeploy@2023"), ("trtllm@0.5", "tensorrt-llm@0.6"),
    ("tensorrt-llm@0.6", "tensorrt-llm@0.6"), ("trt-llm@0.7", "tensorrt-llm@2023"),
])
def test_normalize_engine(name, expected):
    assert normalize_engine(name) == expected


def test_unknown_engine_names_the_flag():
    with pytest.raises(InputError, match="engine: unknown engine 'foo'"):
        EstimateRequest(engine="foo")


@pytest.mark.parametrize(("framework", "engine"), [
    ("TensorRT-LLM 0.17 (trtllm-bench)", "tensorrt-llm"),
    ("TensorRT-LLM 0.5 (gptSessionBenchmark)", "tensorrt-llm@0.6"),
    ("TensorRT-LLM 0.6.1", "tensorrt-llm@0.6"),
    ("TensorRT-LLM 0.7a", "tensorrt-llm@2023"),
    ("TensorRT-LLM 0.9.0", "tensorrt-llm@2023"),
    ("vLLM 0.9.0.1 (rocm/vllm)", "vllm"),
    ("LMDeploy v0.1.0a1 (TurboMind)", "lmdeploy@2023"),
    ("Intel Gaudi SW 1.18.0 + PyTorch", "optimum-habana"),
    ("mlc-llm", "generic"),
])
def test_engine_for_framework(framework, engine):
    assert engine_for_framework(framework) == engine


def test_fitted_presets_differ_by_era_and_state_their_sources():
    new, old = builtin_preset("tensorrt-llm"), builtin_preset("tensorrt-llm@2023")
    assert "trtllm017" in new.fitted_on and "trtllm05" not in new.fitted_on
    assert "trtllm05" in old.fitted_on
    assert new.values != old.values
    assert old.static_batch and not new.static_batch


def test_releases_before_the_gqa_kernel_share_their_eras_fit_with_one_kv_read_per_head():
    """TensorRT-LLM 0.5-0.6 (no "MMHA optimization for MQA and GQA", 0.7.0's change log):
    the era's fitted values, but gqa_kv_reread fixed at 1, not fitted."""
    early, era = builtin_preset("trtllm@0.5"), builtin_preset("tensorrt-llm@2023")
    assert early.id == "tensorrt-llm@0.6" and early.static_batch
    assert early.values["gqa_kv_reread"] == 1.0 and era.values["gqa_kv_reread"] < 0.5
    assert {k: v for k, v in early.values.items() if k != "gqa_kv_reread"} == \
        {k: v for k, v in era.values.items() if k != "gqa_kv_reread"}
    assert early.fitted_on == era.fitted_on and "trtllm05" in era.fitted_on
    assert early.inherits == "tensorrt-llm@2023" and era.inherits is None
    assert fit_group("tensorrt-llm@0.6") == "tensorrt-llm@2023"
    assert fit_group("vllm") == "vllm"


def test_engine_without_measurements_says_it_inherits_the_pooled_fit():
    p = builtin_preset("sglang")
    assert p.inherits == "generic" and p.fitted_rows == 0


def test_every_result_states_its_preset_and_carries_ranges(registry):
    r = estimate(EstimateRequest(model="llama-3.1-8b", hardware="h100-sxm", engine="vllm",
                                 gpu_hour_price=2.0), registry).result
    assert r.inputs.engine == "vllm" and r.preset is not None and r.preset.engine == "vllm"
    for key, value in (("latency.ttft_ms", r.latency.ttft_ms),
                       ("latency.tpot_ms", r.latency.tpot_ms),
                       ("throughput.output_tokens_per_s", r.throughput.output_tokens_per_s),
                       ("cost.usd_per_million_output_tokens",
                        r.cost.usd_per_million_output_tokens)):
        band = r.ranges[key]
        assert band.low < band.high
        assert 0 < band.low < band.high and value > 0
    default = estimate(EstimateRequest(), registry).result
    assert default.inputs.engine == "generic" and default.preset.engine == "generic"


def test_value_range_inverts_for_costs():
    assert value_range(100.0, [0.8, 1.25], inverse=False) == pytest.approx((80.0, 125.0))
    assert value_range(10.0, [0.8, 1.25], inverse=True) == pytest.approx((8.0, 12.5))


def test_value_range_always_contains_the_estimate():
    # a biased preset: every measured row was over-predicted (p10 > 1), or under-predicted
    assert value_range(56.0, [1.37, 2.07], inverse=False) == pytest.approx((56.0 / 2.07, 56.0))
    assert value_range(56.0, [0.5, 0.8], inverse=False) == pytest.approx((56.0, 112.0))
    assert value_range(10.0, [1.2, 1.5], inverse=True) == pytest.approx((10.0, 15.0))
    assert value_range(10.0, [0.5, 0.8], inverse=True) == pytest.approx((5.0, 10.0))


def test_cli_ranges_contain_the_estimate_for_a_biased_preset(registry):
    r = estimate(EstimateRequest(model="llama-3.1-70b", hardware="h200", gpus=2,
                                 engine="tensorrt-llm"), registry).result
    for key, value in (("latency.ttft_ms", r.latency.ttft_ms),
                       ("latency.tpot_ms", r.latency.tpot_ms),
                       ("throughput.output_tokens_per_s", r.throughput.output_tokens_per_s)):
        assert r.ranges[key].low <= value <= r.ranges[key].high, key


def test_static_engine_runs_a_static_batch(registry):
    stat = estimate(EstimateRequest(engine="hf-transformers", concurrency=16), registry).result
    cont = estimate(EstimateRequest(engine="vllm", concurrency=16), registry).result
    assert stat.inputs.batching == "static" and cont.inputs.batching == "continuous"


def test_calibration_file_overrides_the_preset(registry, tmp_path):
    f = tmp_path / "cal.toml"
    f.write_text('kind = "calibration"\nengine = "vllm"\n[values]\nbandwidth_efficiency = 0.5\n'
                 '[error_ratio]\ntpot_ms = [0.9, 1.1]\n')
    r = estimate(EstimateRequest(calibration=str(f)), registry).result
    assumed = {a.name: a.value for a in r.assumptions}
    assert assumed["bandwidth_efficiency"] == 0.5
    assert r.preset.origin == str(f) and r.inputs.engine == "vllm"
    assert r.ranges["latency.tpot_ms"].low == pytest.approx(r.latency.tpot_ms / 1.1, rel=1e-4)
    bad = tmp_path / "bad.toml"
    bad.write_text(json.dumps({"x": 1}))
    with pytest.raises(InputError, match="calibration"):
        estimate(EstimateRequest(calibration=str(bad)), registry)


def test_llama_cpp_and_mlx_presets_run_gguf_on_apple_silicon(registry):
    """Issue 12: --precision q4_k_m --hardware apple-m2-ultra --engine llama.cpp estimates;
    Ollama and LM Studio name the same preset; both presets say they are uncalibrated."""
    for name in ("llama.cpp", "ollama", "LM-Studio", "mlx"):
        r = estimate(EstimateRequest(model="llama-3.1-8b", hardware="apple-m2-ultra",
                                     precision="q4_k_m", engine=name, concurrency=1),
                     registry).result
        assert r.memory.fits and r.inputs.precision == "q4_k_m"
        assert r.preset.values_from == "generic" and "uncalibrated" in r.preset.description
    assert normalize_engine("ollama") == "llama.cpp" and normalize_engine("mlx-lm") == "mlx"
