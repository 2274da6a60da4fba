"""The knob fit's minimiser: bounded, robust Levenberg-Marquardt in log space
(docs/accuracy.md#method, docs/methodology.md#presets).

Minimises, over x in the box [lower, upper],

    L(x) = Σ_i ρ(r_i(x)) + Σ_k w_k · (x_k − p_k)²

with r_i the log errors of the rows, ρ the pseudo-Huber loss of scale δ and p the prior.
Each iteration linearises the residuals with a forward-difference Jacobian (one evaluation
per knob, step `h` in log space, backward at an upper bound), weights each residual by
ρ's iteratively reweighted least-squares weight 1/√(1 + (r/δ)²), and solves

    (JᵀWJ + diag(w) + λ·diag(JᵀWJ + diag(w))) · dx = −(JᵀWr + w·(x − p))

over the knobs not held at a bound by their gradient (an active set), so the direction the
rows cannot tell apart (a knob that stands in for another) is settled by the prior instead
of by where the search started.  A step that lowers L is taken and λ shrinks 3x; otherwise
λ grows 4x and the step is retried (RETRIES times at most).  A fixed budget of evaluations
ends the search, or a point no damped step lowers by 1e-6; no randomness, so the same rows
give the same knobs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

# Damped retries of one step before the search stops (λ grows 4^8 ≈ 65,000x: a step that
# short no longer moves a knob by a measurable amount).
RETRIES = 8
Residuals = Callable[[list[float]], dict[object, float]]


def pseudo_huber(r: float, scale: float | None) -> float:
    """ρ(r) = 2δ²(√(1 + (r/δ)²) − 1) (≈ r² for |r| << δ); r² when scale is None."""
    if scale is None:
        return r * r
    return 2 * scale * scale * (math.sqrt(1 + (r / scale) ** 2) - 1)


def _weight(r: float, scale: float | None) -> float:
    return 1.0 if scale is None else 1 / math.sqrt(1 + (r / scale) ** 2)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a·x = b (Gaussian elimination with partial pivoting; a is small and SPD)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(m[i][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-300:
            continue
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            for j in range(c, n + 1):
                m[i][j] -= f * m[c][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        s = m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))
        x[i] = s / m[i][i] if abs(m[i][i]) > 1e-300 else 0.0
    return x


def levenberg_marquardt(residuals: Residuals, x0: Sequence[float], lower: Sequence[float],
                        upper: Sequence[float], *, prior: Sequence[float],
                        prior_weights: Sequence[float], scale: float | None,
                        evaluations: int = 90, h: float = 0.05, max_step: float = 1.0,
                        ) -> tuple[list[float], float]:
    """Minimise L (module docstring) from x0 clipped into the box; return (x, L(x)).
    `residuals(x)` maps a key per scored value to its log error; a key missing at a trial
    point counts as unchanged."""
    n = len(x0)
    x = [min(max(v, lo), hi) for v, lo, hi in zip(x0, lower, upper, strict=True)]

    def objective(res: dict[object, float], at: list[float]) -> float:
        return (sum(pseudo_huber(v, scale) for v in res.values())
                + sum(w * (a - p) ** 2 for w, a, p in zip(prior_weights, at, prior,
                                                           strict=True)))

    r = residuals(x)
    fx = objective(r, x)
    used = 1
    lam = 1e-3
    while used + n + 1 <= evaluations:
        keys = list(r)
        base = [r[k] for k in keys]
        cols: list[list[float]] = []
        for k in range(n):
            d = h if x[k] + h <= upper[k] else -h
            trial = x[:k] + [x[k] + d] + x[k + 1:]
            rt = residuals(trial)
            used += 1
            cols.append([(rt.get(key, b) - b) / d for key, b in zip(keys, base, strict=True)])
        w = [_weight(v, scale) for v in base]
        grad = [sum(c * wi * v for c, wi, v in zip(cols[k], w, base, strict=True))
                + prior_weights[k] * (x[k] - prior[k]) for k in range(n)]
        hess = [[sum(a * wi * b for a, wi, b in zip(cols[i], w, cols[j], strict=True))
                 + (prior_weights[i] if i == j else 0.0) for j in range(n)] for i in range(n)]
        # knobs at a bound whose gradient pushes them out of the box stay there this step
        free = [k for k in range(n)
                if not (x[k] <= lower[k] and grad[k] > 0)
                and not (x[k] >= upper[k] and grad[k] < 0)]
        if not free:
            break
        improved = False
        for _ in range(RETRIES):
            if used >= evaluations:
                break
            a = [[hess[i][j] * (1 + lam if i == j else 1) + (1e-12 if i == j else 0)
                  for j in free] for i in free]
            step = _solve(a, [-grad[i] for i in free])
            big = max(abs(s) for s in step)
            if big > max_step:
                step = [s * max_step / big for s in step]
            trial = x[:]
            for i, s in zip(free, step, strict=True):
                trial[i] = min(max(x[i] + s, lower[i]), upper[i])
            rt = residuals(trial)
            used += 1
            ft = objective(rt, trial)
            if ft < fx - 1e-6:
                x, r, fx, improved = trial, rt, ft, True
                lam = max(lam / 3, 1e-6)
                break
            lam *= 4
        if not improved:
            break
    return x, fx
