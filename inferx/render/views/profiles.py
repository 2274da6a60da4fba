"""Table views of `inferx profiles ...`: one per subcommand, chosen by data["subcommand"]."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def _list(d: dict[str, Any]) -> list[TableSpec]:
    prices = [r for r in d["rows"] if r.get("price")]
    others = [r for r in d["rows"] if not r.get("price")]
    specs = [_prices(prices)] if prices else []
    if others or not prices:
        rows = [[r["id"], r["kind"], r["name"], r["as_of"], r["origin"]] for r in others]
        specs.insert(0, TableSpec(title=f"{len(rows)} profiles",
                                  columns=["id", "kind", "name", "as_of", "origin"], rows=rows,
                                  left_columns=5, caption="`inferx profiles show ID` for every "
                                  "field and its source"))
    return specs


TIER_ORDER = ("on-demand", "reserved-1y", "reserved-3y", "spot", "capacity-block")


def _prices(rows: list[dict[str, Any]]) -> TableSpec:
    """One line per published tier: hardware, provider, tier, $/GPU-h, sorted by hardware."""
    lines = []
    for r in rows:
        p = r["price"]
        for tier, usd in p["usd_per_gpu_hour"].items():
            lines.append((p["hardware"], tier, usd, p["provider"], p["region"] or "", r["as_of"],
                          r["id"]))
    lines.sort(key=lambda x: (x[0], TIER_ORDER.index(x[1]) if x[1] in TIER_ORDER else 99, x[2]))
    table = [[hw, provider, tier, fmt(usd, digits=4), region, as_of, pid]
             for hw, tier, usd, provider, region, as_of, pid in lines]
    providers = len({r["price"]["provider"] for r in rows})
    return TableSpec(title=f"{len(rows)} price profiles, {providers} providers",
                     columns=["hardware", "provider", "tier", "$/GPU-h", "region",
                              "as_of", "id"], rows=table, left_columns=7,
                     caption="per GPU-hour (instance price / GPUs); `inferx profiles show ID` "
                             "for the source")


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
