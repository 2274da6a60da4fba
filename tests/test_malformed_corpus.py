"""Every file of the malformed corpus (tests/fixtures/malformed/INDEX.csv) is refused through
the CLI: a documented exit code (never 1), one `error:` line naming the file and the field
(and the line and column for CSV), a bounded message, the JSON error envelope."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli_contract import MAX_ERROR_CHARS, check_contract

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
INDEX = list(csv.DictReader((CORPUS / "INDEX.csv").read_text(encoding="utf-8").splitlines()))


def _argv(rel: str, path: Path, tmp: Path) -> tuple[list[str], set[int]]:
    top = rel.split("/")[0]
    if top == "profiles":
        return ["profiles", "validate", str(path)], {4}
    if top in ("calibration-csv", "calibration-json"):
        return ["calibrate", str(path), "-o", str(tmp / "out.toml"), "--hardware", "h100-sxm",
                "--gpus", "1"], {2}
    if top == "calibration-toml":
        return ["estimate", "--calibration", str(path)], {2}
    if top == "hf-config":
        return ["profiles", "import-hf", str(path), "--out", str(tmp)], {2, 4}
    if top == "litellm":
        return ["profiles", "import-prices", str(path), "--out", str(tmp)], {2}
    raise AssertionError(f"no command for {rel}")


def test_index_lists_every_file_and_at_least_sixty() -> None:
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
               if p.is_file() and p.name not in ("INDEX.csv", "README.md", "make_corpus.py")}
    assert on_disk == {e["file"] for e in INDEX}
    assert len(on_disk) >= 60
    assert all(e["defect"] and e["field"] for e in INDEX)


@pytest.mark.parametrize("entry", INDEX, ids=[e["file"] for e in INDEX])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_each_malformed_file_is_refused_naming_file_and_field(invoke, tmp_path, entry, fmt):
    path = CORPUS / entry["file"]
    argv, codes = _argv(entry["file"], path, tmp_path)
    argv += ["--format", fmt]
    result, _ = invoke(*argv)
    errors = check_contract(result, argv)
    assert result.exit_code in codes, (result.exit_code, result.stderr[:500])
    line = errors[0]
    assert len(line) <= MAX_ERROR_CHARS
    assert str(path) in line, line
    assert entry["field"] in line, (entry["field"], line)
    if entry["line"]:
        assert f"line {entry['line']}" in line, line
    if entry["column"]:
        assert f"column {entry['column']}" in line, line
    if fmt == "json":
        error = json.loads(result.stdout)["errors"][0]
        assert str(path) in json.dumps(error["details"]) or str(path) in error["message"]
    assert not list(tmp_path.rglob("*.toml")), "a refused file must write nothing"
    assert not list(tmp_path.rglob("*.tmp")), "no temporary file left behind"
