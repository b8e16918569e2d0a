"""Certificates for the DEA linear programs: is a returned solution really optimal?

Why: HiGHS, like every floating-point simplex code, stops when its constraints hold to an
*absolute* tolerance (1e-7). On data spanning several orders of magnitude that tolerance is
loose for a DMU far below the average: its whole input vector may be smaller than 1e-7 in the
solver's units, and the "optimal" score can then be wrong in the third digit. So no score is
reported on the solver's word alone; each one is checked here, relative to the evaluated DMU's
own magnitudes, with two independent pieces of evidence:

1. **Primal feasibility** of the returned weights, row by row, relative to the size of the
   terms in that row (``|a_i| . |z| + |bound_i|``). For a DMU 1e6 times smaller than the rest
   the terms are 1e6 times smaller, and so is the allowed residual.
2. **A rigorous dual bound.** For *any* row multipliers ``y`` (signs matched to the finite row
   bounds) and any box ``0 <= z <= cap`` containing the optimum, weak duality gives
   ``c.z >= sum_i y_i b_i + sum_j min(0, d_j) cap_j`` with ``d = c - A'y``. We take ``y`` from
   the solver, recompute ``d`` ourselves, and require the reported objective to exceed this
   lower bound by at most ``GAP_TOL`` (relative). The caps come from the DEA structure (see
   :mod:`sciteff.efficiency.engine`): they keep the bound finite when a reduced cost is a
   rounding error below zero.

An LP reported infeasible is certified by a Farkas vector ``y`` (HiGHS's dual ray): if the
largest value of ``(A'y).z`` over the box is below the smallest value of ``y.(Az)`` allowed by
the rows, no ``z`` satisfies the constraints.

All LPs here are minimisations ``min c.z`` over ``row_lo <= A z <= row_hi``, ``0 <= z <=
col_hi`` with the columns split into a few "extra" columns (the radial factor, or slacks) and
one column per reference DMU (the lambdas), whose coefficients are the reference data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Largest residual allowed in any row, relative to the magnitude of that row's terms.
PRIMAL_TOL = 1e-10

#: Largest allowed gap between the reported objective and the rigorous dual bound, relative
#: to the larger of the objective and the dual objective's terms.
GAP_TOL = 1e-10

#: Margin by which a Farkas vector must prove infeasibility (relative to its terms).
FARKAS_TOL = 1e-10


@dataclass(frozen=True)
class LPData:
    """One DEA LP in the form the certificates need (see the module docstring).

    ``extra`` (k x e) holds the coefficients of the non-lambda columns, ``ref`` (n x k) those
    of the lambda columns (row j = lambda_j's coefficients); ``cost`` covers ``e + n`` columns
    (extra first); ``col_hi`` is 0 for a column fixed at zero (an excluded DMU) and inf
    otherwise; ``cap`` bounds every column on the region the certificate covers.
    ``row_mag`` (optional) is the size of terms a caller moved into the row bounds (a column
    fixed at a non-zero value): it counts in each row's magnitude, so that a row whose other
    terms vanish (SBM's held score ``t - w s <= rho`` with t = 1 moved out and rho = 1) is
    judged relative to its terms as written, not to rounding noise.
    """

    cost: np.ndarray
    extra: np.ndarray
    ref: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_hi: np.ndarray
    cap: np.ndarray
    ref_abs: np.ndarray | None = None  # |ref|, when the caller has it already (models do)
    row_mag: np.ndarray | None = None

    @property
    def num_extra(self) -> int:
        """Number of non-lambda columns."""
        return self.extra.shape[1]

    def activity(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row activities ``A z`` and the row magnitudes ``|A| |z|``."""
        e = self.num_extra
        az = self.extra @ z[:e] + z[e:] @ self.ref
        ref_abs = np.abs(self.ref) if self.ref_abs is None else self.ref_abs
        mag = np.abs(self.extra) @ np.abs(z[:e]) + np.abs(z[e:]) @ ref_abs
        return az, mag

    def transposed(self, y: np.ndarray) -> np.ndarray:
        """``A' y`` for all columns (extra first)."""
        return np.concatenate([self.extra.T @ y, self.ref @ y])


@dataclass(frozen=True)
class Certificate:
    """Outcome of a check: ``ok``, the objective it certifies and the measured defects."""

    ok: bool
    objective: float
    primal_residual: float
    gap: float
    reason: str = ""


def clip_to_bounds(lp: LPData, z: np.ndarray) -> np.ndarray:
    """The solution pushed into its column bounds (rounding noise below 0, excluded DMUs)."""
    return np.clip(np.asarray(z, dtype=float), 0.0, lp.col_hi)


def primal_residual(lp: LPData, z: np.ndarray) -> float:
    """Largest row violation of ``z`` relative to that row's magnitude (0 when feasible)."""
    az, mag = lp.activity(z)
    with np.errstate(invalid="ignore"):  # inf - inf cannot occur: az is finite
        viol = np.maximum(lp.row_lo - az, az - lp.row_hi)
    rows = np.flatnonzero(viol > 0)
    if rows.size == 0:
        return 0.0
    lo, hi = lp.row_lo[rows], lp.row_hi[rows]
    bound = np.maximum(
        np.where(np.isfinite(lo), np.abs(lo), 0.0), np.where(np.isfinite(hi), np.abs(hi), 0.0)
    )
    denom = mag[rows] + bound
    if lp.row_mag is not None:
        denom = denom + lp.row_mag[rows]
    with np.errstate(divide="ignore"):
        rel = np.where(denom > 0, viol[rows] / denom, np.inf)
    return float(rel.max())


def dual_bound(lp: LPData, y: np.ndarray) -> tuple[float, float]:
    """A rigorous lower bound on ``min c.z`` from row multipliers ``y``, and its magnitude.

    Multipliers whose sign needs an infinite row bound are set to zero (any ``y`` gives a
    valid bound; those would give ``-inf``).
    """
    y = np.asarray(y, dtype=float)
    b = np.where(y > 0, lp.row_lo, np.where(y < 0, lp.row_hi, 0.0))
    usable = np.isfinite(b)  # a sign needing an infinite bound: that multiplier is set to 0
    y = np.where(usable, y, 0.0)
    terms = y * np.where(usable, b, 0.0)
    d = lp.cost - lp.transposed(y)
    neg = np.flatnonzero(d < 0)
    cap = np.minimum(lp.cap[neg], lp.col_hi[neg])
    if not np.all(np.isfinite(cap)):
        return -np.inf, float(np.abs(terms).sum())
    col_terms = d[neg] * cap
    bound = float(terms.sum() + col_terms.sum())
    mag = float(np.abs(terms).sum() + np.abs(col_terms).sum())
    if lp.row_mag is not None:
        mag += float(np.abs(y) @ lp.row_mag)
    return bound, mag


def certify_optimal(
    lp: LPData,
    z: np.ndarray,
    y: np.ndarray,
    relative_to_objective: bool = False,
    offset: float = 0.0,
) -> Certificate:
    """Check a claimed optimum ``z`` with row duals ``y`` (primal residual and duality gap).

    The gap is relative to the larger of the objective and the dual objective's terms, or
    (``relative_to_objective``, for LPs whose objective gives the score) to ``|objective +
    offset|`` alone: a score is then certified to ``GAP_TOL`` of its own value. ``offset`` is
    what the score adds to the LP's objective (SBM's input-oriented score is ``1 -`` the
    slack term, its fixed ``t = 1`` being moved into the row bounds).
    """
    z = clip_to_bounds(lp, z)
    obj = float(lp.cost @ z)
    if not np.all(np.isfinite(z)) or not np.all(np.isfinite(y)):
        return Certificate(False, obj, np.inf, np.inf, "non-finite solution")
    resid = primal_residual(lp, z)
    bound, mag = dual_bound(lp, y)
    denom = max(abs(obj + offset) if relative_to_objective else max(abs(obj), mag), 1e-300)
    gap = max(obj - bound, 0.0) / denom if np.isfinite(bound) else np.inf
    reasons = []
    if resid > PRIMAL_TOL:
        reasons.append(f"primal residual {resid:.1e} (relative)")
    if gap > GAP_TOL:
        reasons.append(f"duality gap {gap:.1e} (relative)")
    return Certificate(not reasons, obj, resid, gap, "; ".join(reasons))


def certify_infeasible(lp: LPData, ray: np.ndarray) -> bool:
    """True if ``ray`` (either sign) is a Farkas certificate that the LP has no solution."""
    ray = np.asarray(ray, dtype=float)
    if ray.size != lp.row_lo.size or not np.all(np.isfinite(ray)):
        return False
    cap = np.minimum(lp.cap, lp.col_hi)
    for y in (ray, -ray):
        if np.any((y > 0) & ~np.isfinite(lp.row_lo)) or np.any((y < 0) & ~np.isfinite(lp.row_hi)):
            continue
        b = np.where(y > 0, lp.row_lo, np.where(y < 0, lp.row_hi, 0.0))
        row_min = float(np.sum(np.where(y == 0, 0.0, y * b)))
        h = lp.transposed(y)
        pos = h > 0
        if np.any(pos & ~np.isfinite(cap)):
            continue
        box_max = float(np.sum(np.where(pos, h * np.where(pos, cap, 0.0), 0.0)))
        scale = float(np.sum(np.abs(np.where(y == 0, 0.0, y * b))))
        if row_min - box_max > FARKAS_TOL * max(scale, 1e-300):
            return True
    return False


def row_spread(lp: LPData) -> float:
    """log10 of the largest ratio between nonzero coefficients of one row (a conditioning hint)."""
    a = np.hstack([lp.extra, lp.ref.T])
    worst = 0.0
    for row in np.abs(a):
        nz = row[row > 0]
        if nz.size:
            worst = max(worst, float(np.log10(nz.max() / nz.min())))
    return worst


def describe_dmus(
    x: np.ndarray, y: np.ndarray, names: list[str], labels: list[str], rows: list[int]
) -> str:
    """A diagnosis of uncertifiable DMUs: each one's most extreme variable and data spread.

    For every listed DMU (at most 10 shown): the variable whose value is farthest, in orders
    of magnitude, from that variable's median over all DMUs, and the overall spread of the data
    (log10 of the largest over the smallest positive value in a column, worst column).
    """
    data = np.hstack([x, y])
    with np.errstate(divide="ignore"):
        logs = np.log10(np.where(data > 0, data, np.nan))
    med = np.nanmedian(logs, axis=0)
    spread = np.nanmax(logs, axis=0) - np.nanmin(logs, axis=0)
    worst_col = int(np.nanargmax(spread))
    parts = []
    for r in rows[:10]:
        dev = np.abs(logs[r] - med)
        dev = np.where(np.isfinite(dev), dev, -1.0)
        c = int(np.argmax(dev))
        parts.append(
            f"{labels[r]!r} ({names[c]} = {data[r, c]:.3g}, 10^{logs[r, c] - med[c]:+.1f} times "
            "its median)"
        )
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return (
        f"DMUs {', '.join(parts)}{more}; the data span 10^{spread[worst_col]:.1f} in "
        f"{names[worst_col]}"
    )
