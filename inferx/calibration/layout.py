"""A measurement row's `parallelism` and `speculative` columns as the engine's deployment and
speculation (benchmarks/data/README.md states the grammar):

    tp8 | tp4 pp2            tensor (and pipeline) parallel
    tp8 ep8                  TP attention, experts expert-parallel over the TP group
    dp8 ep8 | tp8 dp8        attention data parallel; SGLang's "--tp 8 --dp 8" is a world of 8
                             devices with 8 attention-DP ranks (attention TP 1)
    dp2 ep2 pp2              ... with pipeline stages
    disagg p2x(dp8 ep8) d3x(dp8 ep8)   2 prefill + 3 decode instances of one layout
    mtp k=3 topk=1 accept=2.18         speculation with a stated acceptance length

Rows whose layout or speculation the engine cannot reproduce faithfully (pools of different
layouts, an acceptance length the source does not state) get a reason instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inferx.engine.deployment import Deployment


@dataclass(frozen=True)
class RowLayout:
    deployment: Deployment | None = None          # None: plain TP over the row's GPUs
    disaggregation: tuple[int, int] | None = None  # (prefill, decode) instances
    skip: str | None = None


def _parts(text: str) -> dict[str, int]:
    found = dict(re.findall(r"\b(tp|pp|ep|dp)(\d+)\b", text))
    return {k: int(v) for k, v in found.items()}


def _deployment(parts: dict[str, int]) -> Deployment | None:
    tp, pp, ep, dp = (parts.get(k) for k in ("tp", "pp", "ep", "dp"))
    if dp and dp > 1:
        world = tp if tp and tp == dp else (tp or 1) * dp
        return Deployment(tp=world // dp, pp=pp or 1, ep=ep or world, dp_attention=dp)
    if (ep and ep > 1) or (pp and pp > 1):
        return Deployment(tp=tp or 1, pp=pp or 1, ep=ep or 1)
    return None


def _chips(text: str, gpus: int, per_chip: int) -> str:
    """A layout stated in cores (NeuronCores, TPU devices) on a row whose `num_gpus` counts
    chips of `per_chip` cores: the same layout over chips (tp and ep divided by `per_chip`),
    when the stated cores are exactly the row's chips x `per_chip`; otherwise unchanged."""
    parts = _parts(text)
    tp, pp, ep = parts.get("tp", 1), parts.get("pp", 1), parts.get("ep")
    if (per_chip <= 1 or "dp" in parts or tp * pp != gpus * per_chip or tp % per_chip
            or (ep and ep % per_chip)):
        return text
    out = re.sub(r"\btp\d+\b", f"tp{tp // per_chip}", text)
    return re.sub(r"\bep\d+\b", f"ep{ep // per_chip}", out) if ep else out


def row_layout(parallelism: str, gpus: int, per_chip: int = 1) -> RowLayout:
    """The row's layout, or the reason it cannot be reproduced.  `per_chip`: cores per device
    the source's layout counts while `num_gpus` counts chips (harness.CORES_PER_CHIP)."""
    text = parallelism.strip().lower()
    if not text:
        return RowLayout()
    text = _chips(text, gpus, per_chip)
    if text.startswith("disagg"):
        m = re.fullmatch(r"disagg p(\d+)x\((.*?)\) d(\d+)x\((.*?)\)", text)
        if not m or m.group(2) != m.group(4):
            return RowLayout(skip=f"disaggregated pools not both stated with one layout "
                                  f"({parallelism!r})")
        d = _deployment(_parts(m.group(2))) or Deployment(
            tp=_parts(m.group(2)).get("tp", 1))
        pools = (int(m.group(1)), int(m.group(3)))
        if (pools[0] + pools[1]) * d.gpus_per_replica != gpus:
            return RowLayout(skip=f"pools of {parallelism!r} do not add up to {gpus} devices")
        return RowLayout(deployment=d, disaggregation=pools)
    d = _deployment(_parts(text))
    if d is not None and d.gpus_per_replica != gpus:
        return RowLayout(skip=f"layout {parallelism!r} is {d.gpus_per_replica} devices, the row "
                              f"says {gpus}")
    tp = _parts(text).get("tp")
    if d is None and tp is not None and tp != gpus:
        return RowLayout(skip=f"layout {parallelism!r} is not {gpus} devices of one replica")
    return RowLayout(deployment=d)


def row_speculation(speculative: str) -> tuple[str, int, float] | str | None:
    """(method, draft tokens, acceptance length), None without speculation, or the reason a
    row cannot be reproduced (the acceptance length is a property of the data: never guessed)."""
    text = speculative.strip().lower()
    if not text:
        return None
    method = "mtp" if text.startswith("mtp") else "eagle" if "eagle" in text.split()[0] else None
    k = re.search(r"\bk=(\d+)", text)
    accept = re.search(r"\baccept=([\d.]+)", text)
    if method is None or k is None:
        return f"speculative decoding {speculative!r}: method or draft tokens not understood"
    if accept is None:
        return f"speculative decoding without a stated acceptance length ({speculative!r})"
    return method, int(k.group(1)), float(accept.group(1))
