"""Communication between devices, one place (docs/methodology.md#communication):

    all-reduce (tensor parallel)   2·(g−1)/g · bytes / (link_uni · eff) + 2·⌈log2 g⌉ · hop
    all-to-all (expert parallel)   dispatch + combine of each token's hidden state to its k
                                   experts: bytes = 2 · hidden · k · act_bytes per token, of
                                   which (ep−1)/ep leaves the device;
                                   t = bytes / (link_uni · eff) + 2 · hop
    send/recv (pipeline stages)    t = bytes / (link_uni · eff) + hop, per stage boundary
    KV transfer (disaggregation)   t = KV bytes of the prompt / (link_uni · eff) + hop

link_uni is half the bidirectional per-device figure profiles quote; eff is the assumption
interconnect_efficiency, hop allreduce_hop_latency_us.  All pure, seconds and bytes.
"""

from __future__ import annotations

import math

from inferx.engine.roofline import allreduce_time_s  # noqa: F401 (the TP collective)
from inferx.engine.roofline import unidirectional_bytes_per_s

ACTIVATION_BYTES = 2.0  # hidden states travel in 16-bit (bf16) between devices


def alltoall_bytes_per_token(*, hidden: int, experts_per_token: int,
                             act_bytes: float = ACTIVATION_BYTES) -> float:
    """Bytes one token moves through an MoE layer's expert-parallel all-to-all: its hidden
    state to each of its k experts and back (dispatch and combine): 2 · hidden · k · bytes."""
    return 2 * hidden * experts_per_token * act_bytes


def alltoall_time_s(*, tokens_per_device: float, hidden: int, experts_per_token: int, ep: int,
                    link_gb_per_s: float, link_efficiency: float, hop_latency_us: float,
                    gather: bool = False) -> float:
    """One MoE layer's dispatch + combine on one device over the ep ranks of the expert-parallel
    group, at the link's one-way rate, plus the latency of two exchanges with each of the
    ep − 1 peers (2·(ep − 1) hops: each is ep − 1 steps of NCCL's ring, whose latency is O(n)
    in the ranks, vLLM's custom all-reduce design note).  Two ways to move the tokens:

    gather (all-gather dispatch, reduce-scatter combine: every rank receives every other
    rank's tokens whole and returns their partial outputs; vLLM's AgRsAll2AllManager, "all2all
    communication based on all-gather (dispatch) and reduce-scatter (combine)", docs.vllm.ai
    vllm/distributed/device_communicators/all2all.py; TensorRT-LLM's fused MoE layers under
    attention DP without an all-to-all, reducescatter_or_allreduce in
    tensorrt_llm/_torch/modules/fused_moe):

        t = (ep − 1) · tokens · 2 · hidden · bytes / (link_uni · eff) + 2·(ep − 1) · hop

    all-to-all (each token's hidden state to its k experts only and back, of which the share
    (ep − 1)/ep leaves the device):

        t = (ep − 1)/ep · tokens · 2 · hidden · k · bytes / (link_uni · eff) + 2·(ep − 1) · hop
    """
    if ep <= 1:
        return 0.0
    # gathered: one copy of each token to each of the ep − 1 peers; all-to-all: k copies, of
    # which (ep − 1)/ep leave the device
    copies, ranks = (1, 1) if gather else (experts_per_token, ep)
    sent = tokens_per_device * alltoall_bytes_per_token(
        hidden=hidden, experts_per_token=copies) * (ep - 1) / ranks
    return (sent / unidirectional_bytes_per_s(link_gb_per_s, link_efficiency)
            + 2 * (ep - 1) * hop_latency_us * 1e-6)


# Devices per node of an HGX / DGX board (8 GPUs behind NVSwitch); a scale-up domain larger
# than this is a multi-node NVLink fabric (GB200 / GB300 NVL72).
NODE_GPUS = 8


def gathers_tokens(*, ep: int, experts_per_token: int, scale_up_domain: int | None) -> bool:
    """Whether an expert-parallel group moves its tokens by all-gather + reduce-scatter (True)
    or by an all-to-all (False).

    A group larger than one scale-up domain (expert parallelism across nodes) runs an
    all-to-all: vLLM's Expert Parallel Deployment guide gives DeepEP's kernels for multi-node
    prefill and decode ("deepep_high_throughput: Multi-node prefill", "deepep_low_latency:
    Multi-node decode", docs.vllm.ai serving/expert_parallel_deployment), and the large-scale
    expert-parallel deployments (LMSYS's 96-H100 DeepSeek blog) run DeepEP.  Within one
    domain, TensorRT-LLM runs an all-to-all only over a multi-node NVLink
    fabric and only when the group is larger than k ("if mapping.moe_ep_size <= top_k:
    NotEnabled; if MnnvlMemory.supports_mnnvl(): MNNVL", CutlassFusedMoE.
    select_alltoall_method_type, tensorrt_llm/_torch/modules/fused_moe; DeepEP only when the
    user opts in by environment variable), and vLLM's default exchange is the all-gather /
    reduce-scatter one (vllm/envs.py: VLLM_ALL2ALL_BACKEND defaults to
    "allgather_reducescatter"; DeepEP, pplx and FlashInfer's MNNVL all-to-all are opt-in);
    every other case gathers."""
    if scale_up_domain is not None and ep > scale_up_domain:
        return False
    fabric = (scale_up_domain or 0) > NODE_GPUS
    return not (fabric and ep > experts_per_token)


def p2p_time_s(*, message_bytes: float, link_gb_per_s: float, link_efficiency: float,
               hop_latency_us: float) -> float:
    """One pipeline-stage boundary: activations sent to the next stage."""
    return message_bytes / unidirectional_bytes_per_s(link_gb_per_s, link_efficiency) + \
        hop_latency_us * 1e-6


def kv_transfer_time_s(*, kv_bytes: float, link_gb_per_s: float, link_efficiency: float,
                       hop_latency_us: float) -> float:
    """A prompt's KV cache moved from the prefill pool to the decode pool."""
    return (kv_bytes / unidirectional_bytes_per_s(link_gb_per_s, link_efficiency)
            + hop_latency_us * 1e-6)


def domains_spanned(group: int, domain: int | None) -> int:
    """Scale-up domains a group of devices spans (1 when the domain size is unknown)."""
    return 1 if domain is None else max(1, math.ceil(group / domain))
