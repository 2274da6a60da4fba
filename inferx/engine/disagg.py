"""Disaggregated serving: P prefill instances and D decode instances, each a replica of the
same layout; a prompt's KV cache moves from the prefill pool to the decode pool
(docs/methodology.md#disaggregation).  Pure, seconds.

    prefill pool   serves prompts back to back: capacity_p = P / t_prefill requests/s
    decode pool    D instances of C sequences each, decoding only (no prefill interference):
                   TPOT = t_step(C);  capacity_d = D · C / (T_out · TPOT)
    rate           λ = min(capacity_p, capacity_d)
    KV transfer    each device sends its shard: bytes = KV(T_in) / devices_per_instance,
                   t_kv = bytes / (link_uni · eff) + hop     (scale-up link when both pools
                   fit one domain, else the scale-out network)
    TTFT           t_prefill + wait + t_kv + request_overhead;  wait = ρ·t_p / (2(1 − ρ)),
                   ρ = λ / capacity_p (M/D/1, capped at 0.9)
    E2E            TTFT + (T_out − 1) · TPOT;   output tokens/s = λ · T_out
    balance        P / D = t_prefill · C / (T_out · TPOT)   (the ratio at which the pools'
                   capacities match)
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.engine.comm import kv_transfer_time_s
from inferx.engine.deployment import Link, link_for
from inferx.profiles import HardwareRecord


@dataclass(frozen=True)
class Disaggregated:
    prefill_instances: int
    decode_instances: int
    devices_per_instance: int
    prefill_s: float
    decode_tpot_s: float
    kv_bytes: float                 # the prompt's KV cache, whole model
    kv_transfer_s: float
    link: Link
    queue_wait_s: float
    ttft_s: float
    e2e_s: float
    requests_per_s: float
    output_tokens_per_s: float
    balanced_prefill_per_decode: float
    bottleneck: str                 # "prefill" or "decode"

    @property
    def devices(self) -> int:
        return (self.prefill_instances + self.decode_instances) * self.devices_per_instance


def transfer_link(hw: HardwareRecord, devices: int) -> Link:
    """The link the KV cache crosses between the pools (all their devices as one group)."""
    return link_for(hw, devices)


def disaggregate(*, prefill_instances: int, decode_instances: int, devices_per_instance: int,
                 prefill_s: float, decode_tpot_s: float, concurrency: int, output_tokens: int,
                 kv_bytes: float, link: Link, link_efficiency: float, hop_latency_us: float,
                 request_overhead_s: float) -> Disaggregated:
    """The module docstring's arithmetic; link.gb_per_s must be known (the caller checks)."""
    p, d, c, t_out = prefill_instances, decode_instances, concurrency, output_tokens
    cap_p = p / prefill_s
    cap_d = d * c / (t_out * decode_tpot_s)
    rate = min(cap_p, cap_d)
    rho = min(0.9, rate / cap_p)
    wait = rho * prefill_s / (2 * (1 - rho))
    t_kv = kv_transfer_time_s(kv_bytes=kv_bytes / devices_per_instance,
                              link_gb_per_s=link.gb_per_s or 0.0,
                              link_efficiency=link_efficiency, hop_latency_us=hop_latency_us)
    ttft = prefill_s + wait + t_kv + request_overhead_s
    return Disaggregated(
        prefill_instances=p, decode_instances=d, devices_per_instance=devices_per_instance,
        prefill_s=prefill_s, decode_tpot_s=decode_tpot_s, kv_bytes=kv_bytes,
        kv_transfer_s=t_kv, link=link, queue_wait_s=wait, ttft_s=ttft,
        e2e_s=ttft + (t_out - 1) * decode_tpot_s, requests_per_s=rate,
        output_tokens_per_s=rate * t_out,
        balanced_prefill_per_decode=prefill_s * c / (t_out * decode_tpot_s),
        bottleneck="prefill" if cap_p < cap_d else "decode")
