"""Run the engine on measured rows: map each row to a scenario, predict its metrics.

Mapping rules (docs/accuracy.md#mapping):

* model and hardware names resolve through the registry (ids and aliases); a row whose model
  or hardware has no profile cannot be estimated, and the reason says which;
* ``max`` rows: continuous batching at the largest concurrency that fits memory, capped by
  the engine's ``max_num_seqs`` (or the row's own cap, e.g. AMD's "max num seqs = 3200");
* static-batch rows: `Workload(static_batch=True)` (B prompts prefilled together, decoded in
  lock step);
* fixed-concurrency rows: continuous batching at that concurrency;
* ``qps=N`` rows: the concurrency C solving C = N · E2E(C) (Little's law, fixed point), or
  the memory-limited maximum when N exceeds what the replica can serve; throughput is then
  min(N · T_out, capacity).  ``qps=inf`` (a finite burst sent at once) runs at the maximum
  concurrency; its TTFT is mostly queueing for the burst, which is not modelled, so TTFT is
  not scored for those rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from inferx.calibration.measurements import METRICS, Measurement
from inferx.engine import Assumptions, Workload, estimate_decoder
from inferx.engine.presets import engine_for_framework
from inferx.errors import InferxError
from inferx.profiles import HardwareProfile, ModelProfile
from inferx.quant import Scheme, default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.registry import Registry


@dataclass(frozen=True)
class Scenario:
    """A measurement resolved against the registry: everything the engine needs but knobs."""

    row: Measurement
    model: ModelProfile
    hardware: HardwareProfile
    scheme: Scheme
    kv_precision: str
    engine: str


@dataclass
class Prediction:
    case_id: str
    values: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # metric → reason not estimated
    concurrency: int | None = None


class CannotEstimate(Exception):
    """A row the engine cannot run; str() is the reason shown in docs/accuracy.md."""


def _precision(name: str) -> Scheme:
    key = name.strip().lower()
    key = {"int4": "int4-wo", "w4a16": "int4-wo", "awq": "int4-wo"}.get(key, key)
    return resolve_scheme(key)


def resolve(row: Measurement, registry: Registry) -> Scenario:
    """Resolve a row's names; raises CannotEstimate with the reason."""
    try:
        model = registry.get("model", row.model)
    except InferxError:
        raise CannotEstimate(f"no model profile for {row.model}") from None
    try:
        hw = registry.get("hardware", row.hardware)
    except InferxError:
        raise CannotEstimate(f"no hardware profile for {row.hardware}") from None
    if model.architecture != "decoder":
        raise CannotEstimate(f"{model.id} is not a decoder")
    try:
        scheme = _precision(row.weight_precision)
    except KeyError:
        raise CannotEstimate(f"unknown precision {row.weight_precision}") from None
    kv = (row.kv_precision or default_kv_precision(scheme)).lower()
    if (model.num_attention_heads or 1) % row.gpus:
        raise CannotEstimate(f"{row.gpus} GPUs do not divide {model.id}'s attention heads")
    return Scenario(row=row, model=model, hardware=hw, scheme=scheme, kv_precision=kv,
                    engine=engine_for_framework(row.framework))


def _run(s: Scenario, a: Assumptions, concurrency: int | None, static: bool):
    r = s.row
    return estimate_decoder(
        model=s.model, hardware=s.hardware, scheme=s.scheme, kv_precision=s.kv_precision,
        kv_bytes_per_element=kv_bytes_per_element(s.kv_precision), gpus=r.gpus,
        workload=Workload(r.input_tokens, r.output_tokens, concurrency, static,
                          require_fit=concurrency is None),
        usd_per_gpu_hour=None, assumptions=a)


def _values(out) -> dict[str, float]:
    lat, thr = out.latency, out.throughput
    vals = {"throughput_out_tok_s": thr.output_tokens_per_s, "ttft_ms": lat.ttft_ms,
            "tpot_ms": lat.tpot_ms, "e2e_latency_s": lat.e2e_s}
    return {k: float(v) for k, v in vals.items() if v is not None}


def predict(s: Scenario, a: Assumptions) -> Prediction:
    """Predicted metrics for one resolved row under assumptions `a` (pure)."""
    r = s.row
    pred = Prediction(case_id=r.case_id)
    if r.batch_mode == "max" and r.batch is not None:
        a = a.model_copy(update={"max_num_seqs": r.batch})
    if r.batch_mode == "static":
        out = _run(s, a, r.batch, True)
    elif r.batch_mode == "concurrency":
        out = _run(s, a, r.batch, False)
    elif r.batch_mode == "max":
        out = _run(s, a, None, False)
    else:
        out = _rate(s, a, r.request_rate or math.inf)
        if r.request_rate == math.inf:
            pred.skipped["ttft_ms"] = "qps=inf: TTFT is queueing for a finite burst (not modelled)"
            pred.skipped["e2e_latency_s"] = pred.skipped["ttft_ms"]
    if out.latency.tpot_ms is None:
        reason = next((w.message for w in out.warnings if w.code == "does_not_fit"),
                      "does not fit in memory")
        for m in METRICS:
            pred.skipped.setdefault(m, reason)
        return pred
    pred.concurrency = out.concurrency
    vals = _values(out)
    if r.batch_mode == "rate" and r.request_rate not in (None, math.inf):
        vals["throughput_out_tok_s"] = min(r.request_rate * r.output_tokens,
                                           vals["throughput_out_tok_s"])
    pred.values = {k: v for k, v in vals.items() if k not in pred.skipped}
    return pred


def _rate(s: Scenario, a: Assumptions, rate: float):
    """Concurrency at request rate λ: C = λ·E2E(C), iterated from C = 1; capped at the most
    that fits (λ = inf → the cap)."""
    top = _run(s, a, None, False)
    cap = max(top.concurrency, 1)
    if rate == math.inf or not top.memory.fits or top.latency.e2e_s is None:
        return top
    c = 1
    out = _run(s, a, c, False)
    for _ in range(30):
        if out.latency.e2e_s is None:
            return out
        nxt = min(cap, max(1, math.ceil(rate * out.latency.e2e_s)))
        if nxt == c:
            break
        c = nxt
        out = _run(s, a, c, False)
    return out
