"""`inferx estimate` through the CLI: envelope, formats, exit codes, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from inferx.errors import ExitCode

REQUIRED_DATA_KEYS = [
    "memory.weights_gb", "memory.kv_cache_bytes_per_token", "memory.fits", "memory.min_gpus",
    "memory.max_concurrency", "latency.ttft_ms", "latency.tpot_ms", "latency.e2e_s",
    "throughput.output_tokens_per_s", "throughput.output_tokens_per_s_per_gpu",
    "cost.usd_per_hour", "cost.usd_per_million_output_tokens", "cost.usd_per_request",
    "energy.joules_per_output_token", "assumptions",
]


def dig(data, dotted):
    for part in dotted.split("."):
        data = data[part]
    return data


def test_no_arguments_runs_the_default_scenario(invoke):
    result, _ = invoke("estimate")
    assert result.exit_code == 0, result.stderr
    assert "llama-3.1-8b" in result.stdout and "time per output token" in result.stdout


def test_json_envelope_has_the_documented_keys(invoke):
    result, doc = invoke("estimate", "--model", "llama-3.1-70b", "--hardware", "h100-sxm",
                         "--precision", "fp8", "--gpus", "4", "--input-tokens", "2000",
                         "--output-tokens", "500", "--concurrency", "64", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert set(doc) == {"schema_version", "inferx_version", "command", "status", "data",
                        "warnings", "errors"}
    assert (doc["schema_version"], doc["command"], doc["status"], doc["errors"]) == (
        "1", ["estimate"], "ok", [])
    for key in REQUIRED_DATA_KEYS:
        assert dig(doc["data"], key) is not None, key
    assert doc["data"]["inputs"]["gpus"] == 4
    assert doc["data"]["cost"]["usd_per_million_output_tokens"] > 0
    assert result.stderr == ""  # nothing but the document on stdout, nothing else


def test_json_is_not_wrapped_by_rich(invoke):
    """Byte for byte what render/json.py writes: rich would wrap long strings (a profile's
    source runs to hundreds of characters) or add markup."""
    result, _ = invoke("estimate", "--format", "json")
    doc = json.loads(result.stdout)
    assert result.stdout == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert max(len(line) for line in result.stdout.splitlines()) > 200  # a long line survives


def test_csv_has_one_header_and_one_row_with_json_key_names(invoke):
    result, _ = invoke("estimate", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert float(rows[0]["latency.tpot_ms"]) > 0
    assert rows[0]["memory.fits"] == "true"


def test_does_not_fit_is_an_answer_not_a_crash(invoke):
    result, doc = invoke("estimate", "--model", "llama-3.1-70b", "--hardware", "h100-sxm",
                         "--gpus", "1", "--format", "json")
    assert result.exit_code == 0
    assert doc["data"]["memory"]["fits"] is False
    assert doc["data"]["memory"]["min_gpus"] >= 2
    assert "does_not_fit" in [w["code"] for w in doc["warnings"]]


def test_table_for_a_model_that_does_not_fit_names_the_fewest_gpus(invoke):
    result, _ = invoke("estimate", "--model", "llama-3.1-70b", "--gpus", "1", "--concurrency", "1")
    assert result.exit_code == 0
    assert "does not fit" in result.stderr and "needs" in result.stderr


def test_unknown_model_suggests_close_matches(invoke):
    result, _ = invoke("estimate", "--model", "llama-3.1-7b")
    assert result.exit_code == ExitCode.UNKNOWN_PROFILE
    assert "did you mean" in result.stderr and "llama-3.1-70b" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_profile_in_json_mode_prints_an_error_envelope(invoke):
    result, doc = invoke("estimate", "--hardware", "h1000", "--format", "json")
    assert result.exit_code == ExitCode.UNKNOWN_PROFILE
    assert doc["status"] == "error" and doc["errors"][0]["code"] == "unknown_profile"


@pytest.mark.parametrize(("args", "flag"), [
    (["--input-tokens", "0"], "--input-tokens"),
    (["--input-tokens", "-5"], "--input-tokens"),
    (["--output-tokens", "100000000"], "--output-tokens"),
    (["--concurrency", "-1"], "--concurrency"),
    (["--concurrency", "lots"], "--concurrency"),
    (["--gpus", "0"], "--gpus"),
    (["--gpus", "3"], "--gpus"),
    (["--gpu-hour-price", "nan"], "--gpu-hour-price"),
    (["--gpu-hour-price", "inf"], "--gpu-hour-price"),
    (["--gpu-hour-price", "-2"], "--gpu-hour-price"),
    (["--gpu-hour-price", "1e9"], "--gpu-hour-price"),
    (["--precision", "int3"], "--precision"),
    (["--kv-precision", "fp6"], "--kv-precision"),
    (["--assume", "compute_efficiency=1.5"], "--assume"),
    (["--assume", "warp_factor=9"], "--assume"),
    (["--assume", "compute_efficiency"], "--assume"),
    (["--pricing", "cheap"], "pricing"),
])
def test_bad_numbers_and_names_are_refused_naming_the_flag(invoke, args, flag):
    result, _ = invoke("estimate", *args)
    assert result.exit_code == ExitCode.USAGE, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0]
    assert "Traceback" not in result.output


def test_non_numeric_option_is_a_usage_error(invoke):
    result, _ = invoke("estimate", "--input-tokens", "many")
    assert result.exit_code == ExitCode.USAGE


def test_debug_shows_the_traceback(runner):
    from inferx.cli import app

    result = runner.invoke(app, ["--debug", "estimate", "--model", "nope"])
    assert result.exit_code != 0
    assert result.exception is not None and type(result.exception).__name__ == "UnknownProfileError"


def test_version(invoke):
    from inferx import __version__

    result, _ = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_profiles_dir_overrides_a_builtin_price(invoke, tmp_path):
    prices = tmp_path / "prices"
    prices.mkdir()
    (prices / "my-h100.toml").write_text(
        'kind = "price"\nid = "my-h100"\nname = "test"\nprovider = "me"\nhardware = "h100-sxm"\n'
        'on_demand_usd_per_gpu_hour = 0.5\nsource = "unit test"\nas_of = 2099-01-01\n')
    result, doc = invoke("--profiles-dir", str(tmp_path), "estimate", "--price", "my-h100",
                         "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert doc["data"]["cost"]["usd_per_gpu_hour"] == 0.5


def test_broken_profile_in_profiles_dir_names_file_and_field(invoke, tmp_path):
    hw = tmp_path / "hardware"
    hw.mkdir()
    (hw / "bad.toml").write_text('id = "bad"\nname = "x"\nvendor = "x"\nmemory_gb = -1\n'
                                 'memory_bandwidth_gb_per_s = 1\nsource = "x"\nas_of = 2025-01-01\n')
    result, _ = invoke("--profiles-dir", str(tmp_path), "estimate", "--hardware", "bad")
    assert result.exit_code == ExitCode.INVALID_PROFILE
    assert "bad.toml" in result.stderr and "memory_gb" in result.stderr
    # profiles load lazily: an exact id does not read the rest of its kind, but a scan
    # (an alias, or `profiles validate`) meets the broken file
    assert invoke("--profiles-dir", str(tmp_path), "estimate")[0].exit_code == 0
    scan, _ = invoke("--profiles-dir", str(tmp_path), "estimate", "--hardware", "h100")
    assert scan.exit_code == ExitCode.INVALID_PROFILE and "bad.toml" in scan.stderr


def test_tokens_beyond_the_context_window_warn(invoke):
    result, doc = invoke("estimate", "--input-tokens", "200000", "--format", "json")
    assert result.exit_code == 0
    assert "context_exceeds_model" in [w["code"] for w in doc["warnings"]]
    ok, doc = invoke("estimate", "--input-tokens", "1000", "--format", "json")
    assert "context_exceeds_model" not in [w["code"] for w in doc["warnings"]]


def test_strict_turns_does_not_fit_into_exit_5(invoke):
    result, doc = invoke("estimate", "--model", "llama-3.1-70b", "--gpus", "1", "--strict",
                         "--format", "json")
    assert result.exit_code == ExitCode.STRICT_CHECK_FAILED
    assert doc["status"] == "ok" and doc["data"]["memory"]["fits"] is False  # one document
    assert "--strict" in result.stderr
    ok, _ = invoke("estimate", "--strict")
    assert ok.exit_code == 0
