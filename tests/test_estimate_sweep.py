"""`inferx estimate --sweep concurrency` / `--frontier`: plan's curve for one configuration,
each point what `inferx estimate --concurrency C` says."""

from __future__ import annotations

import pytest


def test_sweep_points_equal_estimate_at_that_concurrency(invoke):
    args = ["--model", "llama-3.3-70b", "--hardware", "h100", "--precision", "fp8", "--gpus", "2"]
    result, doc = invoke("estimate", *args, "--sweep", "concurrency", "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = doc["data"]
    assert d["sweep"] == "concurrency" and d["inputs"]["gpus"] == 2
    pts = d["points"]
    assert [p["concurrency"] for p in pts][:8] == list(range(1, 9))
    for p in (pts[0], pts[len(pts) // 2], pts[-1]):
        r, e = invoke("estimate", *args, "--concurrency", str(p["concurrency"]), "--format",
                      "json")
        assert r.exit_code == 0, r.stderr
        assert e["data"]["latency"]["tpot_ms"] == pytest.approx(p["tpot_ms"], rel=1e-5)
        assert e["data"]["cost"]["usd_per_million_output_tokens"] == pytest.approx(
            p["usd_per_million_output_tokens"], rel=1e-5)
    front = [p for p in pts if p["on_frontier"]]
    assert front
    by_user = sorted(front, key=lambda p: -p["tokens_per_s_per_user"])
    assert all(b["output_tokens_per_s_per_gpu"] >= a["output_tokens_per_s_per_gpu"]
               for a, b in zip(by_user, by_user[1:], strict=False))


def test_frontier_flag_is_the_same_sweep(invoke):
    a = invoke("estimate", "--frontier", "--format", "json")[1]
    b = invoke("estimate", "--sweep", "concurrency", "--format", "json")[1]
    assert a == b


def test_sweep_table_and_errors(invoke):
    result, _ = invoke("estimate", "--frontier")
    assert result.exit_code == 0 and "concurrency sweep" in " ".join(result.stdout.split())
    result, _ = invoke("estimate", "--sweep", "precision")
    assert result.exit_code == 2 and result.stderr.startswith("error: --sweep")
    result, _ = invoke("estimate", "--frontier", "--concurrency", "8")
    assert result.exit_code == 2 and result.stderr.startswith("error: --sweep")
    result, _ = invoke("estimate", "--model", "resnet-50", "--frontier")
    assert result.exit_code == 2 and "--sweep" in result.stderr
