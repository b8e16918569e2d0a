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

**One generating set for every model** (:func:`vrs_generators`, BuildHull-style: Dula 2011,
Khezrimotlagh et al. 2019). Let E be a set of DMUs with T_vrs(E) = T_vrs(R), i.e. every DMU j
of R satisfies x_j >= sum_e l^j_e x_e, y_j <= sum_e l^j_e y_e with l^j >= 0, sum l^j = 1.

* CRS: a point of T_crs(R) is dominated by sum_j mu_j (x_j, y_j), mu >= 0. Replacing each
  (x_j, y_j) by the combination of E that dominates it gives weights
  w_e = sum_j mu_j l^j_e >= 0 with sum_e w_e x_e <= sum_j mu_j x_j and
  sum_e w_e y_e >= sum_j mu_j y_j, so the point is in T_crs(E). The converse is E c R.
* NIRS: the same substitution with sum_j mu_j <= 1 gives sum_e w_e = sum_j mu_j sum_e l^j_e =
  sum_j mu_j <= 1, so T_nirs(R) = T_nirs(E).
* VRS: given. The radial scores, the max-slack LPs and the multi-stage radial steps of any
  DMU depend on the reference set only through the technology, so E serves CRS, VRS and
  NIRS scoring and the slack stages alike (not super-efficiency, which removes a DMU).

How E is grown. Start from the undominated DMUs (condition 1), visited in a fixed order, and a
seed E of the first few. A DMU k is *inside* T_vrs(E) when the input-orientated VRS score of
(x_k, y_k) against E is theta <= 1 (then (theta x_k, y_k), hence (x_k, y_k) by free
disposability, is in T_vrs(E)); we call k inside only when the certified theta is below
1 - FRONTIER_TOL (so the true theta is below 1 too), and add k to E otherwise (infeasible,
theta >= 1 - FRONTIER_TOL, or uncertified): adding a DMU of R is always harmless. The DMUs are
tested in blocks against E as it stands before the block; E only grows, so a DMU inside an
earlier E is inside the final one, and every DMU of R is in T_vrs(E_final). Finally, with
positive inputs, members of E scoring below 1 - FRONTIER_TOL against E are dropped by
condition 2 (those added before the DMUs that enclose them).
"""

from __future__ import annotations

from collections.abc import Sequence
from multiprocessing.pool import Pool

import numpy as np

from sciteff.efficiency.batch_radial import certified_factors, certified_rounds

#: A DMU scoring below 1 - FRONTIER_TOL against the candidates is dropped from the reference set.
FRONTIER_TOL = 1e-6

#: Below this many reference DMUs the pre-pass is not worth its cost.
PREPASS_MIN_REF = 100

#: Step 2 (one LP per undominated DMU) pays off only when many DMUs survive step 1 (measured:
#: with fewer, the LPs it saves cost less than the LPs it solves).
FRONTIER_LP_MIN = 100


#: DMUs checked for dominance together (memory: kept x chunk x variables booleans).
DOMINANCE_CHUNK = 256


def _dominates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``[j, i]``: row j of ``a`` is <= row i of ``b`` in every column (one pass per column:
    numpy reduces a short last axis slowly)."""
    out = a[:, None, 0] <= b[None, :, 0]
    for v in range(1, a.shape[1]):
        out &= a[:, None, v] <= b[None, :, v]
    return out


def undominated(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices (sorted) of DMUs not dominated by another kept DMU (condition 1 above).

    DMUs are visited by decreasing key ``sum y - sum x``; a DMU is dropped when a DMU visited
    before it has no more of any input and no less of any output (so of two identical DMUs
    the first is kept). A dominator always has a larger or equal key, so it comes first, up
    to rounding of the keys; a dominated DMU missed that way is merely kept, which is
    harmless. "Dominated by an earlier DMU" equals "dominated by an earlier kept DMU"
    (dominance is transitive), so the DMUs are checked a chunk at a time against the kept
    ones and the chunk's earlier ones, all in numpy.
    """
    n = x.shape[0]
    if n == 0:
        return np.arange(0)
    key = y.sum(axis=1) - x.sum(axis=1)
    order = np.argsort(-key, kind="stable")
    z = np.hstack([x, -y])  # DMU j dominates i iff z_j <= z_i everywhere
    kept = np.empty((0, z.shape[1]))
    out: list[np.ndarray] = []
    for a in range(0, n, DOMINANCE_CHUNK):
        idx = order[a : a + DOMINANCE_CHUNK]
        c = z[idx]
        drop = _dominates(kept, c).any(axis=0) if kept.shape[0] else np.zeros(idx.size, bool)
        drop |= np.triu(_dominates(c, c), k=1).any(axis=0)  # only earlier DMUs of the chunk
        out.append(idx[~drop])
        kept = np.vstack([kept, c[~drop]])
    return np.sort(np.concatenate(out))


def frontier_candidates(
    x: np.ndarray,
    y: np.ndarray,
    *,
    rts: str,
    orientation: str,
    candidates: np.ndarray | None = None,
    pool: Pool | None = None,
) -> np.ndarray:
    """Indices of a subset of the reference DMUs that generates the same technology.

    First drops dominated DMUs, then DMUs that are radially inefficient against the remaining
    ones under the given model (see the module docstring for why both steps are exact).
    Data must be scaled already. ``candidates`` (indices that already generate the whole
    technology, e.g. a previous result of :func:`undominated`) skips the dominance step.
    ``pool``: workers for the LPs (the same result, see
    :func:`~sciteff.efficiency.batch_radial.certified_factors`).
    """
    return frontier_sets(x, y, [rts], orientation=orientation, candidates=candidates, pool=pool)[0]


def frontier_sets(
    x: np.ndarray,
    y: np.ndarray,
    models: Sequence[str],
    *,
    orientation: str,
    candidates: np.ndarray | None = None,
    pool: Pool | None = None,
) -> list[np.ndarray]:
    """:func:`frontier_candidates` under each returns to scale of ``models``, their LPs in
    one round of the pool's workers (the same sets as one call per model)."""
    keep = undominated(x, y) if candidates is None else np.asarray(candidates, dtype=int)
    if keep.size < FRONTIER_LP_MIN or not np.all(x[keep] > 0):
        return [keep] * len(models)  # condition 2's proof needs strictly positive inputs
    xk, yk = x[keep], y[keep]
    # Uncertified or infeasible (NaN): the DMU is kept, which is always harmless.
    problems = [(xk, yk, xk, yk, rts, orientation, None, False) for rts in models]
    out = []
    for factor in certified_rounds(problems, pool=pool):
        with np.errstate(divide="ignore"):
            score = factor if orientation == "in" else 1.0 / factor
        out.append(keep[~(score < 1.0 - FRONTIER_TOL)])
    return out


#: DMUs tested against one version of the growing set E before it is rebuilt (see above).
HULL_BLOCK = 256

#: The first this many DMUs (in the visiting order) form the seed of E.
HULL_SEED = 64


def vrs_generators(
    x: np.ndarray,
    y: np.ndarray,
    candidates: np.ndarray | None = None,
    pool: Pool | None = None,
) -> np.ndarray:
    """Indices (sorted) of a subset E of the DMUs with T_vrs(E) = T_vrs(all), hence also the
    same CRS and NIRS technologies (proof in the module docstring).

    Data must be scaled already; ``candidates`` (indices that already generate the
    technology, e.g. :func:`undominated`'s) skips the dominance step. Costs one small LP per
    candidate (against the growing E) and one per member of E. ``pool``: workers for the
    LPs of each step (the same result: an LP's answer does not depend on its batch).
    """
    keep = undominated(x, y) if candidates is None else np.asarray(candidates, dtype=int)
    if keep.size <= 2 * HULL_SEED:
        return np.sort(keep)
    key = y[keep].sum(axis=1) - x[keep].sum(axis=1)
    order = keep[np.argsort(-key, kind="stable")]
    hull = list(order[:HULL_SEED])
    for start in range(HULL_SEED, order.size, HULL_BLOCK):
        block = order[start : start + HULL_BLOCK]
        theta = certified_factors(
            x[hull], y[hull], x[block], y[block], rts="vrs", orientation="in", pool=pool
        )
        hull.extend(block[~(theta < 1.0 - FRONTIER_TOL)].tolist())
    e = np.sort(np.asarray(hull, dtype=int))
    if not np.all(x[e] > 0):
        return e  # condition 2's proof needs strictly positive inputs
    theta = certified_factors(
        x[e], y[e], x[e], y[e], rts="vrs", orientation="in", ray=False, pool=pool
    )
    return e[~(theta < 1.0 - FRONTIER_TOL)]
