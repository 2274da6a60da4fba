"""Table view of `inferx compare`: one row per precision (or hardware, or model)."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt

BAR_WIDTH = 10
CHEAPEST_MARK = " *"


def cost_bar(value: float | None, largest: float | None, width: int = BAR_WIDTH) -> str:
    """A text bar, `width` cells for the largest value; '' when there is no figure."""
    if value is None or not largest:
        return ""
    cells = min(width, max(1, round(width * value / largest)))
    return "#" * cells


def _change(row: dict[str, Any]) -> str:
    if row["is_baseline"]:
        return "baseline"
    vs = row["vs_baseline"] or {}
    if vs.get("usd_per_million_output_tokens_ratio") is None:
        return "—"
    return f"{(vs['usd_per_million_output_tokens_ratio'] - 1) * 100:+.0f}%"


def _label(row: dict[str, Any]) -> str:
    return row["row"] + (CHEAPEST_MARK if row["cheapest_meeting_targets"] else "")


def _compute(row: dict[str, Any]) -> str:
    text = row["compute_dtype"]
    if not row["native_compute"]:
        return f"{text} (emul.)"
    if row["weight_only"]:
        return f"{text} (w-o)"
    return text


def tables(d: dict[str, Any]) -> list[TableSpec]:
    i, rows = d["inputs"], d["rows"]
    what = {"precision": f"{i['models'][0]} on {i['hardware'][0]}",
            "hardware": f"{i['models'][0]} at {i['precisions'][0]}",
            "model": f"models on {i['hardware'][0]} at {i['precisions'][0]}"}[i["across"]]
    gpus = "fewest that fit, per row" if i["gpus"] is None else f"{i['gpus']} per replica"
    scenario = (f"{i['input_tokens']:,} tokens in / {i['output_tokens']:,} out, "
                f"{i['concurrency']} in flight, GPUs: {gpus}")
    memory = TableSpec(
        title=f"Compare across {i['across']}: {what}",
        columns=[i["across"], "compute", "KV", "weights GB", "KV B/token", "min GPUs",
                 "GPUs", "fits", "max conc."],
        rows=[[_label(r), _compute(r), r["kv_precision"], fmt(r["weights_gb"]),
               fmt(r["kv_cache_bytes_per_token"], 4), fmt(r["min_gpus"]), fmt(r["gpus"]),
               fmt(r["fits"]), fmt(r["max_concurrency"])] for r in rows],
        caption=scenario + "; w-o = weight-only, emul. = no native units", left_columns=3)
    largest = max((r["usd_per_million_output_tokens"] or 0.0 for r in rows), default=0.0)
    targets = [f"TTFT <= {fmt(i['max_ttft_ms'])} ms" if i["max_ttft_ms"] is not None else "",
               f"TPOT <= {fmt(i['max_tpot_ms'])} ms" if i["max_tpot_ms"] is not None else ""]
    targets = [t for t in targets if t]
    caption = f"baseline: {d['baseline']}"
    if targets:
        cheapest = d["cheapest_meeting_targets"]
        caption += (f"; * cheapest row meeting {' and '.join(targets)}: {cheapest}" if cheapest
                    else f"; no priced row meets {' and '.join(targets)}")
    speed = TableSpec(
        title="Latency, throughput and cost",
        columns=[i["across"], "TTFT ms", "TPOT ms", "tok/s", "tok/s/GPU", "$ / 1M out", "$ chart",
                 "$ vs base"],
        rows=[[_label(r), fmt(r["ttft_ms"]), fmt(r["tpot_ms"]), fmt(r["output_tokens_per_s"]),
               fmt(r["output_tokens_per_s_per_gpu"]), fmt(r["usd_per_million_output_tokens"]),
               cost_bar(r["usd_per_million_output_tokens"], largest), _change(r)]
              for r in rows],
        caption=caption, left_also=(6,))
    notes = TableSpec(
        title="Quality impact (published evaluations) and hardware support",
        columns=[i["across"], "quality impact", "note"],
        rows=[[_label(r), r["quality_summary"],
               r["not_native_reason"] or ("does not fit" if not r["fits"] else "")]
              for r in rows],
        caption="quality: from profiles/quality (each with a source; `inferx profiles` shows it)",
        left_columns=3)
    return [memory, speed, notes]
