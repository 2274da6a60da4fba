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


def test_registry_quote_is_kept_per_input_and_follows_each():
    """pricing.registry_quote: quote over the hardware's profiles, once per (registry,
    hardware, tier, provider, day); each of them changes the answer."""
    import datetime as dt

    from inferx.pricing import quote, registry_quote
    from inferx.registry import builtin_dir

    reg = Registry.from_dirs(builtin_dir())
    day = dt.date(2026, 12, 1)

    def q(hw="h100-sxm", tier="on-demand", provider=None, today=day, registry=reg):
        return registry_quote(registry, hw, tier=tier, provider=provider, today=today)

    first = q()
    assert q() is first  # resolved once
    assert first == quote(reg.all("price"), "h100-sxm", today=day)  # as the uncached rule
    assert q(provider="aws").profile.provider == "AWS" != first.profile.provider
    assert q(tier="spot").usd_per_gpu_hour != first.usd_per_gpu_hour
    assert q(hw="a100-80gb").profile.hardware == "a100-80gb"
    assert not any(n.code == "price_stale" for n in q(today=first.profile.as_of).notes)
    later = q(today=first.profile.as_of + dt.timedelta(days=400))
    assert [n.code for n in later.notes] == ["price_stale"] and later.label == first.label
    other = Registry.from_dirs(builtin_dir())
    assert q(registry=other) == first and q(registry=other) is not first  # per registry


def test_a_registry_with_other_prices_gets_its_own_quote(tmp_path):
    import datetime as dt

    from inferx.pricing import registry_quote

    prices = tmp_path / "prices"
    prices.mkdir()
    _price(prices, "only", "toy", on_demand=1.0)
    one = registry_quote(Registry.from_dirs(tmp_path), "toy", tier="on-demand", provider=None,
                         today=dt.date(2026, 12, 1))
    _price(prices, "only", "toy", on_demand=5.0)  # another registry reads the new file
    two = registry_quote(Registry.from_dirs(tmp_path), "toy", tier="on-demand", provider=None,
                         today=dt.date(2026, 12, 1))
    assert (one.usd_per_gpu_hour, two.usd_per_gpu_hour) == (1.0, 5.0)


def test_registry_quotes_are_bounded(monkeypatch):
    import datetime as dt

    from inferx import pricing
    from inferx.registry import builtin_dir

    monkeypatch.setattr(pricing, "MAX_QUOTES", 3)
    reg = Registry.from_dirs(builtin_dir())
    for n in range(10):
        pricing.registry_quote(reg, "h100-sxm", tier="on-demand", provider=None,
                               today=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    assert len(pricing._QUOTES) <= 3


def test_a_kept_quote_keeps_no_registry_alive():
    import datetime as dt
    import gc
    import weakref

    from inferx.pricing import registry_quote
    from inferx.registry import builtin_dir

    reg = Registry.from_dirs(builtin_dir())
    registry_quote(reg, "h100-sxm", tier="on-demand", provider=None, today=dt.date(2026, 1, 1))
    gone = weakref.ref(reg)
    del reg
    gc.collect()
    assert gone() is None
