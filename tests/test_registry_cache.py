"""Registry.default() is kept for the process, keyed so that each test's own profile
directories (INFERX_PROFILES_PATH, XDG_CONFIG_HOME, --profiles-dir) are seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inferx.registry import ENV_PATH, Registry


def write_hw(base: Path, pid: str, *, name: str) -> None:
    path = base / "hardware" / f"{pid}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'id = "{pid}"\nname = "{name}"\nvendor = "Toy"\nmemory_gb = 10\n'
                    'memory_bandwidth_gb_per_s = 100\nsource = "https://example.com"\n'
                    "as_of = 2025-01-01\n")


def test_default_registry_is_kept() -> None:
    assert Registry.default() is Registry.default()


def test_changed_env_or_added_file_gives_a_fresh_registry(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = Registry.default()
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "env"))
    second = Registry.default()
    assert second is not first
    write_hw(tmp_path / "env", "toy", name="added later")
    third = Registry.default()
    assert third is not second
    assert third.get("hardware", "toy").name == "added later"
    write_hw(tmp_path / "env", "toy2", name="another")
    assert Registry.default().get("hardware", "toy2").name == "another"
    assert Registry.default(tmp_path / "cli") is not Registry.default()


def test_clear_cache() -> None:
    first = Registry.default()
    Registry.clear_cache()
    assert Registry.default() is not first


def test_prices_for_gives_the_resolver_the_same_answer_as_every_price() -> None:
    """scenario.build hands the price resolver only the hardware's own price profiles
    (Registry.prices_for): the quote is the one the whole list gives, for every built-in
    hardware, tier and provider filter."""
    import datetime as dt

    from inferx.errors import InputError
    from inferx.pricing import quote
    from inferx.pricing_tiers import TIERS
    from inferx.registry import builtin_dir

    registry = Registry.from_dirs(builtin_dir())
    every = registry.all("price")
    today = dt.date(2026, 12, 1)
    compared = 0
    for hw in registry.all("hardware"):
        own = registry.prices_for(hw.id)
        assert all(p.hardware == hw.id for p in own)
        for tier in TIERS:
            for provider in (None, "aws", "runpod"):
                try:
                    want = quote(every, hw.id, tier=tier, provider=provider, today=today)
                except InputError as exc:
                    with pytest.raises(InputError, match=re.escape(exc.message)):
                        quote(own, hw.id, tier=tier, provider=provider, today=today)
                    continue
                assert quote(own, hw.id, tier=tier, provider=provider, today=today) == want
                compared += 1
    assert compared > 100
    own = registry.prices_for("h100-sxm")
    own.clear()  # a caller's copy: the registry's grouping is untouched
    assert registry.prices_for("h100-sxm")
