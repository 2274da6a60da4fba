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
from inferx.engine.economics import Costs, Energy, point_costs, point_energy
from inferx.engine.estimate import Note, Workload, decoder_point
from inferx.engine.serving import OperatingPoint, operate
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
    """The scenario's traffic on its replica (engine/serving.py over engine/estimate.py)."""
    req = sc.request

    def run(concurrency: int | None, static: bool):  # noqa: ANN202
        return decoder_point(
            model=sc.model, hardware=sc.hardware, scheme=sc.scheme,
            kv_bytes_per_element=sc.kv_bytes_per_element, gpus=req.gpus,
            workload=Workload(req.input_tokens, req.output_tokens, concurrency, static),
            assumptions=sc.assumptions)

    return operate(sc.traffic, run, output_tokens=req.output_tokens,
                   request_overhead_s=sc.assumptions.request_overhead_ms * 1e-3,
                   static_batch=sc.static_batch)


def economics(sc: Scenario, op: OperatingPoint) -> tuple[Costs | None, Energy | None,
                                                          list[Note]]:
    """Dollars and energy at the operating point (None where it has no throughput)."""
    t, a, req = op.point.timing, sc.assumptions, sc.request
    if t is None or op.output_tokens_per_s is None or op.requests_per_s is None:
        return None, None, []
    costs = None
    if sc.price.usd_per_gpu_hour is not None:
        costs = point_costs(usd_per_gpu_hour=sc.price.usd_per_gpu_hour, gpus=op.point.gpus,
                            output_tokens_per_s=op.output_tokens_per_s,
                            requests_per_s=op.requests_per_s, input_tokens=req.input_tokens,
                            output_tokens=req.output_tokens, prefill_share=t.prefill_share)
    if sc.hardware.tdp_w is None:
        said = " (declared unpublished)" if sc.hardware.is_unpublished("tdp_w") else ""
        return costs, None, [Note("no_tdp", f"{sc.hardware.id} has no published TDP{said}: "
                                            "energy is not estimated")]
    energy = point_energy(tdp_w=sc.hardware.tdp_w, gpus=op.point.gpus,
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
    warnings = notes_to_warnings(sc.price.notes, sc.notes, op.point.notes, notes, op.notes)
    return Answer(result=result, warnings=warnings)
