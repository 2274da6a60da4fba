"""The built-in profiles' index (inferx/profile_index.py): the same profiles as the validating
loader, shipped in the wheel, rebuilt when a TOML file changes, and read instead of the files."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inferx import profile_index
from inferx.profiles import KIND_DIRS
from inferx.registry import Registry, builtin_dir, read_profile

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ("the index no longer matches profiles/: it is rebuilt from the TOML files by "
              "`python -m inferx.profile_index` (wheels: hatch_build.py at build time; "
              "checkouts: on first use, in ~/.cache/inferx; delete that folder if it is stale)")


def _same(a: object, b: object) -> bool:
    """Equal in type, values and the values' types (repr tells 80 from 80.0)."""
    return type(a) is type(b) and repr(a) == repr(b)


def test_index_in_use_matches_every_toml_file() -> None:
    """The drift test: every built-in profile the registry serves (from the index) equals, in
    values and types, the record of what validating its TOML file gives."""
    index = profile_index.builtin_index(builtin_dir())
    assert index is not None, "the built-in profiles are not indexed"
    expected = {p.relative_to(builtin_dir()).as_posix()
                for k in KIND_DIRS.values() for p in (builtin_dir() / k).glob("*.toml")}
    assert set(index.data["files"]) == expected, REGENERATE
    for kind in KIND_DIRS:
        for profile, path in index.profiles(kind):
            assert _same(profile, read_profile(path, kind).to_record()), f"{path}: {REGENERATE}"


def test_registry_reads_no_toml_file_for_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a built-in TOML file was parsed")

    profile_index.builtin_index(builtin_dir())  # built (or read) before the trap is set
    monkeypatch.setattr("inferx.registry.read_profile", refuse)
    reg = Registry.from_dirs(builtin_dir())
    assert reg.get("hardware", "h100").id == "h100-sxm"
    assert reg.get("model", "llama-3.1-8b").num_layers == 32
    assert len(reg.all("price")) > 10  # the default price's candidates, from the index


def test_user_dirs_are_still_validated(tmp_path: Path) -> None:
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "toy.toml").write_text('id = "toy"\n')
    reg = Registry.from_dirs(builtin_dir(), tmp_path)
    from inferx.errors import InvalidProfileError

    with pytest.raises(InvalidProfileError):
        reg.get("hardware", "toy")


def test_cache_is_keyed_by_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    base = tmp_path / "profiles"
    shutil.copytree(builtin_dir() / "hardware", base / "hardware")
    first = profile_index.cache_file(base)
    assert profile_index._load(base) is not None
    assert first.is_file()
    toml = base / "hardware" / "h100-sxm.toml"
    toml.write_text(toml.read_text().replace('name = "', 'name = "Edited '))
    second = profile_index.cache_file(base)
    assert second != first
    index = profile_index._load(base)
    assert index is not None
    assert second.is_file()
    assert index.find("hardware", "h100-sxm")[0].name.startswith("Edited ")
    assert not first.exists()  # the stale index of that folder is gone


def test_a_broken_builtin_leaves_the_kind_to_the_loader(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "broken.toml").write_text("not = [valid")
    assert profile_index._load(tmp_path) is None


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                    reason="hatchling not installed: cannot build the wheel")
def test_wheel_ships_the_index(tmp_path: Path) -> None:
    code = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    wheel = tmp_path / done.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as zf:
        shipped = json.loads(zf.read("inferx/_index.json"))
    fresh = profile_index.build_index(builtin_dir())
    assert shipped["profiles"] == fresh["profiles"], REGENERATE
    assert shipped["files"] == fresh["files"], REGENERATE
