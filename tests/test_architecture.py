"""The shape DESIGN.md asks for, checked: the engine imports nothing above it, no serving model
lives outside engine/, modules stay small, the library example runs."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import inferx

PKG = Path(inferx.__file__).parent
# What the engine may import from the package: data it computes on, and its own modules.
ENGINE_MAY_IMPORT = ("inferx.engine", "inferx.profiles", "inferx.quant", "inferx.units",
                     "inferx.errors", "inferx.record")
MAX_LINES = 300


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def test_engine_imports_nothing_above_it() -> None:
    """engine/ computes on dataclasses: no cli/, render/, result models, registry, api,
    scenario or file readers (also not lazily, inside a function)."""
    bad = [f"{p.relative_to(PKG)}:{line}: {mod}"
           for p in sorted((PKG / "engine").glob("*.py")) for line, mod in _imports(p)
           if mod.startswith("inferx") and not mod.startswith(ENGINE_MAY_IMPORT)]
    assert bad == []


def test_calibration_holds_no_model_of_serving() -> None:
    """The accuracy harness calls engine/serving.py; queueing arithmetic lives there only."""
    for p in (PKG / "calibration").glob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not names & {"closed_loop", "finite_run", "_perf_curve", "_rate"}, p.name


def test_modules_stay_small() -> None:
    big = {str(p.relative_to(PKG)): n for p in PKG.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}, f"split by what they hold: {big}"


def test_library_example_in_the_package_docstring_runs() -> None:
    failures, tried = doctest.testmod(inferx, verbose=False)
    assert tried > 0 and failures == 0
