"""Scenario files: a file and the equivalent flags give byte-identical JSON; precedence;
errors name file, line and key; `inferx init`."""

from __future__ import annotations

from pathlib import Path

import pytest

SETUPS = {
    "estimate": (
        'model = "llama-3.1-70b"\nhardware = "h100-sxm"\nprecision = "fp8"\ngpus = 4\n'
        'input_tokens = 1000\noutput_tokens = 200\nkv_precision = "fp8"\n'
        'gpu_hour_price = 2.5\n[assume]\ncompute_efficiency = 0.5\n[estimate]\nclients = 40\n',
        ["--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--precision", "fp8", "--gpus",
         "4", "--input-tokens", "1000", "--output-tokens", "200", "--kv-precision", "fp8",
         "--gpu-hour-price", "2.5", "--assume", "compute_efficiency=0.5", "--clients", "40"]),
    "estimate-layout": (
        'model = "llama-3.1-70b"\ntp = 2\npp = 2\nspeculative = "mtp"\n'
        'acceptance_length = 1.8\nprefix_cache_hit = "30%"\n',
        ["--model", "llama-3.1-70b", "--tp", "2", "--pp", "2", "--speculative", "mtp",
         "--acceptance-length", "1.8", "--prefix-cache-hit", "30%"]),
    "compare": (
        'model = "llama-3.1-8b"\ninput_tokens = 1000\n[compare]\nprecisions = ["bf16", "fp8"]\n'
        'max_tpot_ms = 40.0\nengine = "vllm"\n',
        ["--model", "llama-3.1-8b", "--input-tokens", "1000", "--precisions", "bf16,fp8",
         "--max-tpot", "40", "--engine", "vllm"]),
    "bill": (
        'model = "llama-3.1-8b"\ninput_tokens = 800\noutput_tokens = 300\n'
        'gpu_hour_price = 2.0\n[bill]\ndaily_queries = 5000000\ngrowth = "15%"\nmonths = 6\n'
        'apis = ["openai-gpt-4o"]\nmax_ttft_ms = 800.0\ncache_hit_rate = 0.3\n',
        ["--model", "llama-3.1-8b", "--input-tokens", "800", "--output-tokens", "300",
         "--gpu-hour-price", "2", "--daily-queries", "5000000", "--growth", "15%", "--months",
         "6", "--api", "openai-gpt-4o", "--max-ttft", "800", "--cache-hit-rate", "0.3"]),
}


@pytest.mark.parametrize("command", list(SETUPS))
def test_scenario_file_and_flags_give_byte_identical_json(command, runner, tmp_path) -> None:
    from inferx.cli import app

    text, flags = SETUPS[command]
    path = tmp_path / "s.toml"
    path.write_text(text)
    name = command.split("-")[0]
    by_file = runner.invoke(app, [name, "--scenario", str(path), "--format", "json"])
    by_flags = runner.invoke(app, [name, *flags, "--format", "json"])
    assert by_file.exit_code == 0, by_file.stderr
    assert by_flags.exit_code == 0, by_flags.stderr
    assert by_file.stdout == by_flags.stdout


def test_inferx_toml_in_the_folder_is_read_and_announced(runner, tmp_path, monkeypatch) -> None:
    from inferx.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "inferx.toml").write_text('model = "llama-3.1-70b"\ngpus = 4\n')
    result = runner.invoke(app, ["estimate", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "inferx.toml" in result.stderr
    assert '"model": "llama-3.1-70b"' in result.stdout


def test_later_files_then_typed_flags_override(invoke, tmp_path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('model = "llama-3.1-70b"\ngpus = 8\ninput_tokens = 100\nclients = 5\n')
    b.write_text("gpus = 4\n")
    _, env = invoke("estimate", "--scenario", str(a), "--scenario", str(b), "--input-tokens",
                    "300", "--concurrency", "7", "--format", "json")
    i = env["data"]["inputs"]
    assert (i["model"], i["gpus"], i["input_tokens"]) == ("llama-3.1-70b", 4, 300)
    # a typed traffic flag replaces the file's traffic model instead of clashing with it
    assert (i["concurrency"], i["concurrency_mode"]) == (7, "fixed")


def test_a_flag_left_at_its_default_does_not_override_the_file(invoke, tmp_path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('precision = "fp8"\n')
    _, env = invoke("estimate", "--scenario", str(path), "--format", "json")
    assert env["data"]["inputs"]["precision"] == "fp8"


@pytest.mark.parametrize(("text", "where"), [
    ('model = "llama-3.1-8b"\n\nbogus = 1\n', "s.toml:3: bogus: unknown key"),
    ('[estimate]\ngpus = 1\nmax_tpot_ms = 5.0\n', "s.toml:3: estimate.max_tpot_ms: unknown key"),
    ('gpus = "two"\n', "s.toml:1: gpus:"),
    ('input_tokens = 0\n', "s.toml:1: input_tokens: must be at least 1"),
    ('model = "llama-3.1-8b"\ngpus = [\n', "s.toml:"),
])
def test_bad_scenario_files_name_file_line_and_key(invoke, tmp_path, text, where) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    result, env = invoke("estimate", "--scenario", str(path), "--format", "json")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    assert where in lines[0]
    assert env["status"] == "error"


def test_init_writes_a_commented_file_that_every_command_reads(runner, tmp_path,
                                                               monkeypatch) -> None:
    from inferx.cli import app

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    text = Path("inferx.toml").read_text()
    assert text.count("#") > 20
    for command in ("estimate", "compare", "bill"):
        result = runner.invoke(app, [command, "--format", "json"])
        assert result.exit_code == 0, (command, result.stderr)
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 6 and "--force" in again.stderr
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0


def test_out_writes_atomically_and_refuses_to_overwrite(invoke, tmp_path) -> None:
    out = tmp_path / "e.json"
    result, _ = invoke("estimate", "--format", "json", "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert '"command": [\n    "estimate"\n  ]' in out.read_text()
    result, _ = invoke("estimate", "--out", str(out))
    assert result.exit_code == 6
    result, _ = invoke("estimate", "--out", str(out), "--force", "--format", "csv")
    assert result.exit_code == 0 and out.read_text().startswith("inputs.model,")


def test_an_unknown_profile_from_a_file_names_the_file(invoke, tmp_path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('\nmodel = "no-such-model"\n')
    result, _ = invoke("estimate", "--scenario", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {path}:2: model: unknown model profile")


def test_styles_only_on_a_terminal_and_no_colour_with_no_color(monkeypatch) -> None:
    import io

    from inferx.render import Format, render
    from inferx.results import Envelope

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    envelope = Envelope.ok(["diff"], {"base": "a", "new": "b", "command": ["bill"],
                                      "scenarios": 1, "fail_above": None, "changes": [],
                                      "unmatched": [], "cost_increases_above_threshold": 0})
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    tty, pipe = Terminal(), io.StringIO()
    render(envelope, Format.table, out=tty)
    render(envelope, Format.table, out=pipe)
    assert "\x1b[" in tty.getvalue() and "\x1b[" not in pipe.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty = Terminal()
    render(envelope, Format.table, out=tty)
    import re  # NO_COLOR bans colour (SGR 30-38, 40-48, 90-107), not bold

    assert not re.search(r"\x1b\[[0-9;]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]", tty.getvalue())


def test_bill_traffic_profile_in_a_file_is_relative_to_it(invoke, tmp_path) -> None:
    import shutil

    fixture = Path(__file__).parent / "fixtures" / "traffic" / "business-hours.csv"
    shutil.copy(fixture, tmp_path / "hours.csv")
    path = tmp_path / "s.toml"
    path.write_text('gpu_hour_price = 2.0\n[bill]\ndaily_queries = 100000\n'
                    'traffic_profile = "hours.csv"\n')
    by_file = invoke("bill", "--scenario", str(path), "--format", "json")[0]
    by_flags = invoke("bill", "--gpu-hour-price", "2", "--daily-queries", "100000",
                      "--traffic-profile", str(fixture), "--format", "json")[0]
    assert by_file.exit_code == 0, by_file.stderr
    assert by_file.stdout == by_flags.stdout
    path.write_text('[bill]\ndaily_queries = 1\ntraffic_profile = "missing.csv"\n')
    result = invoke("bill", "--scenario", str(path))[0]
    assert result.exit_code == 2 and f"{path}:3: traffic_profile: " in result.stderr


@pytest.mark.parametrize("command", ["estimate", "compare", "bill"])
def test_every_flag_of_a_request_field_is_found(command) -> None:
    """Scenario files tell typed flags from defaults through each field's flag
    (inferx/cli/_errors.py flag_for / FIELD_FLAGS): an option named after a request field
    whose flag is spelled otherwise needs an entry there.  (Fields the command has no flag
    for can still be set in a scenario file.)"""
    import typer

    from inferx.cli import app
    from inferx.cli._errors import flag_for
    from inferx.scenario_file import request_fields

    cmd = typer.main.get_command(app).get_command(None, command)
    fields = request_fields(command)
    missing = sorted(p.name for p in cmd.params
                     if p.name in fields and flag_for(p.name) not in p.opts)
    assert not missing, f"add these fields' flags to FIELD_FLAGS in cli/_errors.py: {missing}"
