"""Every shipped profile validates, carries source and as_of, and has a unique id and aliases;
decoder models' computed parameter counts agree with their stated ones; the wheel ships them."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inferx.engine.architecture import kv_cache_bytes_per_token, param_counts
from inferx.profiles import KIND_DIRS, KINDS, ModelProfile
from inferx.registry import Registry, builtin_dir, read_profile, validate_all

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(builtin_dir().rglob("*.toml"))


def test_there_are_builtin_profiles() -> None:
    counts = {k: len(list((builtin_dir() / KIND_DIRS[k]).glob("*.toml"))) for k in KINDS}
    assert counts["hardware"] >= 1 and counts["model"] >= 1, counts


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_shipped_profile_validates_with_source_and_date(path: Path) -> None:
    profile = read_profile(path)
    assert profile.id == path.stem
    assert len(profile.source.strip()) >= 3
    assert isinstance(profile.as_of, dt.date)
    assert dt.date(2015, 1, 1) <= profile.as_of <= dt.date.today() + dt.timedelta(days=1)
    assert path.parent.name == KIND_DIRS[profile.kind]


def test_no_problems_across_all_builtin_files() -> None:
    checked, problems = validate_all(paths=[builtin_dir()])
    assert checked == len(FILES)
    assert problems == [], "\n".join(map(str, problems))


def test_ids_and_aliases_unique_within_each_kind(registry: Registry) -> None:
    for kind in KINDS:
        owner: dict[str, str] = {}
        for p in registry.all(kind):
            for name in p.names():
                assert owner.setdefault(name, p.id) == p.id, (
                    f"{kind} name {name!r} used by {owner[name]} and {p.id}")


def test_ids_unique_across_kinds(registry: Registry) -> None:
    """`inferx profiles show ID` searches every kind: an id must name one profile."""
    seen: dict[str, str] = {}
    for kind in KINDS:
        for p in registry.all(kind):
            assert seen.setdefault(p.id, kind) == kind, f"id {p.id} is a {seen[p.id]} and a {kind}"


def _decoders_with_stated_params() -> list[ModelProfile]:
    reg = Registry.from_dirs(builtin_dir())
    return [m for m in reg.all("model")
            if m.architecture in ("decoder", "encoder-decoder") and m.params_b]


@pytest.mark.parametrize("model", _decoders_with_stated_params(), ids=lambda m: m.id)
def test_computed_params_within_2_percent_of_stated(model: ModelProfile) -> None:
    computed_b = param_counts(model).total / 1e9
    assert computed_b == pytest.approx(model.params_b, rel=0.02), (
        f"{model.id}: computed {computed_b:.3f}B vs stated {model.params_b}B")


def test_deepseek_v3_kv_cache_holds_the_latent(registry: Registry) -> None:
    m = registry.get("model", "deepseek-v3")
    assert m.attention == "mla"
    expected = m.num_layers * (m.kv_lora_rank + m.qk_rope_head_dim) * 2
    assert kv_cache_bytes_per_token(m, kv_bytes_per_element=2) == expected
    # DeepSeek-V3 config: 61 layers, kv_lora_rank 512, qk_rope_head_dim 64 (models.md)
    assert expected == 61 * (512 + 64) * 2 == 70_272


def _can_build() -> bool:
    return importlib.util.find_spec("hatchling") is not None


@pytest.mark.skipif(not _can_build(), reason="hatchling not installed: cannot build the wheel")
def test_wheel_ships_every_profile(tmp_path: Path) -> None:
    """Build the wheel with the hatchling backend (no network) and list its TOML files."""
    code = ("import sys, hatchling.build as b; "
            "print(b.build_wheel(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    wheel = tmp_path / done.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.endswith(".toml")}
    expected = {f"inferx/profiles/{p.relative_to(builtin_dir()).as_posix()}" for p in FILES}
    assert expected <= shipped
    assert all(n.startswith("inferx/profiles/") for n in shipped)
