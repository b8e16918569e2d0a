"""An exact rational simplex method for the small DEA linear programs.

Why: a DEA LP has only m + s (+1) rows, so its basis matrix is tiny and can be handled in exact
rational arithmetic (:class:`fractions.Fraction`; every double is a rational number, so the
data are taken exactly as stored). When the floating-point solution of HiGHS cannot be
certified (see :mod:`sciteff.efficiency.certify`), the engine hands the LP to
:func:`solve_exact`, starting from HiGHS's final basis: usually that basis is already optimal,
and the exact check of it costs one k x k inversion; otherwise a few exact pivots finish the
job. The answer is then exact for the stored data: "optimal" with the exact objective, or
"infeasible" proved by phase I, or "unbounded".

Method: the revised simplex method on the standard form ``A z + S s = b`` (one slack or
surplus per inequality row, ``b >= 0``), with an exact basis inverse. Pricing is done in
floating point with a rigorous error margin, so only reduced costs within rounding of zero are
evaluated exactly; the entering column is the most negative reduced cost (Dantzig), switching
to Bland's rule, which cannot cycle, after a run of degenerate pivots. Phase I uses one
artificial variable per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sciteff.efficiency.certify import LPData

#: Stop (and report failure) after this many pivots.
MAX_PIVOTS = 5000

#: Degenerate pivots in a row before switching from Dantzig's rule to Bland's rule.
BLAND_AFTER = 30

_ZERO = Fraction(0)


@dataclass(frozen=True)
class ExactResult:
    """Status ("optimal", "infeasible", "unbounded" or "failed"), objective and solution."""

    status: str
    objective: Fraction | None
    z: list[Fraction] | None
    pivots: int


class _Standard:
    """The LP in standard form with exact and floating-point column access."""

    def __init__(self, lp: LPData) -> None:
        a = np.hstack([lp.extra, lp.ref.T])  # k x (e + n)
        self.orig_cols = np.flatnonzero(lp.col_hi > 0)
        a = a[:, self.orig_cols]
        cost = lp.cost[self.orig_cols]
        rows: list[tuple[int, float, int]] = []  # (source row, rhs, slack sign)
        for i, (lo, hi) in enumerate(zip(lp.row_lo, lp.row_hi, strict=True)):
            lo_f, hi_f = np.isfinite(lo), np.isfinite(hi)
            if lo_f and hi_f and lo == hi:
                rows.append((i, float(lo), 0))
                continue
            if lo_f:
                rows.append((i, float(lo), -1))
            if hi_f:
                rows.append((i, float(hi), 1))
        self.k = len(rows)
        self.n_struct = a.shape[1]
        slack_rows = [r for r, (_, _, sign) in enumerate(rows) if sign != 0]
        self.num_slack = len(slack_rows)
        n_total = self.n_struct + self.num_slack + self.k  # + artificials
        self.n_total = n_total
        dense = np.zeros((self.k, n_total))
        sign_row = np.ones(self.k)
        for r, (_src, rhs, _sign) in enumerate(rows):
            if rhs < 0:
                sign_row[r] = -1.0
        for r, (src, _rhs, _sign) in enumerate(rows):
            dense[r, : self.n_struct] = a[src] * sign_row[r]
        for pos, r in enumerate(slack_rows):
            dense[r, self.n_struct + pos] = rows[r][2] * sign_row[r]
        for r in range(self.k):
            dense[r, self.n_struct + self.num_slack + r] = 1.0
        self.dense = dense  # exact values: products of doubles by +-1
        self.b = [Fraction(rhs) * int(sign_row[r]) for r, (_, rhs, _) in enumerate(rows)]
        self.cost2 = np.concatenate([cost, np.zeros(self.num_slack + self.k)])
        self.cost1 = np.concatenate([np.zeros(self.n_struct + self.num_slack), np.ones(self.k)])
        self.first_art = self.n_struct + self.num_slack
        self.slack_of_row = {rows[r][0]: self.n_struct + p for p, r in enumerate(slack_rows)}
        self.art_of_row = {rows[r][0]: self.first_art + r for r in range(self.k)}
        self._cols: dict[int, list[Fraction]] = {}

    def col(self, j: int) -> list[Fraction]:
        got = self._cols.get(j)
        if got is None:
            got = [Fraction(float(v)) for v in self.dense[:, j]]
            self._cols[j] = got
        return got


def _invert(mat: list[list[Fraction]]) -> list[list[Fraction]] | None:
    """Exact inverse by Gauss-Jordan elimination; None if singular."""
    k = len(mat)
    aug = [row[:] + [Fraction(int(i == j)) for j in range(k)] for i, row in enumerate(mat)]
    for c in range(k):
        piv = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        p = aug[c][c]
        aug[c] = [v / p for v in aug[c]]
        for r in range(k):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [v - f * w for v, w in zip(aug[r], aug[c], strict=True)]
    return [row[k:] for row in aug]


def _matvec(mat: list[list[Fraction]], vec: list[Fraction]) -> list[Fraction]:
    return [sum((a * b for a, b in zip(row, vec, strict=True)), _ZERO) for row in mat]


class _Simplex:
    def __init__(self, std: _Standard, basis: list[int], binv: list[list[Fraction]]) -> None:
        self.std = std
        self.basis = basis
        self.binv = binv
        self.xb = _matvec(binv, std.b)
        self.pivots = 0

    def run(self, cost: np.ndarray, allow_art: bool) -> str:
        """Optimise ``cost`` from the current (feasible) basis: "optimal" or "unbounded"."""
        std, k = self.std, self.std.k
        degenerate = 0
        limit = std.n_total if allow_art else std.first_art
        while True:
            if self.pivots >= MAX_PIVOTS:
                return "failed"
            cb = [Fraction(float(cost[j])) for j in self.basis]
            y = [sum((cb[i] * self.binv[i][r] for i in range(k)), _ZERO) for r in range(k)]
            yf = np.array([float(v) for v in y])
            a = std.dense[:, :limit]
            d_f = cost[:limit] - yf @ a
            err = 1e-12 * (np.abs(cost[:limit]) + np.abs(yf) @ np.abs(a)) + 1e-300
            in_basis = np.zeros(limit, dtype=bool)
            in_basis[[j for j in self.basis if j < limit]] = True
            sure = np.flatnonzero((d_f < -err) & ~in_basis)
            unsure = np.flatnonzero((np.abs(d_f) <= err) & ~in_basis)
            bland = degenerate >= BLAND_AFTER
            enter = None
            if bland:
                for j in sorted(np.concatenate([sure, unsure]).tolist()):
                    if j in set(sure.tolist()) or self._exact_d(j, cost, y) < 0:
                        enter = j
                        break
            elif sure.size:
                enter = int(sure[np.argmin(d_f[sure])])
            else:
                for j in unsure.tolist():
                    if self._exact_d(j, cost, y) < 0:
                        enter = j
                        break
            if enter is None:
                return "optimal"
            u = _matvec(self.binv, std.col(enter))
            leave, best = None, None
            for r in range(k):
                if self.basis[r] >= std.first_art and not allow_art and u[r] != 0:
                    ratio = _ZERO  # an artificial left in the basis must stay at zero
                elif u[r] > 0:
                    ratio = self.xb[r] / u[r]
                else:
                    continue
                if (
                    best is None
                    or ratio < best
                    or (ratio == best and self.basis[r] < self.basis[leave])
                ):
                    leave, best = r, ratio
            if leave is None:
                return "unbounded"
            self._pivot(leave, enter, u, best)
            degenerate = degenerate + 1 if best == 0 else 0

    def _exact_d(self, j: int, cost: np.ndarray, y: list[Fraction]) -> Fraction:
        col = self.std.col(j)
        return Fraction(float(cost[j])) - sum((a * b for a, b in zip(y, col, strict=True)), _ZERO)

    def _pivot(self, leave: int, enter: int, u: list[Fraction], step: Fraction) -> None:
        k = self.std.k
        p = u[leave]
        self.xb = [self.xb[r] - step * u[r] if r != leave else step for r in range(k)]
        row = [v / p for v in self.binv[leave]]
        for r in range(k):
            if r != leave and u[r] != 0:
                f = u[r]
                self.binv[r] = [v - f * w for v, w in zip(self.binv[r], row, strict=True)]
        self.binv[leave] = row
        self.basis[leave] = enter
        self.pivots += 1


def _warm_basis(std: _Standard, hint: list[int] | None) -> _Simplex | None:
    """A feasible starting basis from ``hint`` (standard-form column indices), if it is one."""
    if hint is None or len(hint) != std.k or len(set(hint)) != std.k:
        return None
    mat = [[std.col(j)[r] for j in hint] for r in range(std.k)]
    binv = _invert(mat)
    if binv is None:
        return None
    sx = _Simplex(std, list(hint), binv)
    for j, v in zip(sx.basis, sx.xb, strict=True):
        if v < 0 or (j >= std.first_art and v != 0):
            return None
    return sx


def solve_exact(
    lp: LPData, basic_cols: list[int] | None = None, basic_rows: list[int] | None = None
) -> ExactResult:
    """Solve ``lp`` exactly. ``basic_cols`` / ``basic_rows``: a basis hint (e.g. HiGHS's).

    ``basic_cols`` are LP column indices (extra first), ``basic_rows`` rows whose slack is basic.
    """
    std = _Standard(lp)
    if std.k == 0:
        return ExactResult("optimal", _ZERO, [_ZERO] * lp.cost.size, 0)
    pos = {int(c): p for p, c in enumerate(std.orig_cols)}
    hint = None
    if basic_cols is not None and basic_rows is not None:
        hint = [pos[c] for c in basic_cols if c in pos]
        for r in basic_rows:
            hint.append(std.slack_of_row.get(r, std.art_of_row.get(r, -1)))
        if -1 in hint:
            hint = None
    sx = _warm_basis(std, hint)
    if sx is None:
        arts = list(range(std.first_art, std.first_art + std.k))
        identity = [[Fraction(int(i == j)) for j in range(std.k)] for i in range(std.k)]
        sx = _Simplex(std, arts, identity)
        status = sx.run(std.cost1, allow_art=True)
        if status == "failed":
            return ExactResult("failed", None, None, sx.pivots)
        infeas = sum((v for j, v in zip(sx.basis, sx.xb, strict=True) if j >= std.first_art), _ZERO)
        if infeas > 0:
            return ExactResult("infeasible", None, None, sx.pivots)
        _drive_out_artificials(sx)
    status = sx.run(std.cost2, allow_art=False)
    if status != "optimal":
        return ExactResult(status, None, None, sx.pivots)
    z = [_ZERO] * lp.cost.size
    for j, v in zip(sx.basis, sx.xb, strict=True):
        if j < std.n_struct:
            z[int(std.orig_cols[j])] = v
    objective = sum((Fraction(float(lp.cost[i])) * v for i, v in enumerate(z) if v), _ZERO)
    return ExactResult("optimal", objective, z, sx.pivots)


def _drive_out_artificials(sx: _Simplex) -> None:
    """Pivot zero-valued artificials out of the basis where a real column can replace them."""
    std = sx.std
    for r in range(std.k):
        if sx.basis[r] < std.first_art:
            continue
        for j in range(std.first_art):
            if j in sx.basis:
                continue
            u = _matvec(sx.binv, std.col(j))
            if u[r] != 0:
                sx._pivot(r, j, u, _ZERO)
                break
