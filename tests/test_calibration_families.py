"""Hardware family, model family and serving mode of a scenario (calibration/families.py)."""

from __future__ import annotations

import pytest

from inferx.calibration.families import (
    HARDWARE_FAMILIES,
    hardware_family,
    model_family,
    serving_mode,
)
from inferx.profiles import HardwareProfile


def _hw(**kw) -> HardwareProfile:
    base = {"schema_version": 1, "id": "x", "name": "X", "vendor": "NVIDIA", "memory_gb": 80,
            "memory_bandwidth_gb_per_s": 1000, "source": "https://example.com",
            "as_of": "2025-01-01"}
    return HardwareProfile.model_validate({**base, **kw})


@pytest.mark.parametrize(("hw_id", "family"), [
    ("h100-sxm", "NVIDIA Hopper"), ("h200", "NVIDIA Hopper"), ("gh200", "NVIDIA Hopper"),
    ("h20", "NVIDIA Hopper"), ("a100-80gb", "NVIDIA Ampere"), ("a10g", "NVIDIA Ampere"),
    ("rtx-3090", "NVIDIA Ampere"), ("rtx-a6000", "NVIDIA Ampere"), ("l40s", "NVIDIA Ada"),
    ("l4", "NVIDIA Ada"), ("rtx-4090", "NVIDIA Ada"), ("b200", "NVIDIA Blackwell"),
    ("gb300", "NVIDIA Blackwell"), ("rtx-5090", "NVIDIA Blackwell"),
    ("rtx-pro-6000-blackwell", "NVIDIA Blackwell"), ("dgx-spark", "NVIDIA Blackwell"),
    ("t4", "NVIDIA Turing"), ("v100-sxm2-16gb", "NVIDIA Volta"), ("mi300x", "AMD CDNA3"),
    ("mi325x", "AMD CDNA3"), ("mi355x", "AMD CDNA4"), ("mi250x", "AMD CDNA2"),
    ("apple-m3-max", "Apple silicon"), ("gaudi2", "Intel Gaudi"), ("gaudi3", "Intel Gaudi"),
    ("arc-pro-b60", "Intel Xe"), ("tpu-v6e", "Google TPU"), ("tpu-v7", "Google TPU"),
    ("trainium", "AWS Trainium/Inferentia"), ("inferentia2", "AWS Trainium/Inferentia"),
    ("epyc-9654", "CPU"),
])
def test_builtin_hardware_families(registry, hw_id, family):
    assert hardware_family(registry.get("hardware", hw_id)) == family


def test_every_builtin_profile_has_a_named_family(registry):
    got = {h.id: hardware_family(h) for h in registry.all("hardware")}
    assert set(got.values()) <= set(HARDWARE_FAMILIES)
    assert not [i for i, f in got.items() if f.endswith("other")]


def test_family_is_deterministic_and_reads_vendor_name_and_year():
    assert hardware_family(_hw(name="NVIDIA H100 NVL")) == "NVIDIA Hopper"
    # no generation in the name: the launch year decides, and only for NVIDIA
    assert hardware_family(_hw(name="NVIDIA Mystery", launch_year=2025)) == "NVIDIA Blackwell"
    assert hardware_family(_hw(name="NVIDIA Mystery", launch_year=2021)) == "NVIDIA Ampere"
    assert hardware_family(_hw(name="NVIDIA Mystery")) == "NVIDIA other"
    assert hardware_family(_hw(vendor="AMD", name="AMD Instinct MI300A")) == "AMD CDNA3"
    assert hardware_family(_hw(vendor="AMD", name="AMD Radeon RX 7900 XT")) == "AMD RDNA"
    assert hardware_family(_hw(vendor="Intel", name="Intel Xeon 6980P",
                               device_type="cpu")) == "CPU"
    assert hardware_family(_hw(vendor="Acme", name="Acme NPU", device_type="npu")) == "Acme npu"
    h = _hw(name="NVIDIA GeForce RTX 4080")
    assert hardware_family(h) == hardware_family(h) == "NVIDIA Ada"


def test_model_family_marks_mixture_of_experts(registry):
    assert model_family(registry.get("model", "llama-3.1-8b")) == "llama"
    assert model_family(registry.get("model", "llama-4-scout")) == "llama-moe"
    assert model_family(registry.get("model", "mixtral-8x7b")) == "mistral-moe"
    assert model_family(registry.get("model", "deepseek-v3")) == "deepseek-moe"


@pytest.mark.parametrize(("args", "mode"), [
    (("static",), "static"), (("max",), "max"), (("concurrency",), "clients"),
    (("rate", 2.0), "rate"), (("rate", 2.0, 500), "rate"), (("rate", float("inf"), 100), "burst"), (("rate", float("inf")), "burst"),
])
def test_serving_mode(args, mode):
    assert serving_mode(*args) == mode
