"""How one replica is laid out over devices: parallelism, and which links its collectives cross.

    world        = tp · dp_attention        devices that hold one copy of every layer
    devices      = world · pp               devices per replica
    attention    tensor parallel over tp, replicated dp_attention times (each attention-DP
                 rank serves its own requests and keeps their KV cache)
    MoE experts  split over ep ranks; each expert tensor-parallel over world / ep devices
    layers       split over pp pipeline stages

Rules a runtime enforces (vLLM, SGLang, TensorRT-LLM), checked here once:

    attention heads divisible by tp;  ep divides world and the routed experts;
    ep > 1 or dp_attention > 1 only for MoE models, and with attention DP the experts span
    the whole world (ep = world: the DeepSeek-style layout);  pp ≤ layers.

A group of g devices fits one scale-up domain (NVLink/xGMI/ICI/NeuronLink) when g ≤ the
hardware's scale_up_domain; otherwise its collectives cross the scale-out network, which is
what bounds them (docs/methodology.md#deployment).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from inferx.engine.errors import EngineInputError
from inferx.profiles import HardwareRecord, ModelRecord

TP_CANDIDATES = (1, 2, 4, 8, 16, 32, 64)


@dataclass(frozen=True)
class Deployment:
    """Parallelism of one replica."""

    tp: int = 1
    pp: int = 1
    ep: int = 1
    dp_attention: int = 1

    @property
    def world(self) -> int:
        return self.tp * self.dp_attention

    @property
    def gpus_per_replica(self) -> int:
        return self.tp * self.dp_attention * self.pp  # world · pp

    @property
    def moe_tp(self) -> int:
        """Devices each routed expert is tensor-parallel over."""
        return self.world // self.ep

    @property
    def plain_tp(self) -> bool:
        """Plain tensor parallelism (the 2023 layout every earlier estimate used)."""
        return self.pp == 1 and self.ep == 1 and self.dp_attention == 1

    def label(self) -> str:
        parts = [f"TP{self.tp}"]
        if self.dp_attention > 1:
            parts.append(f"attention-DP{self.dp_attention}")
        if self.ep > 1:
            parts.append(f"EP{self.ep}")
        if self.pp > 1:
            parts.append(f"PP{self.pp}")
        return " x ".join(parts)


@dataclass(frozen=True)
class Link:
    """The link a collective over `group` devices is bounded by."""

    name: str                      # "scale-up" or "scale-out"
    field: str                     # the profile field its bandwidth comes from
    gb_per_s: float | None         # bidirectional per-device figure; None: not published
    group: int
    domains: int                   # scale-up domains the group spans


def valid_tp_sizes(m: ModelRecord, candidates: Iterable[int] = TP_CANDIDATES) -> list[int]:
    """Tensor-parallel sizes a runtime accepts: attention heads divisible by tp (vLLM's rule)."""
    heads = m.num_attention_heads or 1
    return [tp for tp in candidates if heads % tp == 0]


def check_tensor_parallel(m: ModelRecord, tp: int, field: str = "gpus") -> None:
    """Refuse a tensor-parallel size that does not split the attention heads evenly; the error
    names the request field (the CLI maps it to its flag)."""
    heads = m.num_attention_heads or 1
    if heads % tp:
        raise EngineInputError(field, f"{tp} GPUs cannot split {m.id}'s {heads} attention "
                               "heads evenly (tensor parallel); use a divisor such as 1, 2, "
                               "4 or 8")


def check_deployment(m: ModelRecord, d: Deployment) -> None:
    """The runtime rules of the module docstring; errors name the request field."""
    check_tensor_parallel(m, d.tp, "tp")
    if d.pp > (m.num_layers or 1):
        raise EngineInputError("pp", f"{d.pp} pipeline stages exceed {m.id}'s "
                               f"{m.num_layers} layers")
    if (d.ep > 1 or d.dp_attention > 1) and not m.is_moe:
        raise EngineInputError("ep" if d.ep > 1 else "dp_attention",
                               f"{m.id} is a dense model: expert parallelism and attention "
                               "data parallelism apply to mixture-of-experts models")
    if d.world % d.ep:
        raise EngineInputError("ep", f"{d.ep} expert-parallel ranks do not divide the "
                               f"{d.world} devices of a pipeline stage (tp x dp-attention)")
    if m.num_experts % d.ep:
        raise EngineInputError("ep", f"{d.ep} expert-parallel ranks do not split {m.id}'s "
                               f"{m.num_experts} routed experts evenly")
    if d.dp_attention > 1 and d.ep != d.world:
        raise EngineInputError("ep", f"with attention data parallelism the experts span "
                               f"every device: use ep = tp x dp-attention = {d.world}")


def link_for(hw: HardwareRecord, group: int, peers: int | None = None) -> Link:
    """The link bounding a collective over `group` devices of one replica (pure).

    Within one scale-up domain: the device's interconnect (interconnect_gb_per_s), all of it
    behind a switch (NVSwitch), but on a mesh (scale_up_topology = "mesh": Gaudi's and
    Instinct's direct links, one bundle to each of the domain's other devices) only the
    links to the `peers` devices it exchanges with (group − 1 for a collective, 1 for a
    point-to-point send):

        interconnect_gb_per_s · peers / (scale_up_domain − 1)

    Across domains: the scale-out network (scale_out_gb_per_s), the slower link every ring
    or all-to-all step must cross.  A profile without scale_up_domain is taken as one domain
    (PCIe cards in one host)."""
    domain = hw.scale_up_domain
    if domain is None or group <= domain:
        bw = hw.interconnect_gb_per_s
        if bw is not None and hw.scale_up_topology == "mesh" and domain and domain > 1:
            bw = bw * min(group - 1 if peers is None else peers, domain - 1) / (domain - 1)
        return Link("scale-up", "interconnect_gb_per_s", bw, group, 1)
    return Link("scale-out", "scale_out_gb_per_s", hw.scale_out_gb_per_s, group,
                math.ceil(group / domain))


@dataclass(frozen=True)
class Links:
    """The link each collective of a deployment crosses."""

    allreduce: Link        # over the tp group
    alltoall: Link         # over the world (tp · dp_attention)
    pipeline: Link         # between pipeline stages (the whole replica)

    def missing(self, d: Deployment) -> list[Link]:
        used = [(d.tp > 1, self.allreduce), (d.ep > 1, self.alltoall),
                (d.pp > 1, self.pipeline)]
        return [link for on, link in used if on and link.gb_per_s is None]


def links_for(hw: HardwareRecord, d: Deployment) -> Links:
    return Links(allreduce=link_for(hw, d.tp), alltoall=link_for(hw, d.world),
                 pipeline=link_for(hw, d.gpus_per_replica, peers=1))
