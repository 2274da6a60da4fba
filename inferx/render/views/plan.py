"""Table view of `inferx plan`: the cheapest configurations, the frontier as a text chart,
and what the search excluded."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt

BAR_WIDTH = 24
CHART_FAMILIES = 3
CHART_ROWS = 16


def _bar(value: float, largest: float) -> str:
    if not largest:
        return ""
    cells = max(1, round(BAR_WIDTH * value / largest))
    return "#" * cells + " " * (BAR_WIDTH - cells)


def _targets(i: dict[str, Any]) -> str:
    parts = []
    if i["max_ttft_ms"] is not None:
        parts.append(f"TTFT <= {fmt(i['max_ttft_ms'])} ms")
    if i["tpot_limit_ms"] is not None:
        parts.append(f"TPOT <= {fmt(i['tpot_limit_ms'])} ms")
    return ", ".join(parts) or "no latency target"


def tables(d: dict[str, Any]) -> list[TableSpec]:
    i, configs = d["inputs"], d["configurations"]
    fleet = i["ranked_by"] == "monthly_usd"
    title = (f"Cheapest deployments of {i['model']} ({i['input_tokens']:,} in / "
             f"{i['output_tokens']:,} out; {_targets(i)})")
    tiers = len(i["pricing"]) > 1
    cols = ["#", "hardware", "precision", "layout", "conc.", "TTFT ms", "TPOT ms",
            "tok/s/user", "tok/s/GPU", "$/1M out"] + (["tier"] if tiers else [])
    if fleet:
        cols += ["replicas", "GPUs", "$/month"]
    rows = []
    for c in configs:
        row = [str(c["rank"]), c["hardware"], c["precision"], c["layout"], fmt(c["concurrency"]),
               fmt(c["ttft_ms"]), fmt(c["tpot_ms"]), fmt(c["tokens_per_s_per_user"]),
               fmt(c["output_tokens_per_s_per_gpu"]), fmt(c["usd_per_million_output_tokens"])]
        row += [c["pricing"]] if tiers else []
        if fleet:
            row += [fmt(c["replicas"]), fmt(c["gpus_total"]), fmt(c["monthly_usd"])]
        rows.append(row)
    caption = None
    if configs:
        caption = "reproduce #1: " + configs[0]["estimate_command"]
    elif i:
        caption = "no configuration meets the targets: see the exclusions below"
    specs = [TableSpec(title=title, columns=cols, rows=rows, caption=caption, left_columns=4)]
    shown = list(dict.fromkeys((c["hardware"], c["precision"]) for c in configs))
    for f in d["frontier"]:
        if (f["hardware"], f["precision"]) not in shown[:CHART_FAMILIES]:
            continue
        pts = f["points"]
        top = max((p["output_tokens_per_s_per_gpu"] for p in pts), default=0.0)
        if len(pts) > CHART_ROWS:  # evenly spaced along the curve, both ends kept
            step = (len(pts) - 1) / (CHART_ROWS - 1)
            pts = [pts[round(k * step)] for k in range(CHART_ROWS)]
        specs.append(TableSpec(
            title=f"Frontier: {f['hardware']} at {f['precision']}: output tokens/s per GPU "
                  "(bar) against tokens/s per user",
            columns=["tok/s/GPU", "", "tok/s/user", "$/1M out", "layout", "conc.",
                     "meets targets"],
            rows=[[fmt(p["output_tokens_per_s_per_gpu"]),
                   _bar(p["output_tokens_per_s_per_gpu"], top), fmt(p["tokens_per_s_per_user"]),
                   fmt(p["usd_per_million_output_tokens"]), p["layout"], fmt(p["concurrency"]),
                   "yes" if p["meets_targets"] else "no"] for p in pts],
            caption=f"{len(f['points'])} frontier points (all in --format json)",
            left_columns=2))
    s = d["search"]
    specs.append(TableSpec(
        title=(f"Search: {s['families']} hardware x precision families, {s['layouts']} layouts, "
               f"{s['points']:,} points; {s['families_with_configurations']} families meet the "
               "targets"),
        columns=["excluded because", "families", "e.g."],
        rows=[[reason, str(n), next(f"{e['hardware']} {e['precision']}: {e['detail']}"
                                    for e in d["excluded"] if e["reason"] == reason)]
              for reason, n in s["excluded"].items()], left_columns=3))
    return specs
