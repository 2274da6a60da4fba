"""The CLI builds only the command being run; the root help still lists them all, unchanged."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from inferx.cli import _lazy, app


def test_one_line_helps_match_the_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """COMMANDS holds each command's first help paragraph; regenerate it from the docstrings."""
    for name, (_module, summary) in _lazy.COMMANDS.items():
        built = _lazy.build(name)
        first = inspect.cleandoc(built.short_help or built.help or "").split("\n\n")[0]
        assert summary == first, f"update inferx/cli/_lazy.py COMMANDS[{name!r}] to {first!r}"


def test_root_help_is_what_the_built_commands_print(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    for name in _lazy.COMMANDS:
        _lazy.build(name)
    eager = runner.invoke(app, ["--help"], terminal_width=100)
    monkeypatch.setattr(_lazy, "_BUILT", {})
    lazy = runner.invoke(app, ["--help"], terminal_width=100)
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.stdout == eager.stdout
    assert _lazy._BUILT == {}  # listing built nothing
    assert all(name in lazy.stdout for name in _lazy.COMMANDS)


def test_every_command_is_registered_on_a_typer_group() -> None:
    group = typer.main.get_command(app)
    assert list(group.list_commands(None)) == list(_lazy.COMMANDS)  # type: ignore[attr-defined]


def test_estimate_imports_no_other_command() -> None:
    code = ("import sys, json; from inferx.cli import app\n"
            "try:\n    app(['estimate', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(json.dumps(sorted(m for m in sys.modules "
            "if m.startswith('inferx.cli.'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "inferx.cli.estimate" in loaded
    assert not loaded & {f"inferx.cli.{m}" for m in ("compare", "bill", "calibrate", "profiles")}


def test_a_mistyped_command_is_still_a_usage_error_naming_the_command() -> None:
    result = CliRunner().invoke(app, ["estimat"])
    assert result.exit_code == 2
    assert "estimate" in result.output


@pytest.mark.parametrize("width", [40, 60, 80, 100, 200])
def test_root_help_lists_everything_within_the_width(width: int) -> None:
    """Drawn without Rich (cli/_root_help.py): every command and root option, no line wider
    than the terminal (capped at 100), words unbroken."""
    out = CliRunner().invoke(app, ["--help"], terminal_width=width).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= min(width, 100)
    assert any(line.startswith(" Usage: ") for line in lines)
    for name in _lazy.COMMANDS:
        assert f"│ {name} " in out
    for option in ("--profiles-dir", "--debug", "--version", "--help, -h"):
        assert option in out
    assert "what-\n" not in out and "what-" not in out.replace("what-ifs", "")


def test_root_help_and_version_import_no_rich_console() -> None:
    code = ("import sys\nfrom inferx.cli import app\n"
            "for argv in (['--help'], ['--version']):\n"
            "    try:\n        app(argv)\n    except SystemExit:\n        pass\n"
            "sys.stderr.write(' '.join(m for m in ('rich.console', 'typer.rich_utils', "
            "'pydantic.main') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1:] in ([], [""]), done.stderr
