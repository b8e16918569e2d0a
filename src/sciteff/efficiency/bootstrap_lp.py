"""All radial LPs of one bootstrap replication at once: a batched simplex and its certificate.

Why not one HiGHS solve per LP (:class:`~sciteff.efficiency.engine.RadialModel`). A bootstrap
replication solves n LPs that share their reference columns (the pseudo data) and differ only
in the evaluated DMU's column and row bounds. Each LP is tiny (m + s + 1 rows), and profiling
(B = 30, n = 300, 3 x 3, VRS) showed that ~85 % of the time went into HiGHS's ``run`` itself,
about 0.55 ms per LP of which only a few simplex iterations are work: the rest is the fixed
cost of a solver call (model checks, scaling, basis set-up), which no HiGHS option, smaller
reference set (pruning to frontier candidates: 299 of 300 pseudo-DMUs are undominated in that
workload) or block-diagonal batching (2 ms per LP, measured) removes. Here the n LPs of a
replication step through a revised simplex together, as numpy operations on a stack of
(m + s + 1)-square basis inverses, so the per-LP Python and solver overhead disappears.

Start and steps. Every LP starts from the basis in which the evaluated DMU's own pseudo-DMU
carries the whole weight (``lambda_o = 1``): it is feasible by construction (the pseudo-DMU is
the DMU moved along its ray), with the radial factor set from one row and the other rows'
slacks basic. The steps are those of the DEA engine's batched simplex
(:mod:`sciteff.efficiency.batch_lp`: Dantzig's rule, the largest pivot among ties, a step
limit); an LP without such a start basis begins with phase 1 there.

Never a wrong number. Whatever the simplex says, an answer is accepted only when its final
basis, re-solved from scratch, passes the same certificate as the engine's
(:mod:`sciteff.efficiency.certify`, batched in :func:`sciteff.efficiency.batch_lp.certify_batch`):
primal residuals relative to each row's own terms and a rigorous dual bound with column caps
from the DEA structure. LPs that are not certified are returned as such; the caller re-solves
them with the engine (which certifies, re-scales or solves exactly, or raises).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciteff.efficiency.batch_radial import radial_batch


@dataclass(frozen=True)
class BatchResult:
    """Radial factors (theta or phi) of a batch and which of them are certified."""

    factor: np.ndarray
    certified: np.ndarray


def _structure(
    x_ref: np.ndarray, y_ref: np.ndarray, x0: np.ndarray, y0: np.ndarray, rts: str, orientation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the envelopment LPs (see :class:`~sciteff.efficiency.engine.RadialModel`).

    Returns ``ref`` (R x n lambda coefficients), ``extra`` (k x R radial column) and
    ``sense`` (R: -1 for a <= row, +1 for >=, 0 for =).
    """
    k, m = x0.shape
    s = y0.shape[1]
    conv = rts == "vrs"
    n = x_ref.shape[0]
    ref = np.vstack([x_ref.T, y_ref.T] + ([np.ones((1, n))] if conv else []))
    extra = np.zeros((k, m + s + int(conv)))
    if orientation == "in":
        extra[:, :m] = -x0
    else:
        extra[:, m : m + s] = -y0
    sense = np.concatenate([-np.ones(m), np.ones(s), np.zeros(int(conv))])
    return ref, extra, sense


def _start_basis(
    ref: np.ndarray, extra: np.ndarray, sense: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Basic variables (k x R) of the start basis: radial column, lambda_start, and the
    slacks of all rows but the one fixing the radial factor (and, without a convexity row,
    the one fixing lambda_start). Variable numbering (that of
    :func:`~sciteff.efficiency.batch_radial.radial_batch`): 0 radial, 1..n lambdas, n+1+i
    slack i. Also returns which LPs have such a basis (not those with a zero radial column,
    or no positive entry of lambda_start to fix it by); the others get a placeholder basis.
    """
    k, rows = extra.shape
    n = ref.shape[1]
    radial_rows = np.abs(extra) > 0
    fix_radial = np.argmax(np.abs(extra), axis=1)
    basis = np.zeros((k, rows), dtype=np.int64)
    slack_ok = np.broadcast_to(sense != 0, (k, rows)).copy()
    slack_ok[np.arange(k), fix_radial] = False
    valid = radial_rows[np.arange(k), fix_radial]
    if not np.any(sense == 0):  # CRS: lambda_start fixed by its largest non-radial row
        other = np.where(~radial_rows & (sense != 0), np.abs(ref[:, start].T), -1.0)
        fix_start = np.argmax(other, axis=1)
        slack_ok[np.arange(k), fix_start] = False
        valid &= other[np.arange(k), fix_start] > 0
    bad = slack_ok.sum(axis=1) != rows - 2
    valid &= ~bad
    if bad.any():  # placeholder: the first R - 2 slacks (never used, the LP is not valid)
        usable = np.flatnonzero(sense != 0)[: rows - 2]
        slack_ok[bad] = False
        slack_ok[np.ix_(np.flatnonzero(bad), usable)] = True
    basis[:, 0] = 0
    basis[:, 1] = 1 + start
    slacks = np.nonzero(slack_ok)
    pos = np.cumsum(slack_ok, axis=1) + 1  # basis positions 2.. of the basic slacks
    basis[slacks[0], pos[slacks]] = n + 1 + slacks[1]
    return basis, valid


def solve_batch(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    x0: np.ndarray,
    y0: np.ndarray,
    start: np.ndarray,
    *,
    rts: str,
    orientation: str,
) -> BatchResult:
    """Radial factors of DMUs (x0[i], y0[i]) against one reference set, all LPs together.

    ``start[i]`` is a reference DMU on the ray of DMU i (its pseudo-DMU), whose lambda = 1 is a
    feasible start. Data scaled (column means near 1). ``certified`` is False where the answer
    was not certified (not converged, unsafe pivot, failed certificate): re-solve those.
    """
    ref, extra, sense = _structure(x_ref, y_ref, x0, y0, rts, orientation)
    basis, ok = _start_basis(ref, extra, sense, np.asarray(start, dtype=np.int64))
    basis[~ok] = -1  # no start: phase 1
    res = radial_batch(x_ref, y_ref, x0, y0, rts=rts, orientation=orientation, start=basis)
    return BatchResult(res.factor, res.certified)
