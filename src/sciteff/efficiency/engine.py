"""The radial DEA linear programs, one reusable HiGHS model per (orientation, returns to scale).

Why a reusable model: a DEA run solves one LP per DMU, and all of them share the reference
technology (the lambda columns). Only the evaluated DMU's data change, and they enter the LP in
exactly ``m`` (input orientation) or ``s`` (output orientation) coefficients of the radial
column plus ``s`` (or ``m``) row bounds. :class:`RadialModel` builds the model once and changes
those few numbers per DMU through highspy's ``changeCoeff`` / ``changeRowsBounds``; HiGHS then
warm-starts each solve from the previous optimal basis.

Why scaling: scores are invariant to the units of each variable, but the simplex method is not
numerically invariant. Dividing every variable by its mean over the reference set keeps all
coefficients near 1 whatever the user's units are (DEAP 2.1 does not do this and prints
impossible scores on data spanning several orders of magnitude).

Why certification: the mean scaling suits the typical DMU, not one far below or above the
mean, for which HiGHS's absolute tolerances are loose. So every solution is certified relative
to the evaluated DMU's own magnitudes (:mod:`sciteff.efficiency.certify`: primal residuals and
a rigorous dual bound, or a Farkas certificate for an infeasible LP). A solution that fails is
re-solved with the DMU's own row scaling and then, if needed, exactly in rational arithmetic
(:mod:`sciteff.efficiency.fallback`); what cannot be certified raises
:class:`UncertifiedError`, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sciteff.core.errors import SolverError
from sciteff.efficiency.certify import LPData, certify_infeasible, certify_optimal
from sciteff.efficiency.fallback import polish, settle
from sciteff.efficiency.highs import new_highs, run_resolved

__all__ = ["new_highs"]

RTS_CHOICES = ("crs", "vrs", "nirs")
ORIENTATIONS = ("in", "out")

#: How far :meth:`RadialModel.solve` goes to certify an answer (see there).
EFFORTS = ("float", "rescaled", "exact")

#: Kept for callers of the former check (the certificates now use relative tolerances).
FEASIBILITY_TOL = 1e-6


class UncertifiedError(SolverError):
    """An LP whose answer could be certified neither in floating point nor exactly.

    ``rows`` lists the 0-based evaluated rows concerned (filled in by the caller that knows
    them); ``detail`` says why.
    """

    def __init__(self, detail: str, rows: list[int] | None = None) -> None:
        self.detail = detail
        self.rows = list(rows or [])
        super().__init__(detail)


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``; raise ValueError otherwise."""
    low = str(value).lower()
    if low not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return low


def scale_factors(*blocks: np.ndarray) -> np.ndarray:
    """Per-column positive scale factors: the mean of the column over the stacked ``blocks``.

    A column that is zero everywhere gets factor 1 (dividing by it is pointless and harmful).
    """
    stacked = np.vstack([np.asarray(b, dtype=float) for b in blocks])
    mean = np.abs(stacked).mean(axis=0) if stacked.shape[0] else np.ones(stacked.shape[1])
    return np.where(mean > 0, mean, 1.0)


@dataclass(frozen=True)
class RadialSolution:
    """One solved radial LP: status, the radial factor (theta or phi) and the lambdas.

    ``certified`` says how the answer was certified: "float" (HiGHS's solution passed the
    checks), "rescaled" or "exact" (see :mod:`sciteff.efficiency.fallback`).
    """

    status: str  # "optimal", "infeasible" or "unbounded"
    factor: float  # theta (input) or phi (output); nan unless optimal
    lambdas: np.ndarray | None  # weights on the reference DMUs; None unless optimal
    certified: str = "float"


def lambda_caps(
    ref_x: np.ndarray, rhs_x: np.ndarray, convexity: bool, excluded: int | None
) -> np.ndarray:
    """Upper bounds on each lambda implied by ``sum_j lambda_j x_j <= rhs_x`` (and convexity).

    ``rhs_x`` may contain inf (an input row without a finite bound). Valid for every feasible
    point of the region the certificate covers; used to keep dual bounds finite.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(ref_x > 0, rhs_x[None, :] / ref_x, np.inf)
    cap = ratios.min(axis=1) if ratios.shape[1] else np.full(ref_x.shape[0], np.inf)
    if convexity:
        cap = np.minimum(cap, 1.0)
    if excluded is not None:
        cap[excluded] = 0.0
    return cap


def append_lambda_columns(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    convexity: bool,
    starts: list[int],
    index: list[int],
    value: list[float],
) -> None:
    """Append the lambda columns of a DEA LP to a column-wise (CSC) matrix being built.

    Column j holds reference DMU j's inputs in rows 0..m-1, its outputs in rows m..m+s-1
    (zeros left out) and, with ``convexity`` (VRS, NIRS), a 1 in row m+s. Shared by the
    radial and the slack models so both describe the same technology.
    """
    n = x_ref.shape[0]
    block = np.hstack([x_ref, y_ref] + ([np.ones((n, 1))] if convexity else []))
    nonzero = block != 0
    _, rows = np.nonzero(nonzero)  # column by column, rows ascending (convexity row last)
    offset = len(index)
    index.extend(rows.tolist())
    value.extend(block[nonzero].tolist())
    starts.extend((offset + np.cumsum(nonzero.sum(axis=1))).tolist())


class RadialModel:
    """The envelopment LP of one (orientation, RTS) pair against a fixed reference set.

    Column 0 is the radial factor (theta for input orientation, phi for output orientation);
    columns 1..n are the lambda weights of the ``n`` reference DMUs. Rows 0..m-1 are inputs,
    rows m..m+s-1 outputs, and row m+s (VRS, NIRS only) is ``sum lambda = 1`` or ``<= 1``.

    Input orientation, for a DMU (x0, y0):   min theta
        sum_j lambda_j x_ij - theta x0_i <= 0       (coefficient -x0_i changes per DMU)
        sum_j lambda_j y_rj             >= y0_r     (row bound changes per DMU)
    Output orientation:                      max phi
        sum_j lambda_j x_ij             <= x0_i     (row bound changes per DMU)
        sum_j lambda_j y_rj - phi y0_r  >= 0        (coefficient -y0_r changes per DMU)

    All data handed to this class must already be scaled (see :func:`scale_factors`).
    """

    def __init__(
        self, x_ref: np.ndarray, y_ref: np.ndarray, *, rts: str = "crs", orientation: str = "in"
    ) -> None:
        self.rts = check_choice("rts", rts, RTS_CHOICES)
        self.orientation = check_choice("orientation", orientation, ORIENTATIONS)
        self.x_ref = np.ascontiguousarray(x_ref, dtype=float)
        self.y_ref = np.ascontiguousarray(y_ref, dtype=float)
        self.n, self.m = self.x_ref.shape
        self.s = self.y_ref.shape[1]
        self.h = new_highs()
        self._build()
        self._excluded: int | None = None
        cols = [self.x_ref, self.y_ref]
        if self.rts in ("vrs", "nirs"):
            cols.append(np.ones((self.n, 1)))
        self._ref_block = np.hstack(cols)  # n x k: lambda_j's coefficients in the k rows
        self._ref_abs = np.abs(self._ref_block)
        self._cost = np.zeros(self.n + 1)
        self._cost[0] = 1.0 if self.orientation == "in" else -1.0
        self._col_hi = np.full(self.n + 1, np.inf)  # 0 for the excluded DMU

    def _build(self) -> None:
        n, m, s = self.n, self.m, self.s
        inf = highspy.kHighsInf
        has_convexity = self.rts in ("vrs", "nirs")
        num_row = m + s + (1 if has_convexity else 0)
        starts = [0]
        index: list[int] = []
        value: list[float] = []
        # Column 0: the radial factor, with placeholder coefficients -1 (replaced per DMU).
        radial_rows = range(m) if self.orientation == "in" else range(m, m + s)
        for r in radial_rows:
            index.append(r)
            value.append(-1.0)
        starts.append(len(index))
        append_lambda_columns(self.x_ref, self.y_ref, has_convexity, starts, index, value)
        lp = highspy.HighsLp()
        lp.num_col_ = n + 1
        lp.num_row_ = num_row
        sense = 1.0 if self.orientation == "in" else -1.0  # max phi == min -phi
        lp.col_cost_ = np.concatenate([[sense], np.zeros(n)])
        lp.col_lower_ = np.zeros(n + 1)
        lp.col_upper_ = np.full(n + 1, inf)
        row_lower = np.full(num_row, -inf)
        row_upper = np.full(num_row, inf)
        row_upper[:m] = 0.0
        row_lower[m : m + s] = 0.0
        if has_convexity:
            row_upper[m + s] = 1.0
            row_lower[m + s] = 1.0 if self.rts == "vrs" else -inf
        lp.row_lower_ = row_lower
        lp.row_upper_ = row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value, dtype=float)
        status = self.h.passModel(lp)
        if status == highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS rejected the DEA model ({status})")
        # A warning means HiGHS dropped coefficients below 1e-12: its answers would be for
        # another technology, so every LP goes straight to the rescaled / exact solve.
        self.fast = status == highspy.HighsStatus.kOk
        self._row_idx_in = np.arange(m, dtype=np.int32)
        self._row_idx_out = np.arange(m, m + s, dtype=np.int32)

    def exclude(self, j: int | None) -> None:
        """Remove reference DMU ``j`` (0-based) from the reference set by fixing its lambda to 0.

        Used for super-efficiency; ``None`` restores the previously excluded DMU.
        """
        if self._excluded is not None:
            self.h.changeColBounds(self._excluded + 1, 0.0, highspy.kHighsInf)
            self._col_hi = self._col_hi.copy()  # LPData handed out earlier keep theirs
            self._col_hi[self._excluded + 1] = np.inf
        self._excluded = j
        if j is not None:
            self.h.changeColBounds(j + 1, 0.0, 0.0)
            self._col_hi = self._col_hi.copy()
            self._col_hi[j + 1] = 0.0

    def lp_data(
        self, x0: np.ndarray, y0: np.ndarray, mk: np.ndarray, factor: float = np.inf
    ) -> LPData:
        """The current LP for the certificates, with column caps valid where they are needed.

        ``factor`` is the reported radial factor (input orientation: the caps hold on the
        region theta <= 2 theta + 1, which contains the optimum unless the reported theta is
        below it, and that is what the primal check rules out).
        """
        m, s = self.m, self.s
        conv = self.rts in ("vrs", "nirs")
        k = m + s + int(conv)
        extra = np.zeros((k, 1))
        row_lo = np.full(k, -np.inf)
        row_hi = np.full(k, np.inf)
        if self.orientation == "in":
            a = np.where(mk, x0, 0.0)
            extra[:m, 0] = -a
            row_hi[:m] = np.where(mk, 0.0, x0)
            row_lo[m : m + s] = y0
            f_cap = 2.0 * factor + 1.0 if np.isfinite(factor) else np.inf
            rhs = row_hi[:m].copy()
            rhs[a > 0] += a[a > 0] * f_cap
            lam_cap = lambda_caps(self.x_ref, rhs, conv, self._excluded)
        else:
            a = np.where(mk, y0, 0.0)
            extra[m : m + s, 0] = -a
            row_hi[:m] = x0
            row_lo[m : m + s] = np.where(mk, 0.0, y0)
            lam_cap = lambda_caps(self.x_ref, x0, conv, self._excluded)
            reach = np.where(np.isfinite(lam_cap), lam_cap, 0.0) @ self.y_ref
            ok = a > 0
            f_cap = float(np.min(reach[ok] / a[ok])) if ok.any() else np.inf
            if not np.all(np.isfinite(lam_cap)):
                f_cap = np.inf
        if conv:
            row_hi[k - 1] = 1.0
            row_lo[k - 1] = 1.0 if self.rts == "vrs" else -np.inf
        cap = np.concatenate([[f_cap], lam_cap])
        return LPData(
            self._cost, extra, self._ref_block, row_lo, row_hi, self._col_hi, cap, self._ref_abs
        )

    def row_scale(self, x0: np.ndarray, y0: np.ndarray) -> np.ndarray:
        """The evaluated DMU's own magnitude in each row (for the rescaled re-solve)."""
        ymax = self.y_ref.max(axis=0) if self.n else np.ones(self.s)
        out_scale = np.where(y0 > 0, y0, np.where(ymax > 0, ymax, 1.0))
        parts = [np.where(x0 > 0, x0, 1.0), out_scale]
        if self.rts in ("vrs", "nirs"):
            parts.append(np.ones(1))
        return np.concatenate(parts)

    def solve(
        self,
        x0: np.ndarray,
        y0: np.ndarray,
        mask: np.ndarray | None = None,
        *,
        effort: str = "exact",
    ) -> RadialSolution:
        """Solve the LP for one DMU (scaled data) and certify the answer before returning it.

        ``mask`` (booleans over the inputs for input orientation, over the outputs for output
        orientation) restricts the radial movement to a sub-vector, holding the other
        variables at ``x0`` / ``y0``; the multi-stage slack method needs this. Raises
        :class:`UncertifiedError` when no certified answer can be had. ``effort`` says how far
        to go for one (:data:`EFFORTS`): "exact" (default) all the way; "rescaled" skips the
        exact solve and "float" also the rescaled re-solve, raising UncertifiedError instead
        (for callers with a cheaper alternative).
        """
        h, m, s = self.h, self.m, self.s
        inf = highspy.kHighsInf
        x0 = np.asarray(x0, dtype=float)
        y0 = np.asarray(y0, dtype=float)
        if not self.fast:
            size = m if self.orientation == "in" else s
            mk = np.ones(size, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
            return self._settle(x0, y0, mk)
        if self.orientation == "in":
            mk = np.ones(m, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
            for i in range(m):
                h.changeCoeff(i, 0, -float(x0[i]) if mk[i] else 0.0)
            h.changeRowsBounds(m, self._row_idx_in, np.full(m, -inf), np.where(mk, 0.0, x0))
            h.changeRowsBounds(s, self._row_idx_out, y0, np.full(s, inf))
        else:
            mk = np.ones(s, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
            for r in range(s):
                h.changeCoeff(m + r, 0, -float(y0[r]) if mk[r] else 0.0)
            h.changeRowsBounds(m, self._row_idx_in, np.full(m, -inf), x0)
            h.changeRowsBounds(s, self._row_idx_out, np.where(mk, 0.0, y0), np.full(s, inf))
        h.run()
        status = run_resolved(h)  # an ambiguous answer re-solved from scratch
        ms = highspy.HighsModelStatus
        if status == ms.kUnbounded:
            # Only ever accepted by the callers where it is true by construction (an
            # output-orientated DMU with zero outputs); they raise otherwise.
            return RadialSolution("unbounded", float("inf"), None)
        if status == ms.kOptimal:
            sol = h.getSolution()
            col = np.asarray(sol.col_value, dtype=float)
            lp = self.lp_data(x0, y0, mk, max(float(col[0]), 0.0))
            cert = certify_optimal(lp, col, np.asarray(sol.row_dual, dtype=float), True)
            polished = None
            if not cert.ok:
                # HiGHS's point misses the relative tolerances: its basis, re-solved here.
                def accept(z: np.ndarray, y: np.ndarray) -> bool:
                    at = self.lp_data(x0, y0, mk, max(float(z[0]), 0.0))
                    return certify_optimal(at, z, y, True).ok

                polished = polish(h, lp, accept)
                if polished is not None:
                    col = polished
                    lp = self.lp_data(x0, y0, mk, max(float(col[0]), 0.0))
            if cert.ok or polished is not None:
                col = np.clip(col, 0.0, lp.col_hi)
                return RadialSolution("optimal", float(col[0]), col[1:])
        elif status == ms.kInfeasible:
            _, has_ray, ray = h.getDualRay()
            if has_ray and certify_infeasible(self.lp_data(x0, y0, mk), np.asarray(ray)):
                return RadialSolution("infeasible", float("nan"), None)
        if effort == "float":
            raise UncertifiedError("not certified in floating point")
        return self._settle(x0, y0, mk, exact=effort == "exact")

    def _settle(
        self, x0: np.ndarray, y0: np.ndarray, mk: np.ndarray, exact: bool = True
    ) -> RadialSolution:
        """Rescaled, then exact re-solve of an LP whose fast answer was not certified."""

        def make_lp(z: np.ndarray | None) -> LPData:
            return self.lp_data(x0, y0, mk, np.inf if z is None else max(float(z[0]), 0.0))

        done = settle(
            make_lp, self.row_scale(x0, y0), new_highs, relative_to_objective=True, exact=exact
        )
        if done.status == "optimal" and done.z is not None:
            factor = float(done.z[0])
            return RadialSolution("optimal", factor, done.z[1:], done.how)
        if done.status == "infeasible":
            return RadialSolution("infeasible", float("nan"), None, done.how)
        if done.status == "unbounded":
            return RadialSolution("unbounded", float("inf"), None, done.how)
        raise UncertifiedError(f"DEA LP could not be certified: {done.how}")
