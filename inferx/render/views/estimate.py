"""Table view of `inferx estimate`: what it costs, and why."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def tables(d: dict[str, Any]) -> list[TableSpec]:
    if d.get("sweep") == "concurrency":  # estimate --sweep concurrency / --frontier
        from inferx.render.views.estimate_sweep import tables as sweep_tables

        return sweep_tables(d)
    if d.get("workload_kind") in ("fixed", "encoder"):  # per inference, not per token
        from inferx.render.views.estimate_fixed import tables as fixed_tables

        return fixed_tables(d)
    i, mem, lat, thr, cost, en = (d["inputs"], d["memory"], d["latency"], d["throughput"],
                                  d["cost"], d["energy"])
    conc = f"{i['concurrency']}" + (" (max that fits)" if i["concurrency_mode"] == "max" else "")
    sv = d.get("serving") or {}
    traffic = {"clients": lambda: f"{sv['clients']:,} closed-loop clients (queue wait "
                                  f"{fmt(sv['queue_wait_ms'], unit='ms')})",
               "rate": lambda: f"{fmt(sv['request_rate'])} requests/s offered"
                               + (" (overloaded: the replica sustains "
                                  f"{fmt(sv['sustainable_requests_per_s'])}/s)"
                                  if sv.get("overloaded") else ""),
               "burst": lambda: f"{sv['requests']:,} requests, " + (
                   "all at once" if sv.get("request_rate") is None
                   else f"at {fmt(sv['request_rate'])}/s")}.get(sv.get("mode", ""))
    compute = i["compute_dtype"] + (" (weight-only fallback)" if i["weight_only_fallback"] else "")
    scenario = TableSpec(
        title=f"{i['model']} on {i['gpus']} x {i['hardware']} at {i['precision']}",
        columns=["scenario", "value"],
        rows=[["weights / KV cache / compute", f"{i['precision']} / {i['kv_precision']} / {compute}"],
              ["tokens in / out", f"{i['input_tokens']:,} / {i['output_tokens']:,}"],
              *([["traffic", traffic()]] if traffic else []),
              ["concurrent requests" + (" at the server" if traffic else ""), conc],
              ["parameters", fmt(d["model"]["params_b"], 4, "B")
               + ("" if d["model"]["active_params_b"] == d["model"]["params_b"]
                  else f" ({fmt(d['model']['active_params_b'], 3)}B active)")],
              ["price", f"{i['price'] or '—'} ({i['pricing']})"]])
    memory = TableSpec(
        title="Memory per GPU", columns=["memory", "GB"],
        rows=[["weights", fmt(mem["weights_gb_per_gpu"])],
              ["KV cache", fmt(mem["kv_cache_gb_per_gpu"])],
              ["activations", fmt(mem["activations_gb_per_gpu"])],
              ["runtime overhead", fmt(mem["overhead_gb_per_gpu"])],
              ["total / usable", f"{fmt(mem['total_gb_per_gpu'])} / {fmt(mem['usable_gb_per_gpu'])}"],
              ["fits", fmt(mem["fits"])],
              ["fewest GPUs that fit", fmt(mem["min_gpus"])],
              ["most concurrent requests", fmt(mem["max_concurrency"])],
              ["KV cache per token", fmt(mem["kv_cache_bytes_per_token"], unit="bytes")]],
        caption=f"model weights in total: {fmt(mem['weights_gb'])} GB")
    specs = [scenario, memory]
    dep = d.get("deployment") or {}
    if dep and (dep.get("links") or dep.get("speculative") or dep.get("disaggregation")
                or dep.get("prefix_cache_hit")):
        rows = [[f"{lk['collective']} over {lk['devices']}",
                 f"{lk['link']} ({lk['field']}: {fmt(lk['gb_per_s'], unit='GB/s')})"
                 + (f", {lk['domains']} domains" if lk["domains"] > 1 else "")]
                for lk in dep.get("links") or []]
        if dep.get("prefix_cache_hit"):
            rows.append(["prefix cache hit", f"{dep['prefix_cache_hit']:.0%} of prompt tokens"])
        if sp := dep.get("speculative"):
            rows.append(["speculative decoding", f"{sp['method']}"
                         + (f" ({sp['draft_model']})" if sp.get("draft_model") else "")
                         + f", {sp['draft_tokens']} drafted, {fmt(sp['acceptance_length'])} "
                           "accepted per step"])
        if dis := dep.get("disaggregation"):
            rows += [["prefill : decode instances",
                      f"{dis['prefill_instances']} : {dis['decode_instances']} x "
                      f"{dis['gpus_per_instance']} GPUs ({dis['bottleneck']} limits; balanced "
                      f"at {fmt(dis['balanced_prefill_per_decode'])} : 1)"],
                     ["KV transfer per request", f"{fmt(dis['kv_transfer_mb'])} MB in "
                                                 f"{fmt(dis['kv_transfer_ms'], unit='ms')}"]]
        specs.append(TableSpec(
            title=f"Deployment: {dep['layout']} ({dep['chosen_by']})", columns=["", "value"],
            rows=rows, caption=f"{dep['gpus_per_replica']} GPUs per replica over "
                               f"{dep['nodes']} scale-up domain(s)"))
    if d.get("overridden"):  # the assumptions the user set, so a reader sees what was changed
        values = {a["name"]: a["value"] for a in d.get("assumptions", [])}
        specs.append(TableSpec(
            title="Assumptions you set (--assume)", columns=["assumption", "value"],
            rows=[[name, fmt(values.get(name))] for name in d["overridden"]]))
    if lat["ttft_ms"] is not None:
        pf, dc = lat["prefill"], lat["decode"]
        specs.append(TableSpec(
            title="Latency (why: roofline terms per pass, ms)",
            columns=["latency", "value", "bound", "compute", "memory", "comm", "overhead"],
            rows=[["time to first token", fmt(lat["ttft_ms"], unit="ms"), pf["bound"],
                   fmt(pf["compute_ms"]), fmt(pf["memory_ms"]), fmt(pf["communication_ms"]),
                   fmt(pf["overhead_ms"])],
                  ["time per output token", fmt(lat["tpot_ms"], unit="ms"), dc["bound"],
                   fmt(dc["compute_ms"]), fmt(dc["memory_ms"]), fmt(dc["communication_ms"]),
                   fmt(dc["overhead_ms"])],
                  ["end to end", fmt(lat["e2e_s"], unit="s"), "", "", "", "", ""]],
            caption="TPOT includes other requests' prefills interleaved with decoding"
                    + ("; TTFT includes the wait in the queue" if traffic else "")))
        specs.append(TableSpec(
            title="Throughput, cost and energy", columns=["figure", "value"],
            rows=[["output tokens/s (replica)", fmt(thr["output_tokens_per_s"])],
                  ["output tokens/s per GPU", fmt(thr["output_tokens_per_s_per_gpu"])],
                  ["requests/s", fmt(thr["requests_per_s"])],
                  ["$ per hour", fmt(cost["usd_per_hour"])],
                  ["$ per 1M output tokens", fmt(cost["usd_per_million_output_tokens"])],
                  ["$ per 1M input tokens", fmt(cost["usd_per_million_input_tokens"])],
                  ["$ per request", fmt(cost["usd_per_request"])],
                  ["average power", fmt(en["power_w"], unit="W")],
                  ["energy per output token", fmt(en["joules_per_output_token"], unit="J")],
                  ["energy per request", fmt(en["wh_per_request"], unit="Wh")],
                  ["CO2 per request", fmt(en["gco2_per_request"], unit="g")]]))
    if d.get("ranges"):  # low/high from the measured error spread (docs/accuracy.md)
        preset = d.get("preset") or {}
        specs.append(TableSpec(
            title=f"Ranges (engine preset {preset.get('engine', '—')}, "
                  f"{preset.get('origin', 'built-in')}"
                  + (f", values from {preset['values_from']}" if preset.get("values_from")
                     else "")
                  + (", with your --assume overrides" if d.get("overridden") else "") + ")",
            columns=["figure", "low", "high"],
            rows=[[key, fmt(r["low"]), fmt(r["high"])] for key, r in d["ranges"].items()],
            caption=("EXTRAPOLATED: no measurement shares this hardware family or serving "
                     "mode; the widest measured p10-p90 band (docs/accuracy.md#ranges)"
                     if d.get("extrapolated") else
                     "p10-p90 of predicted/measured: the envelope of the preset's "
                     "leave-one-source-out band and this hardware family's and serving "
                     "mode's held-out bands (docs/accuracy.md#ranges)")))
    return specs
