"""A corpus of broken profiles: each is refused, naming the file and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inferx.errors import InvalidProfileError
from inferx.registry import Registry, read_profile, validate_all

BROKEN = Path(__file__).parent / "fixtures" / "broken_profiles"
DUPLICATES = Path(__file__).parent / "fixtures" / "duplicate_aliases"

# file (relative to BROKEN) → the field the error must name
EXPECTED_FIELD = {
    "hardware/malformed-toml.toml": "(toml)",
    "hardware/missing-bandwidth.toml": "memory_bandwidth_gb_per_s",
    "hardware/wrong-type-memory.toml": "memory_gb",
    "hardware/negative-memory.toml": "memory_gb",
    "hardware/absurd-memory.toml": "memory_gb",
    "hardware/nan-bandwidth.toml": "memory_bandwidth_gb_per_s",
    "hardware/unknown-key.toml": "memroy_gb",
    "hardware/unknown-dtype.toml": "peak_tflops.fp9",
    "hardware/Bad_Id.toml": "id",
    "hardware/id-not-file-name.toml": "id",
    "hardware/bad-date.toml": "as_of",
    "hardware/missing-source.toml": "source",
    "hardware/wrong-kind.toml": "kind",
    "models/kv-heads-not-dividing.toml": "num_kv_heads",
    "models/moe-without-moe-intermediate.toml": "moe_intermediate_size",
    "models/more-active-than-experts.toml": "experts_per_token",
    "models/mla-without-kv-lora-rank.toml": "kv_lora_rank",
    "models/decoder-missing-layers.toml": "num_layers",
    "models/fixed-without-gflops.toml": "gflops_per_inference",
    "prices/no-price-field.toml": "on_demand_usd_per_gpu_hour",
    "prices/negative-spot-price.toml": "spot_usd_per_gpu_hour",
    "apis/missing-output-price.toml": "usd_per_million_output_tokens",
}


def test_the_corpus_is_complete() -> None:
    on_disk = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*.toml")}
    assert on_disk == set(EXPECTED_FIELD)
    assert len(on_disk) >= 10


@pytest.mark.parametrize(("name", "field"), EXPECTED_FIELD.items())
def test_each_broken_profile_is_refused_naming_file_and_field(name: str, field: str) -> None:
    path = BROKEN / name
    with pytest.raises(InvalidProfileError) as info:
        read_profile(path)
    err = info.value
    assert err.path == str(path)
    fields = [f for f, _ in err.problems]
    assert any(f == field or f.startswith(field + ".") for f in fields), fields
    message = str(err)
    assert str(path) in message and field in message


def test_registry_refuses_a_broken_profile_when_its_kind_is_loaded(tmp_path: Path) -> None:
    target = tmp_path / "models"
    target.mkdir()
    src = BROKEN / "models" / "kv-heads-not-dividing.toml"
    (target / src.name).write_text(src.read_text())
    with pytest.raises(InvalidProfileError, match="kv-heads-not-dividing.toml: num_kv_heads"):
        Registry.from_dirs(tmp_path).all("model")


def test_validate_all_reports_every_problem_not_just_the_first() -> None:
    checked, problems = validate_all(paths=[BROKEN])
    assert checked == len(EXPECTED_FIELD)
    assert {Path(p.file).relative_to(BROKEN).as_posix() for p in problems} == set(EXPECTED_FIELD)


def test_duplicate_aliases_across_files_are_a_problem() -> None:
    checked, problems = validate_all(paths=[DUPLICATES])
    assert checked == 2
    [problem] = problems
    assert problem.file.endswith("gpu-b.toml") and problem.field == "aliases"
    assert "gpu-a" in problem.message


def test_cli_validate_exits_4_listing_every_file(invoke) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "validate", str(BROKEN), str(DUPLICATES),
                             "--format", "json")
    assert result.exit_code == 4
    assert payload["status"] == "error"
    [error] = payload["errors"]
    assert error["code"] == "invalid_profile"
    problems = error["details"]["problems"]
    assert len(problems) == len(EXPECTED_FIELD) + 1
    assert {Path(p["file"]).name for p in problems} >= {Path(n).name for n in EXPECTED_FIELD}
    for p in problems:
        assert set(p) == {"file", "field", "message"}
    # and on stderr, one line per problem, file first; the first on the `error:` line
    first, *rest = result.stderr.splitlines()
    assert first.startswith("error: ") and "problem(s) in" in first
    lines = [first.removeprefix("error: ").split(" (", 1)[0]] + [ln.strip() for ln in rest]
    assert len(lines) == len(problems)
    assert all(ln.startswith(str(BROKEN)) or ln.startswith(str(DUPLICATES)) for ln in lines)
    assert json.loads(result.stdout)["command"] == ["profiles", "validate"]
