"""Run the engine on measured rows: map each row to a scenario, predict its metrics.

Mapping rules (docs/accuracy.md#mapping):

* model and hardware names resolve through the registry (ids and aliases); a row whose model
  or hardware has no profile cannot be estimated, and the reason says which;
* ``max`` rows: continuous batching at the largest concurrency that fits memory, capped by
  the engine's ``max_num_seqs`` (or the row's own cap, e.g. AMD's "max num seqs = 3200");
* static-batch rows: `Workload(static_batch=True)` (B prompts prefilled together, decoded in
  lock step);
* fixed-concurrency rows: continuous batching at that concurrency; more clients than fit
  memory queue at the server (`closed_loop`: the server runs the memory-limited concurrency,
  the rest wait, TTFT includes the wait);
* ``qps=N`` rows: the concurrency C solving C = N · E2E(C) (Little's law, fixed point), or
  the memory-limited maximum when N exceeds what the replica can serve; throughput is then
  min(N · T_out, capacity).  ``qps=inf`` (a finite burst sent at once) runs at the maximum
  concurrency; its TTFT is mostly queueing for the burst, which is not modelled, so TTFT is
  not scored for those rows.
* a rate row whose source states how many requests the run sent (``500 requests``) is a
  finite run, not a steady state: `finite_run` integrates arrivals, admissions and
  completions over the run (a fluid model, below) instead of the fixed point, so a rate
  near or above capacity reaches only the concurrency that many requests build up, and a
  burst (qps=inf) never holds more requests than it sent.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

from inferx.calibration.families import (
    hardware_family,
    layout_slice,
    model_family,
    serving_mode,
)
from inferx.calibration.layout import row_layout, row_speculation
from inferx.calibration.measurements import METRICS, Measurement
from inferx.calibration.trtllm_bench import bench_limits, runs_trtllm_bench
from inferx.engine import Assumptions, Workload
from inferx.engine.deployment import Deployment, check_deployment
from inferx.engine.estimate import DecoderPoint, decoder_point
from inferx.engine.presets import engine_for_framework
from inferx.engine.queueing import closed_loop, finite_run  # noqa: F401 (re-exported)
from inferx.engine.serving import OperatingPoint, Traffic, operate
from inferx.engine.speculative import Speculation
from inferx.errors import InferxError
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme, default_kv_precision, kv_bytes_per_element, resolve_scheme
from inferx.registry import Registry


@dataclass(frozen=True)
class Scenario:
    """A measurement resolved against the registry: everything the engine needs but knobs."""

    row: Measurement
    model: ModelRecord
    hardware: HardwareRecord
    scheme: Scheme
    kv_precision: str
    engine: str
    # The groups leave-one-family-out holds out (inferx/calibration/families.py).
    hardware_family: str = ""
    model_family: str = ""
    serving_mode: str = ""
    deployment: Deployment | None = None     # None: tensor parallel over the row's GPUs
    speculation: Speculation | None = None
    # Runtime limits the source's benchmark tool ran with (trtllm_bench.py), over the preset's.
    runtime: tuple[tuple[str, int], ...] = ()


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


# Runtimes whose multi-GPU default is a layer (pipeline) split, not tensor parallelism
# (llama.cpp --split-mode layer; Ollama runs llama.cpp).
_LAYER_SPLIT = re.compile(r"llama\.cpp|ollama", re.IGNORECASE)


def calibration_engine(framework: str) -> str:
    """The preset a row's framework is fitted and predicted with: engine_for_framework, plus
    ``llama.cpp`` for llama.cpp and Ollama (its kernels and scheduler are their own; no CLI
    preset yet, so the CLI's generic preset is what users get for it)."""
    if _LAYER_SPLIT.search(framework):
        return "llama.cpp"
    return engine_for_framework(framework)


def unsupported(row: Measurement) -> str | None:
    """Why the harness cannot replay the way a row was served, or None (the row then counts
    as coverage, not error).  Expert, attention-data and pipeline parallelism and speculative
    decoding with a stated acceptance length are replayed (layout_of); not replayed: llama.cpp's
    layer split across GPUs, MTP without an acceptance length, disaggregated pools, and
    attention DP that only the notes state (``enable_attention_dp`` on more than one GPU while
    the column names only TP)."""
    par = row.parallelism.split()
    if row.gpus > 1 and _LAYER_SPLIT.search(row.framework) and not par:
        return ("llama.cpp splits layers across GPUs without microbatches (a pipeline with "
                "one stage busy at a time): not replayed")
    if "mtp" in par and not row.speculative:
        return "speculative decoding without a stated acceptance length"
    if any(p.startswith("disagg") for p in par):
        return "prefill/decode disaggregation: not replayed by the harness yet"
    if not any(p.startswith("dp") for p in par) and (
            row.gpus > 1 and "enable_attention_dp" in row.notes):
        return "attention data parallelism stated in the notes only"
    return None


# Cores a row's stated layout counts per chip, where `num_gpus` counts chips (README beside
# the CSVs): the layout is replayed over chips with the same total compute and bandwidth (the
# profiles are per chip); collectives between the cores of one chip are then not modelled.
#   inferentia2: "two NeuronCore-v2" per Inferentia2 chip (AWS Neuron docs, Inferentia2
#     architecture; the profile's name says so);
#   trainium: "16 x Trainium chips (each Trainium include 2 x NeuronCore-v2)" (AWS Neuron docs,
#     Trainium architecture, awsdocs-neuron.readthedocs-hosted.com .../trainium.html);
#   trainium2: eight physical NeuronCore-v3 per chip; "the default Logical NeuronCore
#     configuration 2 (LNC2) combines pairs of physical cores into four logical NeuronCores per
#     chip: 64 ranks per instance" (AWS Neuron docs, training/best-practices.html);
#   tpu-v7: "each chip is two chiplets (two TPU devices in the programming model)" (Google
#     Cloud TPU7x doc, as in profiles/hardware/tpu-v7.toml).
CORES_PER_CHIP = {"inferentia2": 2, "trainium": 2, "trainium2": 4, "tpu-v7": 2}


def layout_of(row: Measurement, model: ModelRecord,
              hardware: HardwareRecord | None = None) -> tuple[Deployment | None,
                                                                 Speculation | None]:
    """The row's deployment and speculation (calibration/layout.py), checked against the
    model; raises CannotEstimate with the reason when they cannot be replayed."""
    per_chip = CORES_PER_CHIP.get(hardware.id, 1) if hardware is not None else 1
    lay = row_layout(row.parallelism, row.gpus, per_chip)
    if lay.skip:
        raise CannotEstimate(lay.skip)
    spec = None
    parsed = row_speculation(row.speculative)
    if isinstance(parsed, str):
        raise CannotEstimate(parsed)
    if parsed is not None:
        method, k, accept = parsed
        spec = Speculation(method=method, draft_tokens=k, acceptance_length=accept)
    try:
        if lay.deployment is not None:
            check_deployment(model, lay.deployment)
    except InferxError as exc:
        raise CannotEstimate(f"layout {row.parallelism!r}: {exc}") from None
    return lay.deployment, spec


def resolve(row: Measurement, registry: Registry) -> Scenario:
    """Resolve a row's names; raises CannotEstimate with the reason."""
    if reason := unsupported(row):
        raise CannotEstimate(reason)
    if row.unstated:
        raise CannotEstimate(row.unstated)
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
    deployment, speculation = layout_of(row, model, hw)
    engine = calibration_engine(row.framework)
    runtime: tuple[tuple[str, int], ...] = ()
    if engine == "tensorrt-llm" and runs_trtllm_bench(row.framework):
        runtime = tuple(bench_limits(
            model, hw, scheme, kv_bytes=kv_bytes_per_element(kv), gpus=row.gpus,
            input_tokens=row.input_tokens, output_tokens=row.output_tokens,
            framework=row.framework, notes=row.notes).items())
    if deployment is None and (model.num_attention_heads or 1) % row.gpus:
        if row.parallelism:  # the source's own split (e.g. tp24 over 24 NeuronCores)
            raise CannotEstimate(f"layout {row.parallelism!r} replayed over {row.gpus} "
                                 "devices does not split the attention heads evenly: not "
                                 "replayed")
        raise CannotEstimate(f"{row.gpus} GPUs do not divide {model.id}'s attention heads")
    return Scenario(row=row, model=model, hardware=hw, scheme=scheme, kv_precision=kv,
                    deployment=deployment, speculation=speculation, engine=engine,
                    runtime=runtime,
                    hardware_family=hardware_family(hw), model_family=model_family(model),
                    serving_mode=serving_mode(row.batch_mode, row.request_rate,
                                              row.num_requests)
                    + layout_slice(deployment, speculation))


def _run(s: Scenario, a: Assumptions, concurrency: int | None, static: bool) -> DecoderPoint:
    """The engine on a row's replica.  A measured batch is known to have run, so an explicit
    concurrency is estimated even where the memory plan says it does not fit."""
    r = s.row
    return decoder_point(
        model=s.model, hardware=s.hardware, scheme=s.scheme,
        kv_bytes_per_element=kv_bytes_per_element(s.kv_precision), gpus=r.gpus,
        workload=Workload(r.input_tokens, r.output_tokens, concurrency, static,
                          require_fit=concurrency is None),
        assumptions=a, deployment=s.deployment, speculation=s.speculation)


def _traffic(r: Measurement) -> Traffic:
    """The serving mode a row's source ran (engine/serving.py)."""
    if r.batch_mode == "static":
        return Traffic("concurrency", concurrency=r.batch)
    if r.batch_mode == "concurrency":
        return Traffic("clients", clients=r.batch or 1)
    if r.batch_mode == "max":
        return Traffic("max")
    if r.num_requests:
        return Traffic("burst", requests=r.num_requests, request_rate=r.request_rate or math.inf)
    return Traffic("rate", request_rate=r.request_rate or math.inf)


def _not_fit_reason(p: DecoderPoint) -> str:
    """Why the engine gave no timing: a figure the profile lacks (named before a weight-only
    fallback note, which only says which figure was then needed), else the memory plan."""
    for codes in (("no_compute_figure", "no_interconnect_figure"), ("does_not_fit", "no_")):
        for n in p.notes:
            if n.code.startswith(codes):
                return n.message.split(": latency, throughput")[0]
    return "does not fit in memory"


def predict(s: Scenario, a: Assumptions) -> Prediction:
    """Predicted metrics for one resolved row under assumptions `a` (pure): the row's traffic
    through engine/serving.operate, scored as the source reports."""
    r = s.row
    pred = Prediction(case_id=r.case_id)
    if s.runtime:
        a = dataclasses.replace(a, **dict(s.runtime))
    if r.batch_mode == "max" and r.batch is not None:
        a = dataclasses.replace(a, max_num_seqs=r.batch)
    traffic = _traffic(r)
    op: OperatingPoint = operate(
        traffic, lambda c, static: _run(s, a, c, static), output_tokens=r.output_tokens,
        request_overhead_s=a.request_overhead_ms * 1e-3, static_batch=r.batch_mode == "static")
    t = op.point.timing
    if t is None or op.output_tokens_per_s is None:
        for m in METRICS:
            pred.skipped.setdefault(m, _not_fit_reason(op.point))
        return pred
    pred.concurrency = op.point.concurrency
    if traffic.mode == "rate":  # latencies at the settled (or, overloaded, the largest) point
        vals = {"throughput_out_tok_s": op.output_tokens_per_s, "ttft_ms": t.ttft_s * 1e3,
                "tpot_ms": t.tpot_s * 1e3, "e2e_latency_s": t.e2e_s}
    else:
        vals = {"throughput_out_tok_s": op.output_tokens_per_s,
                "ttft_ms": (op.ttft_s or 0.0) * 1e3, "tpot_ms": (op.tpot_s or 0.0) * 1e3,
                "e2e_latency_s": op.e2e_s or 0.0}
    if traffic.request_rate == math.inf and traffic.mode in ("rate", "burst"):
        reason = ("qps=inf: TTFT is the burst's prefills queueing behind each other "
                  "(not modelled)" if traffic.mode == "burst" else
                  "qps=inf: TTFT is queueing for a finite burst (not modelled)")
        pred.skipped["ttft_ms"] = pred.skipped["e2e_latency_s"] = reason
    pred.values = {k: float(v) for k, v in vals.items() if k not in pred.skipped}
    return pred
