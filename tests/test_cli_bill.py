"""`inferx bill` through the CLI: exit codes, the JSON envelope, tables, errors."""

from __future__ import annotations

from pathlib import Path

TRAFFIC = Path(__file__).parent / "fixtures" / "traffic"
ACCEPT = ["bill", "--users", "1000000", "--queries-per-user", "5", "--cost-per-query", "0.01",
          "--days-per-month", "30", "--what-if-cost-reduction", "20%"]


def test_acceptance_direct_arithmetic_json(invoke) -> None:
    result, env = invoke(*ACCEPT, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert env["status"] == "ok" and env["command"] == ["bill"]
    d = env["data"]
    assert d["direct"]["daily_usd"] == 50_000
    assert d["direct"]["monthly_usd"] == 1_500_000
    assert d["headline"]["totals"]["monthly_usd"] == 1_500_000
    assert d["levers"] == [{"lever": "cost_reduction",
                            "description": "unit cost 20% lower (--what-if-cost-reduction)",
                            "monthly_usd": 1_200_000, "monthly_saving_usd": 300_000,
                            "saving_fraction": 0.2, "note": None}]
    assert d["conventions"]["hours_per_month"] == 720
    assert "720 hours" in d["conventions"]["statement"]


def test_acceptance_direct_arithmetic_table(invoke) -> None:
    result, _ = invoke(*ACCEPT)
    assert result.exit_code == 0, result.stderr
    assert "$50,000" in result.stdout and "$1,500,000" in result.stdout
    assert "$300,000" in result.stdout and "720 hours" in result.stdout


def test_fraction_and_percent_spellings_agree(invoke) -> None:
    _, a = invoke(*ACCEPT[:-1], "0.2", "--format", "json")
    _, b = invoke(*ACCEPT, "--format", "json")
    assert a["data"]["levers"] == b["data"]["levers"]


def test_self_hosted_json_carries_every_section_and_series(invoke) -> None:
    result, env = invoke("bill", "--daily-queries", "5000000", "--input-tokens", "800",
                         "--output-tokens", "300", "--model", "llama-3.1-8b", "--hardware", "h100",
                         "--gpu-hour-price", "2", "--traffic-profile",
                         str(TRAFFIC / "business-hours.csv"), "--api", "openai-gpt-4o",
                         "--growth", "15%", "--months", "6", "--cache-hit-rate", "0.3",
                         "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = env["data"]
    for key in ("inputs", "conventions", "traffic", "replica", "fleet", "self_hosted", "headline",
                "apis", "ownership", "levers", "growth", "defaults", "profiles"):
        assert key in d
    assert len(d["fleet"]["replicas_by_hour"]) == 24
    assert len(d["growth"]["series"]) == 6
    assert set(d["growth"]["series"][0]["api_monthly_usd"]) == {"openai-gpt-4o"}
    assert d["self_hosted"][0]["autoscaled"]["monthly_usd"] <= \
        d["self_hosted"][0]["always_on"]["monthly_usd"]
    assert d["conventions"]["hours_per_month"] == 730


def test_table_has_growth_chart(invoke) -> None:
    result, _ = invoke("bill", "--daily-queries", "1000000", "--gpu-hour-price", "2",
                       "--growth", "50%", "--months", "4")
    assert result.exit_code == 0, result.stderr
    assert "Growth 50.0% a month" in result.stdout and "####" in result.stdout


def test_bad_traffic_profile_names_file_and_line(invoke) -> None:
    result, env = invoke("bill", "--daily-queries", "10", "--traffic-profile",
                         str(TRAFFIC / "bad-negative.txt"), "--format", "json")
    assert result.exit_code == 2
    assert env["status"] == "error"
    msg = env["errors"][0]["message"]
    assert msg.startswith("--traffic-profile:") and "bad-negative.txt line 7" in msg


def test_errors_are_one_line_naming_the_flag(invoke) -> None:
    result, _ = invoke("bill", "--daily-queries", "10", "--growth", "-5%")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: --growth:")
    assert "Traceback" not in result.stderr
    result, _ = invoke("bill")
    assert result.exit_code == 2 and "--daily-queries" in result.stderr


def test_unknown_api_profile_exits_3(invoke) -> None:
    result, _ = invoke("bill", "--daily-queries", "10", "--gpu-hour-price", "2",
                       "--api", "no-such-api")
    assert result.exit_code == 3
