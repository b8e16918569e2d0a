"""Many small DEA LPs solved together: a batched two-phase simplex and its certificate.

Why. A DEA run solves several LPs per DMU (CRS, VRS, NIRS scores, then the max-slack and
multi-stage steps), each with m + s (+ 1) rows against the same few hundred frontier units.
One HiGHS call per LP costs about 0.3-0.5 ms, nearly all of it fixed call overhead (model
checks, scaling, basis set-up) plus as much Python around it: at n = 5,000 that was most of
the run. Here k LPs that share their reference columns step through a revised simplex
together, as numpy operations on a stack of (rows x rows) basis inverses, so the per-LP cost
nearly disappears. The bootstrap (:mod:`sciteff.efficiency.bootstrap_lp`) and the Malmquist
distances use it too. It takes any LP of the DEA form and needs no start: phase 1 starts
from the slack / artificial basis (the identity), which is feasible because every right-hand
side in DEA is non-negative; a feasible start basis, where the caller knows one, skips it.

The LPs. ``min c.z`` over ``row_lo <= A z <= row_hi``, ``z >= 0``, each row a ``<=`` row
(``row_lo = -inf``), a ``>=`` row (``row_hi = inf``) or an equality, the same kind in every LP
of the batch. The columns are, as in :class:`~sciteff.efficiency.certify.LPData`, a few
per-LP "extra" columns (the radial factor, or the slacks) and one shared column per reference
unit (the lambdas).

Never a wrong number. Whatever the simplex says, an answer is accepted only when its final
basis, re-solved from scratch with one refinement step in extended precision, passes the same
certificate as the engine's (:mod:`sciteff.efficiency.certify`, evaluated for the whole batch
at once): primal residuals relative to each row's own terms and a rigorous dual bound with
column caps supplied by the caller. Everything else (not converged, unsafe pivot, infeasible
or unbounded, failed certificate) comes back as not certified, and the caller solves those LPs
with the engine, which certifies, re-scales or solves exactly, or raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sciteff.efficiency.certify import GAP_TOL, PRIMAL_TOL

#: Simplex steps (both phases) after which an LP is handed back unsolved (cycling guard).
MAX_ITER = 300

#: A reduced cost above -OPT_TOL counts as non-negative (the certificate decides acceptance).
OPT_TOL = 1e-9

#: Smallest pivot element accepted in the ratio test.
PIVOT_TOL = 1e-9

#: Phase 1 ends "feasible" when the artificials sum to at most this (relative to the
#: right-hand side); otherwise the LP is left to the engine, which proves infeasibility.
PHASE1_TOL = 1e-9


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` without BLAS: OpenBLAS threads these small products and, in worker processes
    on a loaded machine, then runs 4-7x slower than one thread (measured)."""
    return np.einsum("ki,ij->kj", a, b, optimize=False)


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


@dataclass(frozen=True)
class LPBatch:
    """k LPs of the DEA form (see the module docstring), sharing their reference columns.

    ``cost`` k x (e + n), extra columns first; ``extra`` k x R x e per-LP columns; ``ref``
    n x R (row j = reference column j's coefficients); ``row_lo``/``row_hi`` k x R.
    """

    cost: np.ndarray
    extra: np.ndarray
    ref: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray


@dataclass(frozen=True)
class BatchSolution:
    """Certified optima ``z`` (k x (e + n), NaN rows where ``certified`` is False) and the
    final bases (k x R variable numbers, see :func:`solve`; meaningful where certified)."""

    z: np.ndarray
    certified: np.ndarray
    basis: np.ndarray


def _kinds(lp: LPBatch) -> tuple[np.ndarray, np.ndarray]:
    """Row kind (-1 for <=, +1 for >=, 0 for =) shared by the batch, and the LPs it fits."""
    le = ~np.isfinite(lp.row_lo) & np.isfinite(lp.row_hi)
    ge = np.isfinite(lp.row_lo) & ~np.isfinite(lp.row_hi)
    eq = lp.row_lo == lp.row_hi
    kind = np.where(le[0], -1, np.where(ge[0], 1, 0))
    fits = np.all(np.where(kind < 0, le, np.where(kind > 0, ge, eq)), axis=1)
    rhs = np.where(kind < 0, lp.row_hi, lp.row_lo)
    fits &= np.all(np.isfinite(rhs) & (rhs >= 0), axis=1)
    return kind, fits


def solve(
    lp: LPBatch,
    caps: Callable[[np.ndarray, np.ndarray, np.ndarray, bool], np.ndarray],
    *,
    relative_to_objective: bool = False,
    start: np.ndarray | None = None,
    exclude: np.ndarray | None = None,
) -> BatchSolution:
    """Solve and certify every LP of the batch; ``caps(lps, z, need, tight)`` gives the column
    caps (len(lps) x (e + n)) of LPs ``lps`` at their solutions ``z``, valid on a region
    containing the optimum, where ``need`` is True (elsewhere any value; ``tight`` as in
    :func:`certify_batch`; as
    :class:`~sciteff.efficiency.certify.LPData`'s ``cap``); ``relative_to_objective`` as in
    :func:`~sciteff.efficiency.certify.certify_optimal`.

    Variables are numbered: extra columns ``0..e-1``, lambdas ``e..e+n-1``, the row slacks
    ``e+n+i`` (+1 in a <= row, -1 in a >= row) and artificials ``e+n+R+i`` (+1 in row i).
    ``start`` (k x R, optional) proposes a feasible start basis per LP, -1 marking up to two
    positions to be filled with artificials (at zero); an LP whose proposal is singular or not
    feasible starts from the identity basis (phase 1) instead. ``exclude[i]`` (optional, -1:
    none) is a reference column LP i may not use (its lambda is fixed at zero: it never
    enters, and the certificate caps it at zero), as for a super-efficiency LP.
    """
    k, rows, e = lp.extra.shape
    n = lp.ref.shape[0]
    if k == 0:  # e.g. no DMU left for a stage of the multi-stage slacks
        return BatchSolution(
            np.zeros((0, e + n)), np.zeros(0, dtype=bool), np.zeros((0, rows), dtype=np.int64)
        )
    kind, ok = _kinds(lp)
    rhs = np.where(kind < 0, lp.row_hi, lp.row_lo)
    width = e + n  # structural columns; then R slacks, then R artificials
    slack_sign = np.where(kind < 0, 1.0, -1.0)
    shared = np.hstack([lp.ref.T, np.diag(slack_sign), np.eye(rows)])  # R x (n + 2R)
    ref_t = np.ascontiguousarray(lp.ref.T)
    # Slacks of = rows and artificials of <= rows do not exist: never priced in.
    absent = np.where(np.concatenate([kind == 0, kind < 0]), np.inf, 0.0)
    ref_cost = lp.cost[:, e:] if np.any(lp.cost[:, e:]) else None  # DEA: lambdas cost 0
    identity = np.where(kind < 0, width, width + rows) + np.arange(rows)
    final = np.broadcast_to(identity, (k, rows)).copy()
    solved = np.zeros(k, dtype=bool)
    act = np.flatnonzero(ok)
    basis0 = final[act].copy()
    binv0 = np.broadcast_to(np.eye(rows), (act.size, rows, rows)).copy()
    value0 = rhs[act].copy()
    phase0 = np.ones(act.size, dtype=np.int8)
    if start is not None and act.size:
        warm, wb, wi, wv = _warm_start(lp.extra[act], start[act], shared, width, rhs[act])
        basis0[warm], binv0[warm], value0[warm], phase0[warm] = wb, wi, wv, 2
    a = {  # the active LPs' state, subset together whenever LPs finish
        "act": act,
        "basis": basis0,
        "binv": binv0,
        "value": value0,
        "phase": phase0,
        "cost_e": lp.cost[act, :e],
        "cost_n": None if ref_cost is None else ref_cost[act],
        "extra": lp.extra[act],
        "scale": np.maximum(np.abs(rhs[act]).sum(axis=1), 1.0),
        "exclude": None if exclude is None else np.asarray(exclude, dtype=np.int64)[act],
    }

    def keep(mask: np.ndarray) -> None:
        for key, arr in a.items():
            if arr is not None:
                a[key] = arr[mask]

    for _ in range(MAX_ITER):
        if a["act"].size == 0:
            break
        basis, binv, value, phase = a["basis"], a["binv"], a["value"], a["phase"]
        p1 = phase == 1
        cb = np.where(
            p1[:, None], basis >= width + rows, _basic_cost(a["cost_e"], a["cost_n"], basis, e)
        )
        pi = np.einsum("ki,kij->kj", cb, binv)
        # Reduced costs: the lambdas (the wide part), then extra, slack and artificial columns.
        # Basic columns price at zero up to rounding, so they are not masked out.
        d_ref = -_dot(pi, ref_t)
        if a["cost_n"] is not None:
            d_ref += np.where(p1[:, None], 0.0, a["cost_n"])
        if a["exclude"] is not None:
            out = np.flatnonzero(a["exclude"] >= 0)
            d_ref[out, a["exclude"][out]] = np.inf
        d_small = np.empty((basis.shape[0], e + 2 * rows))
        d_small[:, :e] = np.where(p1[:, None], 0.0, a["cost_e"])
        d_small[:, :e] -= np.einsum("kr,kre->ke", pi, a["extra"])
        d_small[:, e : e + rows] = -pi * slack_sign
        d_small[:, e + rows :] = np.where(p1[:, None], 1.0 - pi, np.inf)
        d_small[:, e:] += absent
        q_ref, q_small = np.argmin(d_ref, axis=1), np.argmin(d_small, axis=1)
        idx = np.arange(basis.shape[0])
        v_ref, v_small = d_ref[idx, q_ref], d_small[idx, q_small]
        use_ref = v_ref < v_small
        q = np.where(use_ref, e + q_ref, np.where(q_small < e, q_small, q_small + n))
        done = np.minimum(v_ref, v_small) >= -OPT_TOL
        if done.any():
            art_sum = np.where(basis >= width + rows, value, 0.0).sum(axis=1)
            feasible = art_sum <= PHASE1_TOL * a["scale"]
            finish = done & ~p1
            drop = done & p1 & ~feasible  # (maybe) infeasible: the engine proves it
            phase[done & p1 & feasible] = 2
            solved[a["act"][finish]] = True
            final[a["act"][finish]] = basis[finish]
            stay = ~(finish | drop)
            if not stay.all():
                keep(stay)
                q, done = q[stay], done[stay]
            if a["act"].size == 0:
                break
            if done.any():  # just entered phase 2: price again with the real costs
                continue
            basis, binv, value, phase = a["basis"], a["binv"], a["value"], a["phase"]
        col = _columns(q, a["extra"], shared, width, e)
        w = np.einsum("kij,kj->ki", binv, col)
        elig = w > PIVOT_TOL
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(elig, value / np.where(elig, w, 1.0), np.inf)
        # Phase 2: an artificial still basic (at zero) must stay at zero, so it leaves as
        # soon as the entering column touches its row, whatever the sign.
        stuck = (phase == 2)[:, None] & (basis >= width + rows) & (np.abs(w) > PIVOT_TOL)
        ratio = np.where(stuck, 0.0, ratio)
        rmin = ratio.min(axis=1)
        bad = ~np.isfinite(rmin)  # unbounded direction: left to the engine
        tie = (elig | stuck) & (ratio <= rmin[:, None] + 1e-12)
        p = np.argmax(np.where(tie, np.abs(w), -np.inf), axis=1)
        if bad.any():
            good = ~bad
            keep(good)
            basis, binv, value = a["basis"], a["binv"], a["value"]
            q, w, p, rmin = q[good], w[good], p[good], rmin[good]
        idx = np.arange(basis.shape[0])
        wp = w[idx, p]
        step = np.maximum(rmin, 0.0)
        value -= step[:, None] * w
        np.maximum(value, 0.0, out=value)
        value[idx, p] = step
        rowp = binv[idx, p, :] / wp[:, None]
        binv -= w[:, :, None] * rowp[:, None, :]
        binv[idx, p, :] = rowp
        basis[idx, p] = q
    if exclude is not None:  # an excluded column is capped at zero in the certificate
        drop = np.asarray(exclude, dtype=np.int64)

        def capped(lps: np.ndarray, z: np.ndarray, need: np.ndarray, tight: bool) -> np.ndarray:
            out = np.array(given(lps, z, need, tight), dtype=float)
            rows = np.flatnonzero(drop[lps] >= 0)
            out[rows, e + drop[lps][rows]] = 0.0
            return out

        given, caps = caps, capped
    return _certify(lp, final, solved, shared, width, caps, relative_to_objective)


def _warm_start(
    extra: np.ndarray, start: np.ndarray, shared: np.ndarray, width: int, rhs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which proposed start bases are usable, and their basis, inverse and values.

    Missing positions (-1) get the artificials of the rows that make the basis best
    conditioned: with N an orthonormal basis of the vectors orthogonal to the known columns
    (the last left singular vectors), filling the slots with unit columns e_i, e_j gives a
    determinant proportional to the minor of N on rows i, j, so the rows maximising it are
    taken (at most two positions). Usable: nonsingular, all values >= 0 up to rounding and
    every artificial at zero (relative ``PHASE1_TOL``).
    """
    rows = start.shape[1]
    e = extra.shape[2]
    start = start.copy()
    missing = start < 0
    count = missing.sum(axis=1)
    usable = count <= 2
    art = width + rows
    for c in (1, 2):
        lps = np.flatnonzero(usable & (count == c))
        if lps.size == 0:
            continue
        known = np.where(missing[lps], art, start[lps])  # placeholder, zeroed below
        mat = _matrices(known, extra[lps], shared, width, e)
        mat[np.repeat(missing[lps][:, None, :], rows, axis=1)] = 0.0
        null = np.linalg.svd(mat)[0][:, :, rows - c :]  # k x R x c
        if c == 1:
            pick = np.argmax(np.abs(null[:, :, 0]), axis=1)[:, None]
        else:
            minor = np.abs(
                null[:, :, None, 0] * null[:, None, :, 1]
                - null[:, None, :, 0] * null[:, :, None, 1]
            )
            flat = np.argmax(minor.reshape(lps.size, -1), axis=1)
            pick = np.column_stack([flat // rows, flat % rows])
        slots = np.argsort(~missing[lps], axis=1, kind="stable")[:, :c]  # the -1 positions
        start[lps[:, None], slots] = art + pick
    start = np.where(usable[:, None], start, art + np.arange(rows))
    bmat = _matrices(start, extra, shared, width, e)
    with np.errstate(divide="ignore", invalid="ignore"):
        usable &= np.abs(np.linalg.det(bmat)) > 1e-12
    binv = np.zeros_like(bmat)
    binv[usable] = np.linalg.inv(bmat[usable])
    value = np.einsum("kij,kj->ki", binv, rhs)
    scale = np.maximum(np.abs(rhs).sum(axis=1), 1.0)
    usable &= np.all(value >= -PHASE1_TOL * scale[:, None], axis=1)
    usable &= np.all(np.where(start >= art, np.abs(value), 0.0) <= PHASE1_TOL * scale[:, None], 1)
    return usable, start[usable], binv[usable], np.maximum(value[usable], 0.0)


def _matrices(
    basis: np.ndarray, extra: np.ndarray, shared: np.ndarray, width: int, e: int
) -> np.ndarray:
    """Basis matrices (k x R x R, column p = basic variable p's coefficients)."""
    k, rows = basis.shape
    cols = _columns(basis.ravel(), np.repeat(extra, rows, axis=0), shared, width, e)
    return cols.reshape(k, rows, rows).transpose(0, 2, 1)


def _basic_cost(
    cost_e: np.ndarray, cost_n: np.ndarray | None, basis: np.ndarray, e: int
) -> np.ndarray:
    """Phase-2 costs of the basic variables: extra columns ``cost_e``, lambdas ``cost_n``
    (None: all zero); slacks and artificials cost nothing."""
    out = np.zeros(basis.shape)
    if e:
        own = basis < e
        out = np.where(own, np.take_along_axis(cost_e, np.where(own, basis, 0), axis=1), 0.0)
    if cost_n is not None:
        lam = (basis >= e) & (basis < e + cost_n.shape[1])
        picked = np.take_along_axis(cost_n, np.clip(basis - e, 0, cost_n.shape[1] - 1), axis=1)
        out = np.where(lam, picked, out)
    return out


def _columns(
    var: np.ndarray, extra: np.ndarray, shared: np.ndarray, width: int, e: int
) -> np.ndarray:
    """Coefficient vectors (len(var) x R) of variable ``var[i]`` of LP i."""
    out = shared[:, np.clip(var - e, 0, shared.shape[1] - 1)].T.copy()
    own = var < e
    if own.any():
        out[own] = extra[np.flatnonzero(own), :, var[own]]
    return out


def _certify(
    lp: LPBatch,
    basis: np.ndarray,
    solved: np.ndarray,
    shared: np.ndarray,
    width: int,
    caps: Callable[[np.ndarray, np.ndarray, np.ndarray, bool], np.ndarray],
    relative_to_objective: bool,
) -> BatchSolution:
    """Re-solve each final basis from scratch and certify it (see the module docstring)."""
    k, rows, e = lp.extra.shape
    z_out = np.full((k, width), np.nan)
    certified = np.zeros(k, dtype=bool)
    lps = np.flatnonzero(solved)
    if lps.size == 0:
        return BatchSolution(z_out, certified, basis)
    b = basis[lps]
    bmat = _matrices(b, lp.extra[lps], shared, width, e)
    with np.errstate(divide="ignore", invalid="ignore"):
        good = np.abs(np.linalg.det(bmat)) > 1e-12
    lps, b, bmat = lps[good], b[good], bmat[good]
    if lps.size == 0:
        return BatchSolution(z_out, certified, basis)
    kind, _ = _kinds(lp)
    rhs = np.where(kind < 0, lp.row_hi[lps], lp.row_lo[lps])
    xb = _refined_solve(bmat, rhs)
    cost = lp.cost[lps]
    cb = _basic_cost(cost[:, :e], cost[:, e:], b, e)
    y = np.linalg.solve(bmat.transpose(0, 2, 1), cb[:, :, None])[:, :, 0]
    full = np.zeros((lps.size, width + 2 * rows))
    np.put_along_axis(full, b, xb, axis=1)
    z = np.maximum(full[:, :width], 0.0)
    ok = certify_batch(
        LPBatch(cost, lp.extra[lps], lp.ref, lp.row_lo[lps], lp.row_hi[lps]),
        z,
        y,
        caps=lambda rows, need, tight: caps(lps[rows], z[rows], need, tight),
        relative_to_objective=relative_to_objective,
    )
    z_out[lps[ok]] = z[ok]
    certified[lps[ok]] = True
    return BatchSolution(z_out, certified, basis)


def certify_batch(
    lp: LPBatch,
    z: np.ndarray,
    y: np.ndarray,
    *,
    caps: Callable[[np.ndarray, np.ndarray, bool], np.ndarray],
    relative_to_objective: bool,
) -> np.ndarray:
    """:func:`~sciteff.efficiency.certify.certify_optimal` for every LP of a batch at once:
    which claimed optima ``z`` (k x C) with row duals ``y`` (k x R) are certified.
    ``caps(rows, need, tight)`` gives the column caps of the LPs ``rows`` where ``need``
    (their columns with a negative reduced cost: only those enter the bound) is True; with
    ``tight`` False cheaper, looser ones may be given (both must be valid): an LP whose gap
    the loose caps do not close is checked again with the tight ones."""
    e = lp.extra.shape[2]
    ze, zn = z[:, :e], z[:, e:]
    obj = np.einsum("kc,kc->k", lp.cost, z)
    az = np.einsum("kre,ke->kr", lp.extra, ze) + _dot(zn, lp.ref)
    mag = np.einsum("kre,ke->kr", np.abs(lp.extra), ze) + _dot(zn, np.abs(lp.ref))
    lo, hi = lp.row_lo, lp.row_hi
    lo_fin, hi_fin = np.isfinite(lo), np.isfinite(hi)
    viol = np.maximum(
        np.maximum(np.where(lo_fin, lo - az, 0.0), np.where(hi_fin, az - hi, 0.0)), 0.0
    )
    bound_mag = np.maximum(np.where(lo_fin, np.abs(lo), 0.0), np.where(hi_fin, np.abs(hi), 0.0))
    denom = mag + bound_mag
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = np.where(viol > 0, np.where(denom > 0, viol / denom, np.inf), 0.0)
    primal_ok = np.all(resid <= PRIMAL_TOL, axis=1)
    y = np.where((y > 0) & ~lo_fin, 0.0, y)
    y = np.where((y < 0) & ~hi_fin, 0.0, y)
    bvec = np.where(y > 0, lo, np.where(y < 0, hi, 0.0))
    terms = np.where(y == 0, 0.0, y * np.where(np.isfinite(bvec), bvec, 0.0))
    d = lp.cost.copy()
    d[:, :e] -= np.einsum("kr,kre->ke", y, lp.extra)
    d[:, e:] -= _dot(y, lp.ref.T)
    neg = d < 0
    term_sum, term_abs = terms.sum(axis=1), np.abs(terms).sum(axis=1)

    def gap_ok(rows: np.ndarray, tight: bool) -> np.ndarray:
        """Duality gap within GAP_TOL for LPs ``rows``, with caps of that tightness."""
        ng = neg[rows]
        cap = np.zeros(ng.shape)
        some = np.flatnonzero(ng.any(axis=1))
        if some.size:
            cap[some] = np.where(ng[some], caps(rows[some], ng[some], tight), 0.0)
        finite = ~np.any(ng & ~np.isfinite(cap), axis=1)
        col = np.where(ng, d[rows] * np.where(ng & np.isfinite(cap), cap, 0.0), 0.0)
        bound = term_sum[rows] + col.sum(axis=1)
        size = np.abs(obj[rows])
        if not relative_to_objective:
            size = np.maximum(size, term_abs[rows] + np.abs(col).sum(axis=1))
        gap = np.maximum(obj[rows] - bound, 0.0) / np.maximum(size, 1e-300)
        return finite & (gap <= GAP_TOL)

    ok = primal_ok & np.all(np.isfinite(z), axis=1) & np.all(np.isfinite(y), axis=1)
    rows = np.flatnonzero(ok)
    passed = gap_ok(rows, tight=False)  # cheap caps first, the tight ones where needed
    again = rows[~passed]
    ok[again] = gap_ok(again, tight=True) if again.size else ok[again]
    return ok
