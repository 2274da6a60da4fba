"""What every point of a plain tensor-parallel replica shares, computed once (pure).

A point of engine/estimate.py's decoder_point is a (tokens, concurrency) on a model, hardware,
scheme, KV precision and assumptions.  All but the tokens and the concurrency fix:

    Sizing (per model, hardware, scheme, KV bytes, assumptions)
        parameter split, stored weight bytes, KV bytes per token, the valid TP sizes,
        capacity / usable / runtime-overhead bytes per GPU, the compute dtype and its peak
    Shard (a Sizing on tp GPUs)
        weights / tp, activation workspace, their sum with the overhead (the memory plan's
        part that does not grow with C) and the KV budget beside them, the KV shard factor,
        the hardware checks (missing figures, notes) and the timing constants (ReplicaPasses),
        made when a point on that size asks for them

so the memory plan at C sequences of L = T_in + T_out tokens is two multiply-adds
(docs/methodology.md#memory):

    KV per sequence per GPU = KV(L) · shard(tp)          (a hybrid's or seq2seq cache: by its
                                                          own heads, memory.cache_bytes_per_gpu)
    total = (weights/tp + activations + overhead) + C · KV per sequence   (fits: ≤ usable)
    max concurrency = ⌊(usable − weights/tp − activations − overhead) / KV per sequence⌋

the same floats as memory.plan_memory's MemoryPlan, each operation in the same order.  Both
are memoised by the identity of the records (engine/memo.py); a search over concurrency,
traffic or GPU counts reuses them.
"""

from __future__ import annotations

from inferx.engine.architecture import ParamCounts, kv_cache_bytes_per_token, param_counts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import weight_layout
from inferx.engine.decoder_work import decoder_work
from inferx.engine.deployment import Deployment, valid_tp_sizes
from inferx.engine.memo import per_objects
from inferx.engine.memory import (
    activation_bytes_per_gpu,
    cache_bytes_per_gpu,
    kv_shard_factor,
    stored_weight_bytes,
)
from inferx.engine.point import Note, compute_dtype_for, hardware_checks
from inferx.engine.timing import ReplicaPasses
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme

MAX_SHARDS = 64  # TP sizes kept per Sizing (any int may be asked; the valid ones are ≤ 7)
_PLAIN_TP: dict[int, Deployment] = {}


class Sizing:
    """The module docstring's per-replica constants.  Immutable once built, but for the
    bounded table of its Shards."""

    __slots__ = ("a", "capacity_bytes", "compute_dtype", "counts", "fallback", "hw",
                 "kv_bytes_per_element", "kv_bytes_per_token", "m", "overhead_bytes",
                 "own_heads", "peak_tflops", "scheme", "shards", "tp_sizes", "usable_bytes",
                 "weights_total", "work")

    def __init__(self, m: ModelRecord, hw: HardwareRecord, scheme: Scheme, a: Assumptions,
                 kv_bytes_per_element: float) -> None:
        s = object.__setattr__
        s(self, "m", m)
        s(self, "hw", hw)
        s(self, "scheme", scheme)
        s(self, "a", a)
        s(self, "kv_bytes_per_element", kv_bytes_per_element)
        counts: ParamCounts = param_counts(m)
        s(self, "counts", counts)
        weights_total = stored_weight_bytes(m, counts, scheme)  # exact checkpoint bytes if read
        s(self, "weights_total", weights_total)
        s(self, "work", decoder_work(m, counts, weight_layout(m, counts, scheme, weights_total),
                                     kv_bytes_per_element))
        s(self, "kv_bytes_per_token",
          kv_cache_bytes_per_token(m, kv_bytes_per_element=kv_bytes_per_element))
        s(self, "tp_sizes", tuple(valid_tp_sizes(m)))
        capacity = hw.capacity_bytes / 1e9 * 1e9  # plan_memory takes it in GB
        s(self, "capacity_bytes", capacity)
        s(self, "usable_bytes", capacity * a.memory_utilization)
        s(self, "overhead_bytes", a.runtime_overhead_gb * 1e9)
        # a hybrid's state and a cross-attention cache shard by their own heads
        s(self, "own_heads", bool(m.linear_attention_layers)
          or m.architecture == "encoder-decoder")
        dtype, fallback = compute_dtype_for(scheme, hw)
        s(self, "compute_dtype", dtype)
        s(self, "fallback", fallback)
        s(self, "peak_tflops", hw.compute_tflops_for(dtype) or 0.0)
        s(self, "shards", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Sizing is immutable: cannot assign {name!r}")

    def shard(self, tp: int) -> Shard:
        """This replica on tp GPUs (kept: at most MAX_SHARDS sizes)."""
        found = self.shards.get(tp)
        if found is None:
            if len(self.shards) >= MAX_SHARDS:
                self.shards.clear()
            found = self.shards[tp] = Shard(self, tp)
        return found

    def kv_per_sequence(self, shard: Shard, kv_sequence_bytes: float, context: int) -> float:
        """One sequence's cache on one GPU of the shard: KV(L) · shard(tp), or each part by its
        own heads (memory.cache_bytes_per_gpu)."""
        if self.own_heads:
            return cache_bytes_per_gpu(self.m, context_tokens=context,
                                       kv_bytes_per_element=self.kv_bytes_per_element,
                                       tp=shard.tp)
        return kv_sequence_bytes * shard.kv_shard


class Shard:
    """A Sizing on tp GPUs (the module docstring).  Immutable once built, but for what only
    the chosen size of a point needs, made on first use: its hardware checks and ReplicaPasses
    (the fit search only reads the memory terms)."""

    __slots__ = ("activations_bytes", "budget_bytes", "fixed_bytes", "kv_shard", "missing_",
                 "notes_", "passes_", "sizing", "tp", "weights_bytes")

    def __init__(self, sizing: Sizing, tp: int) -> None:
        s = object.__setattr__
        m, a = sizing.m, sizing.a
        s(self, "sizing", sizing)
        s(self, "tp", tp)
        weights = sizing.weights_total / tp
        activations = activation_bytes_per_gpu(m, tp=tp, max_batched_tokens=a.max_batched_tokens)
        overhead = sizing.overhead_bytes
        s(self, "weights_bytes", weights)
        s(self, "activations_bytes", activations)
        # MemoryPlan.total_bytes without the KV, and MemoryPlan.kv_budget_bytes
        s(self, "fixed_bytes", weights + activations + overhead)
        s(self, "budget_bytes", sizing.usable_bytes - weights - activations - overhead)
        s(self, "kv_shard", kv_shard_factor(m, tp=tp))
        s(self, "missing_", None)
        s(self, "notes_", None)
        s(self, "passes_", None)

    @property
    def deployment(self) -> Deployment:
        """Deployment(tp=tp), one object per size for every replica (it is frozen)."""
        found = _PLAIN_TP.get(self.tp)
        if found is None:
            if len(_PLAIN_TP) >= MAX_SHARDS:
                _PLAIN_TP.clear()
            found = _PLAIN_TP[self.tp] = Deployment(tp=self.tp)
        return found

    def checks(self) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
        """(missing-figure notes, every hardware note): point.hardware_checks on this size."""
        if self.notes_ is None:
            z = self.sizing
            _, _, missing, notes = hardware_checks(z.hw, z.scheme, self.deployment)
            object.__setattr__(self, "missing_", missing)
            object.__setattr__(self, "notes_", notes)
        return self.missing_, self.notes_  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Shard is immutable: cannot assign {name!r}")

    def max_sequences(self, kv_per_sequence: float) -> int:
        """MemoryPlan.max_concurrency: sequences whose KV fits beside the rest (0 if none)."""
        if self.budget_bytes <= 0 or kv_per_sequence <= 0:
            return 0
        return int(self.budget_bytes // kv_per_sequence)

    def passes(self) -> ReplicaPasses:
        """The timing constants of this replica (engine/timing.py)."""
        found = self.passes_
        if found is None:
            z = self.sizing
            found = ReplicaPasses(z.m, z.hw, z.scheme, z.counts, z.a, z.weights_total,
                                  z.kv_bytes_per_element, self.tp, z.peak_tflops)
            object.__setattr__(self, "passes_", found)
        return found


@per_objects(4)
def sizing(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, a: Assumptions,
           kv_bytes_per_element: float) -> Sizing:
    """The replica's Sizing, once per (model, hardware, scheme, assumptions objects, KV bytes)."""
    return Sizing(m, hw, scheme, a, kv_bytes_per_element)

