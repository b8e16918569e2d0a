"""The slack stage of many DMUs at once: max-slack LPs and multi-stage rounds in lockstep.

:class:`~sciteff.efficiency.slacks.Projector` projects one DMU at a time, one HiGHS call per
LP. Here a block of DMUs goes through the same method together: every max-slack LP of a round
is one batched solve (:mod:`sciteff.efficiency.batch_lp`), every multi-stage radial step one
batched radial solve (:mod:`sciteff.efficiency.batch_radial`), with the same rules as the
Projector (thresholds, progress test, round limit, the order of the input and output steps).

A DMU whose LP the batch does not certify at the un-nudged point, or which has not finished
within the Projector's round limit, is handed back undone: the caller projects it with the
Projector from the start (which nudges, re-scales, solves exactly or raises), so each DMU's
result comes entirely from one method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciteff.efficiency.batch_lp import LPBatch, solve
from sciteff.efficiency.batch_radial import radial_batch, ratio_caps, slack_start
from sciteff.efficiency.slacks import PROGRESS_TOL, SLACK_ZERO_TOL


@dataclass
class BlockProjection:
    """Targets and slacks (k x (m + s), scaled), peer weights (k x n) and which DMUs are done."""

    target: np.ndarray
    slack: np.ndarray
    lambdas: np.ndarray
    done: np.ndarray


def max_slack_batch(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    x_hat: np.ndarray,
    y_hat: np.ndarray,
    rts: str,
    radial_basis: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:meth:`~sciteff.efficiency.slacks.MaxSlackModel.solve` at every point (un-nudged):
    lambdas, input slacks, output slacks (noise set to zero), which LPs are certified and
    their final bases (numbering of :func:`~sciteff.efficiency.batch_lp.solve`).

    ``radial_basis`` (optional): the final bases of the radial LPs whose optimal points these
    are (:func:`~sciteff.efficiency.batch_radial.radial_batch`); the max-slack LPs then start
    from them (:func:`~sciteff.efficiency.batch_radial.slack_start`) instead of phase 1,
    which halves their simplex steps (measured)."""
    k, m = x_hat.shape
    s = y_hat.shape[1]
    conv = rts in ("vrs", "nirs")
    rows = m + s + int(conv)
    ref = np.hstack([x_ref, y_ref] + ([np.ones((x_ref.shape[0], 1))] if conv else []))
    slack_cols = np.zeros((rows, m + s))
    slack_cols[np.arange(m), np.arange(m)] = 1.0
    slack_cols[m + np.arange(s), m + np.arange(s)] = -1.0
    point = np.hstack([x_hat, y_hat])
    lo = np.hstack([point] + ([np.full((k, 1), 1.0 if rts == "vrs" else -np.inf)] if conv else []))
    hi = np.hstack([point] + ([np.ones((k, 1))] if conv else []))
    cost = np.hstack([-np.ones((k, m + s)), np.zeros((k, ref.shape[0]))])

    y_max = y_ref.max(axis=0) if y_ref.shape[0] else np.zeros(s)

    def caps(lps: np.ndarray, z: np.ndarray, need: np.ndarray, tight: bool) -> np.ndarray:
        """MaxSlackModel.lp_data's caps (valid for every feasible point; an output slack's
        cap needs every lambda's). Loose, with convexity: lambda <= 1, outputs <= the max."""
        if conv and not tight:
            out_cap = np.maximum(y_max - y_hat[lps], 0.0)
            return np.hstack([x_hat[lps], out_cap, np.ones((lps.size, x_ref.shape[0]))])
        full = need[:, m : m + s].any(axis=1, keepdims=True)
        lam_cap = ratio_caps(x_ref, x_hat[lps], conv, need[:, m + s :] | full)
        finite = np.all(np.isfinite(lam_cap), axis=1)
        reach = np.where(finite[:, None], np.where(finite[:, None], lam_cap, 0.0) @ y_ref, np.inf)
        return np.hstack([x_hat[lps], np.maximum(reach - y_hat[lps], 0.0), lam_cap])

    extra = np.broadcast_to(slack_cols, (k, rows, m + s))
    start = None
    if radial_basis is not None:
        start = slack_start(radial_basis, x_ref.shape[0], m, s)
    sol = solve(LPBatch(cost, extra, ref, lo, hi), caps, start=start)
    s_in, s_out, lam = sol.z[:, :m], sol.z[:, m : m + s], sol.z[:, m + s :]
    size = np.maximum(np.max(np.abs(point), axis=1), 1e-300)
    s_in = np.where(s_in > SLACK_ZERO_TOL * np.abs(x_hat), s_in, 0.0)
    out_ref = np.where(y_hat > 0, np.abs(y_hat), size[:, None])
    s_out = np.where(s_out > SLACK_ZERO_TOL * out_ref, s_out, 0.0)
    return lam, s_in, s_out, sol.certified, sol.basis


def project_batch(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    orientation: str,
    method: str,
    x0: np.ndarray,
    y0: np.ndarray,
    factor: np.ndarray,
    radial_lambdas: np.ndarray,
    rts: str = "vrs",
    radial_basis: np.ndarray | None = None,
) -> BlockProjection:
    """Project DMUs with radial factors ``factor`` (finite) as ``Projector.project`` does;
    ``radial_basis`` as in :func:`max_slack_batch` (the radial stage's final bases)."""
    k, m = x0.shape
    s = y0.shape[1]
    f = factor[:, None]
    x_hat, y_hat = (f * x0, y0.copy()) if orientation == "in" else (x0.copy(), f * y0)
    radial = np.hstack([x_hat, y_hat])
    if method == "none":
        slack = np.zeros((k, m + s))
        return BlockProjection(radial, slack, radial_lambdas, np.ones(k, dtype=bool))
    lam, s_in, s_out, done, ms_basis = max_slack_batch(
        x_ref, y_ref, x_hat, y_hat, rts, radial_basis
    )
    if method == "two-stage":
        target = np.hstack([x_hat - s_in, y_hat + s_out])
        return BlockProjection(target, np.hstack([s_in, s_out]), lam, done)
    active = done & (s_in.any(axis=1) | s_out.any(axis=1))
    for _ in range(2 * (m + s) + 2):
        if not active.any():
            break
        rows = np.flatnonzero(active)
        moved, nx, ny, ok, last = _progressing_steps(
            x_ref, y_ref, orientation, rts, x_hat[rows], y_hat[rows], s_in[rows], s_out[rows],
            ms_basis[rows],
        )  # fmt: skip
        done[rows[~ok]] = False
        active[rows[~ok | ~moved]] = False  # no round moves it: only noise is left
        step = rows[ok & moved]
        x_hat[step], y_hat[step] = nx[ok & moved], ny[ok & moved]
        new = max_slack_batch(x_ref, y_ref, x_hat[step], y_hat[step], rts, last[ok & moved])
        lam[step], s_in[step], s_out[step], ms_basis[step] = new[0], new[1], new[2], new[4]
        done[step[~new[3]]] = False
        active[step] &= new[3] & (new[1].any(axis=1) | new[2].any(axis=1))
    done &= ~active  # still moving after the round limit: the Projector decides (raises)
    y_hat = np.where((y_hat == 0) & (s_out > 0), s_out, y_hat)
    target = np.hstack([x_hat, y_hat])
    slack = np.hstack([radial[:, :m] - x_hat, y_hat - radial[:, m:]])
    return BlockProjection(target, slack, lam, done)


def _progressing_steps(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    orientation: str,
    rts: str,
    x_hat: np.ndarray,
    y_hat: np.ndarray,
    s_in: np.ndarray,
    s_out: np.ndarray,
    ms_basis: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``Projector._progressing_step`` for every DMU: whether a round moved it, the new
    points, whether every LP was certified, and the final basis of each DMU's last radial
    LP (a start for the next max-slack LP)."""
    k = x_hat.shape[0]
    rel = np.hstack(
        [s_in / np.where(x_hat > 0, x_hat, 1.0), s_out / np.where(y_hat > 0, y_hat, 1.0)]
    )
    old = np.hstack([x_hat, y_hat])
    mask = (rel > 0) & (old > 0)
    moved = np.zeros(k, dtype=bool)
    ok = np.ones(k, dtype=bool)
    nx, ny = x_hat.copy(), y_hat.copy()
    rows_lp = x_hat.shape[1] + y_hat.shape[1] + int(rts in ("vrs", "nirs"))
    last = np.full((k, rows_lp), -1, dtype=np.int64)
    pending = mask.any(axis=1)
    while pending.any():
        rows = np.flatnonzero(pending)
        px, py, good, basis = _radial_steps(
            x_ref, y_ref, orientation, rts, x_hat[rows], y_hat[rows], mask[rows], rel[rows],
            ms_basis[rows],
        )  # fmt: skip
        ok[rows[~good]] = False
        change = np.abs(np.hstack([px, py]) - old[rows]) / np.where(old[rows] > 0, old[rows], 1.0)
        went = good & (change.max(axis=1) > PROGRESS_TOL)
        moved[rows[went]] = True
        nx[rows[went]], ny[rows[went]] = px[went], py[went]
        last[rows[went]] = basis[went]
        retry = rows[good & ~went]
        if retry.size:
            candidates = np.where(mask[retry], rel[retry], np.inf)
            mask[retry, np.argmin(candidates, axis=1)] = False
        pending[rows[~good | went]] = False
        pending &= mask.any(axis=1)
    return moved, nx, ny, ok, last


def _radial_steps(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    orientation: str,
    rts: str,
    x_hat: np.ndarray,
    y_hat: np.ndarray,
    mask: np.ndarray,
    rel: np.ndarray,
    ms_basis: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``Projector._radial_step`` for every DMU (un-nudged): shrink the inputs with slack,
    then grow the outputs with slack (the other way round for output orientation). Also
    returns each DMU's last radial LP basis (-1: none). A DMU's first step starts from its
    max-slack basis (:func:`step_start`; ``rel``: the relative slacks)."""
    m = x_hat.shape[1]
    x_hat, y_hat = x_hat.copy(), y_hat.copy()
    ok = np.ones(x_hat.shape[0], dtype=bool)
    conv = int(rts in ("vrs", "nirs"))
    last = np.full((x_hat.shape[0], m + y_hat.shape[1] + conv), -1, dtype=np.int64)
    sides = ["in", "out"] if orientation == "in" else ["out", "in"]
    for side in sides:
        mk = mask[:, :m] if side == "in" else mask[:, m:]
        rows = np.flatnonzero(mk.any(axis=1) & ok)
        if rows.size == 0:
            continue
        start = step_start(ms_basis[rows], mask[rows], rel[rows], side, x_ref.shape[0], m)
        if side != sides[0]:  # a DMU that has moved in the first step: no start known
            first = mask[rows, :m] if sides[0] == "in" else mask[rows, m:]
            start[first.any(axis=1)] = -1
        res = radial_batch(
            x_ref, y_ref, x_hat[rows], y_hat[rows], rts=rts, orientation=side, mask=mk[rows],
            start=start,
        )  # fmt: skip
        ok[rows[~res.certified]] = False
        good = rows[res.certified]
        last[good] = res.basis[res.certified]
        fac = res.factor[res.certified][:, None]
        if side == "in":
            fac = np.minimum(fac, 1.0)  # never move away from the frontier
            x_hat[good] = np.where(mk[good], fac * x_hat[good], x_hat[good])
        else:
            fac = np.maximum(fac, 1.0)
            y_hat[good] = np.where(mk[good], fac * y_hat[good], y_hat[good])
    return x_hat, y_hat, ok, last


def step_start(
    ms_basis: np.ndarray, mask: np.ndarray, rel: np.ndarray, side: str, n: int, m: int
) -> np.ndarray:
    """Start bases for a multi-stage radial step from the max-slack LP's final bases.

    At the max-slack optimum every variable with slack has its slack basic. Let ``i*`` be the
    variable of this step's side with the smallest relative slack (``rel``) among those it
    moves (``mask``). Swapping the radial factor in for i*'s slack gives a feasible basis of
    the step's LP: with the same lambdas and factor 1 - rel[i*] (input side; 1 + rel[i*] for
    outputs), row i* is tight and every other moved variable keeps a slack
    ``x_i (rel_i - rel_i*) >= 0``; the other rows are unchanged. Numbering as
    :func:`~sciteff.efficiency.batch_radial.slack_start` describes (radial LP) and
    :func:`max_slack_batch` returns (max-slack LP); -1 rows: no start."""
    k, rows = ms_basis.shape
    ms = mask.shape[1]  # m + s: the max-slack LP's slack columns come first
    out = np.full((k, rows), -1, dtype=np.int64)
    slack = (ms_basis >= 0) & (ms_basis < ms)
    out[slack] = 1 + n + ms_basis[slack]
    lam = (ms_basis >= ms) & (ms_basis < ms + n)
    out[lam] = 1 + ms_basis[lam] - ms
    art = ms_basis >= ms + n + rows
    out[art] = ms_basis[art] - ms + 1
    side_cols = np.arange(ms) < m if side == "in" else np.arange(ms) >= m
    moving = mask & side_cols
    star = np.argmin(np.where(moving, rel, np.inf), axis=1)
    hit = out == (1 + n + star)[:, None]
    found = hit.any(axis=1) & moving.any(axis=1)
    pos = np.argmax(hit, axis=1)
    out[np.arange(k), pos] = np.where(found, 0, out[np.arange(k), pos])
    bad = ~found | np.any(out < 0, axis=1) | np.any(ms_basis < 0, axis=1)
    out[bad] = -1
    return out
