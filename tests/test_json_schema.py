"""The committed JSON Schemas match the result models (docs/json-output.md's contract)."""

from __future__ import annotations

import json

from inferx._schema import SCHEMA_DIR, schemas, stale


def test_committed_schemas_are_current():
    assert stale() == [], "result models changed: run `python -m inferx._schema` and review"


def test_estimate_output_validates_against_its_schema_keys(invoke):
    result, doc = invoke("estimate", "--format", "json")
    schema = json.loads((SCHEMA_DIR / "estimate.v1.json").read_text())
    assert set(doc["data"]) == set(schema["properties"])
    assert set(schemas()) == {p.name for p in SCHEMA_DIR.glob("*.json")}
