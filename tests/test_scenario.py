"""The one scenario (inferx/scenario.py) and the one price resolver (inferx/pricing.py):
missing hardware figures, assumed hardware figures, pricing tiers, bill on the shared setup."""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.api import estimate
from inferx.bill import BillRequest, bill
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.pricing import TIERS, default_profile, quote

TODAY = dt.date(2026, 12, 1)


def test_missing_peak_flops_is_null_with_a_warning_naming_the_field(registry) -> None:
    hw = registry.get("hardware", "apple-m4-max")
    assert hw.peak_tflops_for("bf16") is None  # the premise: no published FLOPS
    answer = estimate(EstimateRequest(model="llama-3.1-8b", hardware="apple-m4-max"), registry)
    r = answer.result
    assert r.latency.ttft_ms is None and r.latency.tpot_ms is None
    assert r.throughput.output_tokens_per_s is None and r.cost.usd_per_hour is None
    assert r.ranges == {}  # nothing to range
    msg = next(w.message for w in answer.warnings if w.code == "no_compute_figure")
    assert "apple-m4-max" in msg and "peak_tflops" in msg


def test_an_assumed_peak_is_used_listed_and_carries_no_range(registry) -> None:
    r = estimate(EstimateRequest(model="llama-3.1-8b", hardware="apple-m4-max",
                                 assume={"peak_tflops_bf16": 30.0}), registry).result
    assert r.latency.ttft_ms is not None and r.latency.ttft_ms > 1000  # seconds, not 13 ms
    assert r.overridden == ["peak_tflops_bf16"]
    peak = next(a for a in r.assumptions if a.name == "peak_tflops_bf16")
    assert (peak.name, peak.value) == ("peak_tflops_bf16", 30.0)
    assert r.ranges == {}  # the figure rests on an assumed hardware value


def test_missing_link_at_tensor_parallel_is_null_not_a_fallback(registry) -> None:
    # a profile without a link figure (today: an A10G, a single-GPU card in its cloud box)
    hw = next(h for h in registry.all("hardware")
              if h.interconnect_gb_per_s is None and h.peak_tflops_for("bf16")
              and h.capacity_bytes * 4 > 20e9)
    req = dict(model="llama-3.1-8b", hardware=hw.id, gpus=4, concurrency=1)
    answer = estimate(EstimateRequest(**req), registry)
    assert answer.result.latency.ttft_ms is None
    assert "interconnect_gb_per_s" in next(
        w.message for w in answer.warnings if w.code == "no_interconnect_figure")
    given = estimate(EstimateRequest(**req, assume={"interconnect_gb_per_s": 64.0}), registry)
    assert given.result.latency.ttft_ms is not None


def test_single_device_needs_no_link(registry) -> None:
    r = estimate(EstimateRequest(model="llama-3.1-8b", hardware="l4", gpus=1,
                                 concurrency=1), registry).result
    assert r.latency.ttft_ms is not None


@pytest.mark.parametrize("assume", [{"peak_tflops_bf16": -1.0}, {"peak_tflops_fp7": 3.0},
                                    {"tdp_w": 0.0}])
def test_bad_hardware_assumptions_name_assume(registry, assume) -> None:
    with pytest.raises(InputError) as err:
        estimate(EstimateRequest(assume=assume), registry)
    assert err.value.field == "assume"


def test_commitment_tiers_pick_the_cheapest_offer_and_never_silently_cost_more(registry) -> None:
    prices = registry.all("price")
    for hw in sorted({p.hardware for p in prices}):
        od = quote(prices, hw, tier="on-demand", today=TODAY)
        for tier in TIERS[1:]:
            q = quote(prices, hw, tier=tier, today=TODAY)
            if q.usd_per_gpu_hour is None:
                continue
            offers = [p.price_for(tier) for p in prices
                      if p.hardware == hw and p.price_for(tier) is not None]
            assert q.usd_per_gpu_hour == min(offers)
            if od.usd_per_gpu_hour is not None and q.usd_per_gpu_hour > od.usd_per_gpu_hour:
                assert "tier_dearer_than_on_demand" in [n.code for n in q.notes], (hw, tier)


def test_provider_narrows_the_offers(registry) -> None:
    prices = registry.all("price")
    aws = quote(prices, "h100-sxm", tier="on-demand", provider="AWS", today=TODAY)
    assert aws.profile is not None and aws.profile.provider.lower() == "aws"
    none = quote(prices, "h100-sxm", provider="no-such-cloud", today=TODAY)
    assert none.usd_per_gpu_hour is None and none.notes[0].code == "no_price"
    assert default_profile(prices, "h100-sxm", "spot", "no-such-cloud") is None


def _bill(registry, **kw):
    return bill(BillRequest(daily_queries=200_000, model="llama-3.3-70b", hardware="h100-sxm",
                            precision="fp8", gpu_hour_price=2.0, max_tpot_ms=60.0, **kw),
                registry, TODAY).result


def test_bill_runs_on_the_shared_setup_and_sizing_follows_the_calibration(registry,
                                                                          tmp_path) -> None:
    slow = tmp_path / "slow.toml"
    slow.write_text('kind = "calibration"\nengine = "vllm"\n[values]\n'
                    'bandwidth_efficiency = 0.5\nstep_overhead_ms = 8.0\n')
    fast = tmp_path / "fast.toml"
    fast.write_text('kind = "calibration"\nengine = "vllm"\n[values]\n'
                    'bandwidth_efficiency = 0.9\nstep_overhead_ms = 1.0\n')
    kw = dict(engine="vllm", assume={"step_overhead_ms": 2.0})
    a = _bill(registry, calibration=str(slow), **kw)
    b = _bill(registry, calibration=str(fast), **kw)
    assert a.inputs["engine"] == "vllm" and a.inputs["assume"] == {"step_overhead_ms": 2.0}
    # the calibration moved the replica, so the bill moved
    assert a.replica.tpot_ms != b.replica.tpot_ms
    assert a.headline.totals.monthly_usd != b.headline.totals.monthly_usd
    plain = _bill(registry)
    assert plain.replica.tpot_ms != a.replica.tpot_ms


def test_cli_bill_takes_engine_calibration_assume(invoke, tmp_path) -> None:
    cal = tmp_path / "cal.toml"
    cal.write_text('kind = "calibration"\nengine = "vllm"\n[values]\nstep_overhead_ms = 5.0\n')
    result, env = invoke("bill", "--daily-queries", "100000", "--engine", "vllm",
                         "--calibration", str(cal), "--assume", "step_overhead_ms=2",
                         "--gpu-hour-price", "2", "--pricing", "on-demand", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert env["data"]["inputs"]["calibration"] == str(cal)


def test_a_builtin_presets_assumptions_are_kept_per_preset_and_follow_its_values() -> None:
    import dataclasses

    from inferx.engine.presets import base_assumptions
    from inferx.preset_files import builtin_preset
    from inferx.scenario import builtin_base

    vllm = builtin_preset("vllm")
    assert builtin_base(vllm) is builtin_base(vllm) == base_assumptions(vllm)
    other = dataclasses.replace(vllm, values={**vllm.values, "pue": 1.7})
    assert builtin_base(other).pue == 1.7 != builtin_base(vllm).pue
