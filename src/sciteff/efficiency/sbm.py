"""Slacks-based measure (Tone 2001), super-SBM (Tone 2002) and SBM with undesirable outputs.

SBM (Tone 2001, EJOR 130: 498-509), for DMU o with inputs x_o, good outputs y_o and (optionally)
undesirable outputs b_o (Tone 2004, "Dealing with undesirable outputs in DEA: a slacks-based
measure (SBM) approach"; Cooper, Seiford and Tone 2007, section 13.7)::

    rho = min (1 - 1/m sum_i s-_i/x_io) / (1 + 1/(s1+s2) (sum_r s+_r/y_ro + sum_k sb_k/b_ko))
    s.t.  x_o = X lambda + s-,   y_o = Y lambda - s+,   b_o = B lambda + sb,   lambda, s >= 0
          (VRS: sum lambda = 1)

Input orientation keeps only the numerator (``rho_I = 1 - 1/m sum s-/x``), output orientation
only the denominator (``rho_O = 1 / (1 + 1/(s1+s2) sum ...)``). The fractional program is solved
as Tone's linear program after the Charnes-Cooper transformation (t > 0, Lambda = t lambda,
S = t s): ``min t - 1/m sum S-/x_o  s.t.  t + 1/(s1+s2) sum (S+/y_o + Sb/b_o) = 1``, the
constraints multiplied by t, and ``sum Lambda = t`` under VRS.

In the oriented models the slacks that are not in the objective are not determined by the
score; a second LP, holding the score exactly (a tolerance there would let it trade the score's
last digits for slack: slacks were 1e-9 off), maximises them (sum of slack / data), so the
targets ``x_o - s-``, ``y_o + s+``, ``b_o - sb`` are Pareto-efficient.

Every solution is checked in the original variables. HiGHS's feasibility tolerance (1e-7) is
divided by t when the Charnes-Cooper variables are turned back, so on badly scaled data (a
tiny t) a solution can fail the check; such an LP is solved once more from scratch with
tolerances of 1e-10 (:func:`~sciteff.efficiency.highs.tightened`), and a second failure is an
error, never a number.

Super-SBM (Tone 2002, EJOR 143: 32-41) ranks the SBM-efficient DMUs: o is left out of the
reference set and moved to the least distant point (x_bar, y_bar, b_bar) of the remaining
technology with x_bar >= x_o, 0 <= y_bar <= y_o, b_bar >= b_o::

    delta = min (1/m sum x_bar_i / x_io) / (1/(s1 + s2) (sum y_bar_r / y_ro + sum b_ko / b_bar_k))

written, as in the literature on super-SBM with undesirable outputs, with the super-slacks
t- = x_bar - x_o, t+ = y_o - y_bar, tb = b_bar - b_o as
``(1 + 1/m sum t-/x_o) / (1 - 1/(s1+s2) (sum t+/y_o + sum tb/b_o))``. Input orientation fixes
the outputs (delta_I = 1 + 1/m sum t-/x_o), output orientation the inputs. Oriented VRS
super-SBM LPs can be infeasible: that is a status value ("infeasible", score NaN). The reported
``super_sbm`` is delta for SBM-efficient DMUs and the SBM score otherwise.

Zeros (Tone 2001, section 2, as R deaR 1.5.3 implements it): a zero input of the evaluated DMU
drops its term from the objective (the mean is over the DMU's non-zero inputs); a zero output
(good or bad) is replaced by 1/100 of the smallest positive value of that output, so that its
slack still counts as a penalty. Super-SBM also replaces zero inputs that way (deaR's
``model_sbmsupereff``). Negative data are an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.efficiency.engine import check_choice, new_highs, scale_factors
from sciteff.efficiency.highs import run_resolved, tightened
from sciteff.efficiency.validate import locator, validate_dea_data

SBM_ORIENTATIONS = ("in", "out", "non")
SBM_RTS = ("crs", "vrs")

#: An SBM score at or above 1 - EFFICIENT_TOL counts as SBM-efficient (super-SBM is solved).
EFFICIENT_TOL = 1e-7

#: Tolerance (on data scaled to mean 1) when re-checking a returned solution.
CHECK_TOL = 1e-6

#: Zero outputs are replaced by this fraction of the output's smallest positive value.
ZERO_OUTPUT_FRACTION = 0.01


@dataclass(frozen=True)
class SbmData:
    """Validated SBM data: inputs, good outputs, undesirable outputs (rows = DMUs), labels."""

    x: np.ndarray
    y: np.ndarray
    b: np.ndarray
    labels: list[str]
    warnings: list[str]


def validate_sbm_data(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    undesirable: Sequence[str] = (),
    *,
    dmu: str | None = None,
    file: str | None = None,
) -> SbmData:
    """Check an SBM table with the one validation policy of :mod:`sciteff.efficiency.validate`
    under Tone's zero convention (negative values are errors; zeros are accepted, see the module
    docstring). Beyond it, SBM needs a non-zero input in every DMU and a non-zero value somewhere
    in every output (the zero-output replacement scales by the smallest positive value).
    Undesirable outputs are checked as outputs."""
    inputs, outputs, undesirable = list(inputs), list(outputs), list(undesirable)
    if len(set(undesirable)) != len(undesirable):
        raise InputError("an undesirable output is named twice", file=file)
    for name in undesirable:
        if name in inputs:
            raise InputError("a column cannot be an input and an undesirable output", column=name)
    good = [c for c in outputs if c not in undesirable]
    if not good:
        raise InputError("SBM needs at least one desirable output", file=file)
    x, yb, labels, warnings = validate_dea_data(
        data, inputs, good + undesirable, dmu=dmu, file=file, convention="tone"
    )
    locate = locator(data, file)
    for pos in np.flatnonzero(~np.any(x > 0, axis=1)):
        raise InputError(
            f"DMU {labels[pos]!r}: all inputs are zero (SBM drops a zero input's term from "
            "the score, Tone 2001, so at least one input must be positive)",
            **locate(int(pos)),  # type: ignore[arg-type]
        )
    for r, name in enumerate(good + undesirable):
        if len(labels) and not np.any(yb[:, r] > 0):
            raise InputError("output is zero for every DMU", file=file, column=name)
    return SbmData(x, yb[:, : len(good)], yb[:, len(good) :], labels, warnings)


def _replace_zero_outputs(a: np.ndarray) -> np.ndarray:
    """Zeros of each column replaced by ZERO_OUTPUT_FRACTION of its smallest positive value."""
    a = a.copy()
    for r in range(a.shape[1]):
        col = a[:, r]
        pos = col[col > 0]
        if pos.size:
            col[col == 0] = ZERO_OUTPUT_FRACTION * pos.min()
    return a


def _status(h: highspy.Highs) -> str:
    """ "optimal" or "infeasible" for the last run (an ambiguous answer re-solved)."""
    ms = highspy.HighsModelStatus
    status = run_resolved(h)
    if status == ms.kOptimal:
        return "optimal"
    if status == ms.kInfeasible:
        return "infeasible"
    raise SolverError(f"HiGHS returned model status {h.modelStatusToString(status)}")


def _pass(h: highspy.Highs, cost, lower, upper, row_lower, row_upper, dense: np.ndarray) -> None:
    """Pass a column-wise LP with the dense constraint matrix ``dense`` (rows x cols)."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = dense.shape[1], dense.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    starts, index, value = [0], [], []
    for j in range(dense.shape[1]):
        # Keep explicit zeros in the per-DMU column 0 so changeCoeff always finds an entry.
        nz = np.arange(dense.shape[0]) if j == 0 else np.flatnonzero(dense[:, j])
        index.extend(nz.tolist())
        value.extend(dense[nz, j].tolist())
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    if h.passModel(lp) != highspy.HighsStatus.kOk:
        raise SolverError("HiGHS rejected the SBM model")


class _ToneLp:
    """The layout Tone's SBM and super-SBM LPs share (Charnes-Cooper form, one model per
    reference set, updated per evaluated DMU).

    Columns: t, Lambda_1..n, then one slack block per kind of variable (inputs, good outputs,
    bad outputs; SBM's slacks S or super-SBM's super-slacks T, times t). Rows: 0 the
    normalisation, then one row per input, good output and bad output holding ``-t v_o`` in
    column 0 (set by :meth:`_set_dmu`), the data in the Lambda columns and the slack with
    ``slack_sign`` (SBM: +S-, -S+, +Sb; super-SBM the opposite); a model's own rows follow,
    and under VRS the last row is ``sum Lambda - t = 0``.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, b: np.ndarray, rts: str, orient: str):
        self.x, self.y, self.b = x, y, b
        n, m = x.shape
        s1, s2 = y.shape[1], b.shape[1]
        self.n, self.m, self.s1, self.s2 = n, m, s1, s2
        self.rts, self.orient = rts, orient
        self.ncol = 1 + n + m + s1 + s2
        self.c_lam, self.c_in, self.c_good, self.c_bad = 1, 1 + n, 1 + n + m, 1 + n + m + s1
        self.r_in, self.r_good, self.r_bad = 1, 1 + m, 1 + m + s1
        self.r_own = 1 + m + s1 + s2  # the first row of the model's own rows

    def _matrix(self, own_rows: int, slack_sign: float) -> np.ndarray:
        """The dense constraint matrix with the shared rows filled (``own_rows`` left 0)."""
        n, m, s1, s2 = self.n, self.m, self.s1, self.s2
        a = np.zeros((self.r_own + own_rows + (1 if self.rts == "vrs" else 0), self.ncol))
        a[0, 0] = 1.0
        lam = slice(self.c_lam, self.c_lam + n)
        for row, col, data, k, sign in (
            (self.r_in, self.c_in, self.x, m, slack_sign),
            (self.r_good, self.c_good, self.y, s1, -slack_sign),
            (self.r_bad, self.c_bad, self.b, s2, slack_sign),
        ):
            a[row : row + k, lam] = data.T
            a[row : row + k, col : col + k] = sign * np.eye(k)
        if self.rts == "vrs":
            a[-1, lam] = 1.0
            a[-1, 0] = -1.0
        return a

    def _set_dmu(self, o: int) -> None:
        """Column 0 of the data rows: ``-v_o`` for DMU ``o``'s inputs and outputs."""
        h = self.h
        for row, values in (
            (self.r_in, self.x[o]),
            (self.r_good, self.y[o]),
            (self.r_bad, self.b[o]),
        ):
            for k, value in enumerate(values):
                h.changeCoeff(row + k, 0, -float(value))

    def _out_weights(self, o: int) -> np.ndarray:
        """``1/(s1+s2) (1/y_o, 1/b_o)``: the output side of Tone's ratio."""
        return np.concatenate([1.0 / self.y[o], 1.0 / self.b[o]]) / (self.s1 + self.s2)

    def _per_unit(self, col: np.ndarray, o: int, what: str) -> tuple[np.ndarray, ...]:
        """(lambda, input, good and bad slacks) of a solution, undoing the t scaling."""
        t = col[0]
        if not t > 0:
            raise SolverError(f"the {what} LP of reference row {o + 1} returned t = {t!r}")
        n, m, s1, s2 = self.n, self.m, self.s1, self.s2
        return (
            col[self.c_lam : self.c_lam + n] / t,
            col[self.c_in : self.c_in + m] / t,
            col[self.c_good : self.c_good + s1] / t,
            col[self.c_bad : self.c_bad + s2] / t,
        )

    def _set_cost(self, cost: np.ndarray) -> None:
        self.h.changeColsCost(self.ncol, np.arange(self.ncol, dtype=np.int32), cost)

    def _off_technology(self, lam: np.ndarray) -> bool:
        """True when ``lam`` breaks the VRS convexity row (always False under CRS)."""
        return self.rts == "vrs" and abs(lam.sum() - 1) > CHECK_TOL


class _SbmModel(_ToneLp):
    """Tone's SBM LP against a fixed reference set: slacks S-, S+, Sb; the normalisation
    ``t + sum w+ S+ + sum wb Sb = 1``; data rows ``= 0``; the objective as a row (own row, for
    the second stage)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, b: np.ndarray, rts: str, orient: str):
        super().__init__(x, y, b, rts, orient)
        self.r_obj = self.r_own
        a = self._matrix(own_rows=1, slack_sign=1.0)
        a[self.r_obj, 0] = 1.0
        # Placeholders (changed per DMU) so the entries exist in the sparse matrix.
        a[0, self.c_good : self.c_bad + self.s2] = 1.0
        a[self.r_obj, self.c_in : self.c_in + self.m] = -1.0
        inf = highspy.kHighsInf
        nrow, ncol = a.shape
        row_lo = np.zeros(nrow)
        row_hi = np.zeros(nrow)
        row_lo[0] = row_hi[0] = 1.0
        row_lo[self.r_obj], row_hi[self.r_obj] = -inf, inf
        lower = np.zeros(ncol)
        upper = np.full(ncol, inf)
        if orient == "in":
            lower[0] = upper[0] = 1.0  # t = 1: rho_I is linear
        self.h = new_highs()
        _pass(self.h, np.zeros(ncol), lower, upper, row_lo, row_hi, a)

    def solve(self, o: int) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """SBM score, lambdas and the slacks (s-, s+, sb) of reference DMU ``o``."""
        h, m, s2 = self.h, self.m, self.s2
        x0 = self.x[o]
        inf = highspy.kHighsInf
        self._set_dmu(o)
        nz_in = x0 > 0
        w_in = np.where(nz_in, 1.0 / np.where(nz_in, x0, 1.0), 0.0) / nz_in.sum()
        w_out = self._out_weights(o)
        use_in = self.orient in ("in", "non")
        use_out = self.orient in ("out", "non")
        for i in range(m):
            h.changeCoeff(self.r_obj, self.c_in + i, -float(w_in[i]) if use_in else 0.0)
        for r in range(len(w_out)):
            h.changeCoeff(0, self.c_good + r, float(w_out[r]) if use_out else 0.0)
        cost = np.zeros(self.ncol)
        cost[0] = 1.0
        if use_in:
            cost[self.c_in : self.c_in + m] = -w_in
        self._set_cost(cost)
        h.changeRowBounds(self.r_obj, -inf, inf)
        h.run()
        if _status(h) != "optimal":
            raise SolverError(f"the SBM LP of reference row {o + 1} is not optimal")
        col = np.asarray(h.getSolution().col_value, dtype=float)
        rho = float(h.getInfo().objective_function_value)
        if self.orient != "non":
            # Second stage: hold the score, maximise the slacks left out of the objective.
            h.changeRowBounds(self.r_obj, -inf, rho)
            cost2 = np.zeros(self.ncol)
            if self.orient == "in":
                cost2[self.c_good : self.c_bad + s2] = -w_out
            else:
                cost2[self.c_in : self.c_in + m] = -np.where(nz_in, 1.0 / np.maximum(x0, 1e-300), 0)
            self._set_cost(cost2)
            h.run()
            if _status(h) != "optimal":
                raise SolverError(f"the SBM second-stage LP of reference row {o + 1} failed")
            col = np.asarray(h.getSolution().col_value, dtype=float)
            h.changeRowBounds(self.r_obj, -inf, inf)
        lam, sm, sp, sb = self._per_unit(col, o, "SBM")
        implied = (1 - (w_in @ sm if use_in else 0.0)) / (
            1 + (w_out @ np.concatenate([sp, sb]) if use_out else 0.0)
        )
        self._check(o, lam, sm, sp, sb, implied, rho)
        return rho, lam, sm, sp, sb

    def _check(self, o, lam, sm, sp, sb, score, rho) -> None:
        """Refuse a solution that breaks the SBM constraints (checked in the original form)."""
        tol = CHECK_TOL
        x0, y0, b0 = self.x[o], self.y[o], self.b[o]
        bad = np.any(lam < -tol) or np.any(sm < -tol) or np.any(sp < -tol) or np.any(sb < -tol)
        bad = bad or np.any(np.abs(lam @ self.x + sm - x0) > tol * (1 + x0))
        bad = bad or np.any(np.abs(lam @ self.y - sp - y0) > tol * (1 + y0))
        bad = bad or np.any(np.abs(lam @ self.b + sb - b0) > tol * (1 + b0))
        bad = bad or self._off_technology(lam)
        # The score the slacks imply must be the LP optimum (the second stage holds it).
        bad = bad or not (-tol < score <= 1 + tol) or abs(score - rho) > tol
        if bad:
            raise SolverError(
                f"HiGHS returned an SBM solution for reference row {o + 1} that violates its "
                "constraints; refusing to report it"
            )


class _SuperSbmModel(_ToneLp):
    """Tone's super-SBM LP for DMU o, o left out of the reference set (lambda_o fixed at 0).

    Super-slacks T-, T+, Tb; the normalisation ``t - sum w+ T+ - sum wb Tb = 1``; inputs
    ``X Lambda - T- - t x_o <= 0``; good outputs ``Y Lambda + T+ - t y_o >= 0``; bad outputs
    ``B Lambda - Tb - t b_o <= 0``; own rows: caps ``T+ - t y_o <= 0`` (y_bar >= 0).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, b: np.ndarray, rts: str, orient: str):
        super().__init__(x, y, b, rts, orient)
        m, s1, s2 = self.m, self.s1, self.s2
        self.r_cap = self.r_own
        inf = highspy.kHighsInf
        a = self._matrix(own_rows=s1, slack_sign=-1.0)
        a[0, self.c_good : self.c_bad + s2] = -1.0  # placeholders
        a[self.r_cap : self.r_cap + s1, self.c_good : self.c_good + s1] = np.eye(s1)
        nrow, ncol = a.shape
        row_lo = np.full(nrow, -inf)
        row_hi = np.zeros(nrow)
        row_lo[0] = row_hi[0] = 1.0
        row_lo[self.r_good : self.r_good + s1] = 0.0
        row_hi[self.r_good : self.r_good + s1] = inf
        if rts == "vrs":
            row_lo[-1] = 0.0
        lower = np.zeros(ncol)
        upper = np.full(ncol, inf)
        if orient == "in":
            upper[self.c_good : self.c_bad + s2] = 0.0  # outputs held at y_o, b_o
        elif orient == "out":
            upper[self.c_in : self.c_in + m] = 0.0  # inputs held at x_o
        if orient != "non":
            lower[0] = upper[0] = 1.0
        self.h = new_highs()
        _pass(self.h, np.zeros(ncol), lower, upper, row_lo, row_hi, a)

    def solve(self, o: int) -> tuple[str, float]:
        """("optimal", delta) or ("infeasible", nan) for reference DMU ``o``."""
        h, m = self.h, self.m
        x0, y0, b0 = self.x[o], self.y[o], self.b[o]
        self._set_dmu(o)
        for r in range(self.s1):
            h.changeCoeff(self.r_cap + r, 0, -float(y0[r]))
        w_in = 1.0 / (m * x0)
        w_out = self._out_weights(o)
        norm_out = self.orient == "non"
        for r in range(len(w_out)):
            h.changeCoeff(0, self.c_good + r, -float(w_out[r]) if norm_out else 0.0)
        cost = np.zeros(self.ncol)
        if self.orient == "out":
            cost[self.c_good : self.c_bad + self.s2] = w_out  # min sum w T -> delta = 1/(1 - min)
        else:
            cost[0] = 1.0
            cost[self.c_in : self.c_in + m] = w_in
        self._set_cost(cost)
        h.changeColBounds(self.c_lam + o, 0.0, 0.0)
        try:
            h.run()
            status = _status(h)
            if status != "optimal":
                return "infeasible", float("nan")
            col = np.asarray(h.getSolution().col_value, dtype=float)
        finally:
            h.changeColBounds(self.c_lam + o, 0.0, highspy.kHighsInf)
        lam, tm, tp, tb = self._per_unit(col, o, "super-SBM")
        shrink = w_out @ np.concatenate([tp, tb])
        if self.orient != "in" and shrink >= 1 - 1e-12:
            # Every output would have to vanish: Tone's ratio has no positive denominator.
            return "infeasible", float("nan")
        if self.orient == "in":
            delta = 1 + w_in @ tm
        elif self.orient == "out":
            delta = 1 / (1 - shrink)
        else:
            delta = (1 + w_in @ tm) / (1 - shrink)
        tol = CHECK_TOL
        bad = np.any(col < -tol) or abs(lam[o]) > tol or not np.isfinite(delta) or delta < 1 - tol
        bad = bad or np.any(lam @ self.x - x0 - tm > tol * (1 + x0))
        bad = bad or np.any(y0 - tp - lam @ self.y > tol * (1 + y0))
        bad = bad or np.any(lam @ self.b - b0 - tb > tol * (1 + b0))
        bad = bad or np.any(tp - y0 > tol * (1 + y0))
        bad = bad or self._off_technology(lam)
        if bad:
            raise SolverError(
                f"HiGHS returned a super-SBM solution for reference row {o + 1} that violates "
                "its constraints; refusing to report it"
            )
        return "optimal", float(delta)


def _checked(model: _SbmModel | _SuperSbmModel, o: int) -> tuple:
    """``model.solve(o)``, solved once more with tight tolerances from scratch when HiGHS's
    answer fails its checks (measured on 900 random badly scaled runs: 13 LPs needed it, all
    passed then); a second failure is the error."""
    try:
        return model.solve(o)
    except SolverError:
        with tightened(model.h):
            return model.solve(o)


def sbm(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    *,
    orientation: str = "non",
    rts: str = "crs",
    undesirable: Sequence[str] = (),
    super_sbm: bool = False,
    file: str | None = None,
) -> pd.DataFrame:
    """SBM scores, slacks and targets of every DMU against all DMUs, in input order.

    ``orientation`` is "in", "out" or "non" (non-oriented, Tone's SBM proper); ``rts`` "crs" or
    "vrs". ``undesirable`` names outputs to treat as bad (they may also appear in ``outputs``).
    Columns: ``dmu, sbm``, ``slack_<var>`` then ``target_<var>`` for inputs, desirable and
    undesirable outputs (targets: x - s-, y + s+, b - sb); with ``super_sbm``, also
    ``super_sbm`` (Tone's super-SBM for SBM-efficient DMUs, the SBM score otherwise),
    ``efficient`` and ``super_status`` ("optimal", "infeasible" when an oriented VRS
    super-SBM LP has no solution, "not efficient" where no super-SBM LP is solved).
    """
    orientation = check_choice("orientation", orientation, SBM_ORIENTATIONS)
    rts = check_choice("rts", rts, SBM_RTS)
    inputs, outputs, undesirable = list(inputs), list(outputs), list(undesirable)
    good = [c for c in outputs if c not in undesirable]
    d = validate_sbm_data(data, inputs, outputs, undesirable, dmu=dmu, file=file)
    n = d.x.shape[0]
    sx = scale_factors(d.x)
    sy = scale_factors(d.y)
    sb = scale_factors(d.b) if d.b.shape[1] else np.ones(0)
    xs = d.x / sx
    ys = _replace_zero_outputs(d.y / sy)
    bs = _replace_zero_outputs(d.b / sb) if d.b.shape[1] else np.zeros((n, 0))
    model = _SbmModel(xs, ys, bs, rts, orientation)
    score = np.empty(n)
    slacks = np.empty((n, len(inputs) + len(good) + len(undesirable)))
    for o in range(n):
        score[o], _, s_in, s_good, s_bad = _checked(model, o)
        slacks[o] = np.concatenate([s_in * sx, s_good * sy, s_bad * sb])
    score = np.minimum(score, 1.0)
    slacks = np.maximum(slacks, 0.0)  # -0.0 and 1e-12 below zero are LP rounding
    names = inputs + good + undesirable
    values = np.hstack([d.x, ys * sy, bs * sb])
    sign = np.concatenate([-np.ones(len(inputs)), np.ones(len(good)), -np.ones(len(undesirable))])
    targets = values + sign * slacks
    out = pd.DataFrame({"dmu": d.labels, "sbm": score})
    for k, name in enumerate(names):
        out[f"slack_{name}"] = slacks[:, k]
    for k, name in enumerate(names):
        out[f"target_{name}"] = targets[:, k]
    if super_sbm:
        efficient = score >= 1 - EFFICIENT_TOL
        sup = score.copy()
        status = np.full(n, "not efficient", dtype=object)
        if efficient.any():
            xz = _replace_zero_outputs(xs)  # deaR's model_sbmsupereff: zero inputs too
            smodel = _SuperSbmModel(xz, ys, bs, rts, orientation)
            for o in np.flatnonzero(efficient):
                status[o], sup[o] = _checked(smodel, int(o))
        out["super_sbm"] = sup
        out["efficient"] = efficient
        out["super_status"] = status
    out.attrs["warnings"] = list(d.warnings)
    return out
