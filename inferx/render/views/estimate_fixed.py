"""Table view of `inferx estimate` for a fixed (non-LLM) workload: per inference."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def tables(d: dict[str, Any]) -> list[TableSpec]:
    i, w, mem, lat, thr, cost, en = (d["inputs"], d["workload"], d["memory"], d["latency"],
                                     d["throughput"], d["cost"], d["energy"])
    batch = f"{i['batch_size']}" + (" (max that fits)" if i["concurrency_mode"] == "max" else "")
    specs = [TableSpec(
        title=f"{i['model']} on {i['gpus']} x {i['hardware']} (fixed workload)",
        columns=["scenario", "value"],
        rows=[["unit of work", w["workload_unit"] or "inference"],
              ["GFLOPs per inference", fmt(w["gflops_per_inference"])],
              ["weights", fmt(w["weights_mb"], unit="MB")],
              ["activations per inference", fmt(w["activation_mb_per_inference"], unit="MB")],
              ["compute dtype", i["compute_dtype"]],
              ["batch per GPU", batch],
              ["price", f"{i['price'] or '—'} ({i['pricing']})"]]),
        TableSpec(title="Memory per GPU", columns=["memory", "GB"],
                  rows=[["weights", fmt(mem["weights_gb_per_gpu"])],
                        ["activations", fmt(mem["activations_gb_per_gpu"])],
                        ["runtime overhead", fmt(mem["overhead_gb_per_gpu"])],
                        ["total / usable",
                         f"{fmt(mem['total_gb_per_gpu'])} / {fmt(mem['usable_gb_per_gpu'])}"],
                        ["fits", fmt(mem["fits"])],
                        ["largest batch that fits", fmt(mem["max_batch_size"])]])]
    if lat["latency_ms"] is not None:
        b = lat["batch"]
        specs.append(TableSpec(
            title="Latency, throughput, cost and energy", columns=["figure", "value"],
            rows=[["latency per request", fmt(lat["latency_ms"], unit="ms")],
                  ["bound (compute / memory ms)",
                   f"{b['bound']} ({fmt(b['compute_ms'])} / {fmt(b['memory_ms'])})"],
                  ["inferences/s", fmt(thr["inferences_per_s"])],
                  ["inferences/s per GPU", fmt(thr["inferences_per_s_per_gpu"])],
                  ["$ per hour", fmt(cost["usd_per_hour"])],
                  ["$ per 1,000 inferences", fmt(cost["usd_per_thousand_inferences"])],
                  ["average power", fmt(en["power_w"], unit="W")],
                  ["energy per inference", fmt(en["joules_per_inference"], unit="J")]]))
    return specs
