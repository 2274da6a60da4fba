"""The compute ceiling: a vendor's measured max-achievable matmul rate where published
(max_achievable_tflops), else the dense datasheet peak (profile_record_hardware.py
compute_tflops_for; docs/methodology.md#latency)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from inferx.api import estimate
from inferx.engine.assumptions import Assumptions
from inferx.engine.estimate import Workload, decoder_point
from inferx.inputs import EstimateRequest
from inferx.profile_hardware import HardwareProfile
from inferx.quant import SCHEMES, kv_bytes_per_element

TODAY = dt.date(2026, 12, 1)


def test_the_ceiling_is_the_measured_rate_where_published_else_the_peak(registry) -> None:
    mi300x, h100 = registry.get("hardware", "mi300x"), registry.get("hardware", "h100-sxm")
    assert mi300x.compute_tflops_for("bf16") == mi300x.max_achievable_tflops["bf16"] < \
        mi300x.peak_tflops_for("bf16")
    assert mi300x.compute_tflops_for("int8") == mi300x.peak_tflops_for("int8")  # none published
    assert h100.max_achievable_tflops == {}
    assert h100.compute_tflops_for("bf16") == h100.peak_tflops_for("bf16")


def _bare(**extra) -> HardwareProfile:  # noqa: ANN003
    return HardwareProfile(id="bare", name="Bare", source="test", as_of=dt.date(2026, 1, 1),
                           vendor="X", memory_gb=16, memory_bandwidth_gb_per_s=100,
                           peak_tflops={"bf16": 100.0}, **extra)


@pytest.mark.parametrize("maf", [{"bf16": 120.0}, {"fp8": 50.0}])
def test_a_measured_rate_above_the_peak_or_without_one_is_refused(maf) -> None:
    with pytest.raises(ValidationError, match="max_achievable_tflops"):
        _bare(max_achievable_tflops=maf)
    assert _bare(max_achievable_tflops={"bf16": 60.0}).compute_tflops_for("bf16") == 60.0


def test_a_compute_bound_prefill_slows_by_peak_over_measured_rate(registry) -> None:
    """A long prompt at batch 1 on one MI300X: the linear layers' FLOPs time scales with the
    ceiling, so the prefill's compute term grows by peak / max-achievable."""
    model, hw = registry.get("model", "llama-3.1-8b"), registry.get("hardware", "mi300x")
    at_peak = dataclasses.replace(hw, max_achievable_tflops={})

    def prefill(h):  # noqa: ANN001, ANN202
        return decoder_point(model=model, hardware=h, scheme=SCHEMES["bf16"],
                             kv_bytes_per_element=kv_bytes_per_element("bf16"), gpus=1,
                             workload=Workload(8192, 1, 1),
                             assumptions=Assumptions()).timing.prefill

    measured, peak = prefill(hw), prefill(at_peak)
    ratio = hw.peak_tflops_for("bf16") / hw.max_achievable_tflops["bf16"]
    assert measured.compute_s == pytest.approx(peak.compute_s * ratio, rel=1e-9)
    assert measured.total_s > peak.total_s


def test_an_assumed_peak_replaces_the_measured_rate_of_its_dtype(registry) -> None:
    req = EstimateRequest(model="llama-3.1-8b", hardware="mi300x", input_tokens=8192,
                          output_tokens=1, concurrency="1")
    base = estimate(req, registry, TODAY).result.latency.ttft_ms
    assumed = estimate(req.model_copy(update={"assume": {"peak_tflops_bf16": 1300.0}}),
                       registry, TODAY).result.latency.ttft_ms
    assert assumed < base  # 1300 assumed governs, not the measured 708
