"""docs/cli.md is generated from the code and must not go stale."""

from __future__ import annotations

from pathlib import Path

CLI_MD = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_md_is_current() -> None:
    from inferx.cli._docs import generate

    assert CLI_MD.read_text() == generate(), (
        "docs/cli.md is stale: regenerate it with `python -m inferx.cli._docs > docs/cli.md`")


def test_cli_md_lists_every_command_and_flag() -> None:
    import typer

    from inferx.cli import app

    text = CLI_MD.read_text()
    root = typer.main.get_command(app)
    for name in root.list_commands(None):
        assert f"`inferx {name}`" in text
        for param in root.get_command(None, name).params:
            for opt in param.opts if param.param_type_name == "option" else []:
                assert f"`{opt}`" in text, (name, opt)


def test_shell_completion_completes_commands_and_flags() -> None:
    import subprocess
    import sys

    import pytest

    exe = Path(sys.executable).with_name("inferx")
    if not exe.exists():
        pytest.skip("the inferx console script is not installed next to this interpreter")
    env = {"_INFERX_COMPLETE": "complete_bash", "COMP_WORDS": "inferx estimate --sce",
           "COMP_CWORD": "2", "PATH": ""}
    done = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60)
    assert "--scenario" in done.stdout.split()


def test_diff_json_keys_are_documented(invoke, tmp_path) -> None:
    text = (CLI_MD.parent / "scenario-files.md").read_text()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    invoke("estimate", "--format", "json", "--out", str(a))
    invoke("estimate", "--gpu-hour-price", "9", "--format", "json", "--out", str(b))
    _, env = invoke("diff", str(a), str(b), "--format", "json")
    keys = set(env["data"]) | set(env["data"]["changes"][0])
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert not missing, f"document in docs/scenario-files.md: {missing}"
