"""Timing of a replica with expert or attention-data parallelism, pipeline stages, speculative
decoding or a prefix cache (pure, seconds).  The composition is engine/timing.py's
(docs/methodology.md#serving-model) over engine/deployed.py's passes:

    TTFT = prefill(new prompt tokens) + request_overhead + contention(C)
    TPOT = step(C) + prefill_batched(C − 1) / T_out
           step = (t_verify + k·t_draft) / L with speculative decoding (engine/speculative.py)
    with PP, one round advances every microbatch one token: step = t(microbatch) + p2p hops
"""

from __future__ import annotations

from inferx.engine.architecture import ParamCounts, param_counts
from inferx.engine.assumptions import Assumptions
from inferx.engine.comm import alltoall_time_s, gathers_tokens, p2p_time_s
from inferx.engine.decoder import (
    decode_step_work,
    expert_token_share,
    kv_read_amplification,
    linear_compute_efficiency,
    routed_time_weight,
    weight_layout,
)
from inferx.engine.deployed import (
    DeployedWork,
    prefill_prompt,
    prefill_work,
    rank_load_imbalance,
    step_work,
)
from inferx.engine.deployment import Deployment, links_for
from inferx.engine.memo import per_objects
from inferx.engine.memory import weight_bytes
from inferx.engine.roofline import (
    PassTime,
    allreduce_time_s,
    attention_peak_tflops,
    pass_time,
)
from inferx.engine.speculative import Speculation, head_fraction, tpot_s
from inferx.engine.timing import (
    Timing,
    achieved_bandwidth_of,
    host_factor,
    prefill_contention_s,
    step_overhead_s,
)
from inferx.profiles import HardwareRecord, ModelRecord
from inferx.quant import Scheme


def _scaled(w: DeployedWork, f: float, *, extra_flops: float = 0.0,
            extra_bytes: float = 0.0) -> DeployedWork:
    """A pass scaled to a share f of the layers (an MTP module or EAGLE head), plus its own
    lm_head's FLOPs and bytes."""
    return DeployedWork(flops=w.flops * f + extra_flops, bytes=w.bytes * f + extra_bytes,
                        attention_flops=w.attention_flops * f,
                        attention_bytes=w.attention_bytes * f, allreduces=round(w.allreduces * f),
                        allreduce_bytes=w.allreduce_bytes, alltoalls=round(w.alltoalls * f),
                        alltoall_tokens=w.alltoall_tokens, p2p_bytes=0.0, passes=w.passes,
                        activation_bytes=w.activation_bytes * f)


class DeployedPasses:
    """What every pass of one deployed replica shares, whatever its tokens and concurrency:
    the weight layout, the links' bandwidths, the peaks and efficiencies deployed_timing's
    passes use (the same arguments to the same functions as per pass).  Immutable once built."""

    __slots__ = ("a", "allreduce_gb_per_s", "alltoall_gb_per_s", "attention_peak_flops",
                 "bandwidth_bytes_per_s", "d", "experts_per_token", "hidden", "host", "imbalance",
                 "kv_amplification", "layout", "linear_ce", "peak_flops", "pipeline_gb_per_s",
                 "expert_share", "gather", "routed_weight")

    def __init__(self, m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                 a: Assumptions, weights_total: float, d: Deployment,
                 peak_tflops: float) -> None:
        s = object.__setattr__
        links = links_for(hw, d)
        for name, value in (
                ("a", a), ("d", d), ("layout", weight_layout(m, counts, scheme, weights_total)),
                ("allreduce_gb_per_s", links.allreduce.gb_per_s or 0.0),
                ("alltoall_gb_per_s", links.alltoall.gb_per_s or 0.0),
                ("pipeline_gb_per_s", links.pipeline.gb_per_s or 0.0),
                ("hidden", m.hidden_size or 0), ("experts_per_token", m.experts_per_token),
                ("gather", gathers_tokens(ep=d.ep, experts_per_token=m.experts_per_token,
                                          scale_up_domain=hw.scale_up_domain)),
                ("linear_ce", linear_compute_efficiency(
                    m, counts, compute_efficiency=a.compute_efficiency,
                    moe_compute_efficiency=a.moe_compute_efficiency)),
                ("peak_flops", peak_tflops * 1e12),
                ("attention_peak_flops",
                 attention_peak_tflops(peak_tflops, hw.compute_tflops_for("fp8")) * 1e12),
                ("bandwidth_bytes_per_s", achieved_bandwidth_of(hw, a)),  # efficiency included
                ("kv_amplification", kv_read_amplification(m, gqa_kv_reread=a.gqa_kv_reread)),
                ("imbalance", rank_load_imbalance(m, d, a)), ("host", host_factor(hw, a)),
                ("expert_share", expert_token_share(m)),
                ("routed_weight", routed_time_weight(
                    m, counts, moe_compute_efficiency=a.moe_compute_efficiency))):
            s(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"DeployedPasses is immutable: cannot assign {name!r}")

    def time(self, w: DeployedWork, overhead_passes: int, sequences: int = 0) -> PassTime:
        """One pass: its collectives over their links, then roofline.pass_time."""
        a, d = self.a, self.d
        comm = 0.0
        if w.allreduces:
            comm += w.allreduces * allreduce_time_s(
                message_bytes=w.allreduce_bytes, tp=d.tp, link_gb_per_s=self.allreduce_gb_per_s,
                link_efficiency=a.interconnect_efficiency,
                hop_latency_us=a.allreduce_hop_latency_us)
        if w.alltoalls:
            comm += w.alltoalls * alltoall_time_s(
                tokens_per_device=w.alltoall_tokens, hidden=self.hidden,
                experts_per_token=self.experts_per_token, ep=d.ep,
                link_gb_per_s=self.alltoall_gb_per_s, link_efficiency=a.interconnect_efficiency,
                hop_latency_us=a.allreduce_hop_latency_us, gather=self.gather)
        if d.pp > 1 and w.p2p_bytes:
            comm += w.passes * (d.pp - 1) * p2p_time_s(
                message_bytes=w.p2p_bytes, link_gb_per_s=self.pipeline_gb_per_s,
                link_efficiency=a.interconnect_efficiency,
                hop_latency_us=a.allreduce_hop_latency_us)
        return pass_time(flops_per_gpu=w.flops, bytes_per_gpu=w.bytes,
                         peak_flops=self.peak_flops,
                         bandwidth_bytes_per_s=self.bandwidth_bytes_per_s,
                         compute_efficiency=a.compute_efficiency,
                         bandwidth_efficiency=1.0, comm_s=comm,
                         overhead_s=step_overhead_s(passes=overhead_passes,
                                                    sequences=sequences, a=a, host=self.host),
                         attention_flops_per_gpu=w.attention_flops,
                         attention_bytes_per_gpu=w.attention_bytes,
                         linear_compute_efficiency=self.linear_ce,
                         attention_peak_flops=self.attention_peak_flops,
                         activation_bytes_per_gpu=w.activation_bytes,
                         tokens=w.alltoall_tokens * d.tp,  # the rank's tokens per pass
                         gemm_padding_tokens=a.gemm_padding_tokens,
                         # every rank's tokens meet in the MoE layers: k / E of them per expert
                         expert_tokens=w.alltoall_tokens * d.tp * d.dp_attention
                         * self.expert_share,
                         routed_weight=self.routed_weight)


@per_objects(5)
def deployed_passes(m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                    a: Assumptions, weights_total: float, d: Deployment,
                    peak_tflops: float) -> DeployedPasses:
    """The deployment's DeployedPasses, once per (profiles, scheme, counts, assumptions
    objects, weight bytes, deployment, peak): plan's search over concurrency reuses it."""
    return DeployedPasses(m, hw, scheme, counts, a, weights_total, d, peak_tflops)


def deployed_timing(*, m: ModelRecord, hw: HardwareRecord, scheme: Scheme, counts: ParamCounts,
                    weights_total: float, kv_bytes_per_element: float, d: Deployment,
                    concurrency: int, input_tokens: int, output_tokens: int,
                    static_batch: bool, peak_tflops: float, a: Assumptions,
                    speculation: Speculation | None, cached_fraction: float) -> Timing:
    """The module docstring's composition.  Requires every link the deployment uses
    (Links.missing is empty: engine/estimate.py checks)."""
    c, t_in, t_out = concurrency, input_tokens, output_tokens
    passes = deployed_passes(m, hw, scheme, counts, a, weights_total, d, peak_tflops)
    layout, timed, imbalance = passes.layout, passes.time, passes.imbalance
    cached = cached_fraction * t_in
    common = dict(m=m, counts=counts, layout=layout, d=d, prompt_tokens=t_in,
                  cached_tokens=cached, kv_bytes_per_element=kv_bytes_per_element,
                  imbalance=imbalance,
                  prompt=prefill_prompt(m, prompt_tokens=t_in, cached_tokens=cached,
                                        kv_bytes_per_element=kv_bytes_per_element))
    pf = prefill_work(batch=1, max_batched_tokens=a.max_batched_tokens, **common)
    prefill = timed(pf, pf.passes)
    amp = passes.kv_amplification
    mean_context = t_in + t_out / 2
    queries = 1 + (speculation.draft_tokens if speculation else 0)
    step = timed(step_work(m=m, counts=counts, layout=layout, d=d, concurrency=c,
                           context_tokens=mean_context, kv_bytes_per_element=kv_bytes_per_element,
                           kv_read_amplification=amp, imbalance=imbalance,
                           query_tokens=queries), 1, -(-c // d.dp_attention))
    step_s = step.total_s
    if speculation is not None:
        step_s = tpot_s(verify_s=step.total_s, spec=speculation, draft_pass_s=_draft_pass_s(
            m=m, counts=counts, layout=layout, d=d, c=c, context=mean_context,
            kvb=kv_bytes_per_element, amp=amp, imbalance=imbalance, a=a, spec=speculation,
            passes=passes, scheme=scheme))
    if static_batch:
        prefill = timed(prefill_work(batch=max(1, -(-c // d.dp_attention)),
                                     max_batched_tokens=None, **common), 1)
        ttft_s = prefill.total_s  # a static batch is offline: no request overhead
        tpot = step_s
    else:
        others_s = 0.0
        if c > 1:
            ob = prefill_work(batch=max(1, -(-(c - 1) // d.dp_attention)),
                              max_batched_tokens=a.max_batched_tokens, **common)
            others_s = timed(ob, ob.passes).total_s
        tpot = step_s + others_s / t_out
        ttft_s = prefill.total_s + a.request_overhead_ms * 1e-3 + prefill_contention_s(
            concurrency=c, prefill_s=prefill.total_s, prefill_chunks=pf.passes,
            step_s=step_s, step_attention_s=step.attention_s,
            e2e_s=prefill.total_s + t_out * tpot)
    e2e_s = ttft_s + (t_out - 1) * tpot
    req_s = c / e2e_s
    prefill_time = prefill.total_s if static_batch else c * prefill.total_s
    return Timing(prefill=prefill, decode=step, ttft_s=ttft_s, tpot_s=tpot, e2e_s=e2e_s,
                  output_tokens_per_s=c * t_out / e2e_s, requests_per_s=req_s,
                  input_tokens_per_s=req_s * t_in,
                  prefill_share=prefill_time / (prefill_time + t_out * step_s), step_s=step_s)


def _draft_pass_s(*, m: ModelRecord, counts: ParamCounts, layout, d: Deployment, c: int,
                  context: float, kvb: float, amp: float, imbalance: float, a: Assumptions,
                  spec: Speculation, passes: DeployedPasses, scheme: Scheme) -> float:
    """One draft pass: an MTP module / EAGLE head (one layer of the target plus its lm_head),
    or one decode step of the draft model on the same devices (tp 1: it is replicated), at
    the target's achieved bandwidth, peaks and host factor (`passes`)."""
    if spec.method in ("mtp", "eagle"):
        one = step_work(m=m, counts=counts, layout=layout, d=d, concurrency=c,
                        context_tokens=context, kv_bytes_per_element=kvb,
                        kv_read_amplification=amp, imbalance=imbalance)
        seqs = one.alltoall_tokens * d.tp  # the rank's tokens this pass
        head = _scaled(one, head_fraction(m), extra_flops=2 * seqs * counts.lm_head / d.tp,
                       extra_bytes=counts.lm_head * 2 / d.tp)
        return passes.time(head, 0).total_s  # fused into the target's iteration: no extra step
    dm = spec.draft_model
    assert dm is not None
    dc = param_counts(dm)
    dl = weight_layout(dm, dc, scheme, weight_bytes(dc, scheme))
    w = decode_step_work(m=dm, counts=dc, layout=dl, batch=max(1, -(-c // d.dp_attention)),
                         context_tokens=context, kv_bytes_per_element=kvb, tp=1,
                         kv_read_amplification=kv_read_amplification(
                             dm, gqa_kv_reread=a.gqa_kv_reread))
    return pass_time(flops_per_gpu=w.flops_per_gpu, bytes_per_gpu=w.bytes_per_gpu,
                     peak_flops=passes.peak_flops,
                     bandwidth_bytes_per_s=passes.bandwidth_bytes_per_s,
                     compute_efficiency=a.compute_efficiency,
                     bandwidth_efficiency=1.0, comm_s=0.0,
                     overhead_s=step_overhead_s(passes=1, sequences=0, a=a, host=passes.host),
                     attention_flops_per_gpu=w.attention_flops_per_gpu,
                     attention_bytes_per_gpu=w.attention_bytes_per_gpu,
                     activation_bytes_per_gpu=w.activation_bytes_per_gpu,
                     tokens=max(1, -(-c // d.dp_attention)),
                     gemm_padding_tokens=a.gemm_padding_tokens,
                     linear_compute_efficiency=linear_compute_efficiency(
                         dm, dc, compute_efficiency=a.compute_efficiency,
                         moe_compute_efficiency=a.moe_compute_efficiency),
                     attention_peak_flops=passes.attention_peak_flops).total_s
