"""Fit engine presets on measurements, and cross-validate them leaving one source out.

Method (docs/accuracy.md#method):

* knobs fitted: FITTED_KNOBS (inferx/engine/presets.py, meanings in assumptions.py); the
  runtime settings (memory share, sequence cap, chunk size) come from each engine's docs;
* loss over the training rows of one engine, x = ln(knob values):

      L(x) = Σ_rows Σ_metrics ρ(ln(predicted / measured)) + w · Σ_k (x_k − x0_k)²

  with ρ the pseudo-Huber loss of scale δ = ROBUST_SCALE (≈ r² within ~35%, linear beyond:
  a group of rows the model cannot explain pulls the knobs by its sign, not by its square),

  where x0 is the prior: the pooled ("generic") fit for an engine preset (w = 1/ln²2: one
  knob moving 2× from the pooled value costs as much as one metric off by 2×), and for the
  pooled fit itself PRIOR, the centre of each knob's physical box in log space (w = 0.1,
  only to settle the directions no row informs) — a fixed table, never the last fit's
  output, so a refit does not depend on what fitted.json held before it and a held-out
  group's rows cannot reach its own prediction through the prior;
  gqa_kv_reread (which decode-attention kernel a release ships) is pulled 10x more weakly;
* minimised from the prior (and once more from SECOND_START) by bounded
  Levenberg-Marquardt in log space (optimise.py: a
  finite-difference Jacobian, robust reweighting, an active set at the bounds) with a fixed
  budget of loss evaluations; deterministic, and it converges where Nelder-Mead's simplex
  collapsed on the 9 coupled knobs and stopped wherever its start had put it;
* two stages (fit_presets): every knob on plain-TP rows (fitted_on), then LAYOUT_KNOBS on
  every replayed row without speculation (replayed), the other knobs held; a release whose
  documentation fixes a knob (KERNEL_SETTINGS) is fitted with its era's rows (fit_group);
* leave-one-source-out (LOSO): for each source (case_id prefix) refit the pooled and engine
  presets without that source's rows, then predict its rows.  An engine whose only source
  is left out falls back to the pooled fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from inferx.calibration.harness import Scenario, predict
from inferx.calibration.optimise import levenberg_marquardt
from inferx.calibration.scoring import Pair, Skip
from inferx.engine import Assumptions
from inferx.engine.presets import FITTED_KNOBS, fit_group, preset_values

# Physical ceilings (docs/methodology.md#presets): no kernel sustains the spec sheet.
# compute_efficiency <= 0.9: the best measured bf16 matmul reaches 80.3% of dense peak on H100
# SXM, 83.6% on GH200, 86.9% on A100 SXM (stas00/ml-engineering compute/accelerator/README.md,
# "Maximum Achievable Matmul FLOPS comparison table"). bandwidth_efficiency <= 0.95: a device
# memcopy reaches 1355 of A100 40GB's 1555 GB/s (87%, PTsolvers/gpu-workshop-JuliaCon23
# issue #7), coalesced weight loads ~84% of H100's 3.35 TB/s; 0.95 leaves headroom for
# better-tuned kernels without letting the fit trade bandwidth past the hardware against the
# step overhead.  interconnect_efficiency >= 0.5: large-message all-reduce bus bandwidth
# (nccl-tests busbw, the quantity 2(g-1)/g · bytes / t this model's bandwidth term uses) is
# 460-480 GB/s on 8x H100 SXM (450 GB/s one way), 230-250 on 8x A100 SXM (300) and 35-45 on
# 8x H100 PCIe (Gen5 x16, 64 one way), i.e. >= 0.55 of the link's one-way rate on every
# topology listed (docs.alayanew.com tech-blog 2026-05-06 "NCCL-tests in practice");
# allreduce_hop_latency_us <= 10: NCCL's own tuning model (NVIDIA/nccl src/graph/tuning.cc,
# hwLat / baseLat) charges 0.4-2.5 us per step over NVLink or PCIe with the LL/LL128
# protocols small decode messages use (<= 9.6 us over the network) plus 3.6-8.4 us once per
# collective; without the ceilings the fit traded a 0.1 link efficiency against a 15 us hop
# to absorb errors that are not the interconnect's.
BOUNDS: dict[str, tuple[float, float]] = {
    "compute_efficiency": (0.05, 0.9),
    "bandwidth_efficiency": (0.05, 0.95),
    "step_overhead_ms": (0.01, 100.0),
    "request_overhead_ms": (0.01, 1000.0),
    "allreduce_hop_latency_us": (0.5, 10.0),
    "interconnect_efficiency": (0.5, 1.0),
    "gqa_kv_reread": (0.01, 1.0),
    # routed-expert grouped GEMMs run at most at the dense matmuls' rate (1); 0.1 is a
    # grouped GEMM whose experts see a few tokens each (tensor-core tiles mostly empty)
    "moe_compute_efficiency": (0.1, 1.0),
    # host time per running sequence per decode step: 50 us x vLLM's 256-sequence cap is
    # 12.8 ms, the whole measured step of an 8B model at that batch on one H100
    "sequence_overhead_us": (0.5, 50.0),
    # the serving loop's host time on a Grace (Arm) host over an x86 one (engine/timing.py::
    # host_factor): PyTorch's CPU time per Linear forward is 2.75x an H100 DGX's Xeon 8480C on
    # GB200 and 2.46x on GH200 (NVIDIA/TransformerEngine#2053), the upper end; 1: no slower
    "grace_host_factor": (1.0, 2.75),
    # token rows a pass's matmuls compute beyond its tokens (roofline.tile_padding): about
    # half the GEMM's M tile plus its last partial wave; cuBLAS / CUTLASS M tiles are 16-256
    # rows, so 1-128
    "gemm_padding_tokens": (1.0, 128.0),
    # memory traffic one SM's kernels keep up per cycle (roofline.achieved_bandwidth): an SM
    # loads at most 128 B per clock from its L1 and the L2 feeds A100's 108 SMs 5120 B per
    # clock (47 each; NVIDIA A100 whitepaper p. 35), so 64 is beyond any DRAM stream; 1 B per
    # cycle is one warp per SM sub-partition with a single 128-byte request in flight over
    # ~500 cycles of latency (an assumed latency, not a sourced one)
    "sm_bytes_per_cycle": (1.0, 64.0),
}
# The pooled fit's prior and start: the centre of each knob's box in log space, √(lo·hi)
# (compute 0.21, bandwidth 0.22, step 1 ms, request 3.2 ms, hop 2.2 µs, link 0.71, GQA
# re-read 0.1, MoE 0.32, sequence 5 µs): every figure inside the documented physical range,
# none taken from a previous fit; the rows move every knob they inform far from it (w = 0.1).
PRIOR: dict[str, float] = {k: math.sqrt(lo * hi) for k, (lo, hi) in BOUNDS.items()}
# Scale of the robust loss on r = ln(predicted / measured): pseudo-Huber, quadratic for
# |r| << ROBUST_SCALE (ln 1.35: errors within ~35%), linear beyond it, so a group of rows the
# model cannot explain (a measurement convention not modelled, a kernel not shipped yet) pulls
# the shared knobs by its sign, not by the square of a 10x error.
ROBUST_SCALE = 0.3
# The fit's fixed budget: EVALUATIONS_PER_ITERATION × iterations loss evaluations (90 at
# FIT_ITERATIONS: nine Levenberg-Marquardt steps of 9 knobs, about what Nelder-Mead's 30 steps
# and 15 after a restart spent), fixed so a run is reproducible and
# `python benchmarks/accuracy.py`, which refits once per held-out group, finishes in minutes
# on two cores.
FIT_ITERATIONS = 30
EVALUATIONS_PER_ITERATION = 3
PRIOR_WEIGHT_ENGINE = 1 / math.log(2) ** 2
PRIOR_WEIGHT_POOLED = 0.1
# Knobs describing which kernels an engine release ships (not how fast a GPU runs them) have no
# reason to resemble the pooled value: their pull toward it is 10x weaker.
PRIOR_SCALE: dict[str, float] = {"gqa_kv_reread": 0.1, "sm_bytes_per_cycle": 0.1}
# Knobs whose term has almost no slope where the fit starts: the SM cap changes nothing until
# it nears the DRAM limit, so a fit started from a non-binding value never finds an engine
# whose kernels are SM-limited.  Each fit also starts once from this value (the prior is
# unchanged) and keeps the start that ends with the lower loss.
SECOND_START: dict[str, float] = {"sm_bytes_per_cycle": 4.0}


def robust_sq(r: float, scale: float = ROBUST_SCALE) -> float:
    """Pseudo-Huber loss of a log error r: 2δ²(√(1 + (r/δ)²) − 1), ≈ r² for |r| << δ and
    ≈ 2δ|r| for |r| >> δ."""
    return 2 * scale * scale * (math.sqrt(1 + (r / scale) ** 2) - 1)


def assumptions_for(engine: str, values: dict[str, float] | None = None,
                    base: Assumptions | None = None) -> Assumptions:
    """Assumptions for an engine: defaults ← presets.preset_values (its runtime settings ←
    knob values ← the knobs its release's documentation fixes)."""
    return Assumptions.from_values(preset_values(engine, values), base or Assumptions())


def evaluate(scenarios: Sequence[Scenario],
             values_for: Callable[[str], dict[str, float] | None],
             base: Assumptions | None = None,
             ) -> tuple[list[Pair], list[Skip]]:
    """Predict every scenario with its engine's knob values; pair with the measurements."""
    pairs: list[Pair] = []
    skips: list[Skip] = []
    cache: dict[str, Assumptions] = {}
    for s in scenarios:
        if s.engine not in cache:
            cache[s.engine] = assumptions_for(s.engine, values_for(s.engine), base)
        pred = predict(s, cache[s.engine])
        r = s.row
        for metric, measured in r.metrics.items():
            if metric in pred.values and pred.values[metric] > 0 and measured > 0:
                pairs.append(Pair(r.case_id, r.source_key, s.hardware.id, s.scheme.id,
                                  s.engine, metric, measured, pred.values[metric],
                                  s.hardware_family, s.model_family, s.serving_mode))
            else:
                skips.append(Skip(r.case_id, r.source_key, metric,
                                  pred.skipped.get(metric, "no prediction"),
                                  s.hardware_family, s.engine, s.model_family,
                                  s.serving_mode))
    return pairs, skips


def _clip(name: str, value: float) -> float:
    lo, hi = BOUNDS[name]
    return min(max(value, lo), hi)


@dataclass
class FitResult:
    values: dict[str, float]
    rows: int
    pairs: int
    loss: float
    sources: list[str] = field(default_factory=list)


def fit(scenarios: Sequence[Scenario], *, engine: str, prior: dict[str, float],
        prior_weight: float, knobs: Sequence[str] = FITTED_KNOBS,
        base: Assumptions | None = None, iterations: int = 200,
        robust_scale: float | None = ROBUST_SCALE) -> FitResult:
    """Robust least squares on ln(predicted/measured) with a ln-space prior (module
    docstring; robust_scale None: plain least squares, as `inferx calibrate` fits a user's
    own runs, all of which it should explain); Levenberg-Marquardt from the prior within
    BOUNDS (optimise.levenberg_marquardt), EVALUATIONS_PER_ITERATION × iterations
    evaluations at most."""
    knobs = list(knobs)
    x0 = [math.log(_clip(k, prior[k])) for k in knobs]

    def values(x: list[float]) -> dict[str, float]:
        return {k: _clip(k, math.exp(v)) for k, v in zip(knobs, x, strict=True)}

    def loss(x: list[float]) -> float:
        vals = values(x)
        pairs, _ = evaluate(scenarios, lambda _e: vals, base)
        err = sum(math.log(p.ratio) ** 2 if robust_scale is None
                  else robust_sq(math.log(p.ratio), robust_scale) for p in pairs)
        reg = prior_weight * sum(PRIOR_SCALE.get(k, 1.0) * (xi - x0i) ** 2
                                 for k, xi, x0i in zip(knobs, x, x0, strict=True))
        return err + reg

    def residuals(x: list[float]) -> dict[object, float]:
        vals = values(x)
        pairs, _ = evaluate(scenarios, lambda _e: vals, base)
        out: dict[object, float] = {}
        for p in pairs:
            out[(p.case_id, p.metric)] = math.log(p.ratio)
        return out

    starts = [x0]
    if any(k in SECOND_START for k in knobs):
        starts.append([math.log(SECOND_START[k]) if k in SECOND_START else v
                       for k, v in zip(knobs, x0, strict=True)])
    lower = [math.log(BOUNDS[k][0]) for k in knobs]
    upper = [math.log(BOUNDS[k][1]) for k in knobs]
    weights = [prior_weight * PRIOR_SCALE.get(k, 1.0) for k in knobs]
    best, best_loss = x0, math.inf
    for start in starts:
        x, lx = levenberg_marquardt(
            residuals, start, lower, upper, prior=x0, prior_weights=weights,
            scale=robust_scale, evaluations=EVALUATIONS_PER_ITERATION * iterations)
        if lx < best_loss:
            best, best_loss = x, lx
    vals = values(best)
    pairs, _ = evaluate(scenarios, lambda _e: vals, base)
    rounded = {k: float(f"{v:.3g}") for k, v in vals.items()}
    return FitResult(values=rounded, rows=len({p.case_id for p in pairs}), pairs=len(pairs),
                     loss=loss(best), sources=sorted({s.row.source_key for s in scenarios}))


def fitted_on(s: Scenario) -> bool:
    """Rows every knob is fitted on (stage 1): served with plain tensor parallelism and no
    speculation, the layout whose dense-kernel efficiencies and overheads the knobs are."""
    d = s.deployment
    return (d is None or d.plain_tp) and s.speculation is None


def replayed(s: Scenario) -> bool:
    """Rows LAYOUT_KNOBS are refitted on (stage 2): every layout the harness replays (expert,
    attention-data or pipeline parallel too), without speculation, whose acceptance length
    would stand in for the kernels' speed."""
    return s.speculation is None


# Knobs whose terms the non-tensor-parallel layouts add or scale: routed-expert GEMMs at the
# small per-expert batches of expert parallelism, the all-to-all over the links, the host
# time per sequence of attention-data-parallel batches of thousands, and its scale on a Grace
# host (whose rows are mostly MoE replicas at thousands of sequences).  Stage 2 refits them
# on every replayed row, the other knobs held at their stage-1 values (dense rows only),
# so rows of a layout the dense knobs do not describe cannot move them.
LAYOUT_KNOBS = ("moe_compute_efficiency", "interconnect_efficiency", "sequence_overhead_us",
                "grace_host_factor")


def _two_stage(dense: Sequence[Scenario], every: Sequence[Scenario], *, engine: str,
               prior: dict[str, float], prior_weight: float, iterations: int) -> FitResult:
    """Stage 1: every knob on `dense` rows; stage 2: LAYOUT_KNOBS on `every` row, from the
    same prior, the rest held at stage 1's values."""
    first = fit(dense, engine=engine, prior=prior, prior_weight=prior_weight,
                iterations=iterations)
    held = dict(first.values)
    second = fit(every, engine=engine, prior={**held, **{k: prior[k] for k in LAYOUT_KNOBS}},
                 prior_weight=prior_weight, knobs=LAYOUT_KNOBS,
                 base=Assumptions.from_values(held), iterations=iterations)
    return FitResult(values={**held, **second.values}, rows=second.rows, pairs=second.pairs,
                     loss=second.loss, sources=second.sources)


def fit_presets(scenarios: Sequence[Scenario], *, iterations: int = 200,
                engines: Sequence[str] | None = None) -> dict[str, FitResult]:
    """The pooled ("generic") fit, then one fit per engine with plain-TP rows, each in two
    stages (_two_stage: dense rows, then LAYOUT_KNOBS on every replayed row), by fit_group."""
    every = [s for s in scenarios if replayed(s)]
    dense = [s for s in every if fitted_on(s)]
    pooled = _two_stage(dense, every, engine="generic", prior=PRIOR,
                        prior_weight=PRIOR_WEIGHT_POOLED, iterations=iterations)
    out = {"generic": pooled}
    names = sorted({fit_group(s.engine) for s in dense} - {"generic"})
    for engine in names if engines is None else sorted({fit_group(e) for e in engines}):
        rows = [s for s in dense if fit_group(s.engine) == engine]
        if rows:
            out[engine] = _two_stage(rows, [s for s in every if fit_group(s.engine) == engine],
                                     engine=engine, prior=pooled.values,
                                     prior_weight=PRIOR_WEIGHT_ENGINE, iterations=iterations)
    return out


def values_lookup(fits: dict[str, FitResult]) -> Callable[[str], dict[str, float]]:
    pooled = fits["generic"].values

    def lookup(engine: str) -> dict[str, float]:
        got = fits.get(fit_group(engine))
        return got.values if got else pooled
    return lookup
