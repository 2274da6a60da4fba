"""HTML: one self-contained report (tables and charts) that needs no network to view.

Charts are Plotly figures (the `report` extra, imported lazily); plotly.js is inlined once in
the page's head, so the file opens offline.  Tables are the command's table views.  Which
charts a command gets is decided here, from the result's JSON (render never computes results;
the bill's build-vs-buy curve evaluates bill.arithmetic's own fleet-cost formula at other
volumes).
"""

from __future__ import annotations

import html
import math
from typing import Any, TextIO

from inferx.errors import MissingExtraError
from inferx.jsonable import to_jsonable
from inferx.render.views import TableSpec
from inferx.results import Envelope

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .75rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { text-align: left; background: #f6f8fa; } td.num, th.num { text-align: right; }
caption { caption-side: bottom; text-align: left; color: #57606a; padding-top: .4rem; }
.warnings { background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem 1rem; }
.chart { min-height: 380px; } footer { color: #57606a; margin-top: 3rem; font-size: .85rem; }
"""


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise MissingExtraError("report", "--format html", "plotly") from None
    return go


def _table(spec: TableSpec) -> str:
    esc = html.escape
    def cls(i: int) -> str:
        return "" if i < spec.left_columns or i in spec.left_also else "num"

    head = "".join(f'<th class="{cls(i)}">{esc(c)}</th>' for i, c in enumerate(spec.columns))
    body = "".join("<tr>" + "".join(f'<td class="{cls(i)}">{esc(c)}</td>'
                                    for i, c in enumerate(row)) + "</tr>"
                   for row in spec.rows)
    caption = f"<caption>{esc(spec.caption)}</caption>" if spec.caption else ""
    return (f"<h2>{esc(spec.title)}</h2><table>{caption}<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _layout(title: str, x: str, y: str) -> dict[str, Any]:
    return {"title": title, "xaxis_title": x, "yaxis_title": y, "template": "plotly_white",
            "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
            "legend": {"orientation": "h", "y": -0.2}}


def estimate_charts(d: dict[str, Any]) -> list[Any]:
    go = _plotly()
    if d.get("workload_kind") in ("fixed", "encoder"):
        return []
    mem = d["memory"]
    parts = [("weights", mem["weights_gb_per_gpu"]), ("KV cache", mem["kv_cache_gb_per_gpu"]),
             ("activations", mem["activations_gb_per_gpu"]),
             ("runtime overhead", mem["overhead_gb_per_gpu"])]
    memory = go.Figure([go.Bar(name=name, x=[value], y=["per GPU"], orientation="h")
                        for name, value in parts])
    memory.add_vline(x=mem["usable_gb_per_gpu"], line_dash="dash",
                     annotation_text=f"usable {mem['usable_gb_per_gpu']:.1f} GB")
    memory.update_layout(barmode="stack", height=300,
                         **_layout("Memory per GPU", "GB", ""))
    figures = [memory]
    lat = d["latency"]
    if lat.get("prefill") and lat.get("decode"):
        terms = ["compute_ms", "memory_ms", "attention_ms", "communication_ms", "overhead_ms"]
        passes = {"prefill (one pass)": lat["prefill"], "decode (one step)": lat["decode"]}
        latency = go.Figure([go.Bar(name=t.removesuffix("_ms"), x=list(passes),
                                    y=[p.get(t, 0) for p in passes.values()]) for t in terms])
        latency.update_layout(barmode="group",
                              **_layout("Roofline terms of one pass", "", "ms"))
        figures.append(latency)
    return figures


def compare_charts(d: dict[str, Any]) -> list[Any]:
    go = _plotly()
    rows = d["rows"]
    labels = [r["row"] for r in rows]
    cheapest = d.get("cheapest_meeting_targets")
    colors = ["#2da44e" if r["row"] == cheapest else "#0969da" for r in rows]
    cost = go.Figure(go.Bar(x=labels, y=[r["usd_per_million_output_tokens"] for r in rows],
                            marker_color=colors))
    cost.update_layout(**_layout("$ per 1M output tokens"
                                 + (f" (green: cheapest meeting targets, {cheapest})"
                                    if cheapest else ""), d["inputs"]["across"], "USD"))
    speed = go.Figure(go.Bar(x=labels, y=[r["output_tokens_per_s_per_gpu"] for r in rows]))
    speed.update_layout(**_layout("Output tokens/s per GPU", d["inputs"]["across"],
                                  "tokens/s"))
    return [cost, speed]


def _build_vs_buy(d: dict[str, Any]) -> Any | None:
    """Monthly bill against daily volume: the always-on fleet (a step per replica) and each
    API (a line), with the break-even volume marked."""
    from inferx.bill import arithmetic as F

    rep, sh, i = d.get("replica"), d.get("self_hosted") or [], d["inputs"]
    if rep is None or not sh or not d["apis"] or sh[0]["usd_per_gpu_hour"] is None:
        return None
    go = _plotly()
    volume = d["traffic"]["daily_queries"]
    marks = [volume] + [a["break_even_daily_queries"] for a in d["apis"]
                        if a["break_even_daily_queries"]]
    low, top = min(marks) / 10, max(marks) * 10  # log axes: every crossing shows
    xs = [low * (top / low) ** (k / 400) for k in range(401)]
    fleet = [F.always_on_monthly_usd(
        daily_queries=v, replica_requests_per_s=rep["requests_per_s"],
        target_utilization=i["target_utilization"],
        peak_to_average=d["traffic"]["peak_to_average"], min_replicas=i["min_replicas"],
        gpus_per_replica=rep["gpus"], usd_per_gpu_hour=sh[0]["usd_per_gpu_hour"],
        days_per_month=i["days_per_month"]) for v in xs]
    fig = go.Figure([go.Scatter(x=xs, y=fleet, name=f"self-hosted always-on ({sh[0]['pricing']})",
                                line_shape="hv")])
    for a in d["apis"]:
        per_query = a["totals"]["usd_per_query"]
        fig.add_trace(go.Scatter(x=xs, y=[per_query * v * i["days_per_month"] for v in xs],
                                 name=f"API {a['id']}"))
    fig.add_vline(x=volume, line_dash="dot")  # (annotations misplace on log axes)
    fig.update_layout(**_layout("Build vs buy: monthly bill by daily volume "
                                f"(dotted: this bill's {volume:,.0f} a day)",
                                "queries per day", "USD per month"))
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    return fig


def bill_charts(d: dict[str, Any]) -> list[Any]:
    go = _plotly()
    figures = []
    g = d.get("growth")
    if g is not None:
        s = g["series"]
        months = [m["month"] for m in s]
        fig = go.Figure()
        for key, name in (("self_hosted_monthly_usd", "self-hosted always-on"),
                          ("autoscaled_monthly_usd", "self-hosted autoscaled"),
                          ("direct_monthly_usd", "direct")):
            values = [m[key] for m in s]
            if any(v is not None for v in values):
                fig.add_trace(go.Bar(x=months, y=values, name=name))
        for api in (s[0]["api_monthly_usd"] or {}) if s else {}:
            fig.add_trace(go.Scatter(x=months, y=[m["api_monthly_usd"][api] for m in s],
                                     name=f"API {api}", mode="lines+markers"))
        fig.update_layout(barmode="group", **_layout(
            f"Monthly bill, growing {g['growth_per_month']:.1%} a month", "month", "USD"))
        values = [v for trace in fig.data for v in trace.y if v]
        if values and max(values) > 20 * min(values):  # bills far apart: both stay visible
            fig.update_yaxes(type="log")
        figures.append(fig)
    curve = _build_vs_buy(d)
    if curve is not None:
        figures.append(curve)
    return figures


CHARTS = {"estimate": estimate_charts, "compare": compare_charts, "bill": bill_charts}


def _finite(fig: Any) -> Any:
    """Plotly draws NaN/inf as gaps; None is what it expects."""
    for trace in fig.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None:
                setattr(trace, axis, [None if isinstance(v, float) and not math.isfinite(v)
                                      else v for v in values])
    return fig


def write_html(envelope: Envelope, out: TextIO) -> None:
    _plotly()  # the extra is installed, or one error line says which to install
    from plotly.offline import get_plotlyjs

    from inferx.render.table import specs_for

    data = to_jsonable(envelope.data, any_=True)
    command = " ".join(envelope.command)
    charts = CHARTS.get(envelope.command[0], lambda _d: [])(data)
    divs = [_finite(fig).to_html(full_html=False, include_plotlyjs=False,
                                 div_id=f"chart-{n}", default_height="420px",
                                 config={"displaylogo": False, "responsive": True})
            for n, fig in enumerate(charts, 1)]
    esc = html.escape
    warnings = ""
    if envelope.warnings:
        warnings = ('<div class="warnings"><strong>Warnings</strong><ul>'
                    + "".join(f"<li>{esc(w.message)}</li>" for w in envelope.warnings)
                    + "</ul></div>")
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>inferx {esc(command)}</title><style>{STYLE}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>inferx {esc(command)}</h1>{warnings}"
        + "".join(f'<div class="chart">{div}</div>' for div in divs)
        + "".join(_table(spec) for spec in specs_for(envelope))
        + f"<footer>inferx {esc(envelope.inferx_version)}, JSON schema "
          f"{esc(envelope.schema_version)}; estimates, not measurements: see "
          "docs/methodology.md.</footer></body></html>\n")
