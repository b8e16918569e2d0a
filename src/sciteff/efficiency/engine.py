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
impossible scores on data spanning several orders of magnitude). Every solution is checked for
primal feasibility in the scaled space before it is reported.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

from sciteff.core.errors import SolverError

RTS_CHOICES = ("crs", "vrs", "nirs")
ORIENTATIONS = ("in", "out")

#: Absolute tolerance (on data scaled to mean 1) when re-checking a returned solution.
FEASIBILITY_TOL = 1e-6

_BANNER_SUPPRESSED = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    highspy prints a copyright banner on standard output the first time a ``Highs`` object is
    created in a process; the ``sciteff`` CLI writes CSV to standard output, so the banner is
    sent to ``/dev/null`` at the file-descriptor level for that first construction.
    """
    global _BANNER_SUPPRESSED
    if _BANNER_SUPPRESSED:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _BANNER_SUPPRESSED = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", 1)
    return h


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
    """One solved radial LP: status, the radial factor (theta or phi) and the lambdas."""

    status: str  # "optimal", "infeasible" or "unbounded"
    factor: float  # theta (input) or phi (output); nan unless optimal
    lambdas: np.ndarray | None  # weights on the reference DMUs; None unless optimal


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
        block = np.hstack([self.x_ref, self.y_ref])
        for j in range(n):
            nz = np.flatnonzero(block[j])
            index.extend(nz.tolist())
            value.extend(block[j, nz].tolist())
            if has_convexity:
                index.append(m + s)
                value.append(1.0)
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_ = n + 1
        lp.num_row_ = num_row
        sense = 1.0 if self.orientation == "in" else -1.0  # max phi == min -phi
        lp.col_cost_ = np.concatenate([[sense], np.zeros(n)])
        lp.col_lower_ = np.zeros(n + 1)
        lp.col_upper_ = np.full(n + 1, inf)
        row_lower = np.full(num_row, -inf)
        row_upper = np.full(num_row, inf)
        if self.orientation == "in":
            row_upper[:m] = 0.0
            row_lower[m : m + s] = 0.0
        else:
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
        if status != highspy.HighsStatus.kOk:
            raise SolverError(f"HiGHS rejected the DEA model ({status})")
        self._row_idx_in = np.arange(m, dtype=np.int32)
        self._row_idx_out = np.arange(m, m + s, dtype=np.int32)

    def exclude(self, j: int | None) -> None:
        """Remove reference DMU ``j`` (0-based) from the reference set by fixing its lambda to 0.

        Used for super-efficiency; ``None`` restores the previously excluded DMU.
        """
        if self._excluded is not None:
            self.h.changeColBounds(self._excluded + 1, 0.0, highspy.kHighsInf)
        self._excluded = j
        if j is not None:
            self.h.changeColBounds(j + 1, 0.0, 0.0)

    def solve(
        self, x0: np.ndarray, y0: np.ndarray, mask: np.ndarray | None = None
    ) -> RadialSolution:
        """Solve the LP for one DMU (scaled data); check the solution before returning it.

        ``mask`` (booleans over the inputs for input orientation, over the outputs for output
        orientation) restricts the radial movement to a sub-vector, holding the other
        variables at ``x0`` / ``y0``; the multi-stage slack method needs this.
        """
        h, m, s = self.h, self.m, self.s
        inf = highspy.kHighsInf
        x0 = np.asarray(x0, dtype=float)
        y0 = np.asarray(y0, dtype=float)
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
        self._mask = mk
        h.run()
        status = h.getModelStatus()
        ms = highspy.HighsModelStatus
        if status == ms.kUnboundedOrInfeasible:
            # Ambiguous answer: re-solve from scratch to tell the two apart.
            h.clearSolver()
            h.setOptionValue("presolve", "off")
            h.run()
            status = h.getModelStatus()
            h.setOptionValue("presolve", "choose")
        if status == ms.kInfeasible:
            return RadialSolution("infeasible", float("nan"), None)
        if status == ms.kUnbounded:
            return RadialSolution("unbounded", float("inf"), None)
        if status != ms.kOptimal:
            raise SolverError(f"HiGHS returned model status {h.modelStatusToString(status)}")
        col = np.asarray(h.getSolution().col_value, dtype=float)
        factor, lam = float(col[0]), col[1:]
        self._check(x0, y0, factor, lam)
        return RadialSolution("optimal", factor, lam)

    def _check(self, x0: np.ndarray, y0: np.ndarray, factor: float, lam: np.ndarray) -> None:
        """Refuse a solution that violates the LP's own constraints beyond tolerance."""
        tol = FEASIBILITY_TOL
        bad = not np.isfinite(factor) or factor < -tol or np.any(lam < -tol)
        if self._excluded is not None and lam[self._excluded] > tol:
            bad = True
        x_comb = lam @ self.x_ref
        y_comb = lam @ self.y_ref
        mk = self._mask
        if self.orientation == "in":
            x_rhs = np.where(mk, factor * x0, x0)
            bad = bad or np.any(x_comb - x_rhs > tol * (1 + np.abs(x_rhs)))
            bad = bad or np.any(y0 - y_comb > tol * (1 + np.abs(y0)))
        else:
            y_rhs = np.where(mk, factor * y0, y0)
            bad = bad or np.any(x_comb - x0 > tol * (1 + np.abs(x0)))
            bad = bad or np.any(y_rhs - y_comb > tol * (1 + np.abs(y_rhs)))
        total = lam.sum()
        if self.rts == "vrs":
            bad = bad or abs(total - 1) > tol
        elif self.rts == "nirs":
            bad = bad or total - 1 > tol
        if bad:
            raise SolverError(
                "HiGHS returned a DEA solution that violates its own constraints "
                f"(factor={factor!r}); refusing to report it"
            )
