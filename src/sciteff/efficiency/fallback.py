"""What the engine does with an LP whose fast solution could not be certified.

Two steps, each certified again (:mod:`sciteff.efficiency.certify`):

1. **Rescaled re-solve.** Every row is divided by the evaluated DMU's own value in it (the
   LP's solutions do not change: scaling a constraint by a positive number is an equivalent
   constraint), every column by its largest coefficient after that, and HiGHS solves the
   result from scratch with its tolerances tightened to 1e-10 and presolve off. A DMU a million
   times smaller than the rest then has coefficients near 1 in its own rows, so the solver's
   absolute tolerances are relative ones for this DMU.
2. **Exact rational solve** (:mod:`sciteff.efficiency.exact`), started from the basis of step
   1: an exact check of that basis, and exact pivots if it is not optimal.

Only if both fail (the exact solver's pivot limit) is the LP reported as uncertifiable, and
the caller raises an error naming the DMU. No number is ever returned unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from sciteff.efficiency.certify import (
    LPData,
    certify_infeasible,
    certify_optimal,
)
from sciteff.efficiency.exact import solve_exact

#: HiGHS tolerances for the rescaled re-solve.
TIGHT_TOL = 1e-10


@dataclass(frozen=True)
class Settled:
    """A certified outcome: status, the solution (LP column order) and how it was certified.

    ``status`` is "optimal", "infeasible", "unbounded" or "uncertified"; ``how`` is "rescaled"
    or "exact" (or the failure's description when uncertified).
    """

    status: str
    z: np.ndarray | None
    how: str


def _dense(lp: LPData) -> np.ndarray:
    return np.hstack([lp.extra, lp.ref.T])


Hint = tuple[list[int], list[int]]


def rescaled_solve(
    lp: LPData, row_scale: np.ndarray, new_highs: Callable[[], highspy.Highs]
) -> tuple[str, np.ndarray | None, np.ndarray | None, Hint | None]:
    """Solve ``lp`` with rows divided by ``row_scale`` and columns equilibrated (see above).

    Returns (HiGHS status name, z, row duals or dual ray, basis hint) in the original units.
    """
    a = _dense(lp)
    rs = np.where(row_scale > 0, row_scale, 1.0)
    a1 = a / rs[:, None]
    cs = np.abs(a1).max(axis=0)
    cs = np.where(cs > 0, cs, 1.0)
    a2 = a1 / cs[None, :]
    k, ncol = a2.shape
    lp_h = highspy.HighsLp()
    lp_h.num_col_ = ncol
    lp_h.num_row_ = k
    lp_h.col_cost_ = lp.cost / cs
    lp_h.col_lower_ = np.zeros(ncol)
    hi = np.where(np.isfinite(lp.col_hi), lp.col_hi * cs, highspy.kHighsInf)
    lp_h.col_upper_ = hi
    inf = highspy.kHighsInf
    lp_h.row_lower_ = np.where(np.isfinite(lp.row_lo), lp.row_lo / rs, -inf)
    lp_h.row_upper_ = np.where(np.isfinite(lp.row_hi), lp.row_hi / rs, inf)
    csc = a2.T  # column-wise
    nz = csc != 0
    lp_h.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp_h.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int32)
    lp_h.a_matrix_.index_ = np.nonzero(nz)[1].astype(np.int32)
    lp_h.a_matrix_.value_ = csc[nz].astype(float)
    h = new_highs()
    for name in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        h.setOptionValue(name, TIGHT_TOL)
    h.setOptionValue("presolve", "off")
    h.passModel(lp_h)
    h.run()
    status = h.getModelStatus()
    ms = highspy.HighsModelStatus
    name = h.modelStatusToString(status)
    basis = h.getBasis()
    bs = highspy.HighsBasisStatus.kBasic
    hint = (
        [j for j, st in enumerate(basis.col_status) if st == bs],
        [i for i, st in enumerate(basis.row_status) if st == bs],
    )
    if status == ms.kOptimal:
        sol = h.getSolution()
        z = np.asarray(sol.col_value, dtype=float) / cs
        y = np.asarray(sol.row_dual, dtype=float) / rs
        return "optimal", z, y, hint
    if status == ms.kInfeasible:
        _, has_ray, ray = h.getDualRay()
        ray_arr = np.asarray(ray, dtype=float) / rs if has_ray else None
        return "infeasible", None, ray_arr, hint
    return name, None, None, hint


def settle(
    make_lp: Callable[[np.ndarray | None], LPData],
    row_scale: np.ndarray,
    new_highs: Callable[[], highspy.Highs],
    relative_to_objective: bool = False,
) -> Settled:
    """Certified outcome of an LP by a rescaled re-solve, then an exact solve (see above).

    ``make_lp(z)`` gives the LP with the column caps that certify a claimed solution ``z``
    (``make_lp(None)``: caps valid without one, for infeasibility and the exact solve).
    ``relative_to_objective`` as in :func:`~sciteff.efficiency.certify.certify_optimal`.
    """
    lp = make_lp(None)
    status, z, y, hint = rescaled_solve(lp, row_scale, new_highs)
    if status == "optimal" and z is not None and y is not None:
        if certify_optimal(make_lp(z), z, y, relative_to_objective).ok:
            return Settled("optimal", np.clip(z, 0.0, lp.col_hi), "rescaled")
    elif status == "infeasible" and y is not None and certify_infeasible(lp, y):
        return Settled("infeasible", None, "rescaled")
    basic_cols, basic_rows = hint if hint is not None else (None, None)
    exact = solve_exact(lp, basic_cols, basic_rows)
    if exact.status == "optimal" and exact.z is not None:
        return Settled("optimal", np.array([float(v) for v in exact.z]), "exact")
    if exact.status in ("infeasible", "unbounded"):
        return Settled(exact.status, None, "exact")
    return Settled("uncertified", None, f"exact simplex stopped after {exact.pivots} pivots")
