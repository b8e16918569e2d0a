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
slacks basic. Pricing is Dantzig's rule (most negative reduced cost), the ratio test prefers
the largest pivot among ties; an LP that has not finished after :data:`MAX_ITER` steps, or
whose pivot or start basis is unsafe, is reported as not solved here.

Never a wrong number. Whatever the simplex says, an answer is accepted only when its final
basis, re-solved from scratch (``numpy.linalg.solve``), passes the same certificate as the
engine's (:mod:`sciteff.efficiency.certify`), evaluated here for all LPs of the batch at once:
primal residuals relative to each row's own terms (``PRIMAL_TOL``) and a rigorous dual bound
with column caps from the DEA structure (``GAP_TOL`` relative to the score). LPs that are not
certified are returned as such; the caller re-solves them with the engine (which certifies,
re-scales or solves exactly, or raises).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciteff.efficiency.certify import GAP_TOL, PRIMAL_TOL

#: Simplex steps after which an LP is handed back unsolved (cycling guard).
MAX_ITER = 200

#: A reduced cost above -OPT_TOL counts as non-negative (optimality test only; the
#: certificate decides acceptance).
OPT_TOL = 1e-9

#: Smallest pivot element accepted in the ratio test.
PIVOT_TOL = 1e-9


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` without BLAS: OpenBLAS threads these small products and, in worker processes
    on a loaded machine, then runs 4-7x slower than one thread (measured)."""
    return np.einsum("ki,ij->kj", a, b, optimize=False)


@dataclass(frozen=True)
class BatchResult:
    """Radial factors (theta or phi) of a batch and which of them are certified."""

    factor: np.ndarray
    certified: np.ndarray


def _structure(
    x_ref: np.ndarray, y_ref: np.ndarray, x0: np.ndarray, y0: np.ndarray, rts: str, orientation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the envelopment LPs (see :class:`~sciteff.efficiency.engine.RadialModel`).

    Returns ``ref`` (R x n lambda coefficients), ``extra`` (k x R radial column), ``sense``
    (R: -1 for a <= row, +1 for >=, 0 for =), ``row_lo`` and ``row_hi`` (k x R).
    """
    k, m = x0.shape
    s = y0.shape[1]
    conv = rts == "vrs"
    n = x_ref.shape[0]
    rows = m + s + int(conv)
    ref = np.vstack([x_ref.T, y_ref.T] + ([np.ones((1, n))] if conv else []))
    extra = np.zeros((k, rows))
    lo = np.full((k, rows), -np.inf)
    hi = np.full((k, rows), np.inf)
    if orientation == "in":
        extra[:, :m] = -x0
        hi[:, :m] = 0.0
        lo[:, m : m + s] = y0
    else:
        extra[:, m : m + s] = -y0
        hi[:, :m] = x0
        lo[:, m : m + s] = 0.0
    sense = np.concatenate([-np.ones(m), np.ones(s), np.zeros(int(conv))])
    if conv:
        lo[:, -1] = hi[:, -1] = 1.0
    return ref, extra, sense, lo, hi


def _start_basis(
    ref: np.ndarray, extra: np.ndarray, sense: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Basic variables (k x R) of the start basis: radial column, lambda_start, and the
    slacks of all rows but the one fixing the radial factor (and, without a convexity row,
    the one fixing lambda_start). Variable numbering: 0 radial, 1..n lambdas, n+1+i slack i.
    Also returns which LPs have such a basis (not those with a zero radial column, or no
    positive entry of lambda_start to fix it by); the others get a placeholder basis.
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


def _shared_columns(ref: np.ndarray, sense: np.ndarray) -> np.ndarray:
    """R x (n + R): the lambda columns, then the slack columns (+1 in a <= row, -1 in >=)."""
    return np.hstack([ref, np.diag(np.where(sense < 0, 1.0, -1.0))])


def _columns(var: np.ndarray, full: np.ndarray, extra: np.ndarray, lps: np.ndarray) -> np.ndarray:
    """Coefficient vectors (len(var) x R) of variables ``var`` of LPs ``lps``."""
    out = full[:, np.clip(var - 1, 0, full.shape[1] - 1)].T.copy()
    radial = var == 0
    out[radial] = extra[lps[radial]]
    return out


def _basis_matrices(
    basis: np.ndarray, full: np.ndarray, extra: np.ndarray, lps: np.ndarray
) -> np.ndarray:
    """The basis matrices (k x R x R; column p = basic variable p's coefficients)."""
    k, rows = basis.shape
    cols = _columns(basis.ravel(), full, extra, np.repeat(lps, rows))
    return cols.reshape(k, rows, rows).transpose(0, 2, 1)


def _refined_solve(bmat: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``bmat[k] x[k] = rhs[k]`` for every k, with one step of iterative refinement whose
    residual is computed in extended precision (``numpy.longdouble``).

    Why: an LU solve in float64 can miss the exact basic solution by a few units in the last
    place, and DEAP prints three decimals, so a score that is exactly a tie (0.5625 = 0.75 x
    0.75) must come out as that float, not its neighbour below. The refinement step brings
    the float64 answer to (nearly always) the correctly rounded value of the exact solution.
    """
    x = np.linalg.solve(bmat, rhs[:, :, None])[:, :, 0]
    wide = bmat.astype(np.longdouble)
    resid = rhs.astype(np.longdouble) - np.einsum("kij,kj->ki", wide, x.astype(np.longdouble))
    corr = np.linalg.solve(bmat, resid.astype(float)[:, :, None])[:, :, 0]
    return (x.astype(np.longdouble) + corr).astype(float)


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
    k, m = x0.shape
    ref, extra, sense, lo, hi = _structure(x_ref, y_ref, x0, y0, rts, orientation)
    rows, n = ref.shape
    rhs = np.where(sense < 0, hi, lo)
    c0 = 1.0 if orientation == "in" else -1.0
    basis, ok = _start_basis(ref, extra, sense, np.asarray(start, dtype=np.int64))
    full = _shared_columns(ref, sense)
    lps = np.arange(k)
    bmat = _basis_matrices(basis, full, extra, lps)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok &= np.abs(np.linalg.det(bmat)) > 1e-12
    binv = np.zeros_like(bmat)
    binv[ok] = np.linalg.inv(bmat[ok])
    value = np.einsum("kij,kj->ki", binv, rhs)
    ok &= np.all(value > -1e-9, axis=1)
    value = np.maximum(value, 0.0)
    final_basis = basis.copy()
    solved = np.zeros(k, dtype=bool)
    act = np.flatnonzero(ok)
    basis, binv, value = basis[act], binv[act], value[act]
    slack_sign = np.where(sense < 0, 1.0, np.where(sense > 0, -1.0, 0.0))  # = rows: none
    for _ in range(MAX_ITER):
        if act.size == 0:
            break
        cb = np.where(basis == 0, c0, 0.0)
        pi = np.einsum("ki,kij->kj", cb, binv)  # duals
        d = np.empty((act.size, 1 + n + rows))
        d[:, 0] = c0 - np.einsum("ki,ki->k", pi, extra[act])
        d[:, 1 : 1 + n] = -_dot(pi, ref)
        d[:, 1 + n :] = -pi * slack_sign  # 0 for the absent slack of an equality row
        np.put_along_axis(d, basis, 0.0, axis=1)
        q = np.argmin(d, axis=1)
        done = d[np.arange(act.size), q] >= -OPT_TOL
        if done.any():
            solved[act[done]] = True
            final_basis[act[done]] = basis[done]
            keep = ~done
            act, basis, binv, value, q = act[keep], basis[keep], binv[keep], value[keep], q[keep]
            if act.size == 0:
                break
        col = _columns(q, full, extra, act)
        w = np.einsum("kij,kj->ki", binv, col)
        elig = w > PIVOT_TOL
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(elig, value / np.where(elig, w, 1.0), np.inf)
        rmin = ratio.min(axis=1)
        bad = ~np.isfinite(rmin)  # unbounded direction: not expected here; re-solved
        tie = elig & (ratio <= rmin[:, None] + 1e-12)
        p = np.argmax(np.where(tie, w, -np.inf), axis=1)
        if bad.any():
            keep = ~bad
            act, basis, binv, value = act[keep], basis[keep], binv[keep], value[keep]
            q, w, p, rmin = q[keep], w[keep], p[keep], rmin[keep]
        idx = np.arange(act.size)
        wp = w[idx, p]
        step = np.maximum(rmin, 0.0)
        value = np.maximum(value - step[:, None] * w, 0.0)
        value[idx, p] = step
        rowp = binv[idx, p, :] / wp[:, None]
        binv -= w[:, :, None] * rowp[:, None, :]
        binv[idx, p, :] = rowp
        basis[idx, p] = q
    return _certified_result(final_basis, solved, full, extra, lo, hi, rhs, c0, rts, m)


def _certified_result(
    basis: np.ndarray,
    solved: np.ndarray,
    full: np.ndarray,
    extra: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    rhs: np.ndarray,
    c0: float,
    rts: str,
    m: int,
) -> BatchResult:
    """Re-solve each final basis from scratch and certify it (see the module docstring)."""
    k, rows = extra.shape
    n = full.shape[1] - rows
    ref = full[:, :n]
    factor = np.full(k, np.nan)
    certified = np.zeros(k, dtype=bool)
    lps = np.flatnonzero(solved)
    if lps.size == 0:
        return BatchResult(factor, certified)
    b = basis[lps]
    bmat = _basis_matrices(b, full, extra, lps)
    with np.errstate(divide="ignore", invalid="ignore"):
        good = np.abs(np.linalg.det(bmat)) > 1e-12
    lps, b, bmat = lps[good], b[good], bmat[good]
    xb = _refined_solve(bmat, rhs[lps])
    cb = np.where(b == 0, c0, 0.0)
    y = np.linalg.solve(bmat.transpose(0, 2, 1), cb[:, :, None])[:, :, 0]
    z = np.zeros((lps.size, 1 + n + rows))
    np.put_along_axis(z, b, xb, axis=1)
    z = np.maximum(z[:, : 1 + n], 0.0)  # structural columns, clipped to their bounds
    theta, lam = z[:, 0], z[:, 1:]
    ex, lo_k, hi_k = extra[lps], lo[lps], hi[lps]
    # Primal residuals relative to each row's terms (certify.primal_residual, batched).
    az = ex * theta[:, None] + _dot(lam, ref.T)
    mag = np.abs(ex) * theta[:, None] + _dot(lam, np.abs(ref).T)
    lo_fin, hi_fin = np.isfinite(lo_k), np.isfinite(hi_k)
    viol = np.maximum(
        np.maximum(np.where(lo_fin, lo_k - az, 0.0), np.where(hi_fin, az - hi_k, 0.0)), 0.0
    )
    bound_mag = np.maximum(np.where(lo_fin, np.abs(lo_k), 0.0), np.where(hi_fin, np.abs(hi_k), 0.0))
    denom = mag + bound_mag
    resid = np.where(viol > 0, np.where(denom > 0, viol / np.where(denom > 0, denom, 1), np.inf), 0)
    primal_ok = np.all(resid <= PRIMAL_TOL, axis=1)
    # Rigorous dual bound (certify.dual_bound, batched) with the engine's column caps.
    y = np.where((y > 0) & ~lo_fin, 0.0, y)
    y = np.where((y < 0) & ~hi_fin, 0.0, y)
    bvec = np.where(y > 0, lo_k, np.where(y < 0, hi_k, 0.0))
    terms = np.where(y == 0, 0.0, y * np.where(np.isfinite(bvec), bvec, 0.0))
    d_rad = c0 - np.einsum("ki,ki->k", y, ex)
    d_lam = -_dot(y, ref)
    lam_cap, rad_cap = _caps(ref, ex, hi_k, theta, c0, rts, m)
    neg_lam = d_lam < 0
    col_terms = np.where(neg_lam, d_lam * np.where(neg_lam, lam_cap, 0.0), 0.0).sum(axis=1)
    col_terms += np.where(d_rad < 0, d_rad * np.where(d_rad < 0, rad_cap, 0.0), 0.0)
    finite = ~np.any(neg_lam & ~np.isfinite(lam_cap), axis=1) & ~(
        (d_rad < 0) & ~np.isfinite(rad_cap)
    )
    dual = terms.sum(axis=1) + np.where(finite, col_terms, 0.0)
    obj = c0 * theta
    gap = np.maximum(obj - dual, 0.0) / np.maximum(np.abs(obj), 1e-300)
    ok = primal_ok & finite & (gap <= GAP_TOL) & (theta > 0) & np.isfinite(theta)
    factor[lps[ok]] = theta[ok]
    certified[lps[ok]] = True
    return BatchResult(factor, certified)


def _caps(
    ref: np.ndarray,
    extra: np.ndarray,
    hi: np.ndarray,
    factor: np.ndarray,
    c0: float,
    rts: str,
    m: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds on lambdas and the radial factor valid where the optimum lies (as
    :meth:`sciteff.efficiency.engine.RadialModel.lp_data`: input orientation on the region
    theta <= 2 theta + 1, which the primal check shows contains the optimum)."""
    x_ref = ref[:m].T  # n x m
    f_cap = 2.0 * factor + 1.0
    if rts == "vrs":  # sum lambda = 1, lambda >= 0: lambda <= 1 (valid, if looser than the
        lam_cap = np.ones((extra.shape[0], ref.shape[1]))  # engine's, and 3 ms cheaper)
    else:
        # Input orientation: rows sum lambda x <= theta x0; output: sum lambda x <= x0.
        rhs_x = -extra[:, :m] * f_cap[:, None] if c0 > 0 else hi[:, :m]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(x_ref[None, :, :] > 0, rhs_x[:, None, :] / x_ref[None, :, :], np.inf)
        lam_cap = ratios.min(axis=2) if m else np.full((extra.shape[0], ref.shape[1]), np.inf)
    if c0 < 0:  # output orientation: phi y0 <= sum lambda y
        a = -extra[:, m:]
        y_ref = ref[m : m + a.shape[1]].T
        reach = _dot(np.where(np.isfinite(lam_cap), lam_cap, 0.0), y_ref)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(a > 0, reach / np.where(a > 0, a, 1.0), np.inf)
        f_cap = f.min(axis=1)
        f_cap = np.where(np.all(np.isfinite(lam_cap), axis=1), f_cap, np.inf)
    return lam_cap, f_cap
