"""Table view of `inferx estimate --sweep concurrency`: the curve as a text chart."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt
from inferx.render.views.plan import _bar


def tables(d: dict[str, Any]) -> list[TableSpec]:
    i, pts = d["inputs"], d["points"]
    top = max((p["output_tokens_per_s_per_gpu"] for p in pts), default=0.0)
    price = (f"{i['pricing']} {i['price']}, ${fmt(i['usd_per_gpu_hour'])}/GPU-h"
             if i["usd_per_gpu_hour"] is not None else "no price")
    return [TableSpec(
        title=(f"{i['model']} at {i['precision']} on {i['gpus']} x {i['hardware']} "
               f"({i['layout']}), {i['input_tokens']:,} in / {i['output_tokens']:,} out: "
               f"concurrency sweep ({price})"),
        columns=["conc.", "tok/s/GPU", "", "tok/s/user", "TTFT ms", "TPOT ms", "$/1M out",
                 "frontier"],
        rows=[[fmt(p["concurrency"]), fmt(p["output_tokens_per_s_per_gpu"]),
               _bar(p["output_tokens_per_s_per_gpu"], top), fmt(p["tokens_per_s_per_user"]),
               fmt(p["ttft_ms"]), fmt(p["tpot_ms"]), fmt(p["usd_per_million_output_tokens"]),
               "yes" if p["on_frontier"] else ""] for p in pts],
        left_columns=3)]
