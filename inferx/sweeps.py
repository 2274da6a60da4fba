"""Sweeps: one scenario across precision schemes, hardware or models, one row each.

Every row is one ``EstimateRequest`` run through ``inferx.api.estimate``: a sweep adds no
arithmetic of its own beyond ratios against a baseline row and picking the cheapest row that
meets latency targets.  Quality figures come from ``quality`` profiles (published evaluations,
each with a source); a scheme with none says "no published data".  docs/compare.md.

    from inferx.sweeps import CompareRequest, compare
    answer = compare(CompareRequest(models=["llama-3.1-70b"], hardware=["h100-sxm"]))
    [(r.row, r.weights_gb, r.min_gpus) for r in answer.result.rows]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from inferx.api import Answer, estimate, profile_ref
from inferx.compare_request import (  # noqa: F401 (re-exported: the compare API)
    ACROSS,
    SHARED_FIELDS,
    CompareRequest,
)
from inferx.compare_results import (  # noqa: F401 (re-exported: the compare API)
    CompareInputs,
    CompareResult,
    CompareRow,
    QualityImpact,
    VsBaseline,
)
from inferx.defaults import DEFAULT_PRECISIONS  # noqa: F401 (re-exported)
from inferx.errors import InputError
from inferx.inputs import EstimateRequest, scheme_id
from inferx.profiles import WORKLOAD_KIND
from inferx.quant import SCHEMES
from inferx.registry import Registry
from inferx.results import ProfileRef, Warning_

NO_QUALITY_DATA = "no published data"


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def find_quality(registry: Registry, model_id: str, scheme_id: str) -> list[Any]:
    """Quality profiles for this model at this scheme, ordered by id."""
    return sorted((q for q in registry.all("quality")
                   if q.model == model_id and q.precision == scheme_id), key=lambda q: q.id)


def quality_summary(q: Any) -> str:
    """'OpenLLM v1 average 84.50 → 83.98 (99.4%)' from one quality profile."""
    parts = [q.benchmark]
    if q.baseline_score is not None and q.quantized_score is not None:
        parts.append(f"{q.baseline_score:g} -> {q.quantized_score:g}")
    if q.recovery_pct is not None:
        parts.append(f"({q.recovery_pct:g}% recovered)")
    return " ".join(parts)


def _quality(registry: Registry, model_id: str, scheme_id: str,
             baseline_scheme: str | None) -> tuple[str, QualityImpact | None]:
    found = find_quality(registry, model_id, scheme_id)
    if not found:
        if scheme_id in ("bf16", "fp16") or scheme_id == baseline_scheme:
            return "reference precision", None
        return NO_QUALITY_DATA, None
    q = found[0]
    return quality_summary(q), QualityImpact(
        profile=q.id, benchmark=q.benchmark, metric=q.metric, higher_is_better=q.higher_is_better,
        baseline_precision=q.baseline_precision, baseline_score=q.baseline_score,
        quantized_score=q.quantized_score, delta=q.delta, recovery_pct=q.recovery_pct,
        evaluated_model=q.evaluated_model, source=q.source, as_of=q.as_of.isoformat())


def _scenarios(req: CompareRequest, registry: Registry) -> list[tuple[str, str, str, str]]:
    """(row label, model, hardware, precision) per row, checking list lengths per sweep."""
    if req.across == "precision":
        for flag, items in (("--model", req.models), ("--hardware", req.hardware)):
            if len(items) != 1:
                raise InputError(flag, f"--across precision takes one value, got {len(items)}; "
                                 f"use --across {'model' if flag == '--model' else 'hardware'}")
        return [(p, req.models[0], req.hardware[0], p) for p in req.precisions]
    precision = EstimateRequest(precision=req.precision).precision
    if req.across == "hardware":
        if len(req.models) != 1:
            raise InputError("--model", f"--across hardware takes one model, got "
                             f"{len(req.models)}")
        ids = [registry.get("hardware", h).id for h in req.hardware]
        return [(h, req.models[0], h, precision) for h in ids]
    if len(req.hardware) != 1:
        raise InputError("--hardware", f"--across model takes one hardware, got "
                         f"{len(req.hardware)}")
    ids = [registry.get("model", m).id for m in req.models]
    return [(m, m, req.hardware[0], precision) for m in ids]


def _baseline_label(req: CompareRequest, labels: list[str], registry: Registry) -> str:
    if req.baseline is None:
        if req.across == "precision" and "bf16" in labels:
            return "bf16"
        return labels[0]
    if req.across == "precision":
        wanted = scheme_id("--baseline", req.baseline)
    else:
        wanted = registry.get("hardware" if req.across == "hardware" else "model",
                              req.baseline).id
    if wanted not in labels:
        raise InputError("--baseline", f"{req.baseline!r} is not one of the rows "
                         f"({', '.join(labels)})")
    return wanted


def _row(label: str, answer: Answer, registry: Registry, baseline_scheme: str | None,
         req: CompareRequest) -> CompareRow:
    r = answer.result
    scheme = SCHEMES[r.inputs.precision]
    reason = next((w.message for w in answer.warnings if w.code == "no_native_compute"), None)
    lat, pf, dc = r.latency, r.latency.prefill, r.latency.decode
    meets = None
    if req.max_ttft_ms is not None or req.max_tpot_ms is not None:
        meets = (r.memory.fits and lat.ttft_ms is not None and lat.tpot_ms is not None
                 and (req.max_ttft_ms is None or lat.ttft_ms <= req.max_ttft_ms)
                 and (req.max_tpot_ms is None or lat.tpot_ms <= req.max_tpot_ms))
    summary, quality = _quality(registry, r.inputs.model, scheme.id, baseline_scheme)
    return CompareRow(
        row=label, model=r.inputs.model, hardware=r.inputs.hardware, precision=scheme.id,
        precision_name=scheme.name, kv_precision=r.inputs.kv_precision,
        compute_dtype=r.inputs.compute_dtype, weight_only=scheme.weight_only,
        native_compute=not r.inputs.weight_only_fallback, not_native_reason=reason,
        weights_gb=r.memory.weights_gb, kv_cache_bytes_per_token=r.memory.kv_cache_bytes_per_token,
        min_gpus=r.memory.min_gpus, gpus=r.inputs.gpus, fits=r.memory.fits,
        max_concurrency=r.memory.max_concurrency, concurrency=r.inputs.concurrency,
        ttft_ms=lat.ttft_ms, tpot_ms=lat.tpot_ms,
        prefill_bound=pf.bound if pf else None, decode_bound=dc.bound if dc else None,
        prefill_compute_ms=pf.compute_ms if pf else None,
        decode_memory_ms=dc.memory_ms if dc else None,
        output_tokens_per_s=r.throughput.output_tokens_per_s,
        output_tokens_per_s_per_gpu=r.throughput.output_tokens_per_s_per_gpu,
        usd_per_hour=r.cost.usd_per_hour,
        usd_per_million_output_tokens=r.cost.usd_per_million_output_tokens,
        is_baseline=False, vs_baseline=None, meets_targets=meets, cheapest_meeting_targets=False,
        quality_summary=summary, quality=quality, warnings=[w.code for w in answer.warnings])


def _vs(row: CompareRow, base: CompareRow) -> VsBaseline:
    return VsBaseline(
        weights_ratio=_ratio(row.weights_gb, base.weights_gb),
        gpus_ratio=_ratio(row.gpus, base.gpus),
        ttft_ratio=_ratio(row.ttft_ms, base.ttft_ms),
        tpot_ratio=_ratio(row.tpot_ms, base.tpot_ms),
        output_tokens_per_s_ratio=_ratio(row.output_tokens_per_s, base.output_tokens_per_s),
        output_tokens_per_s_per_gpu_ratio=_ratio(row.output_tokens_per_s_per_gpu,
                                                 base.output_tokens_per_s_per_gpu),
        usd_per_million_output_tokens_ratio=_ratio(row.usd_per_million_output_tokens,
                                                   base.usd_per_million_output_tokens))


def _merge_warnings(per_row: list[tuple[str, list[Warning_]]]) -> list[Warning_]:
    """One warning per distinct (code, message), naming the rows it applies to."""
    seen: dict[tuple[str, str], list[str]] = {}
    for label, warnings in per_row:
        for w in warnings:
            seen.setdefault((w.code, w.message), []).append(label)
    return [Warning_(code=code, message=f"{message} [rows: {', '.join(labels)}]")
            for (code, message), labels in seen.items()]


def compare(request: CompareRequest, registry: Registry | None = None,
            today: dt.date | None = None) -> Answer:
    """Run one estimate per row, then add baseline ratios and the cheapest row meeting targets."""
    registry = registry or Registry.default()
    scenarios = _scenarios(request, registry)
    labels = [label for label, *_ in scenarios]
    baseline = _baseline_label(request, labels, registry)
    baseline_scheme = baseline if request.across == "precision" else None
    rows: list[CompareRow] = []
    per_row_warnings: list[tuple[str, list[Warning_]]] = []
    profiles: dict[tuple[str, str], ProfileRef] = {}
    for _, model, _, _ in scenarios:
        if (m := registry.get("model", model)).architecture != "decoder":
            raise InputError("model", f"{m.id} is {WORKLOAD_KIND[m.architecture]} model: `compare` "
                             "sets token-generating (decoder) models side by side; use "
                             "`inferx estimate` for its cost per inference")
    for label, model, hardware, precision in scenarios:
        answer = estimate(EstimateRequest(
            model=model, hardware=hardware, precision=precision,
            **request.model_dump(include=SHARED_FIELDS)),
            registry, today)
        row = _row(label, answer, registry, baseline_scheme, request)
        rows.append(row)
        per_row_warnings.append((label, answer.warnings))
        for ref in answer.result.profiles:
            profiles.setdefault((ref.kind, ref.id), ref)
        if row.quality is not None:
            q = registry.get("quality", row.quality.profile)
            profiles.setdefault(("quality", q.id), profile_ref("quality", q))
    base = next(r for r in rows if r.row == baseline)
    rows = [replace(r, is_baseline=r.row == baseline, vs_baseline=_vs(r, base))
            for r in rows]
    warnings = _merge_warnings(per_row_warnings)
    cheapest = None
    if request.max_ttft_ms is not None or request.max_tpot_ms is not None:
        priced = [r for r in rows if r.meets_targets and r.usd_per_million_output_tokens]
        if priced:
            cheapest = min(priced, key=lambda r: r.usd_per_million_output_tokens or 0.0).row
            rows = [replace(r, cheapest_meeting_targets=r.row == cheapest)
                    for r in rows]
        elif any(r.meets_targets for r in rows):
            warnings.append(Warning_(code="no_cheapest_row", message=(
                "rows meet the targets but none has a price: pass --gpu-hour-price or --price "
                "to mark the cheapest")))
        else:
            warnings.append(Warning_(code="no_row_meets_targets", message=(
                "no row meets --max-ttft/--max-tpot")))
    result = CompareResult(
        inputs=CompareInputs(
            across=request.across, models=[s[1] for s in scenarios] if request.across == "model"
            else [scenarios[0][1]],
            hardware=[s[2] for s in scenarios] if request.across == "hardware"
            else [scenarios[0][2]],
            precisions=[s[3] for s in scenarios] if request.across == "precision"
            else [scenarios[0][3]],
            kv_precision=request.kv_precision, gpus=request.gpus,
            gpus_mode="fewest-per-row" if request.gpus is None else "fixed",
            input_tokens=request.input_tokens, output_tokens=request.output_tokens,
            concurrency=request.concurrency_value, pricing=request.pricing,
            max_ttft_ms=request.max_ttft_ms, max_tpot_ms=request.max_tpot_ms),
        baseline=baseline, cheapest_meeting_targets=cheapest, rows=rows,
        profiles=list(profiles.values()))
    return Answer(result=result, warnings=warnings)
