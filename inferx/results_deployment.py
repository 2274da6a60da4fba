"""Result models for how a replica was deployed: parallelism, the links its collectives
crossed, disaggregated pools and speculative decoding (JSON key `deployment`)."""

from __future__ import annotations

from inferx.results_base import OptNum, Out, result


@result
class LinkUse(Out):
    collective: str            # "all-reduce", "all-gather + reduce-scatter" or "all-to-all" (the EP
    #                            exchange), "pipeline send/recv", "KV transfer"
    link: str                  # "scale-up" or "scale-out"
    field: str                 # the hardware profile field its bandwidth comes from
    gb_per_s: OptNum           # bidirectional per-device figure (null: not published)
    devices: int               # devices in the collective's group
    domains: int               # scale-up domains the group spans


@result
class DisaggregationResult(Out):
    prefill_instances: int
    decode_instances: int
    gpus_per_instance: int
    prefill_ms: OptNum                      # one prompt's prefill on a prefill instance
    kv_transfer_mb: OptNum                  # the prompt's KV cache moved to the decode pool
    kv_transfer_ms: OptNum
    queue_wait_ms: OptNum                   # wait for a prefill instance (M/D/1)
    decode_tpot_ms: OptNum                  # decode alone, no prefill interference
    bottleneck: str | None                  # "prefill" or "decode"
    balanced_prefill_per_decode: OptNum     # P/D at which the pools' capacities match


@result
class SpeculativeResult(Out):
    method: str                  # "mtp", "eagle" or "draft"
    draft_model: str | None
    draft_tokens: int            # k proposed per verification
    acceptance_length: float     # L emitted per verification (given)


@result
class DeploymentResult(Out):
    layout: str                  # e.g. "TP1 x attention-DP8 x EP8"
    chosen_by: str               # "user" or "default: tensor parallel, fewest GPUs that fit"
    tp: int
    pp: int
    ep: int
    dp_attention: int
    gpus_per_replica: int
    scale_up_domain: int | None
    nodes: int                   # scale-up domains the replica spans
    links: list[LinkUse]
    prefix_cache_hit: OptNum = None
    speculative: SpeculativeResult | None = None
    disaggregation: DisaggregationResult | None = None
