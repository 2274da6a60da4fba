"""decoder_timing over a grid of concurrencies, fast: the same formulas as engine/timing.py,
with the parts that do not depend on the concurrency C computed once (pure).

`plan` evaluates a replica at dozens of concurrencies per layout.  engine/timing.py rebuilds
the prefill pass, the attention FLOPs of the mean context and the KV bytes per sequence at
every C, though none of them depends on C.  Here they are computed once, through the same
engine functions, at one sequence:

    decode step(C):        FLOPs, attention FLOPs, KV bytes, all-reduce bytes, activation
                           bytes = C x (one sequence's);  weight bytes = streamed weights with
                           the experts C·k routings touch (WeightLayout.streamed_bytes)
    others' prefills(C):   passes = ceil((C − 1)·T_in / max_batched_tokens); FLOPs, attention
                           FLOPs, KV bytes, activation bytes = (C − 1) x (one prompt's);
                           weights streamed once per pass (the experts its tokens touch);
                           2·layers all-reduces per pass
    one prefill:           independent of C

and composed into TTFT, TPOT, E2E and throughput exactly as decoder_timing does (continuous
batching only: a static batch or an encoder-decoder goes through decoder_timing).  A test
(tests/test_plan_fast.py) checks the two agree at every point of a grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import (
    batched_prefill_work,
    decode_step_work,
    expert_token_share,
    kv_read_amplification,
    linear_compute_efficiency,
    prefill_work,
    routed_time_weight,
    weight_layout,
)
from inferx.engine.deployment import link_for
from inferx.engine.roofline import (
    allreduce_latency_s,
    attention_peak_tflops,
    expected_experts_touched,
    linear_padding,
    unidirectional_bytes_per_s,
)
from inferx.engine.timing import (
    Timing,
    achieved_bandwidth_of,
    decoder_timing,
    host_factor,
    prefill_contention_s,
)
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme


@dataclass(frozen=True)
class CurvePoint:
    """decoder_timing's figures at one concurrency (seconds; rates per second)."""

    concurrency: int
    ttft_s: float
    tpot_s: float
    e2e_s: float
    output_tokens_per_s: float
    requests_per_s: float
    prefill_share: float
    step_s: float = 0.0          # decoding alone, no prefills interleaved (Timing.step_s)
    prefill_s: float = 0.0       # one request's prefill (Timing.prefill.total_s)


class TimingCurve:
    """One replica (model, hardware, scheme, TP size, tokens, assumptions) at any concurrency."""

    def __init__(self, *, m: ModelRecord, hw: HardwareRecord, scheme: Scheme,
                 counts: ParamCounts, weights_total: float, kv_bytes_per_element: float,
                 tp: int, input_tokens: int, output_tokens: int, peak_tflops: float,
                 a: Assumptions) -> None:
        self._args = dict(m=m, hw=hw, scheme=scheme, counts=counts, weights_total=weights_total,
                          kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                          input_tokens=input_tokens, output_tokens=output_tokens,
                          peak_tflops=peak_tflops, a=a)
        self.exact = m.architecture == "encoder-decoder"  # decoder_timing at every point
        self.tp, self.t_in, self.t_out, self.a = tp, input_tokens, output_tokens, a
        self.num_experts, self.k = m.num_experts, m.experts_per_token
        layout = weight_layout(m, counts, scheme, weights_total)
        self.layout = layout
        self.link = link_for(hw, tp).gb_per_s or 0.0
        self.achieved_flops = attention_peak_tflops(
            peak_tflops, hw.compute_tflops_for("fp8")) * 1e12 * a.compute_efficiency  # attention
        self.achieved_linear_flops = peak_tflops * 1e12 * linear_compute_efficiency(
            m, counts, compute_efficiency=a.compute_efficiency,
            moe_compute_efficiency=a.moe_compute_efficiency)
        self.routed_weight = routed_time_weight(  # ReplicaPasses.routed_weight
            m, counts, moe_compute_efficiency=a.moe_compute_efficiency)
        self.expert_share = expert_token_share(m)
        self.achieved_bw = achieved_bandwidth_of(hw, a)
        self.has_peak = peak_tflops * 1e12 > 0
        host = host_factor(hw, a)  # timing.step_overhead_s
        self.step_overhead_s = a.step_overhead_ms * host * 1e-3
        self.sequence_overhead_s = a.sequence_overhead_us * host * 1e-6
        self.request_overhead_s = a.request_overhead_ms * 1e-3
        self.mbt = a.max_batched_tokens
        # roofline.allreduce_time_s = transfers / tp · bytes / unidirectional + hops · latency,
        # its C-independent factors kept (the same operations in the same order)
        self.ar_transfers_over_tp = 2 * (tp - 1) / tp
        self.ar_unidirectional = unidirectional_bytes_per_s(self.link, a.interconnect_efficiency)
        self.ar_latency_s = allreduce_latency_s(tp, a.allreduce_hop_latency_us)
        # a dense model streams the same weights at every C
        self.dense_streamed = self._streamed_exact(1.0) if self.num_experts <= 1 else None
        common = dict(m=m, counts=counts, layout=layout, kv_bytes_per_element=kv_bytes_per_element,
                      tp=tp)
        pf, self.chunks = prefill_work(prompt_tokens=input_tokens,
                                       max_batched_tokens=a.max_batched_tokens, **common)
        self.prefill_s, _ = self._time(pf.flops_per_gpu, pf.bytes_per_gpu, pf.allreduces,
                                       pf.allreduce_bytes, pf.attention_flops_per_gpu,
                                       pf.attention_bytes_per_gpu, self.chunks,
                                       pf.activation_bytes_per_gpu,
                                       min(input_tokens, a.max_batched_tokens))
        step1 = decode_step_work(batch=1, context_tokens=input_tokens + output_tokens / 2,
                                 kv_read_amplification=kv_read_amplification(
                                     m, gqa_kv_reread=a.gqa_kv_reread), **common)
        self.step1 = step1
        bp1, _ = batched_prefill_work(prompt_tokens=input_tokens, batch=1, **common)
        self.bp1 = bp1
        # all-reduces per pass and bytes per token (the hidden state): one sequence's step
        self.ar_per_pass, self.ar_bytes_per_token = step1.allreduces, step1.allreduce_bytes

    def _time(self, flops: float, weight_bytes: float, allreduces: int, ar_bytes: float,
              attn_flops: float, attn_bytes: float, passes: int,
              activation_bytes: float = 0.0, tokens: float = 0.0) -> tuple[float, float]:
        """(total, attention) seconds of one pass of `tokens` tokens: roofline.pass_time's
        formula."""
        per_reduce = 0.0
        if self.tp > 1:
            per_reduce = (self.ar_transfers_over_tp * ar_bytes / self.ar_unidirectional
                          + self.ar_latency_s)
        compute_s = flops / self.achieved_linear_flops if self.has_peak else 0.0
        if tokens and self.a.gemm_padding_tokens:
            compute_s *= linear_padding(tokens, tokens * self.expert_share, self.routed_weight,
                                        self.a.gemm_padding_tokens)
        memory_s = weight_bytes / self.achieved_bw
        attn_c = attn_flops / self.achieved_flops if self.has_peak else 0.0
        attention_s = max(attn_c, attn_bytes / self.achieved_bw)
        total = (max(compute_s, memory_s) + attention_s + activation_bytes / self.achieved_bw
                 + allreduces * per_reduce
                 + passes * self.step_overhead_s)
        return total, attention_s

    def _streamed(self, tokens: float) -> float:
        if self.dense_streamed is not None:
            return self.dense_streamed
        return self._streamed_exact(tokens)

    def _streamed_exact(self, tokens: float) -> float:
        touched = expected_experts_touched(num_experts=self.num_experts,
                                           experts_per_token=self.k, tokens=tokens)
        return self.layout.streamed_bytes(experts_touched_per_layer=touched,
                                          num_experts=self.num_experts) / self.tp

    def at(self, c: int) -> CurvePoint:
        """decoder_timing at c in flight (continuous batching)."""
        if self.exact:
            return from_timing(c, decoder_timing(concurrency=c, static_batch=False,
                                                 **self._args))
        s1, b1, t_in, t_out = self.step1, self.bp1, self.t_in, self.t_out
        step_s, step_attn_s = self._time(
            c * s1.flops_per_gpu, self._streamed(c), s1.allreduces,
            c * self.ar_bytes_per_token, c * s1.attention_flops_per_gpu,
            c * s1.attention_bytes_per_gpu, 1, c * s1.activation_bytes_per_gpu, c)
        step_s += c * self.sequence_overhead_s
        others_s = 0.0
        if c > 1:
            b = c - 1
            tokens = b * t_in
            passes = max(1, math.ceil(tokens / self.mbt))
            per_pass = tokens / passes
            others_s, _ = self._time(
                b * b1.flops_per_gpu, passes * self._streamed(per_pass),
                self.ar_per_pass * passes, per_pass * self.ar_bytes_per_token,
                b * b1.attention_flops_per_gpu, b * b1.attention_bytes_per_gpu, passes,
                b * b1.activation_bytes_per_gpu, per_pass)
        tpot_s = step_s + others_s / t_out
        pf = self.prefill_s
        ttft_s = pf + self.request_overhead_s + prefill_contention_s(
            concurrency=c, prefill_s=pf, prefill_chunks=self.chunks, step_s=step_s,
            step_attention_s=step_attn_s, e2e_s=pf + t_out * tpot_s)
        e2e_s = ttft_s + (t_out - 1) * tpot_s
        prefill_time = c * pf
        return CurvePoint(c, ttft_s, tpot_s, e2e_s, c * t_out / e2e_s, c / e2e_s,
                          prefill_time / (prefill_time + t_out * step_s), step_s, pf)


def from_timing(c: int, t: Timing) -> CurvePoint:
    return CurvePoint(c, t.ttft_s, t.tpot_s, t.e2e_s, t.output_tokens_per_s, t.requests_per_s,
                      t.prefill_share, t.step_s, t.prefill.total_s)
