"""Table view of `inferx bill`: the bill, the fleet behind it, build vs buy, what-ifs, growth."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt, plain

BAR_WIDTH = 40


def usd(value: object) -> str:
    if value is None:
        return "—"
    v = float(value)  # type: ignore[arg-type]
    sign = "-" if v < 0 else ""
    v = abs(v)
    text = f"{v:,.0f}" if v >= 100 else f"{v:,.2f}" if v >= 0.01 else plain(v, 3)
    return f"{sign}${text}"


def bar_chart(values: list[float | None], width: int = BAR_WIDTH) -> list[str]:
    """Plain-text bars ('#'), scaled to the largest value; None → empty."""
    top = max((v for v in values if v is not None), default=0.0)
    out = []
    for v in values:
        n = 0 if v is None or top <= 0 else round(v / top * width)
        out.append(("#" * n).ljust(width))
    return out


def _totals_rows(label: str, t: dict[str, Any] | None) -> list[str]:
    if t is None:
        return [label, "—", "—", "—", "—", "—"]
    return [label, usd(t["daily_usd"]), usd(t["monthly_usd"]), usd(t["yearly_usd"]),
            usd(t["usd_per_1k_queries"]), usd(t["usd_per_million_tokens"])]


TOTAL_COLS = ["bill", "per day", "per month", "per year", "per 1k queries", "per 1M tokens"]



def tables(d: dict[str, Any]) -> list[TableSpec]:
    tr, conv = d["traffic"], d["conventions"]
    specs = [TableSpec(
        title="Traffic", columns=["traffic", "value"],
        rows=[["queries per day", fmt(tr["daily_queries"])],
              ["queries per month", fmt(tr["monthly_queries"])],
              ["tokens per query (in + out)", fmt(tr["tokens_per_query"])],
              ["average / peak queries/s", f"{fmt(tr['average_qps'])} / {fmt(tr['peak_qps'])}"],
              ["peak-to-average", f"{fmt(tr['peak_to_average'])} ({tr['peak_to_average_source']})"]],
        caption=conv["statement"])]
    bills = []
    if d["direct"] is not None:
        bills.append(_totals_rows("direct", d["direct"]))
    for s in d["self_hosted"]:
        bills.append(_totals_rows(f"always-on, {s['pricing']}", s["always_on"]))
        if s["autoscaled"] is not None:
            bills.append(_totals_rows(f"autoscaled, {s['pricing']}", s["autoscaled"]))
    for a in d["apis"]:
        bills.append(_totals_rows(f"API {a['id']}", a["totals"]))
    own = d["ownership"]
    if own is not None and own["priced"]:
        bills.append(_totals_rows("owned", own["totals"]))
    if bills:
        specs.append(TableSpec(title="Bill, USD (self-hosted on rented GPUs: always-on or "
                               "autoscaled; owned: amortized + power + hosting)",
                               columns=TOTAL_COLS, rows=bills,
                               caption=f"headline: {d['headline']['basis']}"
                               if d["headline"] else None))
    rep, fl = d["replica"], d["fleet"]
    if rep is not None and fl is not None:
        rows = [["replica", f"{rep['gpus']} x {rep['hardware']}, {rep['model']} at "
                 f"{rep['precision']}"],
                ["batch (limit)", f"{rep['concurrency']} ({rep['concurrency_limit']})"],
                ["requests/s per replica", fmt(rep["requests_per_s"])],
                ["TTFT / TPOT", f"{fmt(rep['ttft_ms'])} ms / {fmt(rep['tpot_ms'])} ms"],
                ["replicas / GPUs always on", f"{fl['replicas_always_on']} / {fl['gpus_always_on']}"],
                ["utilization at peak", fmt(fl["peak_utilization"])],
                ["GPU-hours per month, always on", fmt(fl["gpu_hours_per_month_always_on"])],
                ["GPU-hours per month, autoscaled", fmt(fl["gpu_hours_per_month_autoscaled"])]]
        if fl["replicas_by_hour"]:
            rows.append(["replicas by hour (0-23)", " ".join(map(str, fl["replicas_by_hour"]))])
        specs.append(TableSpec(title="Fleet sized for peak", columns=["fleet", "value"],
                               rows=rows))
    if d["apis"]:
        specs.append(TableSpec(
            title="Build vs buy", columns=["API", "$ in / out per 1M", "per month",
                                           "break-even queries/day"],
            rows=[[a["id"], f"{a['usd_per_million_input_tokens']:g} / "
                   f"{a['usd_per_million_output_tokens']:g}", usd(a["totals"]["monthly_usd"]),
                   fmt(a["break_even_daily_queries"])] for a in d["apis"]],
            caption=d["apis"][0]["break_even_note"]))
    if own is not None:
        if own["priced"]:
            rows = [["capital per GPU-month", usd(own["capital_usd_per_gpu_month"])],
                    ["energy per GPU-month", usd(own["energy_usd_per_gpu_month"])],
                    ["hosting per GPU-month", usd(own["hosting_usd_per_gpu_month"])],
                    ["owned fleet per month", usd(own["totals"]["monthly_usd"])]]
            rows += [[f"own minus rent ({r['pricing']})", usd(r["own_minus_rent_monthly_usd"])]
                     for r in own["vs_renting"]]
            specs.append(TableSpec(title=f"Owning {own['gpus']} GPUs", columns=["owning", "USD"],
                                   rows=rows))
        else:
            specs.append(TableSpec(title="Owning", columns=["owning", "why not"],
                                   rows=[["not priced", own["reason"]]], left_columns=2))
    if d["levers"]:
        specs.append(TableSpec(
            title="What-ifs (monthly)", columns=["lever", "what", "bill", "saving", "saving %"],
            rows=[[lv["lever"], lv["description"], usd(lv["monthly_usd"]),
                   usd(lv["monthly_saving_usd"]),
                   "—" if lv["saving_fraction"] is None else f"{lv['saving_fraction']:.1%}"]
                  for lv in d["levers"]], left_columns=2,
            caption="; ".join(f"{lv['lever']}: {lv['note']}" for lv in d["levers"] if lv["note"])
            or None))
    g = d["growth"]
    if g is not None:
        s = g["series"]
        key = "direct_monthly_usd" if d["direct"] is not None else "self_hosted_monthly_usd"
        values = [m[key] for m in s]
        bars = bar_chart(values)
        cols = ["month", "queries/day", "bill", "chart"]
        specs.append(TableSpec(
            title=f"Growth {g['growth_per_month']:.1%} a month", columns=cols,
            rows=[[str(m["month"]), fmt(m["daily_queries"]), usd(v), b]
                  for m, v, b in zip(s, values, bars, strict=True)],
            left_columns=1, caption=f"bill: {g['basis']}"))
    return specs
