"""Table views of `inferx profiles ...`: one per subcommand, chosen by data["subcommand"]."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def _list(d: dict[str, Any]) -> list[TableSpec]:
    rows = [[r["id"], r["kind"], r["name"], r["as_of"], r["origin"]] for r in d["rows"]]
    return [TableSpec(title=f"{len(rows)} profiles", columns=["id", "kind", "name", "as_of",
                                                              "origin"], rows=rows, left_columns=5,
                      caption="`inferx profiles show ID` for every field and its source")]


def _value(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}={_value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v)
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)  # years, counts and sizes: no thousands separators
    return fmt(v, digits=6)


def _show(d: dict[str, Any]) -> list[TableSpec]:
    rows = [[k, _value(v)] for k, v in d["profile"].items() if v is not None]
    return [TableSpec(title=f"{d['kind']} profile {d['id']}", columns=["field", "value"],
                      rows=rows, left_columns=2, caption=f"{d['path']} ({d['origin']})")]


def _validate(d: dict[str, Any]) -> list[TableSpec]:
    return [TableSpec(title="Profiles valid", columns=["files checked", "problems"],
                      rows=[[str(d["checked_files"]), str(len(d["problems"]))]])]


def _path(d: dict[str, Any]) -> list[TableSpec]:
    rows = [[str(r["order"]), r["origin"], r["path"], fmt(r["exists"])] for r in d["rows"]]
    return [TableSpec(title="Profile look-up order", columns=["#", "origin", "path", "exists"],
                      rows=rows, left_columns=3,
                      caption="a later directory overrides an id from an earlier one")]


def _imported(d: dict[str, Any]) -> list[TableSpec]:
    rows = [[r["id"], r["kind"], r["path"]] for r in d["rows"]]
    caption = f"{len(d['skipped'])} entries skipped (see --format json)" if d["skipped"] else None
    return [TableSpec(title=f"Wrote {len(rows)} profile(s)", columns=["id", "kind", "path"],
                      rows=rows, left_columns=3, caption=caption)]


VIEWS = {"list": _list, "show": _show, "validate": _validate, "path": _path,
         "import-hf": _imported, "import-prices": _imported}


def tables(d: dict[str, Any]) -> list[TableSpec]:
    return VIEWS[d["subcommand"]](d)
