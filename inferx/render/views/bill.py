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
        hours = fl["replicas_by_hour"]
        if hours and len(hours) == 24:
            rows.append(["replicas by hour (0-23)", " ".join(map(str, hours))])
        elif hours:
            rows.append([f"replicas by hour ({len(hours)} hours)",
                         f"{min(hours)} to {max(hours)} (the JSON lists each hour)"])
        specs.append(TableSpec(title="Fleet sized for peak", columns=["fleet", "value"],
                               rows=rows))
    specs += _economics(d)
    if d["apis"]:
        specs.append(TableSpec(
            title="Build vs buy", columns=["API", "$ in / out per 1M", "per month",
                                           "break-even queries/day"],
            rows=[[a["id"], f"{a['usd_per_million_input_tokens']:g} / "
                   f"{a['usd_per_million_output_tokens']:g}",
                   usd(a["totals"]["monthly_usd"]) if a["totals"] else "unknown",
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
            rows += [[f"payback vs renting ({r['pricing']}), months",
                      _months(r.get("payback_months"))] for r in own["vs_renting"]]
            rows += [[f"payback vs API {a['id']}, months", _months(a["payback_months"])]
                     for a in own.get("vs_apis", [])]
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


def _months(v: object) -> str:
    return "never" if v is None else f"{float(v):,.1f}"  # type: ignore[arg-type]


def _range(d: dict[str, Any], path: str) -> str:
    r = d.get("ranges", {}).get(path)
    return "" if r is None else f" ({usd(r['low'])}-{usd(r['high'])})"


def _economics(d: dict[str, Any]) -> list[TableSpec]:
    """Utilization under the rental policies, the prefix cache and the energy assumptions."""
    specs: list[TableSpec] = []
    u = d.get("utilization")
    if u is not None:
        rows = []
        for p in u["policies"]:
            if not p["priced"]:
                rows.append([p["policy"], "—", "—", "—", "—", p["reason"] or ""])
                continue
            rows.append([p["policy"], usd(p["monthly_usd"]) + _range(
                d, f"utilization.policies.{p['policy']}.monthly_usd"),
                usd(p["usd_per_million_output_tokens"]),
                f"{p['underutilization_factor']:.1f}x", fmt(p["gpu_hours_per_month"]),
                "—" if p["kwh_per_month"] is None else
                f"{fmt(p['kwh_per_month'])} kWh, {fmt(p['kg_co2_per_month'])} kg CO2"])
        cap = (f"fully loaded: {usd(u['fully_loaded_usd_per_million_output_tokens'])} per 1M "
               f"output tokens at {u['pricing']}; cold start "
               f"{'—' if u['cold_start_s'] is None else fmt(u['cold_start_s'])} s; "
               f"{u['replicas_billed_at_peak']} replicas at peak for "
               f"{u['replicas_needed_at_peak']} needed, availability "
               f"{u['availability_at_peak']:.4%}")
        specs.append(TableSpec(title="Utilization by rental policy",
                               columns=["policy", "per month", "per 1M output", "vs loaded",
                                        "GPU-hours", "energy"],
                               rows=rows, left_columns=1, caption=cap))
    c = d.get("cache")
    if c is not None:
        specs.append(TableSpec(title="Prefix cache", columns=["", "value"], rows=[
            ["hit rate (self-hosted)", f"{c['prefix_cache_hit']:.1%} ({c['source']}, "
             f"{c['routing']} over {c['replicas']})"],
            ["API cached / written share", f"{c['api_cached_input_share']:.1%} / "
             f"{c['api_cache_write_share']:.1%} ({c['api_cache_ttl']})"],
            ["prefill tokens saved per day", fmt(c["prefill_tokens_saved_per_day"])]],
            caption=c["note"]))
    return specs
