"""measurements_2026.csv: the measurement-semantics columns and what the harness does with
them (serving mode per `arrival`; rows the engine cannot replay skipped with a reason)."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from inferx.calibration.harness import CannotEstimate, resolve
from inferx.calibration.measurements import read_csv
from inferx.calibration.semantics import classify_arrival

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"


@pytest.fixture(scope="module")
def rows():
    return {r.case_id: r for r in read_csv(DATA / "measurements_2026.csv")}


def test_every_row_is_read(rows):
    assert len(rows) == 1153
    assert Counter(r.arrival for r in rows.values()) == {
        "max": 597, "static": 473, "closed_loop": 53, "rate": 30}


@pytest.mark.parametrize(("arrival", "value", "n", "expected"), [
    ("static", "8", None, ("static", 8, None)),
    ("max", "max", 30000, ("max", None, None)),
    ("max", "3200", None, ("max", 3200, None)),
    ("closed_loop", "64", None, ("concurrency", 64, None)),
    ("rate", "qps=2.5", 600, ("rate", None, 2.5)),
    ("burst", "100", None, ("rate", 100, math.inf)),
])
def test_arrival_maps_to_a_serving_mode(arrival, value, n, expected):
    assert classify_arrival(arrival, value, n) == expected


def test_bad_arrival_names_the_column():
    with pytest.raises(ValueError, match="arrival"):
        classify_arrival("poisson", "qps=1", None)
    with pytest.raises(ValueError, match="qps"):
        classify_arrival("rate", "64", None)


def test_rate_with_a_request_count_is_a_finite_run(rows):
    r = rows["y_dcrsglang_013"]
    assert (r.batch_mode, r.request_rate, r.num_requests) == ("rate", 1.0, 300)
    assert rows["y_xdai_001"].input_tokens == 0  # llama-bench tg: empty prompt


def _reason(row, registry) -> str:
    with pytest.raises(CannotEstimate) as exc:
        resolve(row, registry)
    return str(exc.value)


@pytest.mark.parametrize(("case", "reason"), [
    ("y_trtr1blog_001", "without a stated acceptance length"),
    ("y_morehmi300x_001", "disaggregation"),
    ("y_lmsysgb200_001", "disaggregation"),
    ("y_dcrsglang_001", "weight precision not stated by the source"),
    ("y_geerling_001", "output length not stated by the source"),
])
def test_rows_the_engine_cannot_replay_say_why(rows, registry, case, reason):
    assert reason in _reason(rows[case], registry)


def test_expert_data_and_pipeline_parallel_rows_replay_their_layout(rows, registry):
    """EP, attention-DP and PP rows (issue 10) resolve into the engine's deployment; those
    that cannot say why (a missing profile or figure, an unstated length or precision)."""
    from inferx.calibration.harness import predict
    from inferx.engine import Assumptions

    resolved, reasons = [], Counter()
    for r in rows.values():
        par = r.parallelism.split()
        if not any(p.startswith(("ep", "dp", "pp")) and p != "pp1" for p in par):
            continue
        try:
            resolved.append(resolve(r, registry))
        except CannotEstimate as exc:
            reasons[str(exc).split(" (")[0][:40]] += 1
    assert len(resolved) > 50, reasons
    assert all(s.deployment is not None and not s.deployment.plain_tp for s in resolved)
    # One row per (hardware, layout): rows on a profile that declares a needed peak
    # unpublished resolve but are not predicted (RTX PRO 6000 Server Edition).
    sample = list({(s.hardware.id, s.row.parallelism): s for s in resolved}.values())[:20]
    predicted = [predict(s, Assumptions()) for s in sample]
    assert sum(bool(p.values) for p in predicted) >= 10


def test_a_multi_node_row_crosses_the_network(rows, registry):
    """tp16 over two 8-GPU H200 boxes: estimated, its all-reduce on the scale-out link."""
    s = resolve(rows["y_dcrsglang_013"], registry)
    assert s.deployment is None and s.row.gpus == 16


def test_supported_rows_resolve_with_their_groups(rows, registry):
    s = resolve(rows["y_gaudi3_001"], registry)
    assert (s.hardware_family, s.serving_mode, s.engine) == ("Intel Gaudi", "static",
                                                             "optimum-habana")


def test_neuron_layouts_counted_in_cores_replay_over_chips(rows, registry):
    """tp32 over 16 Trainium chips (2 NeuronCores each) is TP 16 over the chips; tp24 over 12
    Inferentia2 chips cannot split 32 heads evenly: a layout the harness does not replay."""
    s = resolve(rows["y_neuron218_049"], registry)
    assert s.deployment is None and s.row.gpus == 16 and s.row.parallelism == "tp32"
    inf2 = next(r for r in rows.values() if r.hardware == "Inferentia2" and r.parallelism == "tp24")
    with pytest.raises(CannotEstimate, match=r"^layout 'tp24' replayed over 12 devices"):
        resolve(inf2, registry)
