"""Fuzz the whole CLI in-process: valid, boundary and hostile command lines for every command.

Every run must keep the contract of docs/exit-codes.md (tests/cli_contract.py): a documented
exit code and never 1, exactly one `error:` line naming the flag or file and field, the JSON
error envelope with --format json, no NaN / Infinity / negative cost or latency in any output.

Derandomised (a failure reproduces); >= 1,000 examples in the default run, ten times more with
`pytest --slow`.  Known classes the lead is fixing in code this branch does not own are kept
out of the pools here and pinned by strict xfail tests in test_fuzz_regressions.py:
encoder / fixed-workload models in bill and compare, and sub-normal daily volumes in bill.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli_contract import check_contract, names_the_culprit
from inferx.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
CORPUS = FIX / "malformed"
WORK = Path(tempfile.mkdtemp(prefix="inferx-fuzz-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
RUNNER = CliRunner()
_COUNTER = itertools.count()

HOSTILE = ["", " ", "abc", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400",
           "-1", "0", "0.0", "-0", "1e-9", "99999999999999999999999", "1_000", "0x10", "½",
           "١٢", "\x00", "\n", "x" * 300, "é" * 200, "--", "-", "max", "MAX", "1%", "150%",
           "-5%", "%", "qps=inf", "[q4_k_m]", "a=b=c", "=1", "2,3", ",", "None", "null"]
LONG_NAME = "a" * 300
DECODERS = ["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "deepseek-v3", "qwen3-30b-a3b",
            "gemma-2-9b", "gpt-oss-20b", "llama-2-7b", "LLAMA-3.1-8B",
            "meta-llama/Llama-3.1-8B-Instruct", "nope", "", LONG_NAME, "é" * 200, "../../etc"]
ALL_MODELS = [*DECODERS, "bert-base", "resnet-50"]
HARDWARE = ["h100-sxm", "a100-80gb", "mi300x", "t4", "apple-m3-max", "tpu-v5e", "epyc-9654",
            "b200", "nope", "", LONG_NAME, "H100"]
PRECISIONS = ["bf16", "fp16", "fp8", "int8", "int8-wo", "int4-wo", "fp4", "mxfp4", "fp32",
              "q4_k_m", "fp3", ""]


def pool(values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), st.sampled_from(HOSTILE))


def numbers(*valid: str, tiny: bool = True) -> st.SearchStrategy[str]:
    floats = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=tiny)
    if not tiny:
        floats = floats.filter(lambda x: not (0 < abs(x) < 1e-250))
    hostile = HOSTILE if tiny else [h for h in HOSTILE if h != "1e-9"]
    return st.one_of(st.sampled_from(list(valid) or ["1"]), st.integers(-3, 10**7).map(str),
                     st.integers(-(2**70), 2**70).map(str), floats.map(repr),
                     st.sampled_from(hostile))


FLAG = st.just(None)  # a flag that takes no value
FILES = [str(p) for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix != ".py"][::7]
PATHS = st.sampled_from([*FILES, str(WORK / "missing.toml"), str(WORK), "/dev/null", "",
                         "/" + LONG_NAME, "x/" * 200, str(FIX / "traffic" / "flat.txt"),
                         str(FIX / "traffic" / "bad-negative.txt"),
                         str(FIX / "traffic" / "business-hours.csv")])
CAL_FILES = st.sampled_from([*(str(p) for p in sorted(CORPUS.glob("calibration-toml/*"))),
                             str(WORK / "none.toml"), "/" + LONG_NAME])

COMMON = {
    "--hardware": pool(HARDWARE), "--precision": pool(PRECISIONS),
    "--kv-precision": pool(["fp8", "bf16", "int4", "fp16", "fp2"]),
    "--gpus": numbers("1", "2", "4", "8", "3", "0"), "--input-tokens": numbers("1", "2000"),
    "--output-tokens": numbers("1", "500"), "--concurrency": numbers("1", "32", "max"),
    "--gpu-hour-price": numbers("2.5"), "--price": pool(["aws-h100-sxm", "nope", LONG_NAME]),
    "--pricing": pool(["on-demand", "spot", "reserved-1y", "reserved-3y", "capacity-block"]),
    "--assume": pool(["compute_efficiency=0.5", "bandwidth_efficiency=2", "pue=nan",
                      "max_num_seqs=1e400", "nope=1", "compute_efficiency"]),
    "--engine": pool(["vllm", "tensorrt-llm", "sglang", "generic", "trtllm@2023", "fastllm"]),
    "--calibration": CAL_FILES,
}
SPECS: dict[str, dict[str, st.SearchStrategy[str | None]]] = {
    "estimate": {**COMMON, "--model": pool(ALL_MODELS), "--strict": FLAG},
    "compare": {**COMMON, "--model": pool(DECODERS + ["llama-3.1-8b,mistral-7b"]),
                "--across": pool(["precision", "hardware", "model", "gpus"]),
                "--precisions": pool(["fp8,int4-wo", "bf16", "fp8,fp8", "fp3,fp8"]),
                "--baseline": pool(PRECISIONS), "--max-ttft": numbers("500"),
                "--max-tpot": numbers("50")},
    "bill": {"--daily-queries": numbers("1000000", tiny=False),
             "--users": numbers("1000", tiny=False),
             "--queries-per-user": numbers("5", tiny=False),
             "--input-tokens": numbers("800"), "--output-tokens": numbers("300"),
             "--model": pool(DECODERS), "--hardware": pool(HARDWARE),
             "--precision": pool(PRECISIONS), "--gpus": numbers("1", "2"),
             "--peak-to-average": numbers("2"), "--traffic-profile": PATHS,
             "--max-ttft": numbers("500"), "--max-tpot": numbers("50"),
             "--target-utilization": numbers("70%", "0.7"), "--min-replicas": numbers("1"),
             "--gpu-hour-price": numbers("2"), "--days-per-month": numbers("30"),
             "--api": pool(["openai-gpt-4o", "nope,also-nope", ","]),
             "--cost-per-query": numbers("0.001"), "--cost-per-million-tokens": numbers("1"),
             "--purchase-usd": numbers("30000"), "--amortize-years": numbers("3"),
             "--usd-per-kwh": numbers("0.1"), "--pue": numbers("1.3"),
             "--hosting-usd-per-gpu-month": numbers("100"), "--cache-hit-rate": numbers("20%"),
             "--router-share": numbers("0.5"), "--router-model": pool(DECODERS),
             "--draft-model": pool(DECODERS), "--acceptance-rate": numbers("0.7"),
             "--draft-tokens": numbers("4"), "--max-batch": numbers("64"),
             "--what-if-precision": pool(PRECISIONS), "--distill-model": pool(DECODERS),
             "--what-if-cost-reduction": numbers("20%"), "--growth": numbers("15%"),
             "--months": numbers("12")},
    "calibrate": {"--engine": COMMON["--engine"], "--hardware": pool(HARDWARE),
                  "--gpus": numbers("1"), "--precision": pool(PRECISIONS),
                  "--model": pool(DECODERS), "--force": FLAG},
    "profiles list": {}, "profiles path": {},
    "profiles show": {"--kind": pool(["hardware", "models", "model", "prices", "api", "x"])},
    "profiles validate": {}, "profiles import-hf": {"--id": pool(["my-model", "Bad_Id",
                                                                  LONG_NAME]), "--force": FLAG},
    "profiles import-prices": {"--provider": pool(["openai", "anthropic", "nope"]),
                               "--force": FLAG},
}
POSITIONAL = {
    "calibrate": st.one_of(PATHS, st.sampled_from(
        [str(FIX / "calibration" / "three-rows.csv"),
         *(str(p) for p in sorted(CORPUS.glob("calibration-*/*")))])),
    "profiles list": pool(["hardware", "models", "prices", "apis", "quality", "nope"]),
    "profiles show": pool(["h100", "llama-3.1-8b", "nope", LONG_NAME]),
    "profiles validate": st.one_of(PATHS, st.just(str(ROOT / "profiles"))),
    "profiles import-hf": st.one_of(PATHS, st.sampled_from(
        [str(p) for p in sorted((FIX / "hf_configs").glob("*/config.json"))])),
    "profiles import-prices": st.one_of(PATHS, st.just(str(FIX / "litellm" /
                                                           "model_prices_excerpt.json"))),
}
FORMATS = st.sampled_from([[], ["--format", "json"], ["--format", "csv"], ["-f", "json"],
                           ["--format=json"], ["--format", "yaml"], ["--format", "JSON"],
                           ["--format"], ["-f"]])
ROOT_OPTIONS = st.sampled_from([[], [], [], ["--profiles-dir", str(WORK)],
                                ["--profiles-dir", "/" + LONG_NAME], ["--profiles-dir", ""]])
STRAY = st.lists(st.sampled_from(["--bogus", "--gpus", "-x", "extra", "--format=xml", "--",
                                  "--help", "--model=", "-h"]), max_size=1)


def command_line(command: str) -> st.SearchStrategy[list[str]]:
    spec = SPECS[command]

    def pairs(flags: list[str]) -> st.SearchStrategy[list[str]]:
        parts = [spec[f].map(lambda v, f=f: [f] if v is None else [f, v]) for f in flags]
        return st.tuples(*parts).map(lambda ps: [x for p in ps for x in p])

    chosen = st.lists(st.sampled_from(sorted(spec)), max_size=6, unique=True) if spec \
        else st.just([])
    positional = POSITIONAL[command].map(lambda p: [p]) if command in POSITIONAL \
        else st.just([])
    if command.startswith("profiles") and command in POSITIONAL \
            and command not in ("profiles import-hf", "profiles import-prices"):
        positional = st.one_of(st.just([]), positional)
    return st.tuples(chosen.flatmap(pairs), positional, FORMATS, STRAY, ROOT_OPTIONS).map(
        lambda t: [*t[4], *command.split(), *t[1], *t[0], *_outputs(command), *t[2], *t[3]])


def _outputs(command: str) -> list[str]:
    n = next(_COUNTER)
    if command == "calibrate":
        return ["-o", str(WORK / f"cal-{n % 50}.toml") if n % 13 else "/tmp/" + LONG_NAME]
    if command.startswith("profiles import"):
        return ["--out", str(WORK / f"out-{n % 20}")]
    return []


def run(argv: list[str]) -> None:
    result = RUNNER.invoke(app, argv)
    errors = check_contract(result, argv)
    if errors:
        assert names_the_culprit(errors[0], argv, result.exit_code), (argv, errors[0])


def fuzz(strategy: st.SearchStrategy[list[str]], examples: int) -> None:
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(argv: list[str]) -> None:
        run(argv)

    check()


TOKENS = st.lists(st.sampled_from(["estimate", "compare", "bill", "calibrate", "profiles",
                                   "list", "show", "nope", "--format", "json", "csv", "-f",
                                   "--help", "--version", "--profiles-dir", str(WORK),
                                   "--model", "--gpus", "abc", "1", "--", "-", "=", "--x=1"]),
                  max_size=6)
# (command, default examples): 1,150 in the default run; x10 with --slow.
BUDGET = {"estimate": 220, "compare": 130, "bill": 200, "calibrate": 60, "profiles list": 40,
          "profiles path": 20, "profiles show": 60, "profiles validate": 60,
          "profiles import-hf": 80, "profiles import-prices": 80}
RAW_BUDGET = 200


@pytest.fixture(scope="module", autouse=True)
def _three_rows() -> None:
    assert (FIX / "calibration" / "three-rows.csv").is_file()


@pytest.mark.parametrize("command", sorted(BUDGET))
def test_fuzz_command(command: str) -> None:
    fuzz(command_line(command), BUDGET[command])


def test_fuzz_raw_argv() -> None:
    fuzz(TOKENS, RAW_BUDGET)


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(BUDGET))
def test_fuzz_command_slow(command: str) -> None:
    fuzz(command_line(command), 10 * BUDGET[command])


@pytest.mark.slow
def test_fuzz_raw_argv_slow() -> None:
    fuzz(TOKENS, 10 * RAW_BUDGET)


def test_default_budget_is_at_least_a_thousand_examples() -> None:
    assert sum(BUDGET.values()) + RAW_BUDGET >= 1_000
