"""Compose the pure functions into one estimate for a decoder on a tensor-parallel replica.

Steady-state continuous batching with `concurrency` sequences in flight
(docs/methodology.md#serving-model):

    TTFT = prefill(T_in) + request_overhead + contention(C)      (prefill_contention_s; 0 at C = 1)
    TPOT = decode_step(C, L̄) + prefill_batched(C − 1, T_in) / T_out  (others' prefills interleave,
           batched in chunks of max_batched_tokens: weights streamed once per chunk)
    E2E  = TTFT + (T_out − 1)·TPOT
    output tokens/s = C · T_out / E2E                               (Little's law)

Static batching (`Workload.static_batch`: B prompts prefilled together, then decoded in lock
step, no new request joins until all finish; TensorRT-LLM gptSessionBenchmark, HF generate):

    TTFT = prefill_batch(B, T_in) + request_overhead
    TPOT = decode_step(B, L̄)
    E2E  = TTFT + (T_out − 1)·TPOT
    output tokens/s = B · T_out / E2E
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inferx.engine import cost as cost_fn
from inferx.engine import energy as energy_fn
from inferx.engine.architecture import kv_cache_bytes_for_context, kv_cache_bytes_per_token, param_counts
from inferx.engine.assumptions import Assumptions
from inferx.engine.decoder import (
    batched_prefill_work,
    decode_step_work,
    kv_read_amplification,
    prefill_work,
    weight_layout,
)
from inferx.engine.memory import MemoryPlan, plan_memory, valid_tp_sizes, weight_bytes
from inferx.engine.roofline import PassTime, allreduce_time_s, pass_time
from inferx.profiles import HardwareProfile, ModelProfile
from inferx.quant import SIXTEEN_BIT, Scheme
from inferx.results import (
    CostResult,
    EnergyResult,
    LatencyResult,
    MemoryResult,
    ModelFacts,
    PhaseBreakdown,
    ThroughputResult,
    Warning_,
)
from inferx.units import BYTES_PER_GB


@dataclass(frozen=True)
class Workload:
    input_tokens: int
    output_tokens: int
    concurrency: int | None  # None: the largest that fits ("max")
    static_batch: bool = False  # True: `concurrency` is a static batch (no continuous batching)
    # False: the batch is known to have run (a measurement being replayed): estimate the
    # performance even where the memory plan says it does not fit (the warning stays).
    require_fit: bool = True


@dataclass
class EngineOutput:
    gpus: int
    concurrency: int
    compute_dtype: str
    weight_only_fallback: bool
    model: ModelFacts
    memory: MemoryResult
    latency: LatencyResult
    throughput: ThroughputResult
    cost: CostResult
    energy: EnergyResult
    warnings: list[Warning_] = field(default_factory=list)


def compute_dtype_for(scheme: Scheme, hw: HardwareProfile) -> tuple[str, bool]:
    """The dtype the matmuls run in, and whether the scheme fell back to weight-only.

    A scheme computes in its own dtype only where the hardware lists a dense peak for it;
    otherwise weights are dequantised and the matmuls run 16-bit (bf16, else fp16, else fp32).
    """
    if hw.runs_natively(scheme.compute_dtype):
        return scheme.compute_dtype, False
    for dtype in (*SIXTEEN_BIT, "fp32"):
        if hw.runs_natively(dtype):
            return dtype, not scheme.weight_only and scheme.compute_dtype not in (*SIXTEEN_BIT, "fp32")
    return scheme.compute_dtype, False


def _phase(t: PassTime) -> PhaseBreakdown:
    return PhaseBreakdown(bound=t.bound, compute_ms=t.compute_s * 1e3, memory_ms=t.memory_s * 1e3,
                          attention_ms=t.attention_s * 1e3,
                          communication_ms=t.comm_s * 1e3, overhead_ms=t.overhead_s * 1e3)


def _memory_plan(m: ModelProfile, hw: HardwareProfile, a: Assumptions, tp: int,
                 weights_total: float, kv_seq_total: float) -> MemoryPlan:
    return plan_memory(m=m, total_weight_bytes=weights_total,
                       kv_bytes_per_sequence_total=kv_seq_total, capacity_gb=hw.capacity_bytes / 1e9, tp=tp,
                       memory_utilization=a.memory_utilization,
                       runtime_overhead_gb=a.runtime_overhead_gb,
                       max_batched_tokens=a.max_batched_tokens)


def estimate_decoder(
    *, model: ModelProfile, hardware: HardwareProfile, scheme: Scheme, kv_precision: str,
    kv_bytes_per_element: float, gpus: int | None, workload: Workload,
    usd_per_gpu_hour: float | None, assumptions: Assumptions,
) -> EngineOutput:
    """Memory, latency, throughput, cost and energy for one replica (pure)."""
    a, m, hw = assumptions, model, hardware
    warnings: list[Warning_] = []
    counts = param_counts(m)
    weights_total = weight_bytes(counts, scheme)
    context = workload.input_tokens + workload.output_tokens
    kv_seq_total = kv_cache_bytes_for_context(m, context_tokens=context,
                                              kv_bytes_per_element=kv_bytes_per_element)
    tp_sizes = valid_tp_sizes(m)
    need = workload.concurrency or 1

    def plan(tp: int) -> MemoryPlan:
        return _memory_plan(m, hw, a, tp, weights_total, kv_seq_total)

    min_gpus = next((tp for tp in tp_sizes if plan(tp).fits(need)), None)
    if gpus is None:
        tp = min_gpus or tp_sizes[-1]
    else:
        tp = gpus
    mem = plan(tp)
    max_conc = min(mem.max_concurrency(), a.max_num_seqs)
    concurrency = workload.concurrency if workload.concurrency is not None else max_conc
    fits = concurrency >= 1 and mem.fits(concurrency)
    if workload.concurrency is None and mem.max_concurrency() > a.max_num_seqs:
        warnings.append(Warning_(code="concurrency_capped", message=(
            f"memory holds {mem.max_concurrency()} sequences; capped at the runtime limit "
            f"max_num_seqs={a.max_num_seqs}")))
    if not fits:
        need_txt = f"{min_gpus} GPUs" if min_gpus else f"more than {tp_sizes[-1]} GPUs"
        warnings.append(Warning_(code="does_not_fit", message=(
            f"{m.id} at {scheme.id} with {context} tokens x {max(concurrency, 1)} sequences "
            f"does not fit on {tp} x {hw.id} (needs {need_txt}); performance not estimated")))
    if min_gpus is None:
        warnings.append(Warning_(code="no_fit_found", message=(
            f"no tensor-parallel size up to {tp_sizes[-1]} fits this model on {hw.id}")))

    dtype, fallback = compute_dtype_for(scheme, hw)
    if fallback:
        warnings.append(Warning_(code="no_native_compute", message=(
            f"{hw.id} has no native {scheme.compute_dtype} units: {scheme.id} runs weight-only, "
            f"dequantised to {dtype} (no compute speed-up)")))
    peak_tflops = hw.peak_tflops_for(dtype)
    if peak_tflops is None:
        warnings.append(Warning_(code="no_compute_figure", message=(
            f"{hw.id} has no published peak FLOPS for {dtype}: compute time is not modelled, "
            "so compute-bound phases are underestimated")))

    stated = m.params_b
    facts = ModelFacts(params_b=counts.total / 1e9, active_params_b=counts.active / 1e9,
                       stated_params_b=stated)
    memory = MemoryResult(
        capacity_gb_per_gpu=mem.capacity_bytes / BYTES_PER_GB,
        usable_gb_per_gpu=mem.usable_bytes / BYTES_PER_GB,
        weights_gb=weights_total / BYTES_PER_GB,
        weights_gb_per_gpu=mem.weights_bytes / BYTES_PER_GB,
        kv_cache_bytes_per_token=kv_cache_bytes_per_token(
            m, kv_bytes_per_element=kv_bytes_per_element),
        kv_cache_gb_per_gpu=mem.kv_bytes(max(concurrency, 0)) / BYTES_PER_GB,
        activations_gb_per_gpu=mem.activations_bytes / BYTES_PER_GB,
        overhead_gb_per_gpu=mem.overhead_bytes / BYTES_PER_GB,
        total_gb_per_gpu=mem.total_bytes(max(concurrency, 0)) / BYTES_PER_GB,
        fits=fits, min_gpus=min_gpus, max_concurrency=max_conc)

    out = EngineOutput(gpus=tp, concurrency=concurrency, compute_dtype=dtype,
                       weight_only_fallback=fallback, model=facts, memory=memory,
                       latency=LatencyResult(ttft_ms=None, tpot_ms=None, e2e_s=None, prefill=None,
                                             decode=None),
                       throughput=ThroughputResult(output_tokens_per_s=None,
                                                   output_tokens_per_s_per_gpu=None,
                                                   input_tokens_per_s=None, requests_per_s=None),
                       cost=CostResult(usd_per_gpu_hour=usd_per_gpu_hour, usd_per_hour=None,
                                       usd_per_million_output_tokens=None,
                                       usd_per_million_input_tokens=None,
                                       usd_per_million_tokens=None, usd_per_request=None),
                       energy=EnergyResult(power_w=None, joules_per_output_token=None,
                                           wh_per_request=None, gco2_per_request=None,
                                           grid_gco2_per_kwh=a.grid_gco2_per_kwh, pue=a.pue),
                       warnings=warnings)
    if not fits and (workload.require_fit or concurrency < 1):
        return out
    _performance(out, m=m, hw=hw, scheme=scheme, counts=counts, weights_total=weights_total,
                 kv_bytes_per_element=kv_bytes_per_element, workload=workload,
                 peak_tflops=peak_tflops or 0.0, usd_per_gpu_hour=usd_per_gpu_hour, a=a)
    return out


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


def _performance(out: EngineOutput, *, m: ModelProfile, hw: HardwareProfile, scheme: Scheme,
                 counts, weights_total: float, kv_bytes_per_element: float, workload: Workload,
                 peak_tflops: float, usd_per_gpu_hour: float | None, a: Assumptions) -> None:
    tp, c = out.gpus, out.concurrency
    t_in, t_out = workload.input_tokens, workload.output_tokens
    layout = weight_layout(m, counts, scheme, weights_total)
    link = hw.interconnect_gb_per_s or a.fallback_interconnect_gb_per_s
    if tp > 1 and hw.interconnect_gb_per_s is None:
        out.warnings.append(Warning_(code="assumed_interconnect", message=(
            f"{hw.id} has no interconnect figure: all-reduce assumes "
            f"{a.fallback_interconnect_gb_per_s:g} GB/s")))

    def timed(work, passes: int) -> PassTime:
        per_reduce = allreduce_time_s(message_bytes=work.allreduce_bytes, tp=tp,
                                      link_gb_per_s=link, link_efficiency=a.interconnect_efficiency,
                                      hop_latency_us=a.allreduce_hop_latency_us)
        return pass_time(flops_per_gpu=work.flops_per_gpu, bytes_per_gpu=work.bytes_per_gpu,
                         peak_flops=peak_tflops * 1e12,
                         bandwidth_bytes_per_s=hw.memory_bandwidth_gb_per_s * 1e9,
                         compute_efficiency=a.compute_efficiency,
                         bandwidth_efficiency=a.bandwidth_efficiency,
                         comm_s=work.allreduces * per_reduce,
                         overhead_s=passes * a.step_overhead_ms * 1e-3,
                         attention_flops_per_gpu=work.attention_flops_per_gpu,
                         attention_bytes_per_gpu=work.attention_bytes_per_gpu)

    pf_work, chunks = prefill_work(m=m, counts=counts, layout=layout, prompt_tokens=t_in,
                                   kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                                   max_batched_tokens=a.max_batched_tokens)
    prefill = timed(pf_work, chunks)
    mean_context = t_in + t_out / 2
    step = timed(decode_step_work(m=m, counts=counts, layout=layout, batch=c,
                                  context_tokens=mean_context,
                                  kv_bytes_per_element=kv_bytes_per_element, tp=tp,
                                  kv_read_amplification=kv_read_amplification(
                                      m, gqa_kv_reread=a.gqa_kv_reread)), 1)
    if workload.static_batch:
        prefill = timed(*batched_prefill_work(
            m=m, counts=counts, layout=layout, prompt_tokens=t_in, batch=c,
            kv_bytes_per_element=kv_bytes_per_element, tp=tp))
        ttft_s = prefill.total_s + a.request_overhead_ms * 1e-3
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
        ttft_s = prefill.total_s + a.request_overhead_ms * 1e-3 + prefill_contention_s(
            concurrency=c, prefill_s=prefill.total_s, prefill_chunks=chunks,
            step_s=step.total_s, step_attention_s=step.attention_s,
            e2e_s=prefill.total_s + t_out * tpot_s)
    e2e_s = ttft_s + (t_out - 1) * tpot_s
    out_tps = c * t_out / e2e_s
    req_s = c / e2e_s
    out.latency = LatencyResult(ttft_ms=ttft_s * 1e3, tpot_ms=tpot_s * 1e3, e2e_s=e2e_s,
                                prefill=_phase(prefill), decode=_phase(step))
    out.throughput = ThroughputResult(output_tokens_per_s=out_tps,
                                      output_tokens_per_s_per_gpu=out_tps / tp,
                                      input_tokens_per_s=req_s * t_in, requests_per_s=req_s)
    if usd_per_gpu_hour is not None:
        hourly = cost_fn.usd_per_hour(usd_per_gpu_hour=usd_per_gpu_hour, gpus=tp)
        prefill_time = prefill.total_s if workload.static_batch else c * prefill.total_s
        prefill_share = prefill_time / (prefill_time + t_out * step.total_s)
        out.cost = CostResult(
            usd_per_gpu_hour=usd_per_gpu_hour, usd_per_hour=hourly,
            usd_per_million_output_tokens=cost_fn.usd_per_million_tokens(
                usd_per_hour=hourly, tokens_per_s=out_tps),
            usd_per_million_input_tokens=cost_fn.usd_per_million_tokens(
                usd_per_hour=hourly * prefill_share, tokens_per_s=req_s * t_in),
            usd_per_million_tokens=cost_fn.usd_per_million_tokens(
                usd_per_hour=hourly, tokens_per_s=req_s * (t_in + t_out)),
            usd_per_request=cost_fn.usd_per_request(usd_per_hour=hourly, requests_per_s=req_s))
    if hw.tdp_w is not None:
        power = energy_fn.average_power_w(tdp_w=hw.tdp_w, gpus=tp,
                                          power_fraction_of_tdp=a.power_fraction_of_tdp, pue=a.pue)
        wh = energy_fn.wh_per_request(power_w=power, requests_per_s=req_s)
        out.energy = EnergyResult(
            power_w=power, joules_per_output_token=energy_fn.joules_per_token(
                power_w=power, tokens_per_s=out_tps),
            wh_per_request=wh,
            gco2_per_request=energy_fn.gco2_from_wh(wh=wh, grid_gco2_per_kwh=a.grid_gco2_per_kwh),
            grid_gco2_per_kwh=a.grid_gco2_per_kwh, pue=a.pue)
    else:
        out.warnings.append(Warning_(code="no_tdp", message=(
            f"{hw.id} has no published TDP: energy is not estimated")))
