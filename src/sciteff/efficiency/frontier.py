"""Shrinking a DEA reference set to its frontier without changing any score.

Why this is exact. A radial DEA score of any DMU (inside or outside the reference set) depends
on the reference set R only through the technology it generates,

    T(R) = {(x, y) : x >= sum_j lambda_j x_j,  y <= sum_j lambda_j y_j,  lambda >= 0,
            plus sum lambda = 1 (VRS) or sum lambda <= 1 (NIRS)}.

So a reference DMU k may be dropped whenever (x_k, y_k) already lies in T(R \\ {k}): every
lambda solution that uses k can be rewritten without it, so T(R \\ {k}) = T(R). Two cheap
sufficient conditions:

1. *Dominance*: some other kept DMU j has x_j <= x_k and y_j >= y_k. Then (x_k, y_k) is in
   T({j}) by free disposability, with lambda_j = 1, which is allowed under CRS, VRS and NIRS.
   Exact copies are dominated by each other; the first copy is kept. We only ever drop a DMU
   in favour of one that is kept at that moment and never dropped later, so the kept set
   generates the whole technology.
2. *Radial inefficiency*: DMU k scores theta_k < 1 against R (input orientation; the output
   case is symmetric). Take an optimal lambda. If lambda_k >= 1 we would need
   lambda_k x_k <= theta_k x_k with positive inputs, impossible; so lambda_k < 1 and
   mu_j = lambda_j / (1 - lambda_k), j != k, gives sum_j mu_j x_j <= (theta_k - lambda_k) /
   (1 - lambda_k) x_k <= x_k and sum_j mu_j y_j >= y_k, with sum mu = 1 when sum lambda = 1 and
   sum mu <= 1 when sum lambda <= 1. Hence (x_k, y_k) is in T(R \\ {k}). Dropping all such k
   at once is also exact, because each one's membership only uses the technology, which is
   unchanged by removing the others (remove them one at a time).

We drop a DMU on condition 2 only when its score is below 1 - ``FRONTIER_TOL``, so a DMU that
is efficient up to rounding is always kept; keeping extra DMUs is always harmless.
"""

from __future__ import annotations

import numpy as np

from sciteff.efficiency.engine import RadialModel, UncertifiedError

#: A DMU scoring below 1 - FRONTIER_TOL against the candidates is dropped from the reference set.
FRONTIER_TOL = 1e-6

#: Below this many reference DMUs the pre-pass is not worth its cost.
PREPASS_MIN_REF = 100

#: Step 2 (one LP per undominated DMU) pays off only when many DMUs survive step 1 (measured:
#: with fewer, the LPs it saves cost less than the LPs it solves).
FRONTIER_LP_MIN = 300


def undominated(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices (sorted) of DMUs not dominated by another kept DMU (condition 1 above)."""
    n = x.shape[0]
    if n == 0:
        return np.arange(0)
    # A DMU can only be dominated by one with a larger-or-equal key, so visiting by decreasing
    # key finds most dominators early; correctness does not depend on the order.
    key = y.sum(axis=1) - x.sum(axis=1)
    order = np.argsort(-key, kind="stable")
    kept_x = np.empty_like(x)
    kept_y = np.empty_like(y)
    kept: list[int] = []
    for idx in order:
        k = len(kept)
        if k:
            dom = np.all(kept_x[:k] <= x[idx], axis=1) & np.all(kept_y[:k] >= y[idx], axis=1)
            if dom.any():
                continue
        kept_x[k] = x[idx]
        kept_y[k] = y[idx]
        kept.append(int(idx))
    return np.sort(np.asarray(kept, dtype=int))


def frontier_candidates(
    x: np.ndarray,
    y: np.ndarray,
    *,
    rts: str,
    orientation: str,
    candidates: np.ndarray | None = None,
) -> np.ndarray:
    """Indices of a subset of the reference DMUs that generates the same technology.

    First drops dominated DMUs, then DMUs that are radially inefficient against the remaining
    ones under the given model (see the module docstring for why both steps are exact).
    Data must be scaled already. ``candidates`` (indices that already generate the whole
    technology, e.g. a previous result of :func:`undominated`) skips the dominance step.
    """
    keep = undominated(x, y) if candidates is None else np.asarray(candidates, dtype=int)
    if keep.size < FRONTIER_LP_MIN or not np.all(x[keep] > 0):
        return keep  # condition 2's proof needs strictly positive inputs
    model = RadialModel(x[keep], y[keep], rts=rts, orientation=orientation)
    efficient = np.ones(keep.size, dtype=bool)
    for pos, idx in enumerate(keep):
        try:
            sol = model.solve(x[idx], y[idx])
        except UncertifiedError:
            continue  # keeping a DMU in the reference set is always harmless
        if sol.status != "optimal":
            continue  # cannot happen for a member of the set; keep it to stay safe
        score = sol.factor if orientation == "in" else (1.0 / sol.factor if sol.factor else 0.0)
        efficient[pos] = score >= 1.0 - FRONTIER_TOL
    return keep[efficient]
