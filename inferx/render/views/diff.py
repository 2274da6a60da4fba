"""Table view of `inferx diff`: one row per figure that changed."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def _change(c: dict[str, Any]) -> str:
    if c["change"] is None:
        return "—" if c["base"] is None or c["new"] is None else "new" if not c["base"] else "—"
    return f"{c['change']:+.1%}" + (" !" if c["exceeds"] else "")


def tables(d: dict[str, Any]) -> list[TableSpec]:
    with_scenario = any(c["scenario"] for c in d["changes"])
    cols = (["scenario"] if with_scenario else []) + ["figure", "kind", "base", "new", "change"]
    rows = [([c["scenario"]] if with_scenario else [])
            + [c["figure"], c["kind"], fmt(c["base"], 4), fmt(c["new"], 4), _change(c)]
            for c in d["changes"]]
    caption = f"{len(d['changes'])} figure(s) changed across {d['scenarios']} scenario(s)"
    if d["fail_above"] is not None:
        caption += (f"; ! cost rose more than {d['fail_above']:.1%}: "
                    f"{d['cost_increases_above_threshold']}")
    specs = [TableSpec(title=f"inferx {' '.join(d['command'])}: {d['base']} → {d['new']}",
                       columns=cols, rows=rows or [["(no change)"] + [""] * (len(cols) - 1)],
                       caption=caption, left_columns=len(cols) - 3)]
    if d["unmatched"]:
        specs.append(TableSpec(
            title="Not compared", columns=["scenario", "base", "new"],
            rows=[[u["scenario"], u["base_status"] or "missing", u["new_status"] or "missing"]
                  for u in d["unmatched"]]))
    return specs
