"""Time to first token, time per output token and throughput of a replica at a fixed number
of sequences in flight (pure, seconds).  The serving model is in engine/estimate.py's
docstring and docs/methodology.md#serving-model."""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.architecture import ParamCounts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import (
    Work,
    batched_prefill_work,
    decode_step_work,
    encoder_pass_work,
    kv_read_amplification,
    linear_compute_efficiency,
    prefill_work,
    weight_layout,
)
from inferx.engine.deployment import link_for
from inferx.engine.roofline import (
    PassTime,
    allreduce_time_s,
    attention_peak_tflops,
    pass_time,
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


def step_overhead_s(*, passes: int, sequences: int, a: Assumptions) -> float:
    """Fixed time of `passes` forward passes outside the kernels' rooflines, when a decode
    pass runs `sequences` sequences (docs/methodology.md#latency):

        passes · step_overhead + sequences · sequence_overhead

    step_overhead: once per pass (scheduling, kernel launches or a CUDA-graph replay);
    sequence_overhead: per running sequence per decode step (the runtime's host-side
    bookkeeping, sampling and detokenization, which grow with the batch)."""
    return passes * a.step_overhead_ms * 1e-3 + sequences * a.sequence_overhead_us * 1e-6


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
    """Roofline passes composed into TTFT, TPOT, E2E and Little's-law throughput.

    Requires the hardware figures the passes use (peak FLOPS; a link bandwidth when tp > 1):
    engine/estimate.py checks them before calling."""
    c, t_in, t_out = concurrency, input_tokens, output_tokens
    layout = weight_layout(m, counts, scheme, weights_total)
    link = link_for(hw, tp).gb_per_s or 0.0  # scale-up within a domain, else scale-out
    linear_ce = linear_compute_efficiency(m, counts, compute_efficiency=a.compute_efficiency,
                                          moe_compute_efficiency=a.moe_compute_efficiency)
    attn_peak_tflops = attention_peak_tflops(peak_tflops, hw.peak_tflops_for("fp8"))

    def timed(work: Work, passes: int, sequences: int = 0) -> PassTime:
        """The pass's roofline; `sequences` running decodes add their host time each."""
        per_reduce = 0.0
        if tp > 1:
            per_reduce = allreduce_time_s(message_bytes=work.allreduce_bytes, tp=tp,
                                          link_gb_per_s=link,
                                          link_efficiency=a.interconnect_efficiency,
                                          hop_latency_us=a.allreduce_hop_latency_us)
        return pass_time(flops_per_gpu=work.flops_per_gpu, bytes_per_gpu=work.bytes_per_gpu,
                         peak_flops=peak_tflops * 1e12,
                         bandwidth_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
                         compute_efficiency=a.compute_efficiency,
                         bandwidth_efficiency=a.bandwidth_efficiency,
                         comm_s=work.allreduces * per_reduce,
                         overhead_s=step_overhead_s(passes=passes, sequences=sequences,
                                                    a=a),
                         attention_flops_per_gpu=work.attention_flops_per_gpu,
                         attention_bytes_per_gpu=work.attention_bytes_per_gpu,
                         linear_compute_efficiency=linear_ce,
                         attention_peak_flops=attn_peak_tflops * 1e12)

    # an encoder-decoder (Whisper) runs its encoder over the input before the decoder prefill
    encoder_s = 0.0
    if m.architecture == "encoder-decoder":
        encoder_s = timed(encoder_pass_work(m=m, scheme=scheme, tp=tp), 0).total_s
    pf_work, chunks = prefill_work(m=m, counts=counts, layout=layout, prompt_tokens=t_in,
                                   kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                                   max_batched_tokens=a.max_batched_tokens)
    prefill = timed(pf_work, chunks)
    mean_context = t_in + t_out / 2
    step = timed(decode_step_work(m=m, counts=counts, layout=layout, batch=c,
                                  context_tokens=mean_context,
                                  kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                                  kv_read_amplification=kv_read_amplification(
                                      m, gqa_kv_reread=a.gqa_kv_reread)), 1, c)
    if static_batch:
        prefill = timed(*batched_prefill_work(
            m=m, counts=counts, layout=layout, prompt_tokens=t_in, batch=c,
            kv_bytes_per_element=kv_bytes_per_element, tp=tp))
        ttft_s = encoder_s * c + prefill.total_s + a.request_overhead_ms * 1e-3
        tpot_s = step.total_s
    else:
        # The other C − 1 requests' prefills, batched in chunks of max_batched_tokens,
        # interleave with this request's T_out decode steps.
        others_s = 0.0
        if c > 1:
            others_s = timed(*batched_prefill_work(
                m=m, counts=counts, layout=layout, prompt_tokens=t_in, batch=c - 1,
                kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                max_batched_tokens=a.max_batched_tokens)).total_s
        tpot_s = step.total_s + others_s / t_out
        ttft_s = encoder_s + prefill.total_s + a.request_overhead_ms * 1e-3 + prefill_contention_s(
            concurrency=c, prefill_s=prefill.total_s, prefill_chunks=chunks,
            step_s=step.total_s, step_attention_s=step.attention_s,
            e2e_s=prefill.total_s + t_out * tpot_s)
    e2e_s = ttft_s + (t_out - 1) * tpot_s
    out_tps = c * t_out / e2e_s
    req_s = c / e2e_s
    prefill_time = prefill.total_s if static_batch else c * prefill.total_s
    return Timing(prefill=prefill, decode=step, ttft_s=ttft_s, tpot_s=tpot_s, e2e_s=e2e_s,
                  output_tokens_per_s=out_tps, requests_per_s=req_s,
                  input_tokens_per_s=req_s * t_in,
                  prefill_share=prefill_time / (prefill_time + t_out * step.total_s),
                  step_s=step.total_s)
