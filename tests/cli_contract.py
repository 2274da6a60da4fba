"""The contract every `inferx` run keeps, whatever its input (docs/exit-codes.md).

Shared by the fuzz suite (test_fuzz_cli.py) and the malformed-file corpus
(test_malformed_corpus.py)."""

from __future__ import annotations

import json
import math
import re
from typing import Any

DOCUMENTED_EXIT_CODES = {0, 2, 3, 4, 5, 6, 130}
MAX_ERROR_CHARS = 2_000  # the error line; all of stderr stays under four times this
BAD_CELLS = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity"}
# Keys whose numbers are costs, latencies or durations: never negative.
_NON_NEGATIVE_KEY = re.compile(r"(usd|cost|latency|_ms$|_ms_|_s$|ttft|tpot|e2e)")
_SIGNED_KEY = re.compile(r"(change|delta|diff|pct|vs_|saving|ratio|_pct$)")


def json_format_requested(argv: list[str]) -> bool:
    """--format json / --format=json / -f json / -fjson, as the CLI recognises it."""
    for i, arg in enumerate(argv):
        if arg in ("--format", "-f") and i + 1 < len(argv) and argv[i + 1].lower() == "json":
            return True
        if arg.lower() in ("--format=json", "-fjson"):
            return True
    return False


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"JSON output holds {name}")


def _walk(value: Any, key: str = "") -> list[str]:
    bad: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            bad.extend(_walk(v, str(k)))
    elif isinstance(value, list):
        for v in value:
            bad.extend(_walk(v, key))
    elif isinstance(value, float) and not math.isfinite(value):
        bad.append(f"{key}={value}")
    elif isinstance(value, int | float) and not isinstance(value, bool) and value < 0 \
            and _NON_NEGATIVE_KEY.search(key) and not _SIGNED_KEY.search(key):
        bad.append(f"{key}={value}")
    return bad


def check_output_numbers(stdout: str, argv: list[str]) -> None:
    """No NaN / Infinity anywhere, no negative cost or latency, in JSON or CSV output."""
    if json_format_requested(argv) and stdout.strip():
        doc = json.loads(stdout, parse_constant=_reject_constant)
        assert not _walk(doc), _walk(doc)[:5]
    elif "csv" in argv and stdout.strip():
        import csv

        for row in csv.DictReader(stdout.splitlines()):
            for key, cell in row.items():
                text = (cell or "").strip().lower()
                assert text not in BAD_CELLS, f"CSV cell {key}={cell}"
                try:
                    number = float(text)
                except ValueError:
                    continue
                assert not (number < 0 and _NON_NEGATIVE_KEY.search(key or "")
                            and not _SIGNED_KEY.search(key or "")), f"CSV cell {key}={cell}"


def check_contract(result: Any, argv: list[str]) -> list[str]:
    """Assert the contract; returns the error lines (empty on success)."""
    code = result.exit_code
    assert code in DOCUMENTED_EXIT_CODES, (code, argv, result.stderr[-500:])
    assert code != 1, (argv, result.stderr[-500:], repr(result.exception))
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    if code == 0:
        assert not errors, (argv, errors)
    else:
        assert len(errors) == 1, (argv, result.stderr[-1000:])
        assert "Traceback" not in result.stderr, argv
        assert len(errors[0]) <= MAX_ERROR_CHARS, (argv, len(errors[0]))
        assert len(result.stderr) <= 4 * MAX_ERROR_CHARS, (argv, len(result.stderr))
    asked_help = any(a in ("-h", "--help", "--version") for a in argv)
    if json_format_requested(argv) and not (code == 0 and asked_help):
        assert result.stdout.strip(), (argv, "no JSON envelope on stdout")
        doc = json.loads(result.stdout, parse_constant=_reject_constant)
        expected = "ok" if code in (0, 5) else "error"
        assert doc["status"] == expected, (argv, doc.get("errors"))
        if expected == "error":
            assert doc["errors"] and doc["errors"][0]["message"], argv
            assert errors[0] == f"error: {doc['errors'][0]['message']}".splitlines()[0], argv
    if not asked_help:
        check_output_numbers(result.stdout, argv)
    return errors


_METAVAR = re.compile(r"\b[A-Z][A-Z_]{1,}\b")


def names_the_culprit(line: str, argv: list[str], code: int) -> bool:
    """The error line names a flag, an argument's metavar, or a file (and field)."""
    if code == 3:
        return "profile" in line
    flags = {a.split("=", 1)[0] for a in argv if a.startswith("-") and len(a) > 1}
    if any(f in line for f in flags if f not in ("-", "--")):
        return True
    if re.match(r"error: (--[a-z][a-z0-9-]+|-[a-zA-Z])\b", line):
        return True  # a flag the user should have given (`bill` without --daily-queries)
    if any(len(a) > 3 and a in line for a in argv if not a.startswith("-")):
        return True  # a file or directory given on the command line
    return bool(_METAVAR.search(line.split(":", 2)[1] if line.count(":") >= 2 else line))
