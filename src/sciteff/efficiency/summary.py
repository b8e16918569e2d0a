"""DEAP 2.1's VRS summary table (crste, vrste, scale, irs/drs/-) and super-efficiency.

This is the function the pipeline and the ``sciteff dea`` command both call. Conventions are
DEAP 2.1's (Coelli 1996, CEPA Working Paper 96/08) and are collected in
``docs/dea_conventions.md``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from sciteff.core.errors import SolverError
from sciteff.efficiency.batch_slacks import project_batch
from sciteff.efficiency.certify import describe_dmus
from sciteff.efficiency.engine import (
    ORIENTATIONS,
    RTS_CHOICES,
    RadialModel,
    RadialSolution,
    UncertifiedError,
    check_choice,
    scale_factors,
)
from sciteff.efficiency.frontier import (
    FRONTIER_TOL,
    PREPASS_MIN_REF,
    frontier_sets,
    vrs_generators,
)
from sciteff.efficiency.radial import (
    LAMBDA_ZERO_TOL,
    RadialResult,
    phi_unbounded,
    radial_scores,
)
from sciteff.efficiency.slacks import SLACK_METHODS, Projector
from sciteff.efficiency.validate import validate_dea_data, zeros_allowed
from sciteff.efficiency.workers import BLOCK, blocks, pool_for, run_blocks

#: DEAP 2.1 prints "-" (constant returns) when |crste - vrste| is below this (measured on DEAP
#: 2.1: a difference of 0.00046 gave "-", 0.00054 gave "drs").
RTS_DASH_TOL = 0.0005

#: "NIRS score equals VRS score" when they differ by at most this. The NIRS score always equals
#: either the CRS or the VRS score (if the NIRS optimum has sum lambda < 1 it is also a CRS
#: optimum; if sum lambda = 1 it is VRS-feasible), and the rule is only applied when those two
#: differ by >= RTS_DASH_TOL, so any tolerance far below 0.00025 and above LP precision
#: (about 1e-9) decides identically.
NIRS_EQUAL_TOL = 1e-6

#: An own-reference score outside (0, 1 + OWN_SCORE_TOL] is impossible and raises SolverError.
OWN_SCORE_TOL = 1e-6


def scale_rts(
    crste: np.ndarray | float, vrste: np.ndarray | float, nirs_te: np.ndarray | float
) -> np.ndarray:
    """DEAP 2.1's returns-to-scale label for each DMU: "-", "drs" or "irs".

    "-" when |crste - vrste| < 0.0005 (DEAP's rule, even where the scale ratio is far from 1
    for tiny scores); otherwise "drs" when the NIRS score equals the VRS score (within
    ``NIRS_EQUAL_TOL``) and "irs" when it does not. Works the same for input scores and
    Farrell output scores. A NaN score gives "".
    """
    crs = np.atleast_1d(np.asarray(crste, dtype=float))
    vrs = np.atleast_1d(np.asarray(vrste, dtype=float))
    nirs = np.atleast_1d(np.asarray(nirs_te, dtype=float))
    out = np.where(np.abs(nirs - vrs) <= NIRS_EQUAL_TOL, "drs", "irs").astype(object)
    out[np.abs(crs - vrs) < RTS_DASH_TOL] = "-"
    out[np.isnan(crs) | np.isnan(vrs) | np.isnan(nirs)] = ""
    return out


def check_own_scores(
    name: str, score: np.ndarray, labels: list[str], allow_zero: bool = False
) -> None:
    """An evaluated DMU is in its own reference set: its score must lie in (0, 1].

    With zeros allowed, a score of 0 (no outputs: theta = 0, or phi unbounded) and nan (an
    LP the zeros make infeasible) are possible too; the caller reports them as statuses.
    """
    ok = (score > 0) & (score <= 1 + OWN_SCORE_TOL)
    if allow_zero:
        ok |= (score == 0) | np.isnan(score)
    bad = ~ok
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise SolverError(
            f"impossible {name} score {float(score[pos])!r} for DMU {labels[pos]!r} "
            "(own-reference scores must lie in (0, 1]); refusing to report it"
        )


def uncertified_error(
    what: str, x: np.ndarray, y: np.ndarray, names: list[str], labels: list[str], rows: list[int]
) -> UncertifiedError:
    """The error for LPs that could not be certified, naming the DMUs and diagnosing them."""
    return UncertifiedError(
        f"cannot certify the {what} of {len(rows)} DMU(s), so no number is reported: "
        + describe_dmus(x, y, names, labels, rows)
        + ". Check these DMUs' units and values (a value many orders of magnitude from the "
        "rest is usually a data error).",
        rows=rows,
    )


def _fronts(xs, ys, orientation, gens, pool) -> dict[str, np.ndarray | None]:
    """The reference rows of each returns to scale: the VRS generating set for VRS, its
    CRS and NIRS frontiers (fewer units) for those; None (all rows) for small problems."""
    fronts: dict[str, np.ndarray | None] = dict.fromkeys(RTS_CHOICES, gens)
    if gens is not None:
        models = ("crs", "nirs")
        sets = frontier_sets(xs, ys, models, orientation=orientation, candidates=gens, pool=pool)
        fronts.update(zip(models, sets, strict=True))
    return fronts


class _StageError(Exception):
    """A block's LPs of one stage (``what``) that could not be certified (global ``rows``)."""

    def __init__(self, what: str, rows: list[int]) -> None:
        super().__init__(what, rows)
        self.what, self.rows = what, rows


#: Stages in the order their failures are reported.
_STAGES = ("CRS scores", "VRS scores", "NIRS scores")


def _summary_block(rows, fronts, orientation, method, xs=None, ys=None, labels=None):
    """Every LP stage of one block of DMUs (``rows``): CRS, VRS and NIRS scores, then the
    slack stage from the VRS results, with LP models of the block's own.

    Why one task per block: the stages of a block depend only on its own earlier stages, so
    a worker runs them back to back, with no wait for the other blocks between stages and
    no lambdas shipped to the parent and back (measured, 5,000 DMUs 3 x 3: four waits for
    the slowest block and 0.1 s of transfers). ``xs``/``ys``/``labels`` default to what the
    forked workers inherit (:data:`_FORKED`). Returns ``(crs, vrs, nirs, projected,
    failure)``: ``projected`` is the block's targets, slacks, peers (texts, then
    :func:`peer_weights`' arrays with global DMU rows) and uncertified rows, ``failure``
    ``(stage, global rows)`` of the first stage whose LPs were not certified (the later ones
    are then not run) or None."""
    if xs is None:
        xs, ys, labels = _FORKED["xs"], _FORKED["ys"], _FORKED["labels"]
    xe, ye = xs[rows], ys[rows]

    def run(rts: str, sel: np.ndarray | None = None) -> RadialResult:
        a, b = (xe, ye) if sel is None else (xe[sel], ye[sel])
        try:
            return radial_scores(
                a, b, xs, ys, rts=rts, orientation=orientation, generators=fronts[rts],
                block_size=BLOCK,
            )  # fmt: skip
        except UncertifiedError as err:
            bad = err.rows if sel is None else [int(sel[r]) for r in err.rows]
            raise _StageError(f"{rts.upper()} scores", [int(rows[r]) for r in bad]) from None

    try:
        crs, vrs, nirs = crs_vrs_nirs(run, lambda name, score: None)
    except _StageError as fail:
        return None, None, None, None, (fail.what, fail.rows)
    ref = vrs.ref_index
    # A DMU whose CRS or VRS LP the allowed zeros make infeasible or unbounded has no
    # targets, slacks or peers (radial_columns blanks its scores), as in shards.score_block.
    factor = np.where(lp_status(crs.status, vrs.status) == "optimal", vrs.factor, np.nan)
    target, slack, lam, failed = project_block(
        xs[ref], ys[ref], orientation, method, xe, ye, factor,
        vrs.lambdas[:, ref].toarray(), vrs.basis,
    )  # fmt: skip
    r, peer, weight = peer_weights(lam, ref)
    peers = (peer_texts(rows.size, r, peer, weight, labels), rows[r], peer, weight)
    projected = (target, slack, peers, [int(rows[i]) for i in failed])
    return crs, vrs, nirs, projected, None


_FORKED: dict[str, Any] = {}
"""The scaled data and DMU labels of the running :func:`vrs_summary`, for its forked
workers."""


def _joined(parts: Sequence[RadialResult]) -> RadialResult:
    """One RadialResult from the blocks' results (in row order)."""
    cat = np.concatenate
    basis = None if any(p.basis is None for p in parts) else np.vstack([p.basis for p in parts])
    return RadialResult(
        cat([p.score for p in parts]),
        cat([p.factor for p in parts]),
        cat([p.status for p in parts]),
        sparse.vstack([p.lambdas for p in parts], format="csr"),
        parts[0].ref_index,
        basis,
    )


def _stages(xs, ys, orientation, method, fronts, pool, x, y, names, labels):
    """CRS, VRS and NIRS results and the slack stage of all DMUs (scaled data), block by
    block (:func:`_summary_block`), certified and checked: an uncertified stage raises
    naming its DMUs (the earliest stage first), an impossible score raises."""
    rows = blocks(xs.shape[0], BLOCK)
    args = [(r, fronts, orientation, method) for r in rows]
    if pool is None:
        parts = [_summary_block(*a, xs, ys, labels) for a in args]
    else:
        parts = run_blocks(_summary_block, args, pool)
    failures = [p[4] for p in parts if p[4] is not None]
    for stage in _STAGES:
        bad = sorted(r for what, got in failures if what == stage for r in got)
        if bad:
            raise uncertified_error(stage, x, y, names, labels, bad)
    allow = zeros_allowed()
    crs, vrs = _joined([p[0] for p in parts]), _joined([p[1] for p in parts])
    nirs = np.concatenate([p[2] for p in parts])
    for name, score in (("CRS", crs.score), ("VRS", vrs.score), ("NIRS", nirs)):
        check_own_scores(name, score, labels, allow)
    projected = [p[3] for p in parts]
    target = np.vstack([p[0] for p in projected])
    slack = np.vstack([p[1] for p in projected])
    texts = [text for p in projected for text in p[2][0]]
    peers = (texts, *(np.concatenate([p[2][k] for p in projected]) for k in (1, 2, 3)))
    failed = [r for p in projected for r in p[3]]
    return crs, vrs, nirs, (target, slack, peers, failed)


def crs_vrs_nirs(
    run: Callable[..., RadialResult], check: Callable[[str, np.ndarray], None]
) -> tuple[RadialResult, RadialResult, np.ndarray]:
    """CRS and VRS results and NIRS scores from ``run(rts, rows=None)``, each ``check``-ed.

    NIRS equals CRS wherever a CRS optimum already satisfies sum(lambda) <= 1 (it is then
    NIRS-feasible, and NIRS >= CRS) and equals both when CRS == VRS; only the rest is solved.
    """
    crs, vrs = run("crs"), run("vrs")
    check("CRS", crs.score)
    check("VRS", vrs.score)
    nirs = crs.score.copy()
    crs_sum = np.asarray(crs.lambdas.sum(axis=1)).ravel()
    need = ~((crs_sum <= 1 + 1e-9) | (np.abs(crs.score - vrs.score) <= 1e-9))
    if need.any():
        nirs[need] = run("nirs", np.flatnonzero(need)).score
    check("NIRS", nirs)
    lo, hi = np.minimum(crs.score, vrs.score), np.maximum(crs.score, vrs.score)
    if np.any(nirs < lo - NIRS_EQUAL_TOL) or np.any(nirs > hi + NIRS_EQUAL_TOL):
        raise SolverError("NIRS score outside [CRS, VRS]; refusing to report it")
    return crs, vrs, nirs


def project_block(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    orientation: str,
    method: str,
    x0: np.ndarray,
    y0: np.ndarray,
    factor: np.ndarray,
    radial_lambdas: np.ndarray,
    radial_basis: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Targets, slacks (scaled, inputs then outputs), lambdas (DMUs x reference rows; zero
    rows where skipped or uncertified) and the uncertified rows of one block of DMUs, with
    its own LP models.

    The block goes through the batched slack stage (:mod:`sciteff.efficiency.batch_slacks`);
    a DMU it does not finish is projected by a :class:`~sciteff.efficiency.slacks.Projector`
    (and, if a warm-started LP of that fails, by a fresh one). A DMU with a non-finite
    ``factor`` (an LP the allowed zeros make infeasible or unbounded) is skipped.
    ``radial_basis``: the VRS radial LPs' final bases (:class:`RadialResult`), a warm start."""
    k = x0.shape[0]
    width = x0.shape[1] + y0.shape[1]
    target = np.full((k, width), np.nan)
    slack = np.full((k, width), np.nan)
    failed: list[int] = []
    finite = np.flatnonzero(np.isfinite(factor))  # not: an LP the zeros make infeasible
    batch = project_batch(
        x_ref, y_ref, orientation, method, x0[finite], y0[finite], factor[finite],
        radial_lambdas[finite], radial_basis=None if radial_basis is None else radial_basis[finite],
    )  # fmt: skip
    done = np.zeros(k, dtype=bool)
    done[finite[batch.done]] = True
    target[finite] = batch.target
    if method != "none":
        slack[finite] = batch.slack
    lam = np.zeros((k, x_ref.shape[0]))
    lam[finite] = batch.lambdas
    projector = None
    for i in np.flatnonzero(np.isfinite(factor) & ~done).tolist():  # the batch's leftovers
        if projector is None:
            projector = Projector(x_ref, y_ref, rts="vrs", orientation=orientation, method=method)
        try:
            try:
                p = projector.project(x0[i], y0[i], float(factor[i]), radial_lambdas[i])
            except UncertifiedError:
                raise
            except SolverError:  # a warm-started LP can fail where a fresh one succeeds
                projector = Projector(
                    x_ref, y_ref, rts="vrs", orientation=orientation, method=method
                )
                p = projector.project(x0[i], y0[i], float(factor[i]), radial_lambdas[i])
        except UncertifiedError:
            failed.append(i)
            lam[i] = 0.0
            continue
        target[i] = np.concatenate([p.x_target, p.y_target])
        if method != "none":
            slack[i] = np.concatenate([p.input_slack, p.output_slack])
        lam[i] = p.lambdas
    return target, slack, lam, failed


def peer_weights(lam: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every peer weight above :data:`LAMBDA_ZERO_TOL` of a block's lambdas (``lam``: DMUs x
    reference rows ``ref``) as ``(row, peer, weight)`` arrays: rows ascending, each row's peers
    (as rows of ``ref``'s numbering) ascending."""
    r, c = np.nonzero(lam > LAMBDA_ZERO_TOL)
    peer = np.asarray(ref)[c]
    order = np.lexsort((peer, r))
    return r[order], peer[order], lam[r, c][order]


def peer_texts(
    k: int, rows: np.ndarray, peers: np.ndarray, weights: np.ndarray, labels: Sequence[str]
) -> list[str]:
    """The peers text ("label:weight; ...", weights to 4 decimals) of each of ``k`` DMUs from
    :func:`peer_weights`' arrays (a DMU without peers gets "")."""
    items = [f"{labels[j]}:{w:.4f}" for j, w in zip(peers.tolist(), weights.tolist(), strict=True)]
    cut = np.searchsorted(rows, np.arange(k + 1)).tolist()
    return ["; ".join(items[a:b]) for a, b in itertools.pairwise(cut)]


def vrs_summary(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    orientation: str = "in",
    slacks: str = "multi-stage",
    *,
    file: str | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """DEAP 2.1's VRS run as a tidy table: one row per DMU, in input order.

    Columns: ``dmu, crste, vrste, scale, rts, nirs_te``; for output orientation also
    ``crs_phi, vrs_phi`` (phi itself; the scores are DEAP's Farrell output scores 1/phi);
    then ``slack_<var>`` and ``target_<var>`` for every input and output (VRS model, like
    DEAP), ``peers`` ("label:weight; ..."), ``status`` (only when zeros are allowed, see
    :func:`~sciteff.efficiency.validate.allowing_zeros`: "optimal", or "infeasible" /
    "unbounded" for a DMU whose CRS or VRS LP the zeros make so; its scores, slacks and
    targets are then blank, never a number) and ``warnings``. ``slacks`` is "two-stage"
    (max sum of *scaled* slacks, unit-invariant), "multi-stage" (Coelli 1998, DEAP's default)
    or "none" (radial targets, slack columns left empty). The warnings are also in
    ``result.attrs["warnings"]``; ``result.attrs["peer_weights"]`` holds the peers in long
    form (:class:`PeerWeights`: labels and full weights, in the order of the texts).
    ``file`` only decorates error messages. ``workers``: worker processes (default:
    automatic); the DMUs are solved in fixed blocks, so the result does not depend on it
    (:mod:`sciteff.efficiency.workers`).

    Raises InputError on invalid data (naming DMU and variable) and SolverError rather than
    report an impossible score.
    """
    orientation = check_choice("orientation", orientation, ORIENTATIONS)
    if slacks not in SLACK_METHODS:
        raise ValueError(f"slacks must be one of {', '.join(SLACK_METHODS)}; got {slacks!r}")
    inputs, outputs = list(inputs), list(outputs)
    names = inputs + outputs
    x, y, labels, warnings = validate_dea_data(data, inputs, outputs, dmu=dmu, file=file)
    n = x.shape[0]
    sx, sy = scale_factors(x), scale_factors(y)
    xs, ys = x / sx, y / sy
    _FORKED.update(xs=xs, ys=ys, labels=labels)  # before the workers fork: they inherit it
    try:
        with pool_for(n, workers) as pool:
            # One generating set for CRS, VRS, NIRS and the slack stages (vrs_generators),
            # its LPs in the workers too (the same set whatever their number).
            gens = vrs_generators(xs, ys, pool=pool) if n >= PREPASS_MIN_REF else None
            fronts = _fronts(xs, ys, orientation, gens, pool)
            stages = _stages(xs, ys, orientation, slacks, fronts, pool, x, y, names, labels)
    finally:
        _FORKED.clear()
    crs, vrs, nirs, projected = stages
    out, status = radial_columns(labels, crs, vrs, nirs, orientation)
    scale = np.concatenate([sx, sy])
    target, slack, peers, failed = projected
    if failed:
        raise uncertified_error(f"{slacks} slacks", x, y, names, labels, failed)
    target = target * scale
    slack = slack * scale
    for k, name in enumerate(names):
        out[f"slack_{name}"] = slack[:, k]
    for k, name in enumerate(names):
        out[f"target_{name}"] = target[:, k]
    texts, who, peer, weight = peers
    out["peers"] = texts
    if zeros_allowed():
        out["status"] = status
    out["warnings"] = "; ".join(warnings)
    out.attrs["warnings"] = list(warnings)
    names_of = np.asarray(labels, dtype=object)
    long = pd.DataFrame({"dmu": names_of[who], "peer": names_of[peer], "weight": weight})
    out.attrs["peer_weights"] = PeerWeights(long)
    return out


class PeerWeights:
    """A summary's peers in long form (``.frame``: ``dmu, peer, weight``), as carried in its
    ``attrs``. pandas deep-copies ``attrs`` on most operations and compares them when it
    concatenates frames; the table is never changed, so a copy is the table itself, and two
    are equal when they hold the same rows."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __deepcopy__(self, memo: dict) -> PeerWeights:
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PeerWeights) and self.frame.equals(other.frame)

    __hash__ = None  # type: ignore[assignment]


def radial_columns(
    labels: Sequence[str],
    crs: RadialResult,
    vrs: RadialResult,
    nirs: np.ndarray,
    orientation: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The summary's score columns (``dmu, crste, vrste, scale, rts, nirs_te`` and, for output
    orientation, ``crs_phi, vrs_phi``) and each DMU's LP status (:func:`lp_status`).

    A DMU whose CRS or VRS LP is not optimal (only allowed zeros make one infeasible or
    unbounded) gets blank scores, never a number. Shared by the whole-period and the
    block-wise (sharded) runs so that both write the same columns.
    """
    status = lp_status(crs.status, vrs.status)
    crste, vrste, crs_phi, vrs_phi = (
        np.where(status == "optimal", v, np.nan)
        for v in (crs.score, vrs.score, crs.factor, vrs.factor)
    )
    nirs = np.where(status == "optimal", nirs, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale_eff = crste / vrste
    out = pd.DataFrame(
        {
            "dmu": list(labels),
            "crste": crste,
            "vrste": vrste,
            "scale": scale_eff,
            "rts": scale_rts(crste, vrste, nirs),
            "nirs_te": nirs,
        }
    )
    if orientation == "out":
        out["crs_phi"] = crs_phi
        out["vrs_phi"] = vrs_phi
    return out, status


def lp_status(*statuses: np.ndarray) -> np.ndarray:
    """Per DMU: "optimal" if every model's LP is, else the first of "infeasible",
    "unbounded" that one of them is (only zeros, when allowed, make them so)."""
    out = np.full(len(statuses[0]), "optimal", dtype=object)
    for value in ("unbounded", "infeasible"):
        for st in statuses:
            out[np.asarray(st) == value] = value
    return out


def super_efficiency(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    rts: str = "vrs",
    orientation: str = "in",
) -> pd.DataFrame:
    """Andersen-Petersen super-efficiency: each DMU scored against all *other* DMUs.

    Ranks the efficient DMUs (scores above 1). For an inefficient DMU the score equals its
    ordinary score (it can be dropped from its own reference set, see
    :mod:`sciteff.efficiency.frontier`), so only DMUs scoring 1 are re-solved. Under VRS (and NIRS)
    the LP of an extreme DMU can be infeasible: the score is then NaN with ``feasible`` False
    and ``status`` "infeasible", never a made-up number. With zeros allowed, a DMU whose own
    LP they make infeasible or unbounded has that status and no score, and so does one whose
    super-efficiency phi is unbounded (:func:`super_score`). Output orientation reports the
    Farrell score 1/phi, which is also above 1 for super-efficient DMUs.
    """
    rts = check_choice("rts", rts, RTS_CHOICES)
    orientation = check_choice("orientation", orientation, ORIENTATIONS)
    x, y, labels, warnings = validate_dea_data(data, inputs, outputs, dmu=dmu)
    xs, ys = x / scale_factors(x), y / scale_factors(y)
    base = radial_scores(xs, ys, xs, ys, rts=rts, orientation=orientation)
    check_own_scores(rts.upper(), base.score, labels, zeros_allowed())
    status = np.asarray(base.status, dtype=object).copy()  # zeros can make it not optimal
    score = np.where(status == "optimal", base.score, np.nan)
    efficient = np.flatnonzero((status == "optimal") & (base.score >= 1 - FRONTIER_TOL))
    if efficient.size:
        model = RadialModel(xs, ys, rts=rts, orientation=orientation)
        for i in efficient:
            model.exclude(int(i))
            try:
                sol = model.solve(xs[i], ys[i])
            except UncertifiedError as err:
                names = [*inputs, *outputs]
                raise uncertified_error(
                    "super-efficiency score", x, y, names, labels, [int(i)]
                ) from err
            score[i], status[i] = super_score(sol, orientation, xs, ys, rts, int(i), labels)
        model.exclude(None)
    out = pd.DataFrame(
        {
            "dmu": labels,
            "super_te": score,
            "feasible": status == "optimal",
            "status": status,
        }
    )
    out["warnings"] = "; ".join(warnings)
    out.attrs["warnings"] = list(warnings)
    return out


def super_score(
    sol: RadialSolution,
    orientation: str,
    xs: np.ndarray,
    ys: np.ndarray,
    rts: str,
    i: int,
    labels: Sequence[str],
) -> tuple[float, str]:
    """(score, status) of DMU ``i``'s super-efficiency LP (against all DMUs but ``i``): its
    score, NaN with "infeasible" (also for phi = 0: no multiple of its outputs is made),
    or NaN with "unbounded" where zero data make phi unbounded for certain
    (:func:`~sciteff.efficiency.radial.phi_unbounded`); anything else is an error."""
    if sol.status == "optimal" and sol.factor > 0:
        return (sol.factor if orientation == "in" else 1.0 / sol.factor), "optimal"
    if sol.status in ("infeasible", "optimal"):
        return np.nan, "infeasible"
    if sol.status == "unbounded" and orientation == "out" and phi_unbounded(xs, ys, ys[i], rts, i):
        return np.nan, "unbounded"
    raise SolverError(f"super-efficiency LP of DMU {labels[i]!r} is {sol.status}")


def super_efficiency_columns(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    orientation: str = "in",
) -> pd.DataFrame:
    """Andersen-Petersen scores under both returns to scale, each named by its model.

    Columns ``super_te_crs, super_te_crs_status, super_te_vrs, super_te_vrs_status`` and
    ``super_te`` / ``super_te_status``, kept as aliases of the VRS pair (the name the
    analyses used before both models were reported). An infeasible LP is the status value
    "infeasible" with a NaN score, never an error.
    """
    out = pd.DataFrame(index=range(len(data)))
    for rts in ("crs", "vrs"):
        res = super_efficiency(data, inputs, outputs, dmu=dmu, rts=rts, orientation=orientation)
        out[f"super_te_{rts}"] = res["super_te"].to_numpy()
        out[f"super_te_{rts}_status"] = res["status"].to_numpy()
    out["super_te"] = out["super_te_vrs"]
    out["super_te_status"] = out["super_te_vrs_status"]
    return out
