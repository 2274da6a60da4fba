"""Write the JSON Schemas of the `data` each command puts in the envelope.

    python -m inferx._schema            # rewrite docs/schema/*.json
    python -m inferx._schema --check    # exit 1 if a committed schema is stale

tests/test_json_schema.py runs the check, so a change to a result model that is not reflected
in the committed schema (and so in docs/json-output.md's contract) fails the suite.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema pydantic writes for a result dataclass (validation mode: the keys a
    document holds, as the pydantic models these dataclasses replaced wrote them)."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls).json_schema()


def schemas() -> dict[str, dict[str, Any]]:
    from inferx.bill.results import BillResult
    from inferx.diff import DiffResult
    from inferx.plan.results import PlanResult
    from inferx.plan.sweep import SweepResult
    from inferx.results import BatchEnvelope, Envelope, EstimateResult, FixedEstimateResult
    from inferx.sweeps import CompareResult

    return {
        "envelope.v1.json": json_schema(Envelope),
        "estimate.v1.json": json_schema(EstimateResult),
        "estimate-fixed.v1.json": json_schema(FixedEstimateResult),
        "compare.v1.json": json_schema(CompareResult),
        "bill.v1.json": json_schema(BillResult),
        "batch-envelope.v1.json": json_schema(BatchEnvelope),
        "diff.v1.json": json_schema(DiffResult),
        "plan.v1.json": json_schema(PlanResult),
        "estimate-sweep.v1.json": json_schema(SweepResult),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    return [name for name, schema in schemas().items()
            if not (SCHEMA_DIR / name).is_file()
            or (SCHEMA_DIR / name).read_text(encoding="utf-8") != render(schema)]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        names = stale()
        for name in names:
            sys.stderr.write(f"stale: docs/schema/{name} (run `python -m inferx._schema`)\n")
        return 1 if names else 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMA_DIR / name).write_text(render(schema), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
