"""`--batch`: one JSON envelope per line, in order; bad lines are error envelopes naming their
line; exit 7 when any failed."""

from __future__ import annotations

import json

import pytest

from inferx.errors import ExitCode

BAD = {17: '{"gpus": 0}', 50: "not json", 83: '{"model": "no-such-model"}'}


def _lines(n: int) -> str:
    out = []
    for i in range(1, n + 1):
        out.append(BAD.get(i, json.dumps({"id": f"s{i}", "input_tokens": 100 + i,
                                          "precision": ["bf16", "fp8"][i % 2]})))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("n", [100, 260])  # 260: the forked-worker path
def test_three_bad_lines_among_many(runner, tmp_path, n) -> None:
    from inferx.cli import app

    path = tmp_path / "in.jsonl"
    path.write_text(_lines(n))
    result = runner.invoke(app, ["estimate", "--batch", str(path)])
    assert result.exit_code == ExitCode.BATCH_FAILED == 7
    envs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(envs) == n
    assert [e["batch"]["line"] for e in envs] == list(range(1, n + 1))
    errors = [e for e in envs if e["status"] == "error"]
    assert [e["batch"]["line"] for e in errors] == sorted(BAD)
    assert [e["errors"][0]["details"]["line"] for e in errors] == sorted(BAD)
    assert sum(e["status"] == "ok" for e in envs) == n - 3
    assert f"{path}:17: gpus: must be at least 1" in errors[0]["errors"][0]["message"]
    assert errors[2]["errors"][0]["code"] == "unknown_profile"
    assert envs[0]["batch"]["id"] == "s1"
    assert envs[0]["data"]["inputs"]["input_tokens"] == 101
    assert "lines 17, 50, 83" in result.stderr


def test_batch_line_equals_the_single_run(runner, tmp_path) -> None:
    from inferx.cli import app

    path = tmp_path / "in.jsonl"
    path.write_text('{"model": "llama-3.1-70b", "gpus": 4, "clients": 16}\n')
    batch = runner.invoke(app, ["estimate", "--batch", str(path)])
    single = runner.invoke(app, ["estimate", "--model", "llama-3.1-70b", "--gpus", "4",
                                 "--clients", "16", "--format", "json"])
    assert batch.exit_code == 0, batch.stderr
    line = json.loads(batch.stdout)
    assert line.pop("batch") == {"line": 1, "id": None}
    assert line == json.loads(single.stdout)


def test_batch_from_stdin_with_flags_as_the_base(runner) -> None:
    from inferx.cli import app

    result = runner.invoke(app, ["compare", "--batch", "-", "--precisions", "bf16,fp8"],
                           input='{"input_tokens": 500}\n\n{"model": "llama-3.1-70b"}\n')
    assert result.exit_code == 0, result.stderr
    envs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["batch"]["line"] for e in envs] == [1, 3]
    assert [len(e["data"]["rows"]) for e in envs] == [2, 2]
    assert envs[1]["data"]["inputs"]["models"] == ["llama-3.1-70b"]


def test_batch_refuses_a_non_json_format(runner, tmp_path) -> None:
    from inferx.cli import app

    path = tmp_path / "in.jsonl"
    path.write_text("{}\n")
    result = runner.invoke(app, ["estimate", "--batch", str(path), "--format", "csv"])
    assert result.exit_code == 2 and "--format" in result.stderr
