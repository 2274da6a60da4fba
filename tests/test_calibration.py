"""Calibration harness: reading measurements, mapping rows, scoring, fitting (fast)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from inferx.calibration.fitting import evaluate, fit, nelder_mead
from inferx.calibration.harness import CannotEstimate, predict, resolve
from inferx.calibration.measurements import classify_batch, read_csv, read_vllm_json
from inferx.calibration.scoring import Pair, quantile, stats
from inferx.engine import Assumptions
from inferx.errors import InputError
from inferx.registry import Registry

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"


@pytest.fixture(scope="module")
def rows():
    return read_csv(DATA / "published_measurements.csv")


@pytest.fixture(scope="module")
def builtin():
    return Registry.default()


def test_published_csv_is_read_whole(rows):
    assert len(rows) == 109
    assert len({r.case_id for r in rows}) == 109
    by_id = {r.case_id: r for r in rows}
    assert by_id["trtllm017_001"].batch_mode == "max"
    assert by_id["trtllm017_001"].metrics == {"throughput_out_tok_s": 29526.04}
    assert by_id["trtllm014_001"].batch_mode == "rate"
    assert by_id["trtllm014_001"].request_rate == 2.0
    assert by_id["trtllm014_003"].request_rate == math.inf
    assert by_id["trtllm061_001"].batch_mode == "static"
    assert by_id["amd_perf_001"].batch_mode == "max" and by_id["amd_perf_001"].batch == 3200
    assert by_id["gaudi2lat_001"].output_tokens == 1
    assert by_id["lmdeploy_001"].source_key == "lmdeploy"
    assert by_id["lmdeploy_w4_001"].source_key == "lmdeploy_w4"


@pytest.mark.parametrize(("value", "notes", "expected"), [
    ("max", "", ("max", None, None)),
    ("qps=2", "", ("rate", None, 2.0)),
    ("64", "static batch 64", ("static", 64, None)),
    ("32", "fixed client concurrency", ("concurrency", 32, None)),
    ("3200", "num prompts = max num seqs = 3200", ("max", 3200, None)),
])
def test_classify_batch(value, notes, expected):
    assert classify_batch(value, notes) == expected


def test_classify_batch_rejects_garbage():
    with pytest.raises(ValueError, match="batch_or_concurrency"):
        classify_batch("lots", "")


def test_bad_csv_names_the_file(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="missing column"):
        read_csv(bad)


def test_vllm_json_maps_to_a_concurrency_row(tmp_path):
    f = tmp_path / "run.json"
    f.write_text('{"completed": 100, "total_input_tokens": 102400, "total_output_tokens": '
                 '12800, "output_throughput": 2500.0, "mean_ttft_ms": 80.0, "mean_tpot_ms": '
                 '20.0, "max_concurrency": 32, "model_id": "meta-llama/Llama-3.1-8B-Instruct"}')
    (row,) = read_vllm_json(f, hardware="h100-sxm", gpus=1, precision="bf16")
    assert (row.input_tokens, row.output_tokens) == (1024, 128)
    assert (row.batch_mode, row.batch) == ("concurrency", 32)
    assert row.metrics == {"throughput_out_tok_s": 2500.0, "ttft_ms": 80.0, "tpot_ms": 20.0}


def test_unknown_profiles_are_not_estimable_with_reason(rows, builtin):
    row = rows[0]
    from dataclasses import replace

    with pytest.raises(CannotEstimate, match="no model profile for nobody/None-1B"):
        resolve(replace(row, model="nobody/None-1B"), builtin)
    with pytest.raises(CannotEstimate, match="no hardware profile for TPU-v99"):
        resolve(replace(row, hardware="TPU-v99"), builtin)


def test_static_batch_row_uses_the_static_model(rows, builtin):
    row = next(r for r in rows if r.case_id == "trtllm05blog_001")  # static batch 64
    s = resolve(row, builtin)
    p = predict(s, Assumptions())
    assert p.concurrency == 64
    # static: throughput = B·T_out / (TTFT + (T_out − 1)·TPOT) exactly
    ttft, tpot = p.values["ttft_ms"] / 1e3, p.values["tpot_ms"] / 1e3
    assert p.values["throughput_out_tok_s"] == pytest.approx(
        64 * 128 / (ttft + 127 * tpot), rel=1e-4)


def test_rate_row_throughput_is_the_offered_load_below_capacity(rows, builtin):
    row = next(r for r in rows if r.case_id == "trtllm014_005")  # qps=2, 256 out
    p = predict(resolve(row, builtin), Assumptions())
    assert p.values["throughput_out_tok_s"] == pytest.approx(2 * 256)
    burst = next(r for r in rows if r.case_id == "trtllm014_006")  # qps=inf
    pb = predict(resolve(burst, builtin), Assumptions())
    assert "ttft_ms" in pb.skipped and "tpot_ms" in pb.values


def test_quantile_and_stats():
    assert quantile([1, 2, 3, 4, 5], 0.5) == 3
    assert quantile([0, 10], 0.9) == pytest.approx(9)
    pairs = [Pair("a", "s", "h", "p", "e", "ttft_ms", 100.0, x) for x in (50.0, 100.0, 200.0)]
    st = stats(pairs)
    assert st.median_ape == pytest.approx(0.5)
    assert st.bias == pytest.approx(1.0)


def test_nelder_mead_finds_a_quadratic_minimum():
    best = nelder_mead(lambda x: (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0.0, 0.0], iterations=300)
    assert best[0] == pytest.approx(1, abs=1e-3) and best[1] == pytest.approx(-2, abs=1e-3)


def test_fit_recovers_bandwidth_efficiency_from_synthetic_measurements(rows, builtin):
    """Rows 'measured' with bandwidth_efficiency 0.6: the fit must move toward 0.6."""
    from dataclasses import replace

    from inferx.calibration.fitting import assumptions_for

    picks = [r for r in rows if r.case_id in ("lmdeploy_001", "lmdeploy_005", "lmdeploy_008")]
    truth = assumptions_for("lmdeploy@2023", {"bandwidth_efficiency": 0.6})
    scen = []
    for r in picks:
        s = resolve(r, builtin)
        vals = predict(s, truth).values
        scen.append(replace(s, row=replace(r, metrics={"tpot_ms": vals["tpot_ms"]})))
    prior = {"bandwidth_efficiency": 0.9}
    got = fit(scen, engine="lmdeploy@2023", prior=prior, prior_weight=0.0,
              knobs=["bandwidth_efficiency"], iterations=60)
    assert got.values["bandwidth_efficiency"] == pytest.approx(0.6, rel=0.02)
    pairs, _ = evaluate(scen, lambda _e: got.values)
    assert max(abs(math.log(p.ratio)) for p in pairs) < 0.02
