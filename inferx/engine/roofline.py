"""Time of one forward pass from a roofline over its FLOPs and bytes moved.

    t = max(FLOPs_linear / (peak · ce_linear), bytes_weights / (bandwidth · bandwidth_eff))
        + max(FLOPs_attention / (peak_attn · compute_eff), bytes_kv / (bandwidth · bandwidth_eff))
        + bytes_activations / (bandwidth · bandwidth_eff)
        + t_allreduce + step_overhead

ce_linear blends in the routed experts' efficiency for an MoE model
(decoder.linear_compute_efficiency); peak_attn = min(peak, fp8 peak) (attention_peak_tflops);
bytes_activations: what the elementwise kernels between them move (engine/activations.py).

The linear layers, the attention kernels and the elementwise kernels run one after the
other, so each has its own roofline and their times add.

Formulas and sources: docs/methodology.md#latency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Bound = Literal["compute", "memory", "communication"]


@dataclass(frozen=True)
class PassTime:
    """One forward pass on one GPU of a tensor-parallel group (seconds)."""

    compute_s: float       # linear layers: FLOPs / achieved FLOPS
    memory_s: float        # linear layers: weight bytes / achieved bandwidth
    comm_s: float
    overhead_s: float
    attention_s: float = 0.0  # attention kernels: max(their FLOPs time, KV bytes time)
    elementwise_s: float = 0.0  # norms, RoPE, activation, MoE permute: activation bytes / BW

    @property
    def bound(self) -> Bound:
        """The largest term of the pass: the linear layers' compute or memory time, or the
        tensor-parallel communication when it outweighs both (e.g. PCIe all-reduces)."""
        if self.comm_s > max(self.compute_s, self.memory_s):
            return "communication"
        return "compute" if self.compute_s >= self.memory_s else "memory"

    @property
    def total_s(self) -> float:
        return (max(self.compute_s, self.memory_s) + self.attention_s + self.elementwise_s
                + self.comm_s + self.overhead_s)

    @property
    def busy_fraction(self) -> float:
        """Share of the pass a compute or memory roofline is busy: 1 − (comm + overhead)/total."""
        busy = max(self.compute_s, self.memory_s) + self.attention_s + self.elementwise_s
        return busy / self.total_s if self.total_s else 0.0


def allreduce_time_s(
    *, message_bytes: float, tp: int, link_gb_per_s: float, link_efficiency: float,
    hop_latency_us: float,
) -> float:
    """All-reduce of message_bytes over tp GPUs: the bandwidth term of NCCL's ring (a
    reduce-scatter then an all-gather, 2·(tp−1) transfers of bytes/tp each) and the latency
    of a tree / recursive-doubling exchange (2·⌈log2 tp⌉ hops: a reduce and a broadcast of
    ⌈log2 tp⌉ rounds each), which NCCL/RCCL switch to for the small messages of decode steps
    and which the one-shot/two-shot custom all-reduces of TensorRT-LLM and vLLM beat:

        2·(tp−1)/tp · bytes / (link_unidirectional · efficiency) + 2·⌈log2 tp⌉ · hop_latency

    link_gb_per_s is the bidirectional per-GPU figure vendors quote, so halved. (A ring's
    2·(tp−1) hops put 14 hop latencies on every TP8 all-reduce of a decode step;
    docs/methodology.md#latency.)"""
    if tp <= 1:
        return 0.0
    transfers = 2 * (tp - 1)
    return (transfers / tp * message_bytes / unidirectional_bytes_per_s(link_gb_per_s,
                                                                        link_efficiency)
            + allreduce_latency_s(tp, hop_latency_us))


def unidirectional_bytes_per_s(link_gb_per_s: float, efficiency: float) -> float:
    """Achieved one-way rate of a link profiles quote as a bidirectional GB/s total."""
    return link_gb_per_s * 1e9 / 2 * efficiency


def allreduce_latency_s(tp: int, hop_latency_us: float) -> float:
    """The all-reduce's latency term: 2·⌈log2 tp⌉ hops (0 on one device); the fast paths
    (timing.ReplicaPasses, timing_curve) keep it per replica."""
    return 2 * math.ceil(math.log2(tp)) * hop_latency_us * 1e-6 if tp > 1 else 0.0


def pass_time(
    *,
    flops_per_gpu: float,
    bytes_per_gpu: float,
    peak_flops: float,
    bandwidth_bytes_per_s: float,
    compute_efficiency: float,
    bandwidth_efficiency: float,
    comm_s: float,
    overhead_s: float,
    attention_flops_per_gpu: float = 0.0,
    attention_bytes_per_gpu: float = 0.0,
    linear_compute_efficiency: float | None = None,
    attention_peak_flops: float | None = None,
    activation_bytes_per_gpu: float = 0.0,
    tokens: float = 0.0,
    gemm_padding_tokens: float = 0.0,
    expert_tokens: float = 0.0,
    routed_weight: float = 0.0,
) -> PassTime:
    """Roofline time of one pass.  Within a kernel compute and memory overlap; the linear
    layers and the attention kernels run in sequence (times add), and communication and the
    fixed overhead overlap neither (tensor-parallel all-reduces sit between dependent
    matmuls):

        linear    = max(FLOPs / (peak · ce_linear) · tile_padding, bytes / (bw · be))
        attention = max(attention FLOPs / (peak · ce), KV bytes / (bw · be))
        elementwise = activation bytes / (bw · be)       (engine/activations.py)
        t = linear + attention + elementwise + comm + overhead

    ce_linear is `linear_compute_efficiency` when given (an MoE model's blend of dense and
    routed-expert matmul efficiency, decoder.linear_compute_efficiency), else ce; the
    attention FLOPs run at `attention_peak_flops` when given (attention_peak_tflops);
    tile_padding = linear_padding(tokens, expert_tokens, routed_weight, gemm_padding_tokens),
    1 when `tokens` or gemm_padding_tokens is 0."""
    achieved_flops = (peak_flops if attention_peak_flops is None
                      else attention_peak_flops) * compute_efficiency
    achieved_linear = peak_flops * (compute_efficiency if linear_compute_efficiency is None
                                    else linear_compute_efficiency)
    achieved_bw = bandwidth_bytes_per_s * bandwidth_efficiency
    compute_s = flops_per_gpu / achieved_linear if peak_flops > 0 else 0.0
    if tokens and gemm_padding_tokens:
        compute_s *= linear_padding(tokens, expert_tokens, routed_weight, gemm_padding_tokens)
    memory_s = bytes_per_gpu / achieved_bw
    attn_compute_s = attention_flops_per_gpu / achieved_flops if peak_flops > 0 else 0.0
    attention_s = max(attn_compute_s, attention_bytes_per_gpu / achieved_bw)
    return PassTime(compute_s=compute_s, memory_s=memory_s, comm_s=comm_s, overhead_s=overhead_s,
                    attention_s=attention_s,
                    elementwise_s=activation_bytes_per_gpu / achieved_bw)


def achieved_bandwidth(*, peak_bytes_per_s: float, bandwidth_efficiency: float,
                       sm_count: int | None, boost_clock_mhz: float | None,
                       sm_bytes_per_cycle: float) -> float:
    """Memory traffic a memory-bound phase sustains (bytes/s): the share
    bandwidth_efficiency of the peak, or less where the kernels cannot keep enough loads in
    flight to reach it (docs/methodology.md#latency):

        bw_dram = bandwidth_efficiency · peak
        bw_sm   = sm_bytes_per_cycle · SMs · boost clock
        bw      = (bw_dram⁻⁴ + bw_sm⁻⁴)^(−1/4)

    Each SM streams what its warps keep in flight over the memory latency (Little's law),
    so a kernel that keeps few loads in flight (llama.cpp's batch-1 GEMV) reaches a fixed
    traffic per SM-cycle: 80-97% of a GDDR card's peak, where a few bytes per SM-cycle
    suffice (RTX 4090: 1008 GB/s over 128 SMs at 2.52 GHz, 3.1 B per SM-cycle), but half of
    an HBM part's (A100: 2039 GB/s over 108 SMs at 1.41 GHz, 13.4).  The two limits combine
    as a soft minimum (exponent 4): 19% below the lower one where they are equal, under 2%
    once one is twice the other.  No SM count or clock in the profile: bw_dram alone."""
    dram = peak_bytes_per_s * bandwidth_efficiency
    if sm_count is None or boost_clock_mhz is None:
        return dram
    sm = sm_bytes_per_cycle * sm_count * boost_clock_mhz * 1e6
    return float((dram ** -4 + sm ** -4) ** -0.25)


def tile_padding(tokens: float, gemm_padding_tokens: float) -> float:
    """A pass's matmul time over its FLOPs' time at the achieved rate, when its M = `tokens`
    rows (the tokens of the pass on one device) are padded to fill the tensor cores' tiles
    (docs/methodology.md#latency):

        (M + min(M, gemm_padding_tokens)) / M

    A GEMM computes whole M-tiles (16-256 rows in cuBLAS / CUTLASS) and whole waves of tiles
    over the SMs; gemm_padding_tokens is the mean extra rows this costs, so a decode step of
    a few dozen sequences runs its matmuls well below the rate a prefill of thousands of
    tokens reaches, and a prefill hardly notices.  The padding never exceeds M itself: the
    libraries size the M-tile to a small pass (the next power of two, or a GEMV kernel for a
    handful of rows), so a batch-1 step computes at most twice its FLOPs, not a whole tile's
    worth (which would make a 4-bit model's batch-1 decode compute-bound, as it is not)."""
    return (tokens + min(tokens, gemm_padding_tokens)) / tokens


def linear_padding(tokens: float, expert_tokens: float, routed_weight: float,
                   gemm_padding_tokens: float) -> float:
    """tile_padding over a pass's linear layers: the dense matmuls pad their M = `tokens`
    rows, each routed expert's grouped GEMM its own M = `expert_tokens` (the tokens routed to
    one expert), weighted by the routed experts' share of the compute time:

        (1 − w) · tile_padding(M) + w · tile_padding(M_expert)"""
    dense = tile_padding(tokens, gemm_padding_tokens)
    if routed_weight <= 0 or expert_tokens <= 0:
        return dense
    return ((1 - routed_weight) * dense
            + routed_weight * tile_padding(expert_tokens, gemm_padding_tokens))


def attention_peak_tflops(peak_tflops: float, fp8_tflops: float | None) -> float:
    """Peak the attention kernels' FLOPs run at: the pass's compute-dtype peak, capped at the
    device's fp8 peak.  Attention (FlashAttention / FMHA) computes softmax(QKᵀ)V in 16-bit,
    or fp8 with an fp8 KV cache; no shipped kernel runs it in 4-bit, so an fp4 pass's
    attention runs at most at the fp8 rate."""
    return min(peak_tflops, fp8_tflops) if fp8_tflops else peak_tflops


def expected_experts_touched(*, num_experts: int, experts_per_token: int, tokens: float) -> float:
    """Distinct experts a batch of tokens touches in one MoE layer, routing uniform and
    independent: E · (1 − (1 − k/E)^tokens)."""
    if num_experts <= 1:
        return 1.0
    return num_experts * (1 - (1 - experts_per_token / num_experts) ** tokens)
