"""What-ifs: the bill again with one lever pulled (cost reduction, cache, router, speculative
decoding, batch limit, precision, distillation), each against the headline bill."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inferx.bill import arithmetic as F
from inferx.bill.context import BillContext
from inferx.bill.fleet import Sizing, sizing_for
from inferx.bill.prices import Price
from inferx.bill.replica import Fit, size_replica
from inferx.bill.results import Lever
from inferx.errors import InputError
from inferx.inputs import EstimateRequest


def _lever(name: str, description: str, base: float | None, new: float | None,
           note: str | None = None) -> Lever:
    if base is None or new is None:
        return Lever(lever=name, description=description, monthly_usd=new,
                     monthly_saving_usd=None, saving_fraction=None,
                     note=note or "not priced: no baseline or what-if bill")
    return Lever(lever=name, description=description, monthly_usd=new,
                 monthly_saving_usd=base - new,
                 saving_fraction=(base - new) / base if base else None,
                 note=note)


def levers(ctx: BillContext, volume: float, fit: Fit | None, sizing: Sizing | None,
           primary: Price | None, headline_at: Callable[[float], float | None], p2a: float,
           shares: list[float] | None) -> list[Lever]:
    """One Lever per what-if asked for; `headline_at(daily)` is the headline bill at a volume."""
    req, out = ctx.req, []
    base = headline_at(volume)
    if req.cost_reduction is not None:
        out.append(_lever("cost_reduction", f"unit cost {req.cost_reduction:.0%} lower "
                          "(--what-if-cost-reduction)", base,
                          None if base is None else base * (1 - req.cost_reduction)))
    if req.cache_hit_rate is not None:
        out.append(_lever("cache", f"a response cache answers {req.cache_hit_rate:.0%} of "
                          "queries (--cache-hit-rate)", base,
                          headline_at(F.served_queries(daily_queries=volume,
                                                       cache_hit_rate=req.cache_hit_rate))))
    if req.direct:
        for flag, given in (("--router-model", req.router_model), ("--draft-model",
                            req.draft_model), ("--max-batch", req.max_batch),
                            ("--what-if-precision", req.what_if_precision),
                            ("--distill-model", req.distill_model)):
            if given is not None:
                ctx.warn("lever_needs_profiles", f"{flag} needs a self-hosted bill (model and "
                         "hardware), not --cost-per-query/--cost-per-million-tokens: ignored")
        return out

    def refit(label: str, **kw: Any) -> Sizing | None:
        args = dict(model=req.model, precision=req.precision, gpus=req.gpus, batch_limit=None)
        args.update(kw)
        try:
            f = size_replica(ctx, label=label, **args)
        except InputError as exc:
            ctx.warn("lever_not_estimated", f"{label}: {exc}")
            return None
        return None if f is None else sizing_for(f, req, p2a, shares)

    def cost(s: Sizing | None, daily: float) -> float | None:
        return None if s is None or primary is None else s.always_on(daily, primary.usd)

    if req.router_share is not None and req.router_model is not None:
        small = refit("router", model=req.router_model, gpus=None)
        main_part = cost(sizing, volume * (1 - req.router_share))
        small_part = 0.0 if req.router_share == 0 else cost(small, volume * req.router_share)
        new = None if main_part is None or small_part is None else main_part + small_part
        out.append(_lever("router", f"{req.router_share:.0%} of queries routed to "
                          f"{req.router_model} on its own fleet", base, new))
    if req.draft_model is not None and req.acceptance_rate is not None and fit is not None:
        new, note = None, None
        try:
            draft = size_replica(ctx, model=req.draft_model, precision=req.precision,
                                 gpus=fit.replica.gpus, batch_limit=fit.replica.concurrency,
                                 label="draft")
        except InputError as exc:
            draft, note = None, f"draft model not estimated: {exc}"
        if draft is not None and sizing is not None:
            ratio = draft.tpot_decode_step_ms / fit.tpot_decode_step_ms
            speedup = F.speculative_speedup(acceptance_rate=req.acceptance_rate,
                                            draft_tokens=req.draft_tokens,
                                            draft_to_target_step_ratio=ratio)
            r = fit.replica
            rps = F.requests_per_s_after_decode_speedup(
                concurrency=r.concurrency, ttft_s=r.ttft_ms / 1e3, tpot_s=r.tpot_ms / 1e3,
                output_tokens=req.output_tokens, speedup=speedup)
            new = cost(sizing_for(fit, req, p2a, shares, rps), volume)
            note = (f"decode speed-up {speedup:.2f}x (draft/target step {ratio:.2f}, "
                    f"{req.draft_tokens} draft tokens); memory-bound verify assumed, draft "
                    "weights' memory not deducted")
        out.append(_lever("speculative_decoding", f"draft {req.draft_model} at "
                          f"{req.acceptance_rate:.0%} acceptance", base, new, note))
    if req.max_batch is not None:
        out.append(_lever("max_batch", f"batch limit {req.max_batch} sequences per replica",
                          base, cost(refit("max-batch", batch_limit=req.max_batch), volume)))
    if req.what_if_precision is not None:
        try:
            prec = EstimateRequest(precision=req.what_if_precision).precision
        except InputError as exc:
            raise InputError("--what-if-precision", str(exc).split(": ", 1)[1]) from None
        out.append(_lever("precision", f"weights at {prec}", base,
                          cost(refit("precision", precision=prec), volume)))
    if req.distill_model is not None:
        out.append(_lever("distillation", f"serve distilled {req.distill_model} instead", base,
                          cost(refit("distillation", model=req.distill_model, gpus=None), volume),
                          "quality of the distilled model not assessed"))
    return out
