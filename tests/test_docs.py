"""Docs that users rely on stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inferx.engine.assumptions import Assumptions

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _leaves(data, prefix=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


def _documented(path: str, text: str) -> bool:
    """The key path is named, or a parent path is named and so is the leaf's own key."""
    if path in text:
        return True
    parts = path.split(".")
    leaf = parts[-1]
    return any(".".join(parts[:i]) in text and leaf in text for i in range(1, len(parts)))


@pytest.mark.parametrize("args", [
    ["estimate"],
    ["estimate", "--model", "resnet-50"],
    ["compare", "--model", "llama-3.1-8b"],
    ["bill", "--daily-queries", "100000"],
    ["estimate", "--sweep", "concurrency", "--model", "llama-3.1-70b", "--gpus", "4"],
    ["plan", "--hardware", "h100,l4", "--daily-queries", "100000", "--max-tpot", "40ms"],
])
def test_every_json_key_is_documented(invoke, args):
    result, doc = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    text = "\n".join(p.read_text() for p in DOCS.glob("*.md"))
    rows = doc["data"].pop("rows", [])
    missing = [p for p in _leaves(doc["data"]) if not _documented(p, text)]
    missing += [f"rows[].{p}" for row in rows[:1] for p in _leaves(row)
                if not _documented(p, text)]
    assert not missing, f"document these keys in docs/*.md: {missing}"
    assert set(doc) == {
        "schema_version", "inferx_version", "command", "status", "data", "warnings", "errors"}


def test_every_warning_code_the_engine_emits_is_documented():
    text = (DOCS / "json-output.md").read_text()
    source = "\n".join(p.read_text() for p in Path(__file__).resolve().parent.parent
                       .joinpath("inferx").rglob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', source)) | set(
        re.findall(r'warn\("([a-z_]+)"', source)) | set(
        re.findall(r'(?:Note|PriceNote)\(\s*"([a-z_]+)"', source))
    missing = sorted(c for c in codes if f"`{c}`" not in text)
    assert not missing, f"document these warning codes in docs/json-output.md: {missing}"


def test_assumption_defaults_in_methodology_match_the_code():
    text = (DOCS / "methodology.md").read_text()
    table = dict(re.findall(r"^\| ([a-z0-9_]+) \| ([^|]+) \|", text, flags=re.M))
    defaults = Assumptions().as_dict()
    assert set(defaults) <= set(table), "every assumption has a row in docs/methodology.md"
    for name, value in defaults.items():
        cell = table[name].strip()
        if cell != "fitted":
            assert float(cell) == pytest.approx(value), name


def test_every_command_has_help_with_an_example(runner):
    from inferx.cli import app

    result = runner.invoke(app, ["--help"])
    commands = re.findall(r"│ ([a-z-]+)\s{2,}", result.stdout)
    assert {"estimate", "compare", "bill", "profiles", "calibrate"} <= set(commands)
    for command in ("estimate", "compare", "bill", "calibrate"):
        help_text = runner.invoke(app, [command, "--help"]).stdout
        assert "Example" in help_text, command


def test_exit_codes_doc_lists_every_exit_code():
    from inferx.errors import ExitCode

    text = (DOCS / "exit-codes.md").read_text()
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \| {code.name} \|", text, flags=re.M), code.name


def test_readme_starts_with_the_two_setup_lines():
    readme = (DOCS.parent / "README.md").read_text().splitlines()
    block = readme[readme.index("```bash") + 1: readme.index("```bash") + 3]
    assert "pip install ." in block[0] and block[0].endswith("inferx estimate")
    assert "pip install '.[test]'" in block[1] and "pytest" in block[1]
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "pip install -q ." in ci and "pip install -q '.[test]'" in ci
