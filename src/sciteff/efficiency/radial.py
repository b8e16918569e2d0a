"""Radial DEA scores of any DMUs against any reference set (the core LP loop).

See :mod:`sciteff.efficiency.dea` for the public API and :mod:`sciteff.efficiency.engine`
for the LP itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.pool import Pool

import numpy as np
from scipy import sparse

from sciteff.core.errors import SolverError
from sciteff.efficiency.batch_radial import radial_batch
from sciteff.efficiency.engine import (
    ORIENTATIONS,
    RTS_CHOICES,
    RadialModel,
    UncertifiedError,
    check_choice,
    scale_factors,
)
from sciteff.efficiency.frontier import PREPASS_MIN_REF, frontier_candidates
from sciteff.efficiency.workers import auto_workers, blocks, pool_for, run_blocks

#: Lambdas at or below this are LP rounding noise and are not stored (nor reported as peers).
LAMBDA_ZERO_TOL = 1e-9


@dataclass(frozen=True)
class RadialResult:
    """Radial DEA results for k evaluated DMUs against n reference DMUs.

    ``score``: theta (input) or 1/phi (output), nan where the LP is infeasible.
    ``factor``: theta (input) or phi (output), nan where infeasible.
    ``status``: "optimal", "infeasible" or "unbounded" per evaluated DMU; every one of them is
    certified (see :mod:`sciteff.efficiency.certify`): an LP that cannot be certified raises
    :class:`~sciteff.efficiency.engine.UncertifiedError` listing the rows.
    ``lambdas``: sparse k x n peer weights on the *original* reference rows (CSR; empty rows
    where infeasible).
    ``ref_index``: the reference rows the LPs were solved against (the frontier candidates
    when pruning, else all rows); every positive lambda is on one of them.
    ``basis``: the final simplex basis of each LP the batched simplex solved (k x rows,
    numbering of :func:`~sciteff.efficiency.batch_radial.slack_start`, columns relative to
    ``ref_index``), -1 rows for the others; a warm start for the slack stage.
    """

    score: np.ndarray
    factor: np.ndarray
    status: np.ndarray
    lambdas: sparse.csr_array
    ref_index: np.ndarray
    basis: np.ndarray | None = None


def _as_2d(name: str, a: object) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (rows = DMUs)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains non-finite values")
    if np.any(arr < 0):
        raise ValueError(f"{name} contains negative values")
    return arr


def phi_unbounded(
    x_ref: np.ndarray, y_ref: np.ndarray, y0: np.ndarray, rts: str, skip: int | None = None
) -> bool:
    """Whether the output-oriented radial LP (max phi) of a DMU with outputs ``y0`` is
    unbounded, decided exactly from the data (HiGHS's "unbounded" is accepted only then).

    phi is unbounded iff the LP has a ray: lambda-direction d >= 0 with X d <= 0 and Y d >=
    y0 (phi's direction 1). With X >= 0, X d <= 0 puts d on reference DMUs using no input at
    all. Under VRS and NIRS sum d <= 0 as well, so d = 0 and the ray exists iff y0 = 0; under
    CRS it exists iff every output that y0 has is made by some such DMU (sum them, each
    weighted enough). ``skip``: a reference row left out (super-efficiency)."""
    need = y0 > 0
    if not need.any():
        return True
    if rts != "crs":
        return False
    free = np.all(x_ref == 0, axis=1)
    if skip is not None:
        free[skip] = False
    return bool(np.all(np.any(y_ref[free][:, need] > 0, axis=0)))


def _solve_chunk(
    xe: np.ndarray,
    ye: np.ndarray,
    xr: np.ndarray,
    yr: np.ndarray,
    rts: str,
    orientation: str,
    exclude_self: bool,
    offset: int,
    batched: bool = True,
) -> tuple[np.ndarray, ...]:
    """Solve the LPs of a block of evaluated DMUs against one reference set (scaled data).

    Returns score, factor, status, the nonzero lambdas as (row, ref column, value) arrays and
    the block rows whose LP could not be certified (their score stays nan; the caller raises).
    ``offset`` is the position of the block's first DMU in the reference set, for
    ``exclude_self``. ``batched``: solve the LPs together first (batch_radial), the rest
    (and all of them otherwise) one by one with the engine.
    """
    k = xe.shape[0]
    score = np.full(k, np.nan)
    factor = np.full(k, np.nan)
    status = np.full(k, "infeasible", dtype=object)
    li: list[np.ndarray] = []
    lj: list[np.ndarray] = []
    lv: list[np.ndarray] = []
    failed: list[int] = []
    todo = range(k)
    rows_lp = xe.shape[1] + ye.shape[1] + int(rts != "crs")
    basis = np.full((k, rows_lp), -1, dtype=np.int64)
    if (
        batched and not exclude_self and k
    ):  # most LPs at once (batch_radial), the rest one by one below
        batch = radial_batch(xr, yr, xe, ye, rts=rts, orientation=orientation)
        good = batch.certified
        r, c = np.nonzero(good[:, None] & (batch.lambdas > LAMBDA_ZERO_TOL))
        li.append(r)
        lj.append(c)
        lv.append(batch.lambdas[r, c])
        basis[good] = batch.basis[good]
        factor[good] = batch.factor[good]
        score[good] = batch.factor[good] if orientation == "in" else 1.0 / batch.factor[good]
        status[good] = "optimal"
        todo = np.flatnonzero(~good).tolist()
    model = RadialModel(xr, yr, rts=rts, orientation=orientation) if todo else None
    for i in todo:
        assert model is not None
        if exclude_self:
            model.exclude(offset + i)
        try:
            sol = model.solve(xe[i], ye[i])
        except UncertifiedError:
            failed.append(i)
            status[i] = "uncertified"
            continue
        if sol.status == "unbounded":
            skip = offset + i if exclude_self else None
            if orientation == "out" and phi_unbounded(xr, yr, ye[i], rts, skip):
                # phi = inf for certain (see phi_unbounded): Farrell score 1/phi = 0.
                status[i], factor[i], score[i] = "unbounded", np.inf, 0.0
                continue
            raise SolverError(f"the DEA LP of evaluated row {offset + i + 1} is unbounded")
        status[i] = sol.status
        if sol.status != "optimal":
            continue
        assert sol.lambdas is not None
        nz = np.flatnonzero(sol.lambdas > LAMBDA_ZERO_TOL)
        li.append(np.full(nz.size, i))
        lj.append(nz)
        lv.append(sol.lambdas[nz])
        factor[i] = sol.factor
        if orientation == "in":
            score[i] = sol.factor
        elif sol.factor > 0:
            score[i] = 1.0 / sol.factor
        else:
            # phi = 0: no positive multiple of y0 is producible from x0; 1/phi is undefined.
            status[i], score[i] = "infeasible", np.nan
    cat = np.concatenate
    empty_i, empty_f = np.zeros(0, dtype=int), np.zeros(0)
    return (
        score,
        factor,
        status,
        cat(li) if li else empty_i,
        cat(lj) if lj else empty_i,
        cat(lv) if lv else empty_f,
        np.asarray(failed, dtype=int),
        basis,
    )


def radial_scores(
    x_eval: np.ndarray,
    y_eval: np.ndarray,
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    *,
    rts: str = "crs",
    orientation: str = "in",
    prune: bool | None = None,
    exclude_self: bool = False,
    candidates: np.ndarray | None = None,
    workers: int | None = None,
    generators: np.ndarray | None = None,
    pool: Pool | None = None,
    block_size: int | None = None,
    batched: bool = True,
) -> RadialResult:
    """Solve the radial envelopment LP of every evaluated DMU against the reference set.

    ``prune`` (default: automatic, on when there are at least ``PREPASS_MIN_REF`` reference
    DMUs) first shrinks the reference set to frontier candidates, which changes no score
    (proof in :mod:`sciteff.efficiency.frontier`) but makes each LP much smaller.
    ``exclude_self=True`` requires eval == ref row by row and drops row i from the reference
    set when evaluating DMU i (super-efficiency); pruning is then disabled, because removing
    a DMU can put back into play DMUs it dominated.
    ``candidates`` optionally passes reference row indices already known to generate the
    same technology (e.g. from :func:`sciteff.efficiency.frontier.undominated`), to skip that step.
    ``generators`` passes reference row indices known to generate the technology under every
    returns to scale (:func:`sciteff.efficiency.frontier.vrs_generators`); they are used as the
    reference set as they are (no pruning step), so one frontier serves CRS, VRS and NIRS.
    ``workers`` splits the evaluated DMUs over that many forked processes (default: automatic,
    more than one only for large problems on machines with several cores); every worker
    builds its own model. ``block_size`` instead solves fixed blocks of that many DMUs, each
    with a model of its own (:mod:`sciteff.efficiency.workers`), in ``pool`` when one is
    given: the results are then independent of the number of workers. ``batched=False``
    solves every LP with the engine (HiGHS) instead of the batched simplex first: the scores
    are the same, but where the optimal lambdas are not unique, which ones come out depends
    on the solver (DEAP's one-stage residual slacks are reproduced with the engine).
    """
    rts = check_choice("rts", rts, RTS_CHOICES)
    orientation = check_choice("orientation", orientation, ORIENTATIONS)
    xe, ye = _as_2d("x_eval", x_eval), _as_2d("y_eval", y_eval)
    xr, yr = _as_2d("x_ref", x_ref), _as_2d("y_ref", y_ref)
    if xe.shape[0] != ye.shape[0] or xr.shape[0] != yr.shape[0]:
        raise ValueError("inputs and outputs must have the same number of rows")
    if xe.shape[1] != xr.shape[1] or ye.shape[1] != yr.shape[1]:
        raise ValueError("evaluated and reference sets must have the same variables")
    if exclude_self and xe.shape[0] != xr.shape[0]:
        raise ValueError("exclude_self needs the evaluated set to be the reference set")
    k, n = xe.shape[0], xr.shape[0]
    score = np.full(k, np.nan)
    factor = np.full(k, np.nan)
    status = np.full(k, "infeasible", dtype=object)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    basis = np.full((k, xe.shape[1] + ye.shape[1] + int(rts != "crs")), -1, dtype=np.int64)

    def result(ref_idx: np.ndarray) -> RadialResult:
        lam = sparse.csr_array(
            (
                np.concatenate(vals) if vals else np.zeros(0),
                (
                    np.concatenate(rows) if rows else np.zeros(0, dtype=int),
                    np.concatenate(cols) if cols else np.zeros(0, dtype=int),
                ),
            ),
            shape=(k, n),
        )
        return RadialResult(score, factor, status, lam, ref_idx, basis)

    if k == 0:
        return result(np.arange(n))
    # Scale every variable by its mean over the reference set (units do not change scores).
    sx = scale_factors(xr) if n else np.ones(xr.shape[1])
    sy = scale_factors(yr) if n else np.ones(yr.shape[1])
    xe, ye, xr, yr = xe / sx, ye / sy, xr / sx, yr / sy
    if exclude_self:
        prune = False
    elif prune is None:
        prune = n >= PREPASS_MIN_REF
    if generators is not None and not exclude_self:
        ref_idx = np.asarray(generators, dtype=int)
    elif prune:
        ref_idx = frontier_candidates(
            xr, yr, rts=rts, orientation=orientation, candidates=candidates
        )
    else:
        ref_idx = np.arange(n)
    if n == 0 or ref_idx.size == 0:
        return result(ref_idx)
    n_workers = auto_workers(k) if workers is None else max(1, int(workers))
    if exclude_self:
        n_workers, pool = 1, None
    if block_size is not None:
        chunks = blocks(k, block_size)
    else:
        chunks = np.array_split(np.arange(k), n_workers)
    args = [
        (
            xe[c],
            ye[c],
            xr[ref_idx],
            yr[ref_idx],
            rts,
            orientation,
            exclude_self,
            c[0] if c.size else 0,
            batched,
        )
        for c in chunks
    ]
    if block_size is not None or n_workers == 1:
        parts = run_blocks(_solve_chunk, args, pool)
    else:
        with pool_for(k, n_workers) as own:
            parts = run_blocks(_solve_chunk, args, own)
    failed: list[int] = []
    for c, (sc, fa, st, li, lj, lv, bad, bs) in zip(chunks, parts, strict=True):
        score[c], factor[c], status[c], basis[c] = sc, fa, st, bs
        rows.append(c[li])
        cols.append(ref_idx[lj])
        vals.append(lv)
        failed.extend(c[bad].tolist())
    if failed:
        shown = ", ".join(str(r + 1) for r in failed[:20])
        raise UncertifiedError(
            f"the DEA LPs ({rts.upper()}, {orientation}) of {len(failed)} evaluated rows "
            f"({shown}{', ...' if len(failed) > 20 else ''}) could not be certified, neither "
            "rescaled nor in exact arithmetic",
            rows=failed,
        )
    return result(ref_idx)


def efficiency(
    x_eval: np.ndarray,
    y_eval: np.ndarray,
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    *,
    rts: str = "crs",
    orientation: str = "in",
) -> np.ndarray:
    """Radial DEA scores of the evaluated DMUs against a reference set.

    ``x_eval`` (k x m), ``y_eval`` (k x s), ``x_ref`` (n x m), ``y_ref`` (n x s); ``rts`` in
    {"crs", "vrs", "nirs"}; ``orientation`` in {"in", "out"}. Input orientation returns
    theta = min{theta : sum lambda x_ref <= theta x0, sum lambda y_ref >= y0, lambda >= 0};
    output orientation returns the Farrell output score 1/phi with
    phi = max{phi : sum lambda x_ref <= x0, sum lambda y_ref >= phi y0, lambda >= 0};
    VRS adds sum lambda = 1, NIRS sum lambda <= 1.

    The evaluated DMUs need not belong to the reference set (Malmquist cross-period distances),
    so scores above 1 are legitimate. An infeasible LP gives ``nan``, never a made-up number;
    an output-orientated DMU with all outputs zero, or under CRS one whose every output is also
    made by a reference DMU using no input, gives 0 (phi unbounded). Any other solver
    failure, or a solution that fails its feasibility re-check, raises SolverError.
    """
    return radial_scores(x_eval, y_eval, x_ref, y_ref, rts=rts, orientation=orientation).score
