"""Registry: resolution, case-insensitive aliases, look-up order and overrides, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from inferx.errors import UnknownProfileError
from inferx.registry import ENV_PATH, Registry, builtin_dir, search_path, user_dir

HW = """schema_version = 1
kind = "hardware"
id = "{id}"
aliases = {aliases}
name = "{name}"
vendor = "Test"
memory_gb = {memory}
memory_bandwidth_gb_per_s = 1000
peak_tflops = {{ bf16 = 100 }}
source = "synthetic test profile"
as_of = 2026-01-01
"""


def write_hw(base: Path, pid: str, *, name: str = "Toy GPU", memory: float = 10,
             aliases: list[str] | None = None) -> Path:
    path = base / "hardware" / f"{pid}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    alias_toml = "[" + ", ".join(f'"{a}"' for a in aliases or []) + "]"
    path.write_text(HW.format(id=pid, aliases=alias_toml, name=name, memory=memory))
    return path


def test_builtin_ids_and_aliases_resolve_case_insensitively(registry: Registry) -> None:
    h100 = registry.get("hardware", "h100-sxm")
    assert registry.get("hardware", "H100") is h100
    assert registry.get("hardware", "  H100-SXM-80GB ") is h100
    model = registry.get("model", "META-LLAMA/LLAMA-3.1-8B")
    assert model.id == "llama-3.1-8b"


def test_unknown_id_suggests_near_matches(registry: Registry) -> None:
    with pytest.raises(UnknownProfileError) as info:
        registry.get("hardware", "h100-sxm-80")
    assert "h100-sxm" in info.value.fields["suggestions"]
    assert "did you mean" in str(info.value)
    with pytest.raises(KeyError):  # callers may catch the built-in type
        registry.get("model", "llama-9.9-1t")


def test_unknown_id_substring_suggestion(tmp_path: Path) -> None:
    write_hw(tmp_path, "alpha-accelerator-9000")
    reg = Registry.from_dirs(tmp_path)
    with pytest.raises(UnknownProfileError) as info:
        reg.get("hardware", "9000")
    assert info.value.fields["suggestions"] == ["alpha-accelerator-9000"]


def test_user_xdg_dir_overrides_a_builtin_id(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_dir() == tmp_path / "inferx" / "profiles"
    builtin = Registry.from_dirs(builtin_dir()).get("hardware", "h100-sxm")
    write_hw(user_dir(), "h100-sxm", name="My H100", memory=123, aliases=["my-h100"])
    reg = Registry.default()
    entry = reg.entry("hardware", "h100-sxm")
    assert (entry.profile.name, entry.profile.memory_gb, entry.origin) == ("My H100", 123, "user")
    assert reg.get("hardware", "my-h100") is entry.profile
    assert builtin.memory_gb != 123
    # the other built-ins are still there
    assert reg.get("hardware", "a100-80gb").id == "a100-80gb"


def test_search_order_builtin_user_env_then_profiles_dir(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    xdg, env1, env2, cli = (tmp_path / n for n in ("xdg", "env1", "env2", "cli"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    monkeypatch.setenv(ENV_PATH, f"{env1}{__import__('os').pathsep}{env2}")
    labels = [label for label, _ in search_path(cli)]
    assert labels == ["built-in", "user", ENV_PATH, ENV_PATH, "--profiles-dir"]
    assert [d for _, d in search_path(cli)][1:] == [xdg / "inferx" / "profiles", env1, env2, cli]

    write_hw(xdg / "inferx" / "profiles", "toy", name="from user", memory=1)
    write_hw(env1, "toy", name="from env1", memory=2)
    assert Registry.default().get("hardware", "toy").name == "from env1"
    write_hw(env2, "toy", name="from env2", memory=3)
    assert Registry.default().get("hardware", "toy").name == "from env2"
    write_hw(cli, "toy", name="from --profiles-dir", memory=4)
    assert Registry.default(cli).get("hardware", "toy").name == "from --profiles-dir"
    assert Registry.default().get("hardware", "toy").name == "from env2"  # no flag, no override


def test_missing_directories_are_skipped(tmp_path: Path) -> None:
    reg = Registry.from_dirs(tmp_path / "does-not-exist", builtin_dir())
    assert reg.get("hardware", "h100").id == "h100-sxm"


def test_an_id_wins_over_another_profiles_alias(tmp_path: Path) -> None:
    write_hw(tmp_path, "aaa", aliases=["bbb"])
    write_hw(tmp_path, "bbb")
    assert Registry.from_dirs(tmp_path).get("hardware", "bbb").id == "bbb"


def test_loading_is_lazy(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "broken.toml").write_text("not = [valid")
    write_hw(tmp_path, "toy")
    reg = Registry.from_dirs(tmp_path)
    assert reg.get("hardware", "toy").id == "toy"  # the broken model file is never read
