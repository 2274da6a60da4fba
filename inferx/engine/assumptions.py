"""Efficiencies and overheads the engine assumes, with documented defaults.

Every field is listed in each result (``assumptions``) and can be overridden per run
(``--assume NAME=VALUE``).  Defaults and their justification: docs/methodology.md#assumptions.

Each field's bounds and description sit next to its default (`knob`): that table drives both
the check of every value (`Assumptions(...)`, `Assumptions.from_values`) and
`Assumptions.descriptions()`.  A value out of bounds is an InputError naming the knob and
what was expected, on one line.
"""

from __future__ import annotations

import math
from dataclasses import field, fields
from typing import Any

from inferx.errors import InputError, clip
from inferx.record import Record, record


@record
class Bound(Record):
    """The values one knob accepts: an int or float between `low` and `high` (None: no
    bound), each end included or not."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    integer: bool = False

    def expected(self) -> str:
        """'a number > 0 and <= 1', 'an integer > 0 and <= 100000', 'a number >= 0'."""
        ends = []
        if self.low is not None:
            ends.append(f"{'>=' if self.low_inclusive else '>'} {_plain(self.low)}")
        if self.high is not None:
            ends.append(f"{'<=' if self.high_inclusive else '<'} {_plain(self.high)}")
        kind = "an integer" if self.integer else "a number"
        return " ".join([kind, " and ".join(ends)]) if ends else kind

    def check(self, name: str, value: object) -> float | int:
        """`value` as the knob's type (an integral float becomes an int for an integer knob),
        or InputError(name) saying what was expected."""
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok:
            number = float(value) if abs(value) < 1e300 else math.inf  # type: ignore[arg-type]
            ok = (math.isfinite(number)
                  and (not self.integer or number.is_integer())
                  and (self.low is None or number > self.low
                       or (self.low_inclusive and number == self.low))
                  and (self.high is None or number < self.high
                       or (self.high_inclusive and number == self.high)))
        if not ok:
            got = f"{value:g}" if isinstance(value, float) else clip(repr(value), 60)
            raise InputError(name, f"expected {self.expected()}, got {got}")
        return int(value) if self.integer else float(value)  # type: ignore[arg-type]


def _plain(bound: float) -> str:
    """A bound as written in the table: 1000000, 0.5."""
    return str(int(bound)) if float(bound).is_integer() else repr(float(bound))


FRACTION = Bound(low=0, high=1, low_inclusive=False)
NON_NEGATIVE = Bound(low=0)


def knob(default: float, bound: Bound, description: str) -> Any:
    """One row of the table: a dataclass field with its default, bounds and description."""
    return field(default=default, metadata={"bound": bound, "description": description})


@record
class Assumptions(Record):
    """Knobs of the performance model.  Units are in the names."""

    # The ten fitted performance knobs default to the pooled ("generic") fit on the published
    # measurements (inferx/calibration/fitted.json, docs/accuracy.md); test_engine_presets
    # checks they stay equal after a refit.
    compute_efficiency: float = knob(
        0.692, FRACTION, "achieved / peak dense tensor FLOPS in matmul-heavy phases")
    bandwidth_efficiency: float = knob(
        0.843, FRACTION, "achieved / peak memory bandwidth when streaming weights and KV")
    interconnect_efficiency: float = knob(
        0.5, FRACTION, "achieved / peak unidirectional link bandwidth in all-reduce")
    allreduce_hop_latency_us: float = knob(
        8.18, NON_NEGATIVE, "latency of one hop of an all-reduce (2·⌈log2 tp⌉ hops each)")
    gqa_kv_reread: float = knob(
        0.01, Bound(low=0, high=1), "share of a GQA group's extra query heads that re-read the "
        "KV cache in decode (0: GQA-aware kernel; 1: one read per query head)")
    step_overhead_ms: float = knob(
        3.19, NON_NEGATIVE, "fixed time per forward pass: scheduling, kernel launches, sampling")
    sequence_overhead_us: float = knob(
        3.91, NON_NEGATIVE, "host time per running sequence per decode step (bookkeeping, "
        "sampling, detokenization)")
    request_overhead_ms: float = knob(
        5.05, NON_NEGATIVE, "fixed time per request outside the forward passes (tokenize, "
        "queue)")
    moe_compute_efficiency: float = knob(
        0.356, FRACTION, "routed-expert (grouped GEMM) matmul rate / the dense matmuls' rate")
    grace_host_factor: float = knob(
        1.24, Bound(low=1, high=10), "the serving loop's host time per step and per sequence "
        "on an NVIDIA Grace host (GH200, GB200, GB300) / on an HGX board's x86 host")
    gemm_padding_tokens: float = knob(
        76.6, Bound(low=0, high=1024), "token rows a pass's matmuls compute beyond its tokens "
        "(tensor-core tiles are filled whatever the token count): M tokens cost as M + "
        "min(M, this)")
    sm_bytes_per_cycle: float = knob(
        20.4, Bound(low=0, high=1024, low_inclusive=False), "memory traffic one streaming "
        "multiprocessor's kernels keep up per clock cycle: memory-bound phases stream at the "
        "soft minimum of bandwidth_efficiency · peak and this · SMs · boost clock (hardware "
        "whose profile lists SMs and clock)")
    moe_load_imbalance: float = knob(
        1.0, Bound(low=1, high=8), "extra factor on the busiest expert-parallel rank's routed "
        "load beyond expert_load_cv's spread (1: none; override to stress)")
    expert_load_cv: float = knob(
        2.14, Bound(low=0, high=10), "coefficient of variation of the routed tokens across "
        "experts; the busiest of ep ranks holding E/ep experts each carries 1 + cv·√(ep/E)·z(ep) "
        "times the mean (z: expected maximum of ep standard normals; 0: balanced, as with EPLB). "
        "Measured, not fitted: TensorRT-LLM's DeepSeek-R1 statistic without a load balancer, "
        "busiest of 32 ranks 2.564x the mean with 8 of 256 experts each, gives 2.14")
    memory_utilization: float = knob(
        0.90, FRACTION, "share of device memory the runtime may use (vLLM default 0.90)")
    runtime_overhead_gb: float = knob(
        1.0, NON_NEGATIVE, "per-GPU memory for CUDA context, CUDA graphs and comm buffers")
    max_batched_tokens: int = knob(
        8192, Bound(low=0, high=1_000_000, low_inclusive=False, integer=True),
        "tokens per forward pass in chunked prefill; sizes activation memory")
    max_num_seqs: int = knob(
        256, Bound(low=0, high=100_000, low_inclusive=False, integer=True),
        "runtime's limit on concurrent sequences (vLLM default 256)")
    power_fraction_of_tdp: float = knob(
        0.75, FRACTION, "average board power while serving, as a share of TDP (not measured)")
    grid_gco2_per_kwh: float = knob(
        480.0, NON_NEGATIVE, "grid carbon intensity (world average 2023, Ember)")
    pue: float = knob(
        1.0, Bound(low=1, high=3),
        "data-centre power usage effectiveness applied to energy figures")

    def __post_init__(self) -> None:
        for name, bound in BOUNDS.items():
            value = getattr(self, name)
            checked = bound.check(name, value)
            if checked is not value:
                object.__setattr__(self, name, checked)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every knob's name, in the order results list them."""
        return tuple(BOUNDS)

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        return dict(DESCRIPTIONS)

    @classmethod
    def from_values(cls, values: dict[str, Any], base: Assumptions | None = None) -> Assumptions:
        """`base` (default: the defaults) with `values` applied; an unknown name or a value out
        of bounds is an InputError naming the knob."""
        unknown = [k for k in values if k not in BOUNDS]
        if unknown:
            raise InputError(unknown[0], f"unknown assumption; expected one of "
                             f"{', '.join(BOUNDS)}")
        return cls(**{**(base.as_dict() if base is not None else {}), **values})

    def as_dict(self) -> dict[str, float | int]:
        """name → value of every knob, in field order."""
        return {name: getattr(self, name) for name in BOUNDS}


BOUNDS: dict[str, Bound] = {f.name: f.metadata["bound"] for f in fields(Assumptions)}
DESCRIPTIONS: dict[str, str] = {f.name: f.metadata["description"] for f in fields(Assumptions)}
