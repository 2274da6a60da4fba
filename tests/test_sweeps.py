"""inferx.sweeps: compare across precision / hardware / model on the built-in profiles.

Issue 4's acceptance points are written as physical relations (ratios and orderings), not
hard-coded numbers, so they hold while the engine's efficiency defaults are recalibrated.
"""

from __future__ import annotations

import datetime as dt

import pytest

from inferx.engine.architecture import param_counts
from inferx.errors import InputError, UnknownProfileError
from inferx.quant import SIXTEEN_BIT
from inferx.sweeps import DEFAULT_PRECISIONS, NO_QUALITY_DATA, CompareRequest, compare

TODAY = dt.date(2026, 11, 22)
PRICE = 2.0  # USD per GPU-hour, user-given so costs never depend on price profiles


def run(registry, **kw):
    kw.setdefault("gpu_hour_price", PRICE)
    return compare(CompareRequest(**kw), registry, TODAY)


def rows_of(answer) -> dict:
    return {r.row: r for r in answer.result.rows}


@pytest.fixture(scope="module")
def h100_70b(registry):
    """Llama 3.1 70B on H100, every scheme, fewest GPUs per row, one request in flight."""
    return rows_of(run(registry, models=["llama-3.1-70b"], hardware=["h100-sxm"], concurrency=1))


# ---- acceptance: Llama-3.1-70B on H100 80 GB ------------------------------------------------

def test_70b_h100_bf16_needs_two_or_more_gpus_int4_fits_on_one(h100_70b):
    assert h100_70b["bf16"].min_gpus >= 2
    assert h100_70b["bf16"].gpus == h100_70b["bf16"].min_gpus  # rows are own-fewest deployments
    assert h100_70b["int4-wo"].min_gpus == 1
    assert h100_70b["int4-wo"].fits and h100_70b["int4-wo"].gpus == 1


def test_70b_on_one_h100_bf16_row_says_it_does_not_fit(registry):
    rows = rows_of(run(registry, models=["llama-3.1-70b"], hardware=["h100-sxm"], gpus=1,
                       concurrency=1, precisions=["bf16", "int4-wo"]))
    assert rows["bf16"].gpus == 1 and not rows["bf16"].fits
    assert rows["bf16"].ttft_ms is None and rows["bf16"].usd_per_million_output_tokens is None
    assert "does_not_fit" in rows["bf16"].warnings
    assert rows["int4-wo"].fits and rows["int4-wo"].tpot_ms is not None


def test_70b_fp8_halves_the_quantized_weight_bytes_of_bf16(registry, h100_70b):
    """The engine keeps the embedding and lm_head 16-bit (as the Neural Magic FP8 checkpoints
    do): the quantized linear weights halve exactly, the total within the embeddings' share."""
    bf16, fp8 = h100_70b["bf16"], h100_70b["fp8"]
    counts = param_counts(registry.get("model", "llama-3.1-70b"))
    # bf16 − fp8 = the linear weights at 1 byte each (they went from 2 bytes to 1)
    assert bf16.weights_gb - fp8.weights_gb == pytest.approx(counts.quantizable / 1e9, rel=1e-4)
    sixteen_bit_share = (counts.embeddings + counts.other) / (
        counts.quantizable + counts.embeddings + counts.other)
    ratio = fp8.vs_baseline.weights_ratio
    # (q·1 + e·2) / (q·2 + e·2) = 0.5 + share/2, share = 16-bit params / all params
    assert ratio == pytest.approx(0.5 + sixteen_bit_share / 2, rel=1e-4)
    assert ratio == pytest.approx(0.5, abs=0.02)  # stated tolerance: within 2 points of half


# ---- acceptance: 4 x H100 --------------------------------------------------------------------

def test_4xh100_concurrency_1_int4_wo_decodes_faster_than_bf16(registry):
    rows = rows_of(run(registry, models=["llama-3.1-70b"], hardware=["h100-sxm"], gpus=4,
                       concurrency=1, precisions=["bf16", "fp8", "int4-wo"]))
    bf16, int4, fp8 = rows["bf16"], rows["int4-wo"], rows["fp8"]
    assert bf16.decode_bound == "memory"
    assert int4.tpot_ms < bf16.tpot_ms
    # weight-only speeds memory-bound decode but not compute-bound prefill
    assert bf16.prefill_bound == "compute"
    assert int4.prefill_compute_ms == pytest.approx(bf16.prefill_compute_ms, rel=1e-6)
    assert int4.ttft_ms == pytest.approx(bf16.ttft_ms, rel=0.02)
    # fp8 (W8A8) speeds both
    assert fp8.ttft_ms < 0.75 * bf16.ttft_ms
    assert fp8.tpot_ms < bf16.tpot_ms


@pytest.mark.parametrize("kv", [None, "bf16"])
def test_4xh100_concurrency_256_int4_gain_smaller_than_fp8(registry, kv):
    """At high concurrency the work is compute-heavy: W4A16 keeps 16-bit matmuls, fp8 does not.
    With kv=bf16 both rows share the KV cache precision, so the gap is the compute alone."""
    answer = run(registry, models=["llama-3.1-70b"], hardware=["h100-sxm"], gpus=4,
                 concurrency=256, input_tokens=512, output_tokens=256, kv_precision=kv,
                 precisions=["bf16", "fp8", "int4-wo"])
    rows = rows_of(answer)
    assert all(r.fits and r.concurrency == 256 and r.gpus == 4 for r in rows.values())
    int4_gain = rows["int4-wo"].vs_baseline.output_tokens_per_s_ratio
    fp8_gain = rows["fp8"].vs_baseline.output_tokens_per_s_ratio
    assert rows["int4-wo"].output_tokens_per_s / rows["bf16"].output_tokens_per_s == \
        pytest.approx(int4_gain, rel=1e-4)
    assert int4_gain < fp8_gain
    assert fp8_gain > 1.2


# ---- acceptance: A100 has no fp8 units --------------------------------------------------------

def test_a100_fp8_row_gets_no_compute_speed_up(registry):
    common = dict(models=["llama-3.1-70b"], gpus=4, concurrency=1, kv_precision="bf16",
                  precisions=["bf16", "fp8"])
    a100 = rows_of(run(registry, hardware=["a100-80gb"], **common))
    fp8, bf16 = a100["fp8"], a100["bf16"]
    assert not fp8.native_compute
    assert fp8.compute_dtype in SIXTEEN_BIT
    assert "no native fp8" in fp8.not_native_reason
    assert "no_native_compute" in fp8.warnings
    assert fp8.prefill_compute_ms == pytest.approx(bf16.prefill_compute_ms, rel=1e-6)
    assert fp8.ttft_ms == pytest.approx(bf16.ttft_ms, rel=0.02)
    # the weight bytes still shrink, so memory-bound decode still speeds up
    assert fp8.tpot_ms < bf16.tpot_ms
    # contrast: the same rows on H100 (native fp8) do get the compute speed-up
    h100 = rows_of(run(registry, hardware=["h100-sxm"], **common))
    assert h100["fp8"].native_compute and h100["fp8"].not_native_reason is None
    assert h100["fp8"].vs_baseline.ttft_ratio < 0.75


def test_fp4_is_native_only_where_the_hardware_lists_it(registry, h100_70b):
    assert not h100_70b["fp4"].native_compute and not h100_70b["mxfp4"].native_compute
    b200 = rows_of(run(registry, models=["llama-3.1-70b"], hardware=["b200"], concurrency=1,
                       precisions=["bf16", "fp4"]))
    assert b200["fp4"].native_compute and b200["fp4"].compute_dtype == "fp4"


# ---- rows, baseline, targets --------------------------------------------------------------

def test_default_rows_and_baseline(h100_70b):
    assert list(h100_70b) == list(DEFAULT_PRECISIONS)
    assert [r.row for r in h100_70b.values() if r.is_baseline] == ["bf16"]
    base = h100_70b["bf16"].vs_baseline
    assert base.weights_ratio == 1 and base.tpot_ratio == 1
    assert h100_70b["int4-wo"].weight_only and not h100_70b["fp8"].weight_only


def test_rows_equal_single_estimates(registry):
    """A row is exactly what `inferx estimate` answers for the same scenario."""
    from inferx.api import estimate
    from inferx.inputs import EstimateRequest

    rows = rows_of(run(registry, models=["llama-3.1-8b"], hardware=["l40s"],
                       precisions=["int8-wo"]))
    single = estimate(EstimateRequest(model="llama-3.1-8b", hardware="l40s",
                                      precision="int8-wo", gpu_hour_price=PRICE),
                      registry, TODAY).result
    row = rows["int8-wo"]
    assert row.tpot_ms == single.latency.tpot_ms and row.gpus == single.inputs.gpus
    assert row.usd_per_million_output_tokens == single.cost.usd_per_million_output_tokens


def test_baseline_option_changes_ratios(registry):
    rows = rows_of(run(registry, models=["llama-3.1-8b"], hardware=["h100-sxm"],
                       precisions=["bf16", "fp8"], baseline="w8a8-fp8"))
    assert rows["fp8"].is_baseline and rows["fp8"].vs_baseline.tpot_ratio == 1
    assert rows["bf16"].vs_baseline.weights_ratio > 1.5


def test_cheapest_row_meeting_targets_is_marked(registry):
    answer = run(registry, models=["llama-3.1-70b"], hardware=["h100-sxm"], max_tpot_ms=60,
                 max_ttft_ms=2000)
    rows = answer.result.rows
    meeting = [r for r in rows if r.meets_targets]
    assert meeting
    for r in rows:
        if r.meets_targets:
            assert r.tpot_ms <= 60 and r.ttft_ms <= 2000
    marked = [r for r in rows if r.cheapest_meeting_targets]
    assert len(marked) == 1 and marked[0].meets_targets
    assert marked[0].row == answer.result.cheapest_meeting_targets
    assert marked[0].usd_per_million_output_tokens == min(
        r.usd_per_million_output_tokens for r in meeting)


def test_tight_target_excludes_rows(registry):
    rows = rows_of(run(registry, models=["llama-3.1-8b"], hardware=["h100-sxm"],
                       precisions=["fp32", "bf16", "fp8"], concurrency=1))
    limit = (rows["fp32"].tpot_ms + rows["bf16"].tpot_ms) / 2  # between fp32 and bf16
    answer = run(registry, models=["llama-3.1-8b"], hardware=["h100-sxm"],
                 precisions=["fp32", "bf16", "fp8"], concurrency=1, max_tpot_ms=limit)
    marked = rows_of(answer)
    assert marked["fp32"].meets_targets is False
    assert marked["bf16"].meets_targets and marked["fp8"].meets_targets
    assert answer.result.cheapest_meeting_targets in ("bf16", "fp8")


def test_no_targets_marks_nothing(h100_70b):
    assert all(r.meets_targets is None and not r.cheapest_meeting_targets
               for r in h100_70b.values())


def test_impossible_target_warns(registry):
    answer = run(registry, models=["llama-3.1-8b"], hardware=["h100-sxm"],
                 precisions=["bf16"], max_tpot_ms=0.001)
    assert answer.result.cheapest_meeting_targets is None
    assert [w.code for w in answer.warnings] == ["no_row_meets_targets"]


# ---- other sweeps ---------------------------------------------------------------------------

def test_across_hardware(registry):
    answer = run(registry, across="hardware", hardware=["h100-sxm", "mi300x", "l40s", "l4"],
                 models=["llama-3.1-8b"])
    rows = rows_of(answer)
    assert list(rows) == ["h100-sxm", "mi300x", "l40s", "l4"]
    assert answer.result.baseline == "h100-sxm"
    assert all(r.precision == "bf16" and r.model == "llama-3.1-8b" for r in rows.values())
    # more HBM bandwidth, faster memory-bound decode at one sequence
    one = rows_of(run(registry, across="hardware", hardware=["h100-sxm", "l4"],
                      models=["llama-3.1-8b"], concurrency=1, gpus=1))
    assert one["l4"].tpot_ms > one["h100-sxm"].tpot_ms


def test_across_model_with_aliases_resolved(registry):
    rows = rows_of(run(registry, across="model", models=["llama-3.1-8b", "llama-3.1-70b"],
                       hardware=["h100-sxm"], precision="fp8"))
    assert list(rows) == ["llama-3.1-8b", "llama-3.1-70b"]
    assert rows["llama-3.1-70b"].weights_gb > 5 * rows["llama-3.1-8b"].weights_gb
    assert rows["llama-3.1-70b"].vs_baseline.weights_ratio > 5


# ---- quality -------------------------------------------------------------------------------

def test_quality_from_sourced_profiles_only(registry, h100_70b):
    q = h100_70b["int4-wo"].quality
    assert q is not None and q.source and q.profile.startswith("llama-3.1-70b-int4-wo")
    profile = registry.get("quality", q.profile)
    assert q.quantized_score == profile.quantized_score
    assert q.delta == pytest.approx(profile.quantized_score - profile.baseline_score)
    assert h100_70b["fp32"].quality is None
    assert h100_70b["fp32"].quality_summary == NO_QUALITY_DATA
    assert h100_70b["mxfp4"].quality_summary == NO_QUALITY_DATA


def test_every_quality_profile_names_a_real_model_and_scheme(registry):
    profiles = registry.all("quality")
    assert profiles
    model_ids = {m.id for m in registry.all("model")}
    for q in profiles:
        assert q.model in model_ids
        assert len(q.source) > 20 and q.as_of
        if q.recovery_pct is not None and q.baseline_score is not None:
            # the stated recovery agrees with the stated scores (rounding in the source)
            assert q.recovery_pct == pytest.approx(
                100 * q.quantized_score / q.baseline_score, abs=0.15)


# ---- input errors -------------------------------------------------------------------------

@pytest.mark.parametrize(("kw", "flag"), [
    (dict(across="bogus"), "--across"),
    (dict(hardware=["h100-sxm", "l4"]), "--hardware"),
    (dict(across="hardware", models=["llama-3.1-8b", "mistral-7b"]), "--model"),
    (dict(precisions=["bf16", "q9"]), "--precisions"),
    (dict(precisions=["int4", "awq"]), "--precisions"),
    (dict(hardware=["h100-sxm,"]), "--hardware"),
    (dict(baseline="int4-wo", precisions=["bf16", "fp8"]), "--baseline"),
    (dict(max_tpot_ms=-1), "--max-tpot"),
    (dict(max_ttft_ms=0), "--max-ttft"),
])
def test_bad_inputs_name_the_flag(registry, kw, flag):
    with pytest.raises(InputError) as err:
        run(registry, **kw)
    from inferx.cli._errors import flag_for

    assert flag_for(err.value.fields["field"]) == flag


def test_unknown_hardware_in_list(registry):
    with pytest.raises(UnknownProfileError):
        run(registry, across="hardware", hardware=["h100-sxm", "h1000"])
