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

Every LP's answer is certified as the radial engine's are (:mod:`sciteff.efficiency.certify`):
primal feasibility relative to each row's terms and a rigorous dual bound within a relative
1e-10 of the score, or a Farkas ray for an infeasible super-SBM LP. HiGHS stops at absolute
tolerances of 1e-7 on the scaled data; uncertified, SBM scores on badly scaled data were off by
up to 2e-8 (relative, against exact rational arithmetic), or the LP raised. An answer that
fails is re-solved from its basis, then rescaled and finally in exact rational
arithmetic (:mod:`sciteff.efficiency.fallback`), and one that still cannot be certified is an
error naming the DMU, never a number. Each solution is also checked in the original variables
(HiGHS's 1e-7 is divided by t when the Charnes-Cooper variables are turned back); a failure
there gets one more solve with tolerances of 1e-10
(:func:`~sciteff.efficiency.highs.tightened`), and a second failure is an error.

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
from sciteff.efficiency.certify import LPData, certify_infeasible, certify_optimal
from sciteff.efficiency.engine import check_choice, new_highs
from sciteff.efficiency.fallback import polish, settle
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

#: Relative margin on a claimed objective when it bounds the box of a dual certificate.
CAP_MARGIN = 1e-6

#: Allowances (relative to 1 + score) by which the oriented models' second stage may exceed
#: the first stage's score when holding it exactly is certified infeasible (the certified
#: score can be a rounding below the exact optimum).
HOLD_ALLOWANCE = (0.0, 1e-14, 1e-12)


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

    A copy of the LP (``a``, costs and bounds) follows every change made to HiGHS's, for the
    certificates (:meth:`_run`).
    """

    #: What the score adds to the LP's objective (see :meth:`_run`); set by subclasses.
    offset = 0.0

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

    def _pass_model(self, cost, lower, upper, row_lo, row_hi, a: np.ndarray) -> None:
        """Pass the LP to a new HiGHS instance and keep the copy the certificates read."""
        self.a = a
        self.cost = np.asarray(cost, dtype=float).copy()
        self.col_lo, self.col_hi = lower.astype(float), upper.astype(float)
        self.row_lo, self.row_hi = row_lo.astype(float), row_hi.astype(float)
        self.h = new_highs()
        _pass(self.h, cost, lower, upper, row_lo, row_hi, a)

    def _coeff(self, row: int, col: int, value: float) -> None:
        self.h.changeCoeff(row, col, value)
        self.a[row, col] = value

    def _row_bounds(self, row: int, lo: float, hi: float) -> None:
        self.h.changeRowBounds(row, lo, hi)
        self.row_lo[row], self.row_hi[row] = lo, hi

    def _col_bounds(self, col: int, lo: float, hi: float) -> None:
        self.h.changeColBounds(col, lo, hi)
        self.col_lo[col], self.col_hi[col] = lo, hi

    def _set_dmu(self, o: int) -> None:
        """Column 0 of the data rows: ``-v_o`` for DMU ``o``'s inputs and outputs."""
        for row, values in (
            (self.r_in, self.x[o]),
            (self.r_good, self.y[o]),
            (self.r_bad, self.b[o]),
        ):
            for k, value in enumerate(values):
                self._coeff(row + k, 0, -float(value))

    def _lp(self, cap: np.ndarray) -> LPData:
        """The LP as it stands, in the certificates' form (columns ``0 <= z <= col_hi``): a
        column fixed at a non-zero value (t = 1 in the oriented models) is moved into the row
        bounds and fixed at zero; ``cap`` bounds a box holding the optimum (:meth:`_caps`)."""
        fixed = self.col_lo > 0
        shift = self.a[:, fixed] @ self.col_lo[fixed]
        return LPData(
            self.cost,
            self.a,
            np.zeros((0, self.a.shape[0])),
            self.row_lo - shift,
            self.row_hi - shift,
            np.where(fixed, 0.0, self.col_hi),
            cap,
            row_mag=np.abs(self.a[:, fixed]) @ self.col_lo[fixed],
        )

    def _row_scale(self, o: int) -> np.ndarray:
        """DMU ``o``'s own magnitude in each row (for the rescaled re-solve)."""
        scale = np.ones(self.a.shape[0])
        x0 = self.x[o]
        scale[self.r_in : self.r_in + self.m] = np.where(x0 > 0, x0, 1.0)
        scale[self.r_good : self.r_good + self.s1] = self.y[o]
        scale[self.r_bad : self.r_bad + self.s2] = self.b[o]
        return scale

    def _lambda_caps(self, budget: np.ndarray, t_cap: float) -> np.ndarray:
        """``min_i budget_i / x_ji`` per DMU j: the largest Lambda_j with ``X Lambda <= budget``
        (every DMU has a positive input, so each cap is finite when the budget is); under VRS
        also ``t_cap`` (``sum Lambda = t``)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                self.x > 0, budget[None, :] / np.where(self.x > 0, self.x, 1.0), np.inf
            )
        caps = ratio.min(axis=1)
        return np.minimum(caps, t_cap) if self.rts == "vrs" else caps

    def _rays(self, ray: np.ndarray) -> list[np.ndarray]:
        """Candidate Farkas vectors from HiGHS's dual ray (any vector that passes the test is
        a proof, see :func:`~sciteff.efficiency.certify.certify_infeasible`)."""
        return [ray]

    def _caps(self, o: int, z: np.ndarray | None) -> np.ndarray:
        """Column bounds of a box holding an optimum of DMU ``o``'s LP (``z``: a claimed
        solution whose objective may be used)."""
        raise NotImplementedError

    def _run(self, o: int, score: bool, what: str) -> np.ndarray | None:
        """Solve the LP as it stands: its certified optimum (HiGHS's column order), or None
        when it is certified infeasible.

        ``score``: the objective gives the score (``objective + offset``), and the duality gap
        is then certified relative to the score itself. HiGHS's answer is certified as it is,
        else from its basis re-solved (:func:`~sciteff.efficiency.fallback.polish`), else by a
        rescaled and then an exact solve (:func:`~sciteff.efficiency.fallback.settle`); raises
        SolverError if none is certified.
        """
        h = self.h
        fixed = self.col_lo > 0
        offset = self.offset if score else 0.0

        def certified(z: np.ndarray, y: np.ndarray) -> bool:
            lp = self._lp(self._caps(o, z))
            return certify_optimal(lp, z, y, score, offset).ok

        h.run()
        status = run_resolved(h)
        ms = highspy.HighsModelStatus
        found: np.ndarray | None = None
        if status == ms.kOptimal:
            sol = h.getSolution()
            z = np.where(fixed, 0.0, np.asarray(sol.col_value, dtype=float))
            if certified(z, np.asarray(sol.row_dual, dtype=float)):
                found = z
            else:
                found = polish(h, self._lp(self._caps(o, z)), certified)
        elif status == ms.kInfeasible:
            _, has_ray, ray = h.getDualRay()
            lp = self._lp(self._caps(o, None))
            if has_ray and any(certify_infeasible(lp, r) for r in self._rays(np.asarray(ray))):
                return None
        if found is None:
            done = settle(
                lambda z: self._lp(self._caps(o, z)),
                self._row_scale(o),
                new_highs,
                relative_to_objective=score,
                offset=offset,
            )
            if done.status == "infeasible":
                return None
            if done.status != "optimal" or done.z is None:
                raise SolverError(f"the {what} LP could not be certified ({done.how})")
            found = done.z
        return np.where(fixed, self.col_lo, np.clip(found, 0.0, self.col_hi))

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
        self.cost = np.asarray(cost, dtype=float).copy()

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
        self.offset = 1.0 if orient == "in" else 0.0  # rho_I = 1 - the slack term
        self._pass_model(np.zeros(ncol), lower, upper, row_lo, row_hi, a)

    def _caps(self, o: int, z: np.ndarray | None) -> np.ndarray:
        """t <= 1 (the normalisation), so ``X Lambda <= t x_o`` caps Lambda, S- <= x_o,
        Sb <= b_o and S+ <= Y Lambda."""
        lam = self._lambda_caps(self.x[o], 1.0)
        cap = np.empty(self.ncol)
        cap[0] = 1.0
        cap[self.c_lam : self.c_lam + self.n] = lam
        cap[self.c_in : self.c_in + self.m] = self.x[o]
        cap[self.c_good : self.c_good + self.s1] = lam @ self.y
        cap[self.c_bad : self.c_bad + self.s2] = self.b[o]
        return cap

    def solve(self, o: int) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """SBM score, lambdas and the slacks (s-, s+, sb) of reference DMU ``o``."""
        m, s2 = self.m, self.s2
        x0 = self.x[o]
        inf = highspy.kHighsInf
        self._set_dmu(o)
        nz_in = x0 > 0
        w_in = np.where(nz_in, 1.0 / np.where(nz_in, x0, 1.0), 0.0) / nz_in.sum()
        w_out = self._out_weights(o)
        use_in = self.orient in ("in", "non")
        use_out = self.orient in ("out", "non")
        for i in range(m):
            self._coeff(self.r_obj, self.c_in + i, -float(w_in[i]) if use_in else 0.0)
        for r in range(len(w_out)):
            self._coeff(0, self.c_good + r, float(w_out[r]) if use_out else 0.0)
        cost = np.zeros(self.ncol)
        cost[0] = 1.0
        if use_in:
            cost[self.c_in : self.c_in + m] = -w_in
        self._set_cost(cost)
        self._row_bounds(self.r_obj, -inf, inf)
        col = self._run(o, True, "SBM")
        if col is None:  # lambda = e_o, slacks 0 is a solution: a certificate cannot say this
            raise SolverError("the SBM LP was certified infeasible, which it cannot be")
        rho = float(cost @ col)
        if self.orient != "non":
            # Second stage: hold the score, maximise the slacks left out of the objective.
            cost2 = np.zeros(self.ncol)
            if self.orient == "in":
                cost2[self.c_good : self.c_bad + s2] = -w_out
            else:
                cost2[self.c_in : self.c_in + m] = -np.where(nz_in, 1.0 / np.maximum(x0, 1e-300), 0)
            self._set_cost(cost2)
            col = self._second_stage(o, rho)
        lam, sm, sp, sb = self._per_unit(col, o, "SBM")
        implied = (1 - (w_in @ sm if use_in else 0.0)) / (
            1 + (w_out @ np.concatenate([sp, sb]) if use_out else 0.0)
        )
        self._check(o, lam, sm, sp, sb, implied, rho)
        return rho, lam, sm, sp, sb

    def _second_stage(self, o: int, rho: float) -> np.ndarray:
        """The second-stage optimum with the score held at ``rho``: exactly if that LP is
        feasible, else (``rho`` a rounding below the exact optimum) at the first allowance of
        HOLD_ALLOWANCE that makes it so."""
        inf = highspy.kHighsInf
        try:
            for allowance in HOLD_ALLOWANCE:
                self._row_bounds(self.r_obj, -inf, rho + allowance * (1 + abs(rho)))
                col = self._run(o, False, "SBM second-stage")
                if col is not None:
                    return col
        finally:
            self._row_bounds(self.r_obj, -inf, inf)
        raise SolverError("the SBM second-stage LP was certified infeasible")

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
        # The score's relative accuracy: delta = objective (non), 1 + objective (in, t = 1
        # moved into the bounds), 1 / (1 - objective) (out), whose relative error is that of
        # 1 - objective.
        self.offset = {"non": 0.0, "in": 1.0, "out": -1.0}[orient]
        self._w_in = self._w_out = np.zeros(0)
        self._pass_model(np.zeros(ncol), lower, upper, row_lo, row_hi, a)

    def _rays(self, ray: np.ndarray) -> list[np.ndarray]:
        """HiGHS's ray, and the ray without the rows a super-slack with no finite cap can
        always satisfy (inputs when T- is free, bad outputs): a proof never needs them, and
        their rounding-noise multipliers would need the slack's cap."""
        trimmed = ray.copy()
        if self.orient != "out":
            trimmed[self.r_in : self.r_in + self.m] = 0.0
        trimmed[self.r_bad : self.r_bad + self.s2] = 0.0
        return [ray, trimmed]

    def _row_scale(self, o: int) -> np.ndarray:
        scale = super()._row_scale(o)
        scale[self.r_cap : self.r_cap + self.s1] = self.y[o]
        return scale

    def _caps(self, o: int, z: np.ndarray | None) -> np.ndarray:
        """From the claimed objective F (every cost is >= 0): t <= F (non-oriented; else
        t = 1), w- T- <= F, T+ <= t y_o (and w+ T+ <= F when it is the objective), wb Tb <= F
        (in the non-oriented model wb Tb <= t - 1), then ``X Lambda <= T- + t x_o``. Without
        a claimed solution the caps that need F are infinite."""
        f = np.inf if z is None else float(self.cost @ z) * (1 + CAP_MARGIN) + 1e-300
        m, s1, s2 = self.m, self.s1, self.s2
        t_cap = f if self.orient == "non" else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            t_in = f / self._w_in if self.orient != "out" else np.zeros(m)
            w_good, w_bad = self._w_out[:s1], self._w_out[s1:]
            t_good = np.minimum(t_cap * self.y[o], f / w_good) if self.orient != "in" else 0.0
            t_bad = f / w_bad if self.orient != "in" else np.zeros(s2)
        cap = np.empty(self.ncol)
        cap[0] = t_cap
        cap[self.c_lam : self.c_lam + self.n] = self._lambda_caps(t_in + t_cap * self.x[o], t_cap)
        cap[self.c_in : self.c_in + m] = t_in
        cap[self.c_good : self.c_good + s1] = t_good
        cap[self.c_bad : self.c_bad + s2] = t_bad
        return cap

    def solve(self, o: int) -> tuple[str, float]:
        """("optimal", delta) or ("infeasible", nan) for reference DMU ``o``."""
        m = self.m
        x0, y0, b0 = self.x[o], self.y[o], self.b[o]
        self._set_dmu(o)
        for r in range(self.s1):
            self._coeff(self.r_cap + r, 0, -float(y0[r]))
        w_in = 1.0 / (m * x0)
        w_out = self._out_weights(o)
        self._w_in, self._w_out = w_in, w_out
        norm_out = self.orient == "non"
        for r in range(len(w_out)):
            self._coeff(0, self.c_good + r, -float(w_out[r]) if norm_out else 0.0)
        cost = np.zeros(self.ncol)
        if self.orient == "out":
            cost[self.c_good : self.c_bad + self.s2] = w_out  # min sum w T -> delta = 1/(1 - min)
        else:
            cost[0] = 1.0
            cost[self.c_in : self.c_in + m] = w_in
        self._set_cost(cost)
        self._col_bounds(self.c_lam + o, 0.0, 0.0)
        try:
            col = self._run(o, True, "super-SBM")
        finally:
            self._col_bounds(self.c_lam + o, 0.0, highspy.kHighsInf)
        if col is None:
            return "infeasible", float("nan")
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


def _naming(labels: list[str]):
    """:func:`_checked` with its errors naming the DMU (the models know only row numbers)."""

    def checked(model: _SbmModel | _SuperSbmModel, o: int) -> tuple:
        try:
            return _checked(model, o)
        except SolverError as err:
            raise SolverError(f"DMU {labels[o]!r}: {err}") from err

    return checked


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
    checked = _naming(d.labels)
    n = d.x.shape[0]
    # The data as given, unscaled: SBM is not continuous in the data (Scheel and Scholtes
    # 2003), so rescaling the variables (rounding every value once) can move an exactly
    # degenerate DMU's score, e.g. from 0.5 to 1 on small-integer data; the certificates and
    # the rescaled re-solve take care of the magnitudes instead.
    xs = d.x
    ys = _replace_zero_outputs(d.y)
    bs = _replace_zero_outputs(d.b) if d.b.shape[1] else np.zeros((n, 0))
    model = _SbmModel(xs, ys, bs, rts, orientation)
    score = np.empty(n)
    slacks = np.empty((n, len(inputs) + len(good) + len(undesirable)))
    for o in range(n):
        score[o], _, s_in, s_good, s_bad = checked(model, o)
        slacks[o] = np.concatenate([s_in, s_good, s_bad])
    score = np.minimum(score, 1.0)
    slacks = np.maximum(slacks, 0.0)  # -0.0 and 1e-12 below zero are LP rounding
    names = inputs + good + undesirable
    values = np.hstack([d.x, ys, bs])
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
                status[o], sup[o] = checked(smodel, int(o))
        out["super_sbm"] = sup
        out["efficient"] = efficient
        out["super_status"] = status
    out.attrs["warnings"] = list(d.warnings)
    return out
