"""Which GPU-hour price an estimate uses when none is named."""

from __future__ import annotations

from pathlib import Path

from inferx.api import estimate
from inferx.inputs import EstimateRequest
from inferx.pricing import default_profile
from inferx.registry import Registry


def _price(folder: Path, pid: str, hardware: str, **prices: float) -> None:
    lines = [f'id = "{pid}"', 'kind = "price"', f'name = "{pid}"', 'provider = "test"',
             f'hardware = "{hardware}"', 'source = "unit test"', "as_of = 2026-11-01"]
    lines += [f"{k}_usd_per_gpu_hour = {v}" for k, v in prices.items()]
    (folder / f"{pid}.toml").write_text("\n".join(lines) + "\n")


def test_default_price_is_the_median_published_price(tmp_path):
    prices = tmp_path / "prices"
    prices.mkdir()
    _price(prices, "cheap", "toy", on_demand=1.0, spot=0.3)
    _price(prices, "middle", "toy", on_demand=2.0)
    _price(prices, "dear", "toy", on_demand=9.0, spot=4.0)
    reg = Registry.from_dirs(tmp_path)
    assert default_profile(reg.all("price"), "toy").id == "middle"
    assert default_profile(reg.all("price"), "toy", "spot").id == "cheap"  # the cheapest spot offer
    assert default_profile(reg.all("price"), "other") is None


def test_estimate_names_the_price_it_used(registry):
    r = estimate(EstimateRequest(model="llama-3.1-8b", hardware="h100-sxm"), registry).result
    chosen = default_profile(registry.all("price"), "h100-sxm")
    assert r.inputs.price == chosen.id
    assert r.cost.usd_per_gpu_hour == chosen.on_demand_usd_per_gpu_hour
    ranked = sorted(p.on_demand_usd_per_gpu_hour for p in registry.all("price")
                    if p.hardware == "h100-sxm" and p.on_demand_usd_per_gpu_hour)
    assert ranked[0] <= r.cost.usd_per_gpu_hour <= ranked[-1]
    assert r.cost.usd_per_gpu_hour == ranked[(len(ranked) - 1) // 2]
