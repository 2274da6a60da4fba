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


def test_the_search_path_is_resolved_once_per_environment(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Registry.default() keeps search_path's answer per (INFERX_PROFILES_PATH,
    XDG_CONFIG_HOME, HOME, profiles_dir); each of them changes the registry's directories."""
    from inferx import registry as registry_module
    from inferx.registry import search_path

    base = Registry.default()
    assert [d for _, d in base.dirs] == [d for _, d in search_path()]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert Registry.default().dirs[1][1] == tmp_path / "xdg" / "inferx" / "profiles"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Registry.default().dirs[1][1] == tmp_path / "home" / ".config" / "inferx" / "profiles"
    monkeypatch.setenv(ENV_PATH, "~/mine")
    assert Registry.default().dirs[-1][1] == tmp_path / "home" / "mine"
    assert len(registry_module._PATHS) <= registry_module._MAX_DEFAULTS


def test_stamps_are_those_of_each_folder(tmp_path: Path) -> None:
    import os

    from inferx.profiles import KIND_DIRS
    from inferx.registry import _stamp

    def plain(base: Path) -> tuple[int, ...]:
        out = []
        for folder in (base, *(base / d for d in KIND_DIRS.values())):
            out.append(os.stat(folder).st_mtime_ns if folder.exists() else -1)
        return tuple(out)

    assert _stamp(tmp_path / "missing") == plain(tmp_path / "missing")
    assert _stamp(tmp_path) == plain(tmp_path)
    write_hw(tmp_path, "toy", name="toy")
    assert _stamp(tmp_path) == plain(tmp_path) and _stamp(str(tmp_path)) == _stamp(tmp_path)
    assert _stamp(tmp_path)[1 + list(KIND_DIRS).index("hardware")] != -1
