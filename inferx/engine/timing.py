"""Time to first token, time per output token and throughput of a replica at a fixed number
of sequences in flight (pure, seconds).  The serving model is in engine/estimate.py's
docstring and docs/methodology.md#serving-model."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import (
    encoder_pass_work,
    expert_token_share,
    kv_read_amplification,
    linear_compute_efficiency,
    routed_time_weight,
    weight_layout,
)
from inferx.engine.decoder_work import PassFigures, decoder_work
from inferx.engine.deployment import link_for
from inferx.engine.memo import per_objects
from inferx.engine.memory import kv_shard_factor
from inferx.engine.roofline import (
    PassTime,
    achieved_bandwidth,
    allreduce_latency_s,
    attention_peak_tflops,
    linear_padding,
    unidirectional_bytes_per_s,
)
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme


@dataclass(frozen=True)
class Timing:
    """One replica's timing at `concurrency` in flight (seconds; rates per second)."""

    prefill: PassTime            # one request's prefill (static: the whole batch's)
    decode: PassTime             # one decode step of the running batch
    ttft_s: float
    tpot_s: float
    e2e_s: float
    output_tokens_per_s: float
    requests_per_s: float
    input_tokens_per_s: float
    prefill_share: float         # share of busy time spent prefilling (prices input tokens)
    step_s: float = 0.0          # per-token time of decoding alone (no prefills interleaved)


def host_factor(hw: HardwareRecord, a: Assumptions) -> float:
    """The serving loop's host time on `hw`'s host over an x86 host's: grace_host_factor
    when the profile's host_cpu is "grace" (an Arm Neoverse V2 core runs the runtime's Python
    slower: PyTorch spends 37.1 µs of CPU per Linear forward on GB200 against 13.5 µs on an
    H100 DGX's Xeon 8480C, NVIDIA/TransformerEngine#2053), else 1
    (docs/methodology.md#latency)."""
    return a.grace_host_factor if hw.host_cpu == "grace" else 1.0


def achieved_bandwidth_of(hw: HardwareRecord, a: Assumptions) -> float:
    """roofline.achieved_bandwidth on `hw` (bytes/s) with `a`'s bandwidth_efficiency and
    sm_bytes_per_cycle."""
    return achieved_bandwidth(
        peak_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
        bandwidth_efficiency=a.bandwidth_efficiency, sm_count=hw.sm_count,
        boost_clock_mhz=hw.boost_clock_mhz, sm_bytes_per_cycle=a.sm_bytes_per_cycle)


def step_overhead_s(*, passes: int, sequences: int, a: Assumptions,
                    host: float = 1.0) -> float:
    """Fixed time of `passes` forward passes outside the kernels' rooflines, when a decode
    pass runs `sequences` sequences (docs/methodology.md#latency):

        (passes · step_overhead + sequences · sequence_overhead) · host

    step_overhead: once per pass (scheduling, kernel launches or a CUDA-graph replay);
    sequence_overhead: per running sequence per decode step (the runtime's host-side
    bookkeeping, sampling and detokenization, which grow with the batch); host: host_factor."""
    return (passes * a.step_overhead_ms * 1e-3
            + sequences * a.sequence_overhead_us * 1e-6) * host


def prefill_contention_s(*, concurrency: int, prefill_s: float, prefill_chunks: int,
                         step_s: float, step_attention_s: float, e2e_s: float) -> float:
    """Extra time to first token when a request joins C − 1 running ones (continuous batching).

    Three physical delays, zero at C = 1 (docs/methodology.md#serving-model):

        wait for the in-flight step     t_step / 2            (arrival uniform within a step)
        decode batch riding along       chunks · t_attn        (each prefill chunk shares its
                                                               pass with the running decodes,
                                                               whose KV reads add to it)
        queue behind others' prefills   ρ · t_pf / (2(1 − ρ))  (M/D/1 wait; ρ = (C − 1) · t_pf / E2E,
                                                               the share of time spent prefilling
                                                               the others, capped at 0.9)
    """
    if concurrency <= 1:
        return 0.0
    rho = min(0.9, (concurrency - 1) * prefill_s / e2e_s) if e2e_s > 0 else 0.0
    return (step_s / 2 + prefill_chunks * step_attention_s
            + rho * prefill_s / (2 * (1 - rho)))


def decoder_timing(*, m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                   weights_total: float, kv_bytes_per_element: float, tp: int, concurrency: int,
                   input_tokens: int, output_tokens: int, static_batch: bool,
                   peak_tflops: float, a: Assumptions) -> Timing:
    """Roofline passes composed into TTFT, TPOT, E2E and Little's-law throughput
    (ReplicaPasses.timing, on the replica's constants, kept per replica).

    Requires the hardware figures the passes use (peak FLOPS; a link bandwidth when tp > 1):
    engine/estimate.py checks them before calling."""
    return replica_passes(m, hw, scheme, counts, a, weights_total, kv_bytes_per_element, tp,
                          peak_tflops).timing(concurrency, input_tokens, output_tokens,
                                              static_batch)


class ReplicaPasses:
    """What every pass of one tensor-parallel replica shares, whatever its tokens and
    concurrency: the model's work coefficients (engine/decoder_work.py), the KV shard, and the
    roofline's achieved rates and all-reduce factors (roofline.pass_time and
    allreduce_time_s, each operation in the same order).  Immutable once built."""

    __slots__ = ("achieved_attention", "achieved_bw", "achieved_linear", "activation",
                 "ar_latency_s", "ar_share", "ar_unidirectional", "encoder_s",
                 "gemm_padding_tokens", "has_peak",
                 "kv_amplification", "max_batched_tokens", "request_overhead_s",
                 "routed_weight", "expert_share",
                 "sequence_overhead_us", "shard", "step_overhead_ms", "tp", "work")

    def __init__(self, m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                 a: Assumptions, weights_total: float, kv_bytes_per_element: float, tp: int,
                 peak_tflops: float) -> None:
        s = object.__setattr__
        layout = weight_layout(m, counts, scheme, weights_total)
        s(self, "work", decoder_work(m, counts, layout, kv_bytes_per_element))
        s(self, "tp", tp)
        s(self, "shard", kv_shard_factor(m, tp=tp))
        s(self, "activation", self.work.activation_bytes(tp))  # elementwise bytes per token
        link = link_for(hw, tp).gb_per_s or 0.0  # scale-up within a domain, else scale-out
        # allreduce_time_s = transfers / tp · bytes / unidirectional + hops · latency
        s(self, "ar_share", 2 * (tp - 1) / tp)
        s(self, "ar_unidirectional", unidirectional_bytes_per_s(link, a.interconnect_efficiency))
        s(self, "ar_latency_s", allreduce_latency_s(tp, a.allreduce_hop_latency_us))
        peak_flops = peak_tflops * 1e12
        s(self, "has_peak", peak_flops > 0)
        attn_peak_tflops = attention_peak_tflops(peak_tflops, hw.compute_tflops_for("fp8"))
        s(self, "achieved_attention", attn_peak_tflops * 1e12 * a.compute_efficiency)
        s(self, "achieved_linear", peak_flops * linear_compute_efficiency(
            m, counts, compute_efficiency=a.compute_efficiency,
            moe_compute_efficiency=a.moe_compute_efficiency))
        s(self, "achieved_bw", achieved_bandwidth_of(hw, a))
        host = host_factor(hw, a)  # the step and sequence overheads run on the host
        s(self, "step_overhead_ms", a.step_overhead_ms * host)
        s(self, "sequence_overhead_us", a.sequence_overhead_us * host)
        s(self, "request_overhead_s", a.request_overhead_ms * 1e-3)
        s(self, "gemm_padding_tokens", a.gemm_padding_tokens)
        # each routed expert's grouped GEMM pads its own M: the pass's tokens · k / E
        s(self, "routed_weight", routed_time_weight(
            m, counts, moe_compute_efficiency=a.moe_compute_efficiency))
        s(self, "expert_share", expert_token_share(m))
        s(self, "max_batched_tokens", a.max_batched_tokens)
        s(self, "kv_amplification", kv_read_amplification(m, gqa_kv_reread=a.gqa_kv_reread))
        s(self, "encoder_s", 0.0)
        # an encoder-decoder (Whisper) runs its encoder over the input before the decoder
        # prefill: the same pass for every request
        if m.architecture == "encoder-decoder":
            w = encoder_pass_work(m=m, scheme=scheme, tp=tp)
            s(self, "encoder_s", self.time((
                w.flops_per_gpu, w.bytes_per_gpu, w.allreduces, w.allreduce_bytes,
                w.attention_flops_per_gpu, w.attention_bytes_per_gpu,
                w.activation_bytes_per_gpu), 0).total_s)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ReplicaPasses is immutable: cannot assign {name!r}")

    def time(self, work: PassFigures, passes: int, sequences: int = 0,
             tokens: float = 0.0) -> PassTime:
        """roofline.pass_time of one pass of `tokens` tokens (its matmuls' tile_padding; 0:
        none); `sequences` running decodes add their host time each (step_overhead_s)."""
        flops, weight_bytes, allreduces, allreduce_bytes, attn_flops, attn_bytes, act_bytes = work
        achieved_bw = self.achieved_bw
        per_reduce = 0.0
        if self.tp > 1:
            per_reduce = (self.ar_share * allreduce_bytes / self.ar_unidirectional
                          + self.ar_latency_s)
        compute_s = flops / self.achieved_linear if self.has_peak else 0.0
        if tokens and self.gemm_padding_tokens:
            compute_s *= linear_padding(tokens, tokens * self.expert_share, self.routed_weight,
                                        self.gemm_padding_tokens)
        attn_compute_s = attn_flops / self.achieved_attention if self.has_peak else 0.0
        return PassTime(compute_s, weight_bytes / achieved_bw, allreduces * per_reduce,
                        passes * self.step_overhead_ms * 1e-3
                        + sequences * self.sequence_overhead_us * 1e-6,
                        max(attn_compute_s, attn_bytes / achieved_bw), act_bytes / achieved_bw)

    def timing(self, c: int, t_in: int, t_out: int, static_batch: bool) -> Timing:
        """The module's serving model at c in flight (engine/estimate.py's docstring)."""
        w, tp, shard, act = self.work, self.tp, self.shard, self.activation
        prompt = w.prompt(t_in)  # one prompt's FLOPs and KV, shared by every prefill pass
        pf, chunks = w.prefill(prompt, t_in, tp=tp, shard=shard, activation=act,
                               max_batched_tokens=self.max_batched_tokens)
        prefill = self.time(pf, chunks, 0, min(t_in, self.max_batched_tokens))
        step = self.time(w.decode_step(c, t_in + t_out / 2, tp=tp, shard=shard, activation=act,
                                       kv_read_amplification=self.kv_amplification), 1, c, c)
        step_s = step.total_s
        if static_batch:
            prefill = self.time(*w.batched_prefill(prompt, t_in, c, tp=tp, shard=shard,
                                                   activation=act, max_batched_tokens=None),
                                0, c * t_in)
            prefill_s = prefill.total_s
            ttft_s = self.encoder_s * c + prefill_s  # offline: no request overhead
            tpot_s = step_s
        else:
            # The other C − 1 requests' prefills, batched in chunks of max_batched_tokens,
            # interleave with this request's T_out decode steps.
            others_s = 0.0
            if c > 1:
                others, passes = w.batched_prefill(
                    prompt, t_in, c - 1, tp=tp, shard=shard, activation=act,
                    max_batched_tokens=self.max_batched_tokens)
                others_s = self.time(others, passes, 0, (c - 1) * t_in / passes).total_s
            tpot_s = step_s + others_s / t_out
            prefill_s = prefill.total_s
            ttft_s = self.encoder_s + prefill_s + self.request_overhead_s + prefill_contention_s(
                concurrency=c, prefill_s=prefill_s, prefill_chunks=chunks, step_s=step_s,
                step_attention_s=step.attention_s, e2e_s=prefill_s + t_out * tpot_s)
        e2e_s = ttft_s + (t_out - 1) * tpot_s
        out_tps = c * t_out / e2e_s
        req_s = c / e2e_s
        prefill_time = prefill_s if static_batch else c * prefill_s
        return Timing(prefill, step, ttft_s, tpot_s, e2e_s, out_tps, req_s, req_s * t_in,
                      prefill_time / (prefill_time + t_out * step_s), step_s)


@per_objects(5)
def replica_passes(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                   a: Assumptions, weights_total: float, kv_bytes_per_element: float, tp: int,
                   peak_tflops: float) -> ReplicaPasses:
    """The replica's ReplicaPasses, once per (profiles, scheme, counts, assumptions objects,
    weight bytes, KV bytes, TP size, peak): a search over concurrency, traffic or tokens
    reuses it."""
    return ReplicaPasses(m, hw, scheme, counts, a, weights_total, kv_bytes_per_element, tp,
                         peak_tflops)
