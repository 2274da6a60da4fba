"""`inferx compare` through the CLI: JSON rows, CSV rows, the table, exit codes."""

from __future__ import annotations

import csv
import io

import pytest

from inferx.quant import SIXTEEN_BIT
from inferx.sweeps import DEFAULT_PRECISIONS

BASE = ("compare", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--gpu-hour-price", "2")


def by_row(payload: dict) -> dict:
    return {r["row"]: r for r in payload["data"]["rows"]}


def test_json_lists_one_row_per_scheme(invoke):
    result, payload = invoke(*BASE, "--format", "json")
    assert result.exit_code == 0, result.output
    assert payload["status"] == "ok" and payload["command"] == ["compare"]
    rows = by_row(payload)
    assert list(rows) == list(DEFAULT_PRECISIONS)
    assert payload["data"]["baseline"] == "bf16" and rows["bf16"]["is_baseline"]
    for key in ("weights_gb", "kv_cache_bytes_per_token", "min_gpus", "fits", "max_concurrency",
                "ttft_ms", "tpot_ms", "output_tokens_per_s", "usd_per_million_output_tokens",
                "vs_baseline", "quality_summary", "not_native_reason"):
        assert key in rows["fp8"]
    # acceptance, through the CLI: bf16 needs >= 2 H100s, int4 weight-only fits on one
    assert rows["bf16"]["min_gpus"] >= 2 and rows["int4-wo"]["min_gpus"] == 1
    assert rows["fp4"]["native_compute"] is False and rows["fp4"]["not_native_reason"]
    codes = {w["code"] for w in payload["warnings"]}
    assert "no_native_compute" in codes


def test_acceptance_4xh100_via_cli(invoke):
    common = (*BASE, "--gpus", "4", "--precisions", "bf16,fp8,int4-wo", "--format", "json")
    _, one = invoke(*common, "--concurrency", "1")
    rows = by_row(one)
    assert rows["int4-wo"]["tpot_ms"] < rows["bf16"]["tpot_ms"]
    _, many = invoke(*common, "--concurrency", "256", "--input-tokens", "512",
                     "--output-tokens", "256")
    rows = by_row(many)
    assert all(r["fits"] and r["concurrency"] == 256 for r in rows.values())
    assert (rows["int4-wo"]["vs_baseline"]["output_tokens_per_s_ratio"]
            < rows["fp8"]["vs_baseline"]["output_tokens_per_s_ratio"])


def test_a100_fp8_not_native_via_cli(invoke):
    result, payload = invoke("compare", "-m", "llama-3.1-70b", "-H", "a100-80gb", "--gpus", "4",
                             "--precisions", "bf16,fp8", "--kv-precision", "bf16",
                             "--concurrency", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = by_row(payload)
    assert rows["fp8"]["compute_dtype"] in SIXTEEN_BIT and not rows["fp8"]["native_compute"]
    assert rows["fp8"]["vs_baseline"]["ttft_ratio"] == pytest.approx(1.0, abs=0.02)


def test_max_tpot_marks_cheapest_row(invoke):
    _, payload = invoke(*BASE, "--max-tpot", "80", "--format", "json")
    rows = payload["data"]["rows"]
    marked = [r for r in rows if r["cheapest_meeting_targets"]]
    assert len(marked) == 1 and marked[0]["row"] == payload["data"]["cheapest_meeting_targets"]
    meeting = [r for r in rows if r["meets_targets"]]
    assert marked[0]["usd_per_million_output_tokens"] == min(
        r["usd_per_million_output_tokens"] for r in meeting)


def test_table_has_bar_mark_and_quality(invoke):
    result, _ = invoke(*BASE, "--max-tpot", "80")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "$ chart" in out and "#" in out
    assert "cheapest row meeting TPOT" in out and " *" in out
    assert "no published data" in out and "OpenLLM v1" in out
    assert "(emul.)" in out and "no native units" in out
    assert "baseline" in out


def test_csv_one_row_per_scheme(invoke):
    result, _ = invoke(*BASE, "--precisions", "bf16,fp8,int4-wo", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["row"] for r in rows] == ["bf16", "fp8", "int4-wo"]
    assert "vs_baseline.usd_per_million_output_tokens_ratio" in rows[0]
    assert "quality.recovery_pct" in rows[0]


def test_across_hardware_cli(invoke):
    result, payload = invoke("compare", "--across", "hardware", "--hardware",
                             "h100-sxm,mi300x,l40s,l4", "--model", "llama-3.1-8b",
                             "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["row"] for r in payload["data"]["rows"]] == ["h100-sxm", "mi300x", "l40s", "l4"]


@pytest.mark.parametrize(("args", "flag", "code"), [
    (("--across", "gpu"), "--across", 2),
    (("--hardware", "h100-sxm,l4"), "--hardware", 2),
    (("--precisions", "bf16,q9"), "--precisions", 2),
    (("--baseline", "fp8", "--precisions", "bf16,int4-wo"), "--baseline", 2),
    (("--max-ttft", "-5"), "--max-ttft", 2),
])
def test_errors_name_the_flag(invoke, args, flag, code):
    result, payload = invoke("compare", *args, "--format", "json")
    assert result.exit_code == code
    assert payload["status"] == "error" and flag in payload["errors"][0]["message"]


def test_unknown_hardware_exit_3(invoke):
    result, _ = invoke("compare", "--across", "hardware", "--hardware", "h100-sxm,h1000")
    assert result.exit_code == 3
    assert "h1000" in result.stderr


def test_cost_bar_is_proportional():
    from inferx.render.views.compare import BAR_WIDTH, cost_bar

    assert cost_bar(10.0, 10.0) == "#" * BAR_WIDTH
    assert cost_bar(5.0, 10.0).rstrip() == "#" * (BAR_WIDTH // 2)
    assert cost_bar(0.01, 10.0) == "#"  # the smallest figure still gets a mark
    assert cost_bar(None, 10.0) == "" and cost_bar(1.0, None) == ""


def test_compare_uses_the_engine_preset_it_is_given(invoke):
    base, generic = invoke("compare", "--model", "llama-3.1-8b", "--precisions", "bf16,fp8",
                           "--format", "json")
    trt, preset = invoke("compare", "--model", "llama-3.1-8b", "--precisions", "bf16,fp8",
                         "--engine", "tensorrt-llm@2023", "--format", "json")
    assert base.exit_code == trt.exit_code == 0, trt.stderr
    tpot = [r["tpot_ms"] for r in generic["data"]["rows"]]
    tpot_2023 = [r["tpot_ms"] for r in preset["data"]["rows"]]
    assert tpot != tpot_2023  # the preset's fitted efficiencies reach every row
