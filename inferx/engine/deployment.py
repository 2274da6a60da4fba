"""How one replica is laid out over devices: parallelism and the hardware's scale-up domain.

Today a replica is tensor parallel (TP) over `tp` devices; pipeline (PP), expert (EP) and
attention data parallelism (DP) are carried in the same record so the serving-modes work
extends it without changing its callers.  The rules that decide which layouts a runtime
accepts live here, once:

    tensor parallel:  attention heads divisible by tp (vLLM's and TensorRT-LLM's rule)
    devices per replica = tp · pp   (EP and attention DP reuse the same devices)

docs/methodology.md#deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inferx.engine.errors import EngineInputError
from inferx.profiles import ModelProfile

TP_CANDIDATES = (1, 2, 4, 8, 16, 32, 64)


@dataclass(frozen=True)
class Deployment:
    """Parallelism of one replica, and the replicas of a fleet."""

    tp: int = 1
    pp: int = 1
    ep: int = 1
    dp_attention: int = 1
    replicas: int = 1

    @property
    def gpus_per_replica(self) -> int:
        return self.tp * self.pp

    @property
    def gpus(self) -> int:
        return self.gpus_per_replica * self.replicas


def valid_tp_sizes(m: ModelProfile, candidates: Iterable[int] = TP_CANDIDATES) -> list[int]:
    """Tensor-parallel sizes a runtime accepts: attention heads divisible by tp (vLLM's rule)."""
    heads = m.num_attention_heads or 1
    return [tp for tp in candidates if heads % tp == 0]


def check_tensor_parallel(m: ModelProfile, tp: int) -> None:
    """Refuse a tensor-parallel size that does not split the attention heads evenly; the error
    names the request field `gpus` (the CLI maps it to --gpus)."""
    heads = m.num_attention_heads or 1
    if heads % tp:
        raise EngineInputError("gpus", f"{tp} GPUs cannot split {m.id}'s {heads} attention "
                               "heads evenly (tensor parallel); use a divisor such as 1, 2, "
                               "4 or 8")
