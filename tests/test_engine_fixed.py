"""Fixed (non-LLM) workloads: roofline per batch, throughput, cost per 1k inferences; and the
180-day price-staleness warning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inferx.api import PRICE_MAX_AGE_DAYS, estimate
from inferx.engine import fixed
from inferx.inputs import EstimateRequest
from inferx.registry import Registry, builtin_dir

TODAY = dt.date(2026, 11, 1)


def test_batch_roofline_worked_by_hand() -> None:
    # 4 inferences x 10 GFLOPs on 100 TFLOPS at 50%: 4e10 / 5e13 = 0.8 ms compute
    # 100 MB weights + 4 x 10 MB activations at 1000 GB/s at 50%: 1.4e8 / 5e11 = 0.28 ms
    # + 1 ms overhead → 1.8 ms; 2 GPUs x 4 / 1.8 ms = 4444.4 inferences/s
    perf = fixed.fixed_batch_performance(
        gflops_per_inference=10, weights_bytes=100e6, activation_bytes_per_inference=10e6,
        batch=4, gpus=2, peak_flops=100e12, bandwidth_bytes_per_s=1000e9,
        compute_efficiency=0.5, bandwidth_efficiency=0.5, overhead_s=1e-3)
    assert perf.time.compute_s == pytest.approx(0.8e-3)
    assert perf.time.memory_s == pytest.approx(0.28e-3)
    assert perf.time.bound == "compute"
    assert perf.latency_s == pytest.approx(1.8e-3)
    assert perf.inferences_per_s == pytest.approx(8 / 1.8e-3)
    # $4/hour over 4444.4 inferences/s: 4 / (4444.4 x 3600) x 1000 = $0.00025 per 1k
    assert fixed.usd_per_thousand_inferences(usd_per_hour=4.0, inferences_per_s=8 / 1.8e-3) \
        == pytest.approx(2.5e-4)
    assert fixed.joules_per_inference(power_w=150, inferences_per_s=100) == 1.5


def test_memory_bound_at_batch_one() -> None:
    # 1 inference of 0.1 GFLOPs vs 1 GB of weights: the weights stream dominates
    perf = fixed.fixed_batch_performance(
        gflops_per_inference=0.1, weights_bytes=1e9, activation_bytes_per_inference=0,
        batch=1, gpus=1, peak_flops=100e12, bandwidth_bytes_per_s=1000e9,
        compute_efficiency=1, bandwidth_efficiency=1, overhead_s=0)
    assert perf.time.bound == "memory" and perf.latency_s == pytest.approx(1e-3)


def test_max_batch_that_fits() -> None:
    # (1 GB usable - 100 MB weights) / 10 MB = 90, capped at 64
    kw = {"usable_bytes": 1e9, "weights_bytes": 100e6, "activation_bytes_per_inference": 10e6}
    assert fixed.max_batch_that_fits(**kw, limit=64) == 64
    assert fixed.max_batch_that_fits(**kw, limit=1000) == 90
    assert fixed.max_batch_that_fits(usable_bytes=1e8, weights_bytes=2e8,
                                     activation_bytes_per_inference=1e6, limit=64) == 0
    assert fixed.max_batch_that_fits(usable_bytes=1e9, weights_bytes=1e8,
                                     activation_bytes_per_inference=0, limit=64) == 64


@given(batch=st.integers(1, 512), gflops=st.floats(0.01, 100), act_mb=st.floats(0, 100))
def test_bigger_batches_never_lower_throughput_or_latency(batch: int, gflops: float,
                                                          act_mb: float) -> None:
    def run(b: int) -> fixed.FixedPerformance:
        return fixed.fixed_batch_performance(
            gflops_per_inference=gflops, weights_bytes=1e8,
            activation_bytes_per_inference=act_mb * 1e6, batch=b, gpus=1, peak_flops=1e14,
            bandwidth_bytes_per_s=1e12, compute_efficiency=0.5, bandwidth_efficiency=0.8,
            overhead_s=1e-3)

    small, big = run(batch), run(batch + 1)
    assert big.inferences_per_s >= small.inferences_per_s * (1 - 1e-12)
    assert big.latency_s >= small.latency_s


# --- through api.estimate with synthetic profiles ------------------------------------------

TOY_GPU = """schema_version = 1
kind = "hardware"
id = "toy-gpu"
name = "Toy GPU"
vendor = "Test"
memory_gb = 10
memory_bandwidth_gb_per_s = 1000
peak_tflops = { bf16 = 100 }
tdp_w = 100
source = "synthetic test profile"
as_of = 2026-01-01
"""
TOY_MODEL = """schema_version = 1
kind = "model"
id = "toy-classifier"
name = "Toy classifier"
architecture = "fixed"
gflops_per_inference = 10
weights_mb = 100
activation_mb_per_inference = 10
workload_unit = "image"
source = "synthetic test profile"
as_of = 2026-01-01
"""
PRICE = """schema_version = 1
kind = "price"
id = "{id}"
name = "Synthetic price"
provider = "Test cloud"
hardware = "{hardware}"
on_demand_usd_per_gpu_hour = 2.0
source = "synthetic test profile"
as_of = {as_of}
"""


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    for sub, name, text in (("hardware", "toy-gpu", TOY_GPU), ("models", "toy-classifier",
                                                                  TOY_MODEL)):
        (tmp_path / sub).mkdir(exist_ok=True)
        (tmp_path / sub / f"{name}.toml").write_text(text)
    return tmp_path


def add_price(base: Path, pid: str, hardware: str, as_of: dt.date) -> None:
    (base / "prices").mkdir(exist_ok=True)
    (base / "prices" / f"{pid}.toml").write_text(
        PRICE.format(id=pid, hardware=hardware, as_of=as_of.isoformat()))


ASSUME = {"compute_efficiency": 0.5, "bandwidth_efficiency": 0.5, "step_overhead_ms": 1.0,
          "power_fraction_of_tdp": 0.75, "pue": 1.0}


def test_api_estimate_answers_for_a_fixed_workload(toy_dir: Path) -> None:
    add_price(toy_dir, "toy-price", "toy-gpu", TODAY)
    reg = Registry.from_dirs(toy_dir)
    answer = estimate(EstimateRequest(model="toy-classifier", hardware="toy-gpu", gpus=2,
                                      concurrency=4, price="toy-price", assume=ASSUME),
                      reg, today=TODAY)
    r = answer.result
    assert r.workload_kind == "fixed"
    assert (r.inputs.gpus, r.inputs.batch_size, r.inputs.compute_dtype) == (2, 4, "bf16")
    assert r.latency.latency_ms == pytest.approx(1.8)  # worked in the first test
    assert r.throughput.inferences_per_s == pytest.approx(4444.44, rel=1e-5)
    assert r.cost.usd_per_hour == 4.0
    assert r.cost.usd_per_thousand_inferences == pytest.approx(2.5e-4)
    # 100 W x 0.75 x 2 GPUs = 150 W over 4444.4 inferences/s
    assert r.energy.power_w == 150 and r.energy.joules_per_inference == pytest.approx(0.03375)
    # memory: 0.1 GB weights + 4 x 0.01 GB activations + 1 GB runtime overhead
    assert r.memory.total_gb_per_gpu == pytest.approx(1.14) and r.memory.fits
    assert [w.code for w in answer.warnings if w.code == "price_stale"] == []


def test_fixed_workload_max_concurrency_and_does_not_fit(toy_dir: Path) -> None:
    reg = Registry.from_dirs(toy_dir)
    ans = estimate(EstimateRequest(model="toy-classifier", hardware="toy-gpu",
                                   concurrency="max", gpu_hour_price=1.0), reg, today=TODAY)
    # usable = 10 GB x 0.9 - 1 GB = 8 GB; (8 GB - 0.1 GB) / 10 MB = 790, capped at 256
    assert ans.result.memory.max_batch_size == 256 and ans.result.inputs.batch_size == 256
    ans = estimate(EstimateRequest(model="toy-classifier", hardware="toy-gpu",
                                   concurrency=1000, gpu_hour_price=1.0), reg, today=TODAY)
    assert not ans.result.memory.fits and ans.result.latency.latency_ms is None
    assert "does_not_fit" in [w.code for w in ans.warnings]


def test_cli_estimate_fixed_workload_json_and_table(invoke, toy_dir: Path) -> None:  # noqa: ANN001
    args = ("--profiles-dir", str(toy_dir), "estimate", "--model", "toy-classifier",
            "--hardware", "toy-gpu", "--concurrency", "4", "--gpu-hour-price", "2")
    result, payload = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert payload["data"]["workload_kind"] == "fixed"
    assert payload["data"]["cost"]["usd_per_thousand_inferences"] > 0
    result, _ = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert "$ per 1,000 inferences" in result.stdout
    result, _ = invoke(*args, "--format", "csv")
    assert "throughput.inferences_per_s" in result.stdout.splitlines()[0]


def test_builtin_resnet50_estimates(registry: Registry) -> None:
    ans = estimate(EstimateRequest(model="resnet-50", hardware="l4", concurrency=8,
                                   gpu_hour_price=1.0), registry, today=TODAY)
    assert ans.result.throughput.inferences_per_s > 0
    # torchvision's 4.089 'GFLOPS' are multiply-adds: 2 FLOPs each
    assert ans.result.workload.gflops_per_inference == pytest.approx(2 * 4.089)


# --- price staleness (180 days) --------------------------------------------------------------


@pytest.mark.parametrize(("age_days", "stale"), [(PRICE_MAX_AGE_DAYS + 1, True),
                                                 (PRICE_MAX_AGE_DAYS, False), (10, False)])
def test_old_price_profile_warns_price_stale(tmp_path: Path, age_days: int, stale: bool,
                                             invoke) -> None:  # noqa: ANN001
    add_price(tmp_path, "old-h100-price", "h100-sxm", TODAY - dt.timedelta(days=age_days))
    reg = Registry.from_dirs(builtin_dir(), tmp_path)
    answer = estimate(EstimateRequest(model="llama-3.1-8b", hardware="h100",
                                      price="old-h100-price"), reg, today=TODAY)
    codes = [w.code for w in answer.warnings]
    assert ("price_stale" in codes) is stale
    if stale:
        [w] = [w for w in answer.warnings if w.code == "price_stale"]
        assert "old-h100-price" in w.message and f"{age_days} days" in w.message
        # and it reaches the JSON envelope's warnings (today is the real date there: older still)
        result, payload = invoke("--profiles-dir", str(tmp_path), "estimate", "--model",
                                 "llama-3.1-8b", "--price", "old-h100-price", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert "price_stale" in [w["code"] for w in payload["warnings"]]
        assert json.loads(result.stdout)["status"] == "ok"
