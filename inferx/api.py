"""Library entry points: build the scenario, run the engine and serving model, assemble.

The CLI calls these and adds nothing the library lacks::

    from inferx.api import estimate
    answer = estimate(EstimateRequest(model="llama-3.1-70b", hardware="h100", gpus=4))
    answer.result.cost.usd_per_million_output_tokens
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from inferx.assemble import estimate_result, notes_to_warnings, profile_ref  # noqa: F401
from inferx.engine.deployment import Deployment
from inferx.engine.economics import Costs, Energy, point_costs, point_energy
from inferx.engine.estimate import Note, Workload, decoder_point, replica_gpus
from inferx.engine.serving import OperatingPoint, operate
from inferx.errors import InputError
from inferx.inputs import EstimateRequest
from inferx.pricing import PRICE_MAX_AGE_DAYS  # noqa: F401 (re-exported)
from inferx.registry import Registry
from inferx.results import Warning_
from inferx.scenario import Scenario, build


@dataclass
class Answer:
    """A result plus the warnings that go in the envelope."""

    result: Any
    warnings: list[Warning_] = field(default_factory=list)


def operating_point(sc: Scenario) -> OperatingPoint:
    """The scenario's traffic on its replica (engine/serving.py over engine/estimate.py), or
    on disaggregated prefill/decode pools (engine/disagg.py)."""
    req = sc.request
    cached = req.prefix_cache_hit or 0.0
    deployment = sc.deployment
    if deployment is None and (sc.speculation is not None or cached > 0):
        # the fewest GPUs that fit, as for plain tensor parallelism, then the extras on top
        tp = replica_gpus(model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
                          kv_bytes_per_element=sc.kv_bytes_per_element, gpus=req.gpus,
                          workload=Workload(req.input_tokens, req.output_tokens,
                                            sc.traffic.concurrency, False),
                          assumptions=sc.assumptions)
        deployment = Deployment(tp=tp)

    def run(concurrency: int | None, static: bool):  # noqa: ANN202
        return decoder_point(
            model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
            kv_bytes_per_element=sc.kv_bytes_per_element, gpus=req.gpus,
            workload=Workload(req.input_tokens, req.output_tokens, concurrency, static),
            assumptions=sc.assumptions, deployment=deployment, speculation=sc.speculation,
            cached_fraction=cached)

    if sc.disaggregation is not None:
        return disaggregated_point(sc, run)
    return operate(sc.traffic, run, output_tokens=req.output_tokens,
                   request_overhead_s=sc.assumptions.request_overhead_ms * 1e-3,
                   static_batch=sc.static_batch)


def disaggregated_point(sc: Scenario, run) -> OperatingPoint:  # noqa: ANN001
    """P prefill and D decode instances of the scenario's layout; each decode instance holds
    the scenario's concurrency (engine/disagg.py)."""
    from inferx.engine.disagg import disaggregate, transfer_link  # used by few runs: on use

    req, a = sc.request, sc.assumptions
    if sc.traffic.mode != "concurrency":
        raise InputError("disaggregate", "disaggregated pools are estimated at a fixed "
                         "--concurrency per decode instance")
    p = run(sc.traffic.concurrency, False)
    t = p.timing
    prefill_n, decode_n = sc.disaggregation  # type: ignore[misc]
    link = transfer_link(sc.hardware, (prefill_n + decode_n) * p.gpus)
    if t is None or link.gb_per_s is None:
        notes = () if link.gb_per_s is not None else (Note("no_interconnect_figure", (
            f"hardware profile {sc.hardware.id}: no {link.field}, so the KV transfer between "
            "the prefill and decode pools cannot be timed")),)
        return OperatingPoint(p, sc.traffic, None, None, None, None, None, notes=notes)
    dis = disaggregate(
        prefill_instances=prefill_n, decode_instances=decode_n, devices_per_instance=p.gpus,
        prefill_s=t.prefill.total_s, decode_tpot_s=t.step_s, concurrency=p.concurrency,
        output_tokens=req.output_tokens,
        kv_bytes=p.memory.kv_bytes_per_token * req.input_tokens, link=link,
        link_efficiency=a.interconnect_efficiency, hop_latency_us=a.allreduce_hop_latency_us,
        request_overhead_s=a.request_overhead_ms * 1e-3)
    note = Note("disaggregated", (
        f"{prefill_n} prefill + {decode_n} decode instances of {p.gpus} GPUs; the {dis.bottleneck} "
        f"pool limits throughput; balanced at {dis.balanced_prefill_per_decode:.2f} prefill "
        "instances per decode instance"))
    return OperatingPoint(p, sc.traffic, dis.ttft_s, dis.decode_tpot_s, dis.e2e_s,
                          dis.output_tokens_per_s, dis.requests_per_s,
                          queue_wait_s=dis.queue_wait_s, notes=(note,), disaggregated=dis)


def economics(sc: Scenario, op: OperatingPoint) -> tuple[Costs | None, Energy | None,
                                                          list[Note]]:
    """Dollars and energy at the operating point (None where it has no throughput)."""
    t, a, req = op.point.timing, sc.assumptions, sc.request
    if t is None or op.output_tokens_per_s is None or op.requests_per_s is None:
        return None, None, []
    costs = None
    if sc.price.usd_per_gpu_hour is not None:
        costs = point_costs(usd_per_gpu_hour=sc.price.usd_per_gpu_hour, gpus=op.gpus,
                            output_tokens_per_s=op.output_tokens_per_s,
                            requests_per_s=op.requests_per_s, input_tokens=req.input_tokens,
                            output_tokens=req.output_tokens, prefill_share=t.prefill_share)
    if sc.hardware.tdp_w is None:
        said = " (declared unpublished)" if sc.hardware.is_unpublished("tdp_w") else ""
        return costs, None, [Note("no_tdp", f"{sc.hardware.id} has no published TDP{said}: "
                                            "energy is not estimated")]
    energy = point_energy(tdp_w=sc.hardware.tdp_w, gpus=op.gpus,
                          power_fraction_of_tdp=a.power_fraction_of_tdp, pue=a.pue,
                          grid_gco2_per_kwh=a.grid_gco2_per_kwh,
                          output_tokens_per_s=op.output_tokens_per_s,
                          requests_per_s=op.requests_per_s)
    return costs, energy, []


def estimate(request: EstimateRequest, registry: Registry | None = None,
             today: dt.date | None = None) -> Answer:
    """Estimate memory, latency, throughput, cost and energy for one scenario."""
    registry = registry or Registry.default()
    today = today or dt.date.today()
    return estimate_scenario(build(request, registry, today))


def estimate_scenario(sc: Scenario) -> Answer:
    """`estimate` on a scenario already built (scenario.build)."""
    if sc.model.architecture in ("fixed", "encoder"):
        from inferx.fixed_answer import estimate_fixed

        return estimate_fixed(sc)
    op = operating_point(sc)
    costs, energy, notes = economics(sc, op)
    result = estimate_result(sc, op, costs, energy)
    if result.extrapolated:
        notes.append(Note("extrapolated", (
            f"no published measurement shares this scenario's hardware family or serving "
            f"mode ({sc.hardware.id}): the ranges are the widest measured band")))
    warnings = notes_to_warnings(sc.price.notes, sc.notes, op.point.notes, notes, op.notes)
    return Answer(result=result, warnings=warnings)
