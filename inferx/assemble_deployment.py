"""The deployment block of an estimate's result: the layout, the links its collectives cross,
and its extras (speculative decoding, disaggregated pools); part of inferx/assemble.py."""

from __future__ import annotations

from typing import Any

from inferx.engine.comm import domains_spanned, gathers_tokens
from inferx.engine.deployment import link_for
from inferx.engine.serving import OperatingPoint
from inferx.record import maker
from inferx.results_deployment import (
    DeploymentResult,
    DisaggregationResult,
    LinkUse,
    SpeculativeResult,
)
from inferx.units import ms

new_deployment_result = maker(DeploymentResult)  # record.maker: no type call
new_disaggregation_result = maker(DisaggregationResult)
new_speculative_result = maker(SpeculativeResult)

# (id(hardware record), tp, pp, ep, dp_attention, experts per token) → (record, layout label,
# links its collectives cross): the same for every point of a sweep over concurrency or
# traffic on one layout; holds the record, so an id is never reused while its entry lives
_LAYOUTS: dict[tuple[int, ...], tuple[Any, str, tuple[LinkUse, ...]]] = {}
MAX_LAYOUTS = 1024


def _layout(hw: Any, d: Any, experts_per_token: int) -> tuple[str, tuple[LinkUse, ...]]:
    key = (id(hw), d.tp, d.pp, d.ep, d.dp_attention, experts_per_token)
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is hw:
        return hit[1], hit[2]
    # the expert-parallel exchange, named as engine/comm.py models it
    exchange = ("all-gather + reduce-scatter" if d.ep > 1 and gathers_tokens(
        ep=d.ep, experts_per_token=experts_per_token, scale_up_domain=hw.scale_up_domain)
        else "all-to-all")
    uses = [("all-reduce", d.tp > 1, d.tp), (exchange, d.ep > 1, d.world),
            ("pipeline send/recv", d.pp > 1, d.gpus_per_replica)]
    links = tuple(LinkUse(collective=name, link=lk.name, field=lk.field, gb_per_s=lk.gb_per_s,
                          devices=lk.group, domains=lk.domains)
                  for name, on, group in uses if on for lk in [link_for(hw, group)])
    if len(_LAYOUTS) >= MAX_LAYOUTS:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (hw, d.label(), links)
    return d.label(), links


def deployment_result(sc: Any, op: OperatingPoint) -> DeploymentResult:
    """The layout the estimate assumed, the links its collectives cross, and its extras."""
    d, hw, req = op.point.deployment, sc.hardware, sc.request
    label, layout_links = _layout(hw, d, sc.model.experts_per_token)
    links = list(layout_links)
    dis = op.disaggregated
    if dis is not None:
        lk = dis.link
        links.append(LinkUse(collective="KV transfer", link=lk.name, field=lk.field,
                             gb_per_s=lk.gb_per_s, devices=lk.group, domains=lk.domains))
    spec = sc.speculation
    chosen = "user" if sc.deployment is not None else (
        "default: tensor parallel over --gpus" if req.gpus is not None
        else "default: tensor parallel, the fewest GPUs that fit")
    return new_deployment_result(
        layout=label, chosen_by=chosen, tp=d.tp, pp=d.pp, ep=d.ep,
        dp_attention=d.dp_attention, gpus_per_replica=d.gpus_per_replica,
        scale_up_domain=hw.scale_up_domain,
        nodes=domains_spanned(op.gpus, hw.scale_up_domain), links=links,
        prefix_cache_hit=req.prefix_cache_hit,
        speculative=None if spec is None else new_speculative_result(
            method=spec.method, draft_model=spec.draft_model.id if spec.draft_model else None,
            draft_tokens=spec.draft_tokens, acceptance_length=spec.acceptance_length),
        disaggregation=None if dis is None else new_disaggregation_result(
            prefill_instances=dis.prefill_instances, decode_instances=dis.decode_instances,
            gpus_per_instance=dis.devices_per_instance, prefill_ms=ms(dis.prefill_s),
            kv_transfer_mb=dis.kv_bytes / 1e6, kv_transfer_ms=ms(dis.kv_transfer_s),
            queue_wait_ms=ms(dis.queue_wait_s), decode_tpot_ms=ms(dis.decode_tpot_s),
            bottleneck=dis.bottleneck,
            balanced_prefill_per_decode=dis.balanced_prefill_per_decode))
