"""Hold groups of rows out and predict them from presets fitted on the rest
(docs/accuracy.md#method): leave-one-source-out and leave-one-family-out.

A held-out group's rows never reach the fit that predicts them: the pooled preset and the
group's engine presets are refitted on the other rows (a fixed stratified subset of them),
with the fixed iteration budget, so every figure is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from inferx.calibration.fitting import evaluate, fit_presets, values_lookup
from inferx.engine.presets import fit_group
from inferx.calibration.harness import Scenario
from inferx.calibration.scoring import Pair, Skip

# Held-out axes (docs/accuracy.md#method): a name → the group of a scenario along it.
AXES: dict[str, Callable[[Scenario], str]] = {
    "source": lambda s: s.row.source_key,
    "hardware family": lambda s: s.hardware_family,
    "engine": lambda s: s.engine,
    "model family": lambda s: s.model_family,
    "serving mode": lambda s: s.serving_mode,
}
# Rows per stratum (source, hardware, model, serving mode) the fit sees: a source that lists
# one model on one GPU at 40 lengths informs the knobs no more than a handful of its rows do,
# and capping it keeps one large source from outweighing the rest (and the fit fast).
STRATUM_ROWS = 3


def stratified(scenarios: Sequence[Scenario], per_stratum: int = STRATUM_ROWS,
               ) -> list[Scenario]:
    """At most `per_stratum` rows of each (source, hardware, model, serving mode) stratum,
    evenly spaced through the stratum's rows sorted by case_id (deterministic)."""
    strata: dict[tuple[str, str, str, str], list[Scenario]] = {}
    for s in scenarios:
        key = (s.row.source_key, s.hardware.id, s.model.id, s.serving_mode)
        strata.setdefault(key, []).append(s)
    out: list[Scenario] = []
    for key in sorted(strata):
        rows = sorted(strata[key], key=lambda s: s.row.case_id)
        if len(rows) <= per_stratum:
            out += rows
        else:
            step = (len(rows) - 1) / (per_stratum - 1) if per_stratum > 1 else 0
            out += [rows[round(i * step)] for i in range(per_stratum)]
    return sorted(out, key=lambda s: s.row.case_id)


@dataclass(frozen=True)
class HeldOut:
    """The predictions for one held-out group, from presets fitted without it."""

    axis: str
    group: str
    pairs: list[Pair]
    skips: list[Skip]
    # The knob values the group was predicted with, per engine ("generic": the pooled fit).
    values: dict[str, dict[str, float]] = field(default_factory=dict)

    def lookup(self, engine: str) -> dict[str, float]:
        return self.values.get(fit_group(engine)) or self.values["generic"]


def hold_out(scenarios: Sequence[Scenario], axis: str, group: str, *, iterations: int = 200,
             per_stratum: int | None = STRATUM_ROWS) -> HeldOut:
    """Refit the pooled preset and the test rows' engine presets on every row outside
    `group` (a stratified subset of them when `per_stratum` is set), then predict the group.
    An engine with no training rows left falls back to the pooled fit."""
    key = AXES[axis]
    train = [s for s in scenarios if key(s) != group]
    test = [s for s in scenarios if key(s) == group]
    if per_stratum:
        train = stratified(train, per_stratum)
    engines = sorted({s.engine for s in test} - {"generic"})
    fits = fit_presets(train, iterations=iterations, engines=engines)
    p, k = evaluate(test, values_lookup(fits))
    return HeldOut(axis, group, p, k, {e: dict(f.values) for e, f in fits.items()})


_POOL_SCENARIOS: Sequence[Scenario] = ()


def _hold_out_task(task: tuple[str, str, int, int | None]) -> HeldOut:
    axis, group, iterations, per_stratum = task
    return hold_out(_POOL_SCENARIOS, axis, group, iterations=iterations,
                    per_stratum=per_stratum)


def leave_groups_out(scenarios: Sequence[Scenario], axes: Sequence[str], *,
                     iterations: int = 200, per_stratum: int | None = STRATUM_ROWS,
                     jobs: int = 1, progress: Callable[[str], None] | None = None,
                     ) -> list[HeldOut]:
    """`hold_out` every group of every axis, in (axis, group) order.  `jobs` > 1 runs the
    refits in forked worker processes; each refit is deterministic, so the answer does not
    depend on `jobs`."""
    global _POOL_SCENARIOS
    tasks = [(axis, g, iterations, per_stratum) for axis in axes
             for g in sorted({AXES[axis](s) for s in scenarios})]
    if jobs <= 1:
        out = []
        for t in tasks:
            if progress:
                progress(f"{t[0]}: {t[1]}")
            out.append(_hold_out_task_with(scenarios, t))
        return out
    import multiprocessing

    _POOL_SCENARIOS = scenarios
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            out = []
            for t, held in zip(tasks, pool.imap(_hold_out_task, tasks), strict=True):
                if progress:
                    progress(f"{t[0]}: {t[1]}")
                out.append(held)
            return out
    finally:
        _POOL_SCENARIOS = ()


def _hold_out_task_with(scenarios: Sequence[Scenario],
                        task: tuple[str, str, int, int | None]) -> HeldOut:
    axis, group, iterations, per_stratum = task
    return hold_out(scenarios, axis, group, iterations=iterations, per_stratum=per_stratum)


def leave_one_source_out(scenarios: Sequence[Scenario], *, iterations: int = 200,
                         progress: Callable[[str], None] | None = None,
                         per_stratum: int | None = None,
                         ) -> tuple[list[Pair], list[Skip]]:
    """Predict each source's rows from presets fitted without that source."""
    pairs: list[Pair] = []
    skips: list[Skip] = []
    for held in leave_groups_out(scenarios, ["source"], iterations=iterations,
                                 per_stratum=per_stratum, progress=progress):
        pairs += held.pairs
        skips += held.skips
    return pairs, skips
