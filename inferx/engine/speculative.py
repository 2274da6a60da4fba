"""Speculative decoding: a cheap drafter proposes k tokens, the target verifies them in one
pass, and on average L tokens are emitted per verification (docs/methodology.md#speculative):

    TPOT = (t_verify(k + 1 query tokens) + k · t_draft) / L,      1 ≤ L ≤ k + 1

    mtp     DeepSeek-style multi-token prediction: one extra transformer layer sharing the
            embeddings and lm_head; one draft pass ≈ one layer of the target + lm_head
    eagle   an EAGLE head: likewise one decoder layer at the target's width + lm_head
    draft   a separate draft model: k decode steps of that model

Memory: mtp/eagle add one layer of weights and KV; a draft model adds its weights and KV.
With L = 1 (no draft token accepted) speculation only adds work, so it is never faster.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.profiles import ModelRecord

METHODS = ("mtp", "eagle", "draft")


@dataclass(frozen=True)
class Speculation:
    method: str                         # "mtp", "eagle" or "draft"
    draft_tokens: int                   # k tokens proposed per verification
    acceptance_length: float            # L: tokens emitted per verification, incl. the bonus
    draft_model: ModelRecord | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown speculation method {self.method!r}")
        if not 1.0 <= self.acceptance_length <= self.draft_tokens + 1:
            raise ValueError("acceptance_length must lie in [1, draft_tokens + 1]")
        if (self.method == "draft") != (self.draft_model is not None):
            raise ValueError("a draft model goes with method 'draft' only")


def head_fraction(m: ModelRecord) -> float:
    """An MTP module or EAGLE head as a share of the target's layers: one layer of L."""
    return 1.0 / max(m.num_layers or 1, 1)


def tpot_s(*, verify_s: float, draft_pass_s: float, spec: Speculation) -> float:
    """(t_verify + k · t_draft) / L."""
    return (verify_s + spec.draft_tokens * draft_pass_s) / spec.acceptance_length
