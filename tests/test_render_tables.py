"""Tables: 80 columns by default, COLUMNS honoured, plain decimals, a header on every table;
markdown: the same views as GitHub tables."""

from __future__ import annotations

import re

import pytest

from inferx.render.views import fmt, plain

COMMANDS = [
    ["estimate"],
    ["estimate", "--model", "resnet-50"],
    ["compare", "--model", "llama-3.1-8b"],
    ["bill", "--daily-queries", "5000000", "--input-tokens", "800", "--output-tokens", "300",
     "--gpu-hour-price", "2", "--api", "openai-gpt-4o,anthropic-claude-3-5-sonnet",
     "--growth", "15%", "--months", "3", "--cache-hit-rate", "0.3"],
    ["profiles", "list", "hardware"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_tables_fit_80_columns_and_show_plain_decimals(invoke, args) -> None:
    result, _ = invoke(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not re.search(r"\d[eE][-+]\d", result.stdout), "exponent notation in a table"
    assert "…" not in result.stdout, "a cell was cut"


def test_columns_is_honoured(invoke, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    result, _ = invoke("compare")
    assert 80 < max(len(line) for line in result.stdout.splitlines()) <= 140


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_table_has_a_header(invoke, args) -> None:
    from inferx.render.table import specs_for
    from inferx.results import Envelope

    _, env = invoke(*args, "--format", "json")
    specs = specs_for(Envelope(**env))  # the views read `data` as JSON
    for spec in specs:
        assert all(c.strip() for c in spec.columns), (spec.title, spec.columns)


def test_owning_table_not_priced_has_a_header(invoke) -> None:
    result, _ = invoke("bill", "--daily-queries", "1000", "--gpu-hour-price", "2",
                       "--format", "markdown")
    assert "| owning | why not |" in result.stdout


@pytest.mark.parametrize(("value", "text"), [
    (2.59e-05, "0.0000259"), (0.000258, "0.000258"), (0.5161, "0.516"), (3.85, "3.85"),
    (1234.5, "1,234"), (0.1, "0.1")])
def test_plain_decimals(value, text) -> None:
    assert fmt(value) == text
    assert "e" not in plain(value, 3)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_markdown_for_every_command(invoke, args) -> None:
    result, _ = invoke(*args, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"## inferx {args[0]}")
    assert re.search(r"^\| :--- \|", out, re.M) and "### " in out
    for line in out.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_fixed_workload_cost_per_thousand_is_plain(invoke) -> None:
    result, _ = invoke("estimate", "--model", "resnet-50")
    row = next(line for line in result.stdout.splitlines() if "per 1,000 inferences" in line)
    assert re.search(r"0\.0\d+", row)


def test_bill_csv_is_long_and_holds_the_monthly_series(invoke) -> None:
    import csv
    import io

    result, _ = invoke("bill", "--daily-queries", "5000000", "--gpu-hour-price", "2", "--api",
                       "openai-gpt-4o", "--growth", "15%", "--months", "3", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["key", "month", "value"]
    series = [r for r in rows if r["key"] == "growth.series.self_hosted_monthly_usd"]
    assert [r["month"] for r in series] == ["1", "2", "3"]
    api = [r for r in rows if r["key"] == "growth.series.api_monthly_usd.openai-gpt-4o"]
    assert len(api) == 3
    totals = {r["key"]: r["value"] for r in rows if not r["month"]}
    assert float(totals["headline.totals.monthly_usd"]) > 0
    assert "self_hosted[user].always_on.monthly_usd" in totals


def test_json_money_keeps_full_precision(invoke) -> None:
    _, env = invoke("bill", "--daily-queries", "1000", "--cost-per-query", "0.0123456789",
                    "--format", "json")
    assert env["data"]["direct"]["usd_per_query"] == 0.0123456789
