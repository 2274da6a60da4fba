"""band_for: the error band of an estimate, from the held-out group it belongs to."""

from __future__ import annotations

import pytest

from inferx.calibration.bands import band_for
from inferx.calibration.families import SERVING_MODES
from inferx.preset_files import fitted_table

TABLE = {
    "presets": {"generic": {"error_ratio": {"throughput_out_tok_s": [0.9, 1.1]}},
                "vllm": {"error_ratio": {"throughput_out_tok_s": [0.8, 1.05],
                                         "ttft_ms": [0.7, 1.4]}}},
    "bands": {
        "hardware_family": {"NVIDIA Hopper": {"throughput_out_tok_s": [0.85, 1.3]}},
        "serving_mode": {"max": {"throughput_out_tok_s": [0.95, 1.2]},
                         "clients": {"ttft_ms": [0.5, 1.6]}},
        "out_of_family": {"throughput_out_tok_s": [0.7, 1.5], "ttft_ms": [0.6, 2.0]},
        "widest": {"throughput_out_tok_s": [0.4, 2.7], "ttft_ms": [0.1, 10.0]},
    },
    "measured": {"hardware_families": ["AMD CDNA3", "NVIDIA Hopper"],
                 "serving_modes": ["clients", "max"]},
}


def test_measured_scenario_gets_the_envelope_of_its_groups():
    b = band_for("vllm", "NVIDIA Hopper", "max", "throughput_out_tok_s", table=TABLE)
    assert (b.p10, b.p90, b.extrapolated) == (0.8, 1.3, False)
    assert "hardware family NVIDIA Hopper" in b.basis and "serving mode max" in b.basis


def test_measured_family_without_its_own_band_uses_the_pooled_out_of_family_band():
    b = band_for("vllm", "AMD CDNA3", "max", "throughput_out_tok_s", table=TABLE)
    assert (b.p10, b.p90, b.extrapolated) == (0.7, 1.5, False)


def test_unknown_preset_falls_back_to_generic():
    b = band_for("no-such-engine", "NVIDIA Hopper", "max", "throughput_out_tok_s",
                 table=TABLE)
    assert (b.p10, b.p90) == (0.85, 1.3) and "preset generic" in b.basis


def test_fixed_concurrency_reads_as_closed_loop_clients():
    b = band_for("vllm", "NVIDIA Hopper", "concurrency", "ttft_ms", table=TABLE)
    assert not b.extrapolated and (b.p10, b.p90) == (0.5, 2.0)


@pytest.mark.parametrize(("family", "mode"), [
    ("Google TPU", "max"),          # family never measured
    ("NVIDIA Hopper", "rate"),      # serving mode never measured
])
def test_unmeasured_scenario_is_extrapolated_with_the_widest_band(family, mode):
    b = band_for("vllm", family, mode, "throughput_out_tok_s", table=TABLE)
    assert (b.p10, b.p90, b.extrapolated) == (0.4, 2.7, True)
    inside = band_for("vllm", "NVIDIA Hopper", "max", "throughput_out_tok_s", table=TABLE)
    assert b.p10 <= inside.p10 and b.p90 >= inside.p90


def test_no_band_at_all_is_none_and_a_bad_metric_raises():
    assert band_for("vllm", "Google TPU", "max", "tpot_ms", table=TABLE) is None
    with pytest.raises(ValueError, match="metric"):
        band_for("vllm", "NVIDIA Hopper", "max", "latency", table=TABLE)


def test_builtin_table_holds_group_bands_and_what_was_measured():
    table = fitted_table()
    measured = table["measured"]
    assert "NVIDIA Hopper" in measured["hardware_families"]
    # a mode may carry its layout slice: "max (attention-DP + EP)" (harness.layout_slice)
    assert {m.split(" (")[0] for m in measured["serving_modes"]} <= set(SERVING_MODES)
    widest = table["bands"]["widest"]["throughput_out_tok_s"]
    for fam in measured["hardware_families"]:
        b = band_for("tensorrt-llm", fam, "max", "throughput_out_tok_s")
        assert b is not None and not b.extrapolated
        assert widest[0] <= b.p10 < b.p90 <= widest[1]
    out = band_for("tensorrt-llm", "Google TPU" if "Google TPU" not in
                   measured["hardware_families"] else "NVIDIA Volta", "max",
                   "throughput_out_tok_s")
    assert out.extrapolated and (out.p10, out.p90) == tuple(widest)
