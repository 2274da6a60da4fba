"""Table view of `inferx diff`: the figures that changed, one table per kind."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt

KINDS = ("cost", "latency", "throughput", "memory", "fit")


def _change(c: dict[str, Any]) -> str:
    if c["change"] is None:
        return "—" if c["base"] is None or c["new"] is None else "new" if not c["base"] else "—"
    return f"{c['change']:+.1%}" + (" !" if c["exceeds"] else "")


def tables(d: dict[str, Any]) -> list[TableSpec]:
    with_scenario = any(c["scenario"] for c in d["changes"])
    cols = (["scenario"] if with_scenario else []) + ["figure", "base", "new", "change"]
    what = f"inferx {' '.join(d['command'])}: {d['base']} → {d['new']}"
    summary = f"{len(d['changes'])} figure(s) changed across {d['scenarios']} scenario(s)"
    if d["fail_above"] is not None:
        summary += (f"; ! a cost rose more than {d['fail_above']:.1%}: "
                    f"{d['cost_increases_above_threshold']}")
    specs = []
    for kind in KINDS:
        changes = [c for c in d["changes"] if c["kind"] == kind]
        if changes:
            specs.append(TableSpec(
                title=f"{kind.capitalize()}: {what}", columns=cols,
                rows=[([c["scenario"]] if with_scenario else [])
                      + [c["figure"], fmt(c["base"], 4), fmt(c["new"], 4), _change(c)]
                      for c in changes],
                left_columns=len(cols) - 3))
    if not specs:
        specs.append(TableSpec(title=f"No change: {what}", columns=cols,
                               rows=[["(none)"] + [""] * (len(cols) - 1)]))
    specs[-1].caption = summary
    if d["unmatched"]:
        specs.append(TableSpec(
            title="Not compared", columns=["scenario", "base", "new"],
            rows=[[u["scenario"], u["base_status"] or "missing", u["new_status"] or "missing"]
                  for u in d["unmatched"]]))
    return specs
