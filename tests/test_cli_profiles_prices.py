"""`inferx profiles list prices`: hardware, provider, tier and $/GPU-h, in JSON and in the table;
the shipped prices span at least 20 providers and price every rented datacenter accelerator."""

from __future__ import annotations

from inferx.registry import Registry, builtin_dir
from inferx.render.views.profiles import tables

TIERS = {"on-demand", "reserved-1y", "reserved-3y", "spot", "capacity-block"}
# Datacenter accelerators a stored source shows rented at a dated on-demand price. (Not priced:
# GB300 and MI355X - 'contact sales' only; Gaudi 2/3, TPU7x, Trainium2 - no dated public price
# found; H20/L20/H800/A800 - China-market parts.)
RENTED_ON_DEMAND = ("a10", "a10g", "a100-40gb", "a100-80gb", "a100-80gb-pcie", "b200", "b300",
                    "gb200", "gh200", "h100-nvl", "h100-pcie", "h100-sxm", "h200", "inferentia2",
                    "l4", "l40", "l40s", "mi300x", "mi325x", "t4", "tpu-v4", "tpu-v5e", "tpu-v5p",
                    "tpu-v6e", "trainium", "v100-sxm2-16gb")


def test_list_prices_json_rows_carry_hardware_provider_and_tier_prices(invoke) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "list", "prices", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = payload["data"]["rows"]
    assert rows
    for row in rows:
        price = row["price"]
        assert price["hardware"] and price["provider"], row["id"]
        assert price["usd_per_gpu_hour"] and set(price["usd_per_gpu_hour"]) <= TIERS, row["id"]
        assert all(usd > 0 for usd in price["usd_per_gpu_hour"].values()), row["id"]


def test_list_prices_table_has_one_line_per_published_tier() -> None:
    row = {"kind": "price", "id": "p1", "name": "P1", "as_of": "2026-01-01", "origin": "built-in",
           "price": {"hardware": "h100-sxm", "provider": "ACME", "region": "eu", "instance": None,
                     "gpus_per_instance": 8,
                     "usd_per_gpu_hour": {"on-demand": 3.5, "spot": 1.25}}}
    other = {"kind": "hardware", "id": "h1", "name": "H1", "as_of": "2026-01-01",
             "origin": "built-in"}
    specs = tables({"subcommand": "list", "rows": [row, other]})
    prices = next(s for s in specs if "price" in s.title)
    assert prices.columns[:4] == ["hardware", "provider", "tier", "$/GPU-h"]
    assert [r[:4] for r in prices.rows] == [["h100-sxm", "ACME", "on-demand", "3.5"],
                                           ["h100-sxm", "ACME", "spot", "1.25"]]
    assert any(s.rows == [["h1", "hardware", "H1", "2026-01-01", "built-in"]] for s in specs)


def test_prices_come_from_at_least_twenty_providers_for_known_hardware() -> None:
    reg = Registry.from_dirs(builtin_dir())
    prices = reg.all("price")
    assert len({p.provider for p in prices}) >= 20
    hardware = {h.id for h in reg.all("hardware")}
    assert all(p.hardware in hardware for p in prices)


def test_every_rented_datacenter_accelerator_has_a_dated_on_demand_price() -> None:
    reg = Registry.from_dirs(builtin_dir())
    priced = {p.hardware for p in reg.all("price") if p.on_demand_usd_per_gpu_hour is not None}
    assert not set(RENTED_ON_DEMAND) - priced
