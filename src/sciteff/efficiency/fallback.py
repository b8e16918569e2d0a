"""What the engine does with an LP whose fast solution could not be certified.

First the cheap step 0, then two steps, each certified again
(:mod:`sciteff.efficiency.certify`):

0. **The basis, re-solved here** (:func:`polish`). HiGHS stops when its residuals are below
   *absolute* tolerances, so its final point can miss the relative 1e-10 of the certificates
   even when its final basis is the optimal one (seen on benign data: a max-slack LP with a
   relative row residual of 3e-10, a radial LP with a duality gap of 1.1e-10 of its score).
   A DEA LP has only m + s (+1) rows, so the basis matrix is tiny: solving it again in numpy
   (iterative refinement, residuals in extended precision) gives the vertex and its duals to
   float64 accuracy, and the unchanged certificates decide. Nothing is loosened: a wrong
   basis fails the same checks. If HiGHS's basis is itself a hair primal infeasible (a basic
   variable at -1e-9, inside its absolute tolerance, in an ill-conditioned basis), a few more
   simplex iterations from it with tolerances of 1e-10 may reach a truly optimal basis,
   re-solved and checked the same way. Callers that have a cheaper alternative to steps 1-2
   (keep a frontier candidate, nudge a slack point) may stop here or after step 1
   (``effort`` "float" or "rescaled" in :meth:`~sciteff.efficiency.engine.RadialModel.solve`).
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


def _refined_solve(a: np.ndarray, b: np.ndarray, steps: int = 2) -> np.ndarray:
    """``a^-1 b`` by mixed-precision iterative refinement (residuals in extended precision).

    Each step shrinks the error by about cond(a) * 1e-16, so even a basis with condition number
    1e6 (degenerate DEA vertices have such bases) is solved to float64 accuracy.
    """
    z = np.linalg.solve(a, b)
    a_ext, b_ext = a.astype(np.longdouble), b.astype(np.longdouble)
    for _ in range(steps):
        resid = (b_ext - a_ext @ z.astype(np.longdouble)).astype(float)
        z = z + np.linalg.solve(a, resid)
    return z


def basis_solution(
    h: highspy.Highs, lp: LPData, order: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The vertex and row duals of ``h``'s final basis, recomputed from ``lp``'s data.

    ``order[c]`` is the HiGHS column of ``lp``'s column ``c`` (default: the same order).
    Nonbasic columns are at zero (every column's lower bound; a fixed column's upper bound is
    zero too), nonbasic rows at the bound HiGHS's basis names, and the basic columns solve
    the square system of those rows; the duals solve its transpose with the basic costs.
    Returns None when the basis does not give a square, regular system with finite bounds.
    """
    basis = h.getBasis()
    basic, upper = highspy.HighsBasisStatus.kBasic, highspy.HighsBasisStatus.kUpper
    col_basic = np.array([st == basic for st in basis.col_status], dtype=bool)
    if order is not None:
        col_basic = col_basic[order]
    rows = np.flatnonzero([st != basic for st in basis.row_status])
    cols = np.flatnonzero(col_basic)
    if cols.size != rows.size:
        return None
    at_upper = np.array([basis.row_status[i] == upper for i in rows], dtype=bool)
    b = np.where(at_upper, lp.row_hi[rows], lp.row_lo[rows])
    e = lp.num_extra
    a = np.hstack(
        [lp.extra[np.ix_(rows, cols[cols < e])], lp.ref[np.ix_(cols[cols >= e] - e, rows)].T]
    )
    c = lp.cost[cols]
    if not np.all(np.isfinite(b)):
        return None
    try:
        zc, yr = _refined_solve(a, b), _refined_solve(a.T, c)
    except np.linalg.LinAlgError:
        return None
    z = np.zeros(lp.cost.size)
    z[cols] = zc
    y = np.zeros(lp.row_lo.size)
    y[rows] = yr
    return z, y


def polish(
    h: highspy.Highs,
    lp: LPData,
    accept: Callable[[np.ndarray, np.ndarray], bool],
    order: np.ndarray | None = None,
) -> np.ndarray | None:
    """Step 0 above: a vertex of ``h``'s basis (as is, then tightened) that ``accept`` certifies.

    ``h`` holds the LP just solved to optimality; ``accept(z, y)`` runs the certificates on a
    candidate (``lp``'s column order) and its duals. Returns the accepted ``z`` or None. The
    tolerances of ``h`` are restored afterwards.
    """
    found = basis_solution(h, lp, order)
    if found is not None and accept(*found):
        return found[0]
    names = ("primal_feasibility_tolerance", "dual_feasibility_tolerance")
    saved = [h.getOptionValue(name)[1] for name in names]
    for name in names:
        h.setOptionValue(name, TIGHT_TOL)
    try:
        h.setBasis(h.getBasis())  # invalidates the solution, so HiGHS iterates again
        h.run()
        optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    finally:
        for name, value in zip(names, saved, strict=True):
            h.setOptionValue(name, value)
    if optimal:
        found = basis_solution(h, lp, order)
        if found is not None and accept(*found):
            return found[0]
    return None


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
    if h.passModel(lp_h) == highspy.HighsStatus.kError:
        return "model rejected", None, None, None
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
    exact: bool = True,
    offset: float = 0.0,
) -> Settled:
    """Certified outcome of an LP by a rescaled re-solve, then an exact solve (see above).

    ``make_lp(z)`` gives the LP with the column caps that certify a claimed solution ``z``
    (``make_lp(None)``: caps valid without one, for infeasibility and the exact solve).
    ``relative_to_objective`` and ``offset`` as in
    :func:`~sciteff.efficiency.certify.certify_optimal`.
    ``exact=False`` stops after the rescaled re-solve ("uncertified" if it is not certified).
    """
    lp = make_lp(None)
    status, z, y, hint = rescaled_solve(lp, row_scale, new_highs)
    if status == "optimal" and z is not None and y is not None:
        if certify_optimal(make_lp(z), z, y, relative_to_objective, offset).ok:
            return Settled("optimal", np.clip(z, 0.0, lp.col_hi), "rescaled")
    elif status == "infeasible" and y is not None and certify_infeasible(lp, y):
        return Settled("infeasible", None, "rescaled")
    if not exact:
        return Settled("uncertified", None, "rescaled re-solve not certified (exact skipped)")
    basic_cols, basic_rows = hint if hint is not None else (None, None)
    exact = solve_exact(lp, basic_cols, basic_rows)
    if exact.status == "optimal" and exact.z is not None:
        return Settled("optimal", np.array([float(v) for v in exact.z]), "exact")
    if exact.status in ("infeasible", "unbounded"):
        return Settled(exact.status, None, "exact")
    return Settled("uncertified", None, f"exact simplex stopped after {exact.pivots} pivots")
