"""Slacks, targets and peers after the radial DEA step: two-stage and multi-stage methods.

The radial score moves a DMU to the boundary of the technology, which may still be only
*weakly* efficient: some inputs could fall further (input slacks) or some outputs rise
further (output slacks) without leaving the technology. Two ways to find the efficient point:

* **Two-stage** (Ali and Seiford 1993; DEAP's "2-stage"): at the radial point, maximise the
  sum of slacks. The sum is taken over *scaled* slacks (each variable divided by its mean over
  the reference set), so the projection does not depend on the units of measurement; DEAP's
  two-stage sums raw slacks and is not unit-invariant.
* **Multi-stage** (Coelli 1998, Operations Research Letters 23, 143-149; DEAP's default): a
  sequence of radial LPs. At the current point find the variables that still have slack
  (with a max-slack LP), then contract radially only the sub-vector of inputs with slack
  (holding the other inputs and the outputs fixed) and expand radially only the sub-vector of
  outputs with slack; repeat until no slack remains. Each step is a radial, hence
  unit-invariant, movement, and the projected point keeps the DMU's input and output mixes as
  similar as possible. The final point is efficient (zero max-slack), so it is the target.

All data here are scaled (see :mod:`sciteff.efficiency.engine`); callers unscale the results.
Every max-slack solution is certified like the radial ones (:mod:`sciteff.efficiency.certify`),
relative to the DMU's own magnitudes, and a slack counts as zero below a *relative* threshold
(``SLACK_ZERO_TOL`` of the variable's own value): with an absolute one, a DMU far below the
mean would have every slack declared zero, or rounding noise declared a slack.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sciteff.core.errors import SolverError
from sciteff.efficiency.certify import LPData, certify_optimal
from sciteff.efficiency.engine import (
    RadialModel,
    UncertifiedError,
    append_lambda_columns,
    lambda_caps,
    new_highs,
)
from sciteff.efficiency.fallback import polish, settle

#: A slack below this fraction of its variable's value is reported as exactly zero (rounding
#: noise of the LP). For an output whose value is zero the DMU's largest scaled value is used.
SLACK_ZERO_TOL = 1e-7

#: A multi-stage round that changes no variable by more than this (relative) made no progress.
PROGRESS_TOL = 1e-6

SLACK_METHODS = ("none", "two-stage", "multi-stage")

#: The (effort, relative nudge) sequence tried at a radial point (effort as in
#: :meth:`~sciteff.efficiency.engine.RadialModel.solve`). A point a hair outside the
#: technology makes the un-nudged LP infeasible, which only the exact solver can prove, at
#: great cost; so the nudges are first tried without the exact solve, and the exact solve
#: comes last (at the largest nudge first, then the others).
NUDGES = (
    ("float", 0.0),
    ("rescaled", 0.0),
    ("float", 1e-9),
    ("rescaled", 1e-9),
    ("float", 1e-7),
    ("exact", 1e-7),
    ("exact", 0.0),
    ("exact", 1e-9),
)


@dataclass(frozen=True)
class Projection:
    """Efficient target of one DMU: input/output targets, slacks and peer weights (scaled)."""

    x_target: np.ndarray
    y_target: np.ndarray
    input_slack: np.ndarray
    output_slack: np.ndarray
    lambdas: np.ndarray


class MaxSlackModel:
    """max sum(s-) + sum(s+) s.t. X'lambda + s- = x_hat, Y'lambda - s+ = y_hat (+ convexity).

    Built once per reference set and RTS; only the row bounds (the point x_hat, y_hat) change
    per DMU.
    """

    def __init__(self, x_ref: np.ndarray, y_ref: np.ndarray, *, rts: str) -> None:
        self.x_ref, self.y_ref = x_ref, y_ref
        self.n, self.m = x_ref.shape
        self.s = y_ref.shape[1]
        self.rts = rts
        n, m, s = self.n, self.m, self.s
        inf = highspy.kHighsInf
        conv = rts in ("vrs", "nirs")
        num_row = m + s + int(conv)
        starts: list[int] = [0]
        index: list[int] = []
        value: list[float] = []
        append_lambda_columns(x_ref, y_ref, conv, starts, index, value)
        for i in range(m):  # input slack columns: +1 in input row i
            index.append(i)
            value.append(1.0)
            starts.append(len(index))
        for r in range(s):  # output slack columns: -1 in output row r
            index.append(m + r)
            value.append(-1.0)
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_ = n + m + s
        lp.num_row_ = num_row
        lp.col_cost_ = np.concatenate([np.zeros(n), -np.ones(m + s)])
        lp.col_lower_ = np.zeros(n + m + s)
        lp.col_upper_ = np.full(n + m + s, inf)
        lower = np.zeros(num_row)
        upper = np.zeros(num_row)
        if conv:
            upper[-1] = 1.0
            lower[-1] = 1.0 if rts == "vrs" else -inf
        lp.row_lower_, lp.row_upper_ = lower, upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value, dtype=float)
        self.h = new_highs()
        # A warning: HiGHS dropped tiny coefficients, so only the rescaled / exact solve is used.
        self.fast = self.h.passModel(lp) == highspy.HighsStatus.kOk
        self._rows = np.arange(m + s, dtype=np.int32)
        self._order = np.concatenate([np.arange(n, n + m + s), np.arange(n)])  # LPData -> HiGHS
        blocks = [x_ref, y_ref] + ([np.ones((n, 1))] if conv else [])
        self._ref_block = np.hstack(blocks)
        self._ref_abs = np.abs(self._ref_block)
        self._cost = np.concatenate([-np.ones(m + s), np.zeros(n)])
        self._col_hi = np.full(m + s + n, np.inf)

    def lp_data(self, point: np.ndarray) -> LPData:
        """The LP at ``point`` for the certificates: slack columns first, then the lambdas.

        Caps valid for every feasible point: lambda_j <= min_i x_i / x_ij (slacks are >= 0),
        input slacks <= x_i, output slacks <= the largest output the capped lambdas reach.
        """
        m, s = self.m, self.s
        conv = self.rts in ("vrs", "nirs")
        k = m + s + int(conv)
        extra = np.zeros((k, m + s))
        extra[np.arange(m), np.arange(m)] = 1.0
        extra[m + np.arange(s), m + np.arange(s)] = -1.0
        row_lo = np.concatenate([point, [1.0 if self.rts == "vrs" else -np.inf] * int(conv)])
        row_hi = np.concatenate([point, [1.0] * int(conv)])
        lam_cap = lambda_caps(self.x_ref, point[:m], conv, None)
        reach = lam_cap @ self.y_ref if np.all(np.isfinite(lam_cap)) else np.full(s, np.inf)
        cap = np.concatenate([point[:m], np.maximum(reach - point[m:], 0.0), lam_cap])
        return LPData(
            self._cost, extra, self._ref_block, row_lo, row_hi, self._col_hi, cap, self._ref_abs
        )

    def _solve_point(self, point: np.ndarray, effort: str = "exact") -> np.ndarray | None:
        """Certified optimum at ``point`` in HiGHS column order, or None if infeasible.

        ``effort`` as in :meth:`~sciteff.efficiency.engine.RadialModel.solve`.
        """
        n, ms = self.n, self.m + self.s
        lp = self.lp_data(point)
        if self.fast:
            self.h.changeRowsBounds(ms, self._rows, point, point)
            self.h.run()
        if self.fast and self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            sol = self.h.getSolution()
            col = np.asarray(sol.col_value, dtype=float)
            z = np.concatenate([col[n:], col[:n]])
            if certify_optimal(lp, z, np.asarray(sol.row_dual, dtype=float)).ok:
                return np.clip(col, 0.0, None)
            # HiGHS's point misses the relative tolerances: its basis, re-solved here.
            polished = polish(self.h, lp, lambda z, y: certify_optimal(lp, z, y).ok, self._order)
            if polished is not None:
                z = np.clip(polished, 0.0, None)
                return np.concatenate([z[ms:], z[:ms]])
        if effort == "float":
            raise UncertifiedError("max-slack LP not certified in floating point")
        scale = np.concatenate([np.where(point > 0, point, 1.0), np.ones(len(lp.row_lo) - ms)])
        done = settle(lambda _z: lp, scale, new_highs, exact=effort == "exact")
        if done.status == "optimal" and done.z is not None:
            return np.concatenate([done.z[ms:], done.z[:ms]])
        if done.status == "infeasible":
            return None
        raise UncertifiedError(f"max-slack LP could not be certified: {done.how}")

    def solve(
        self, x_hat: np.ndarray, y_hat: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (lambdas, input slacks, output slacks) maximising the slack sum at the point."""
        rhs = np.concatenate([x_hat, y_hat])
        col = None
        infeasible: set[float] = set()  # nudges certified infeasible: not tried again
        for effort, relax in NUDGES:
            # The radial point comes from an LP certified to a relative 1e-9; if it sits a hair
            # outside the technology, nudge it (inputs up, outputs down) by a relative 1e-9,
            # then 1e-7 (see NUDGES for the order).
            if relax in infeasible:
                continue
            point = rhs * np.concatenate([np.full(self.m, 1 + relax), np.full(self.s, 1 - relax)])
            try:
                col = self._solve_point(point, effort)
            except UncertifiedError:
                if effort == "exact":
                    raise
                continue
            if col is not None:
                break
            infeasible.add(relax)
        else:
            raise SolverError("max-slack LP is infeasible at a radial projection")
        n, m = self.n, self.m
        lam, s_in, s_out = col[:n], col[n : n + m], col[n + m :]
        size = max(float(np.max(np.abs(rhs))), 1e-300)
        s_in = np.where(s_in > SLACK_ZERO_TOL * np.abs(x_hat), s_in, 0.0)
        out_ref = np.where(y_hat > 0, np.abs(y_hat), size)
        s_out = np.where(s_out > SLACK_ZERO_TOL * out_ref, s_out, 0.0)
        return lam, s_in, s_out


class Projector:
    """Projects DMUs to efficient targets with one of the slack methods, reusing its LP models."""

    def __init__(
        self, x_ref: np.ndarray, y_ref: np.ndarray, *, rts: str, orientation: str, method: str
    ) -> None:
        if method not in SLACK_METHODS:
            raise ValueError(f"slacks must be one of {', '.join(SLACK_METHODS)}; got {method!r}")
        self.method = method
        self.orientation = orientation
        self.max_slack = MaxSlackModel(x_ref, y_ref, rts=rts) if method != "none" else None
        if method == "multi-stage":
            self.shrink_inputs = RadialModel(x_ref, y_ref, rts=rts, orientation="in")
            self.grow_outputs = RadialModel(x_ref, y_ref, rts=rts, orientation="out")
        self.max_rounds = 2 * (x_ref.shape[1] + y_ref.shape[1]) + 2

    def project(
        self, x0: np.ndarray, y0: np.ndarray, factor: float, radial_lambdas: np.ndarray
    ) -> Projection:
        """Target of a DMU whose radial factor (theta or phi) is ``factor``."""
        if self.orientation == "in":
            x_hat, y_hat = factor * x0, y0.copy()
        else:
            x_hat, y_hat = x0.copy(), factor * y0
        radial_x, radial_y = x_hat.copy(), y_hat.copy()
        if self.method == "none":
            zeros_in, zeros_out = np.zeros_like(x0), np.zeros_like(y0)
            return Projection(x_hat, y_hat, zeros_in, zeros_out, radial_lambdas)
        assert self.max_slack is not None
        lam, s_in, s_out = self.max_slack.solve(x_hat, y_hat)
        if self.method == "two-stage":
            return Projection(x_hat - s_in, y_hat + s_out, s_in, s_out, lam)
        for _ in range(self.max_rounds):
            if not (s_in.any() or s_out.any()):
                break
            step = self._progressing_step(x_hat, y_hat, s_in, s_out)
            if step is None:
                break  # only slacks at the level of rounding noise are left
            x_hat, y_hat = step
            lam, s_in, s_out = self.max_slack.solve(x_hat, y_hat)
        else:  # every round moved the point; the last one may have removed the last slack
            if s_in.any() or s_out.any():
                raise SolverError("multi-stage slack method did not converge")
        # An output at zero (zeros allowed) cannot grow radially: its max slack is added
        # directly. (An input at zero has no slack: s- <= x_hat = 0.)
        y_hat = np.where((y_hat == 0) & (s_out > 0), s_out, y_hat)
        return Projection(x_hat, y_hat, radial_x - x_hat, y_hat - radial_y, lam)

    def _progressing_step(
        self, x_hat: np.ndarray, y_hat: np.ndarray, s_in: np.ndarray, s_out: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """A radial round that moves the point, or None if none does.

        The joint radial movement of all variables with slack is limited by the one with the
        smallest relative slack. If that slack is rounding noise (just above
        ``SLACK_ZERO_TOL``), the round cannot move (relative change below ``PROGRESS_TOL``) and
        the method would cycle; that variable is then left out of the round, and so on.
        """
        rel = np.concatenate(
            [s_in / np.where(x_hat > 0, x_hat, 1.0), s_out / np.where(y_hat > 0, y_hat, 1.0)]
        )
        old = np.concatenate([x_hat, y_hat])
        mask = (rel > 0) & (old > 0)  # a zero (allowed zeros only) cannot move radially
        m = x_hat.size
        while mask.any():
            nx, ny = self._radial_step(x_hat, y_hat, mask[:m], mask[m:])
            moved = np.abs(np.concatenate([nx, ny]) - old) / np.where(old > 0, old, 1.0)
            if moved.max() > PROGRESS_TOL:
                return nx, ny
            candidates = np.where(mask, rel, np.inf)
            mask[int(np.argmin(candidates))] = False
        return None

    def _radial_step(
        self, x_hat: np.ndarray, y_hat: np.ndarray, in_mask: np.ndarray, out_mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """One multi-stage round: shrink the slack inputs, then grow the slack outputs."""
        steps = [("in", in_mask), ("out", out_mask)]
        if self.orientation == "out":
            steps.reverse()  # output orientation: deal with the outputs first
        for side, mask in steps:
            if not mask.any():
                continue
            model = self.shrink_inputs if side == "in" else self.grow_outputs
            sol = None
            infeasible: set[float] = set()
            for effort, relax in NUDGES:
                # As in MaxSlackModel.solve: a point a hair outside the technology (within the
                # certificates' 1e-9) is nudged inside (inputs up, outputs down).
                if relax in infeasible:
                    continue
                nudged_x, nudged_y = x_hat * (1 + relax), y_hat * (1 - relax)
                try:
                    sol = model.solve(nudged_x, nudged_y, mask=mask, effort=effort)
                except UncertifiedError:
                    if effort == "exact":
                        raise
                    continue
                if sol.status == "optimal":
                    x_hat, y_hat = nudged_x, nudged_y
                    break
                infeasible.add(relax)
            if sol is None or sol.status != "optimal":
                status = "uncertified" if sol is None else sol.status
                raise SolverError(f"multi-stage radial step returned {status}")
            if side == "in":
                factor = min(sol.factor, 1.0)  # never move away from the frontier
                x_hat = np.where(mask, factor * x_hat, x_hat)
            else:
                factor = max(sol.factor, 1.0)
                y_hat = np.where(mask, factor * y_hat, y_hat)
        return x_hat, y_hat
