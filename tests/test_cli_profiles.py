"""`inferx profiles ...` through CliRunner: exit codes and parsed JSON/CSV."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from inferx.registry import Registry, builtin_dir

HF = Path(__file__).parent / "fixtures" / "hf_configs"
LITELLM = Path(__file__).parent / "fixtures" / "litellm" / "model_prices_excerpt.json"
TOY = """schema_version = 1
kind = "hardware"
id = "toy-gpu"
aliases = ["toy"]
name = "Toy GPU"
vendor = "Test"
memory_gb = 10
memory_bandwidth_gb_per_s = 100
source = "synthetic test profile"
as_of = 2026-01-01
"""


def test_list_json_rows_carry_id_name_source_as_of(invoke) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "list", "hardware", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert payload["command"] == ["profiles", "list"] and payload["status"] == "ok"
    rows = payload["data"]["rows"]
    builtin = {p.id for p in Registry.from_dirs(builtin_dir()).all("hardware")}
    assert {r["id"] for r in rows} == builtin
    for row in rows:
        assert {"id", "name", "source", "as_of", "kind", "origin", "path"} <= set(row)
        assert row["kind"] == "hardware" and row["source"] and row["as_of"]


def test_list_every_kind_and_plural_or_singular_names(invoke) -> None:  # noqa: ANN001
    _, everything = invoke("profiles", "list", "--format", "json")
    kinds = {r["kind"] for r in everything["data"]["rows"]}
    assert {"hardware", "model", "price", "api"} <= kinds
    for plural, singular in (("models", "model"), ("prices", "price"), ("apis", "api")):
        _, a = invoke("profiles", "list", plural, "--format", "json")
        _, b = invoke("profiles", "list", singular, "--format", "json")
        assert a == b and {r["kind"] for r in a["data"]["rows"]} == {singular}


def test_list_csv_has_a_header_and_one_row_per_profile(invoke) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "list", "models", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(Registry.from_dirs(builtin_dir()).all("model"))
    assert {"id", "name", "source", "as_of"} <= set(rows[0])


def test_list_unknown_kind_is_a_usage_error(invoke) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "list", "gpus")
    assert result.exit_code == 2
    assert "unknown kind 'gpus'" in result.stderr


def test_show_searches_every_kind_and_by_alias(invoke) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "show", "H100", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = payload["data"]
    assert (data["kind"], data["id"], data["origin"]) == ("hardware", "h100-sxm", "built-in")
    assert data["profile"]["memory_gb"] == 80
    _, model = invoke("profiles", "show", "llama-3.1-8b", "--kind", "models", "--format", "json")
    assert model["data"]["profile"]["num_layers"] == 32


def test_show_table(invoke) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "show", "h100")
    assert result.exit_code == 0
    assert "memory_bandwidth_gb_per_s" in result.stdout and "h100-sxm.toml" in result.stdout


def test_show_unknown_exits_3_with_suggestions(invoke) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "show", "h100-sx", "--format", "json")
    assert result.exit_code == 3
    [error] = payload["errors"]
    assert error["code"] == "unknown_profile"
    assert "h100-sxm" in error["details"]["suggestions"]
    result, _ = invoke("profiles", "show", "llama-3.1-8b", "--kind", "hardware")
    assert result.exit_code == 3


def test_path_lists_the_lookup_order(invoke, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    env = tmp_path / "env"
    env.mkdir()
    monkeypatch.setenv("INFERX_PROFILES_PATH", str(env))
    result, payload = invoke("--profiles-dir", str(tmp_path), "profiles", "path",
                             "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = payload["data"]["rows"]
    assert [r["origin"] for r in rows] == ["built-in", "user", "INFERX_PROFILES_PATH",
                                           "--profiles-dir"]
    assert [r["order"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["path"] == str(builtin_dir()) and rows[0]["exists"] is True
    assert rows[1]["path"] == os.path.join(os.environ["XDG_CONFIG_HOME"], "inferx", "profiles")
    assert rows[2]["path"] == str(env) and rows[3]["path"] == str(tmp_path)


def test_validate_default_checks_the_whole_search_path(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "validate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    n_builtin = len(list(builtin_dir().rglob("*.toml")))
    assert payload["data"]["checked_files"] == n_builtin and payload["data"]["problems"] == []
    # a broken profile in --profiles-dir makes the default validation fail
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "toy-gpu.toml").write_text(TOY.replace("memory_gb = 10",
                                                                    "memory_gb = -1"))
    result, payload = invoke("--profiles-dir", str(tmp_path), "profiles", "validate",
                             "--format", "json")
    assert result.exit_code == 4
    [problem] = payload["errors"][0]["details"]["problems"]
    assert problem["file"].endswith("toy-gpu.toml") and problem["field"] == "memory_gb"


def test_validate_user_alias_clashing_with_a_builtin(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "toy-gpu.toml").write_text(TOY.replace('["toy"]', '["H100"]'))
    result, payload = invoke("--profiles-dir", str(tmp_path), "profiles", "validate",
                             "--format", "json")
    assert result.exit_code == 4
    [problem] = payload["errors"][0]["details"]["problems"]
    assert problem["field"] == "aliases" and "h100-sxm" in problem["message"]


def test_validate_good_paths_exit_0(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    good = tmp_path / "toy-gpu.toml"
    good.write_text(TOY)
    result, _ = invoke("profiles", "validate", str(good))
    assert result.exit_code == 0, result.stderr
    assert "Profiles valid" in result.stdout


def test_import_hf_writes_a_usable_profile(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "profiles"
    args = ("profiles", "import-hf", str(HF / "qwen2.5-7b" / "config.json"), "--id",
            "my-qwen", "--out", str(out), "--format", "json")
    result, payload = invoke(*args)
    assert result.exit_code == 0, result.stderr
    [row] = payload["data"]["rows"]
    assert row["id"] == "my-qwen" and row["path"] == str(out / "models" / "my-qwen.toml")
    assert abs(row["params_b"] - 7.61) / 7.61 < 0.01
    # again without --force: refused (exit 6), file untouched
    before = (out / "models" / "my-qwen.toml").read_text()
    result, payload = invoke(*args)
    assert result.exit_code == 6
    assert payload["errors"][0]["code"] == "file_exists" and "--force" in result.stderr
    assert (out / "models" / "my-qwen.toml").read_text() == before
    result, _ = invoke(*args[:-2], "--force")
    assert result.exit_code == 0, result.stderr
    # the written profile works in `inferx estimate` through --profiles-dir
    result, est = invoke("--profiles-dir", str(out), "estimate", "--model", "my-qwen",
                         "--hardware", "h100", "--gpu-hour-price", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert est["data"]["inputs"]["model"] == "my-qwen"


def test_import_hf_default_out_is_the_user_dir(invoke) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "import-hf", str(HF / "mistral-7b"))
    assert result.exit_code == 0, result.stderr
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "inferx" / "profiles" / "models"
    assert (user / "mistral-7b.toml").is_file()
    _, shown = invoke("profiles", "show", "mistral-7b", "--kind", "models", "--format", "json")
    assert shown["data"]["origin"] == "user"


def test_import_hf_missing_file_is_a_usage_error(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "import-hf", str(tmp_path / "nothing.json"))
    assert result.exit_code == 2
    assert "PATH_OR_REPO" in result.stderr and "Traceback" not in result.output


def test_import_prices_writes_api_profiles(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    result, payload = invoke("profiles", "import-prices", str(LITELLM), "--out", str(tmp_path),
                             "--format", "json")
    assert result.exit_code == 0, result.stderr
    ids = sorted(r["id"] for r in payload["data"]["rows"])
    assert ids == sorted(p.stem for p in (tmp_path / "apis").glob("*.toml"))
    assert len(ids) == 3
    assert {s["entry"] for s in payload["data"]["skipped"]} == {"sample_spec",
                                                                 "1024-x-1024/dall-e-2"}
    result, _ = invoke("profiles", "validate", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    result, _ = invoke("profiles", "import-prices", str(LITELLM), "--out", str(tmp_path))
    assert result.exit_code == 6
    result, _ = invoke("profiles", "import-prices", str(LITELLM), "--out", str(tmp_path),
                       "--force")
    assert result.exit_code == 0


def test_import_prices_unknown_provider_is_an_error(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    result, _ = invoke("profiles", "import-prices", str(LITELLM), "--provider", "nobody",
                       "--out", str(tmp_path))
    assert result.exit_code == 2
    assert not (tmp_path / "apis").exists()


def test_show_an_id_shared_by_two_kinds_asks_for_kind(invoke, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "hardware").mkdir()
    (tmp_path / "hardware" / "llama-3.1-8b.toml").write_text(
        TOY.replace('id = "toy-gpu"', 'id = "llama-3.1-8b"').replace('["toy"]', "[]"))
    result, payload = invoke("--profiles-dir", str(tmp_path), "profiles", "show", "llama-3.1-8b",
                             "--format", "json")
    assert result.exit_code == 2
    assert "--kind" in payload["errors"][0]["message"]
    result, payload = invoke("--profiles-dir", str(tmp_path), "profiles", "show", "llama-3.1-8b",
                             "--kind", "hardware", "--format", "json")
    assert result.exit_code == 0 and payload["data"]["origin"] == "--profiles-dir"
