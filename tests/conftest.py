"""Shared fixtures.  Every test runs with an empty user profile dir and no INFERX_PROFILES_PATH,
so a developer's own profiles never leak into results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from inferx.registry import Registry, builtin_dir

# Property tests draw the same examples on every run, so a CI failure reproduces locally.
settings.register_profile("inferx", derandomize=True)
settings.load_profile("inferx")

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest --slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.delenv("INFERX_PROFILES_PATH", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")  # tables honour COLUMNS: pin it
    from inferx.cli._state import STATE

    monkeypatch.setattr(STATE, "profiles_dir", None)
    monkeypatch.setattr(STATE, "debug", False)


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The built-in profiles only."""
    return Registry.from_dirs(builtin_dir())


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):
    """Run the CLI; returns (result, parsed JSON or None)."""
    from inferx.cli import app

    def _invoke(*args: str):
        result = runner.invoke(app, list(args))
        payload = None
        if "json" in args and result.stdout.strip():
            payload = json.loads(result.stdout)
        return result, payload

    return _invoke
