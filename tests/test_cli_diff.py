"""`inferx diff`: changed figures between two saved results; --fail-above for CI."""

from __future__ import annotations

import json

import pytest

from inferx.errors import ExitCode

BILL = ["bill", "--daily-queries", "100000", "--days-per-month", "30"]


def _save(invoke, path, *args) -> None:
    result, _ = invoke(*args, "--format", "json", "--out", str(path))
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def bills(invoke, tmp_path):
    base, new = tmp_path / "base.json", tmp_path / "new.json"
    _save(invoke, base, *BILL, "--cost-per-query", "0.01")
    _save(invoke, new, *BILL, "--cost-per-query", "0.0115")  # 15% dearer
    return base, new


def test_acceptance_fail_above(invoke, bills) -> None:
    base, new = bills
    result, _ = invoke("diff", str(base), str(new), "--fail-above", "10%")
    assert result.exit_code == ExitCode.COST_INCREASE == 8
    assert result.stderr.startswith("error: ") and "rose" in result.stderr
    assert "+15.0%" in result.stdout  # the diff is printed first
    result, _ = invoke("diff", str(base), str(new), "--fail-above", "20%")
    assert result.exit_code == 0, result.stderr
    result, _ = invoke("diff", str(base), str(new))
    assert result.exit_code == 0


def test_json_and_markdown(invoke, bills) -> None:
    base, new = bills
    result, env = invoke("diff", str(base), str(new), "--fail-above", "0.1", "--format", "json")
    assert result.exit_code == 8
    d = env["data"]
    assert env["command"] == ["diff"] and d["command"] == ["bill"]
    monthly = next(c for c in d["changes"] if c["figure"] == "direct.monthly_usd")
    assert monthly["kind"] == "cost" and monthly["change"] == pytest.approx(0.15)
    assert monthly["exceeds"] is True
    assert d["cost_increases_above_threshold"] == sum(c["exceeds"] for c in d["changes"])
    result, _ = invoke("diff", str(base), str(new), "--format", "markdown")
    assert "### Cost: inferx bill" in result.stdout
    assert "| direct.monthly_usd | 30,000 | 34,500 | +15.0% |" in result.stdout


def test_estimates_show_latency_throughput_memory_and_fit(invoke, tmp_path) -> None:
    base, new = tmp_path / "a.json", tmp_path / "b.json"
    _save(invoke, base, "estimate", "--model", "llama-3.1-70b", "--gpus", "4")
    _save(invoke, new, "estimate", "--model", "llama-3.1-70b", "--gpus", "1")
    _, env = invoke("diff", str(base), str(new), "--format", "json")
    kinds = {c["kind"] for c in env["data"]["changes"]}
    assert {"memory", "fit"} <= kinds
    fit = next(c for c in env["data"]["changes"] if c["kind"] == "fit")
    assert (fit["base"], fit["new"]) == (True, False)


def test_batch_files_are_matched_by_scenario_id(invoke, runner, tmp_path) -> None:
    from inferx.cli import app

    lines_a = ['{"id": "small", "input_tokens": 100}', '{"id": "big", "input_tokens": 4000}']
    lines_b = [lines_a[1], lines_a[0].replace("100", "200")]  # reordered, one changed
    outs = []
    for name, lines in (("a", lines_a), ("b", lines_b)):
        src = tmp_path / f"{name}.jsonl"
        src.write_text("\n".join(lines) + "\n")
        result = runner.invoke(app, ["estimate", "--batch", str(src)])
        assert result.exit_code == 0, result.stderr
        out = tmp_path / f"{name}.out.jsonl"
        out.write_text(result.stdout)
        outs.append(out)
    _, env = invoke("diff", *map(str, outs), "--format", "json")
    assert {c["scenario"] for c in env["data"]["changes"]} == {"small"}


def test_different_commands_and_bad_files_are_errors(invoke, bills, tmp_path) -> None:
    base, _ = bills
    est = tmp_path / "e.json"
    _save(invoke, est, "estimate")
    result, _ = invoke("diff", str(base), str(est))
    assert result.exit_code == 2 and "different commands" in result.stderr
    junk = tmp_path / "junk.json"
    junk.write_text(json.dumps({"a": 1}))
    result, _ = invoke("diff", str(base), str(junk))
    assert result.exit_code == 2 and result.stderr.startswith("error: NEW: ")
