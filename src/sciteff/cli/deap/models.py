"""DEAP 2.1's DEA models 0, 3 and 4 computed with the sciteff engine, in DEAP's terms.

DEAP reports, for the returns to scale of the job (CRS, or VRS with the CRS/VRS/scale table):
the scores, the radial movement, the slacks, the projected values and the peers of every
firm. The three models differ only in the slacks:

* model 0, multi-stage (Coelli 1998; DEAP's default): :class:`Projector` "multi-stage";
* model 4, two-stage: maximise the *sum of raw slacks* at the radial point (DEAP's sum is not
  unit-invariant, and we reproduce it: the max-slack LP is given the data in the user's units);
* model 3, one-stage: no slack LP; DEAP prints the "residual slacks" left by the radial LP's
  own peer weights (``theta x0 - X lambda`` and ``Y lambda - y0``). Where the radial LP has
  several optimal lambdas these residuals, and the peers, depend on the LP solver's choice.

Peers are listed in descending firm order, the order DEAP 2.1 prints them in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciteff.core.errors import SolverError
from sciteff.efficiency.dea import LAMBDA_ZERO_TOL, radial_scores, scale_rts
from sciteff.efficiency.engine import scale_factors
from sciteff.efficiency.slacks import SLACK_ZERO_TOL, Projector

#: Slack method of each DEAP DEA model.
MODEL_SLACKS = {0: "multi-stage", 3: "one-stage", 4: "two-stage"}


@dataclass(frozen=True)
class DeaRun:
    """Everything DEAP prints for a DEA job, in the user's units (rows = firms).

    ``te`` is the score of the job's returns to scale (input theta or Farrell output 1/phi);
    ``crste``/``vrste``/``scale``/``rts_label`` are set for VRS jobs (else None).
    ``radial_x``/``radial_y`` are the radial points, ``slack_x``/``slack_y`` the slacks (>= 0),
    ``target_x``/``target_y`` the projected values, ``peers[i]`` a list of (firm index,
    lambda) in DEAP's order.
    """

    x: np.ndarray
    y: np.ndarray
    te: np.ndarray
    crste: np.ndarray | None
    vrste: np.ndarray | None
    scale: np.ndarray | None
    rts_label: np.ndarray | None
    radial_x: np.ndarray
    radial_y: np.ndarray
    slack_x: np.ndarray
    slack_y: np.ndarray
    target_x: np.ndarray
    target_y: np.ndarray
    peers: list[list[tuple[int, float]]]


def _peer_list(lam: np.ndarray) -> list[tuple[int, float]]:
    nz = np.flatnonzero(lam > LAMBDA_ZERO_TOL)
    return [(int(j), float(lam[j])) for j in sorted(nz, reverse=True)]


def dea_run(x: np.ndarray, y: np.ndarray, *, rts: str, orientation: str, model: int) -> DeaRun:
    """Solve a DEAP DEA job (model 0, 3 or 4) for inputs ``x`` (n x m) and outputs ``y``."""
    if model not in MODEL_SLACKS:
        raise ValueError(f"dea_run handles DEAP models 0, 3 and 4, not {model}")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = x.shape[0]
    sx, sy = scale_factors(x), scale_factors(y)
    xs, ys = x / sx, y / sy
    # One-stage residual slacks and peers come from the radial LP's own lambdas, which the
    # LP solver chooses where they are not unique: the engine's choices are DEAP's on the
    # guide's examples, so those LPs are not batched (radial_scores' ``batched``).
    batched = MODEL_SLACKS[model] != "one-stage"
    crs = radial_scores(xs, ys, xs, ys, rts="crs", orientation=orientation, batched=batched)
    crste = vrste = scale = label = None
    main = crs
    if rts == "vrs":
        vrs = radial_scores(xs, ys, xs, ys, rts="vrs", orientation=orientation, batched=batched)
        nirs = radial_scores(xs, ys, xs, ys, rts="nirs", orientation=orientation)
        crste, vrste = crs.score, vrs.score
        scale = crste / vrste
        label = scale_rts(crste, vrste, nirs.score)
        main = vrs
    bad = np.flatnonzero(main.status != "optimal")
    if bad.size:
        raise SolverError(f"DEA LP of firm {bad[0] + 1} is {main.status[bad[0]]}; not reported")
    method = MODEL_SLACKS[model]
    if method == "two-stage":
        projector = Projector(x, y, rts=rts, orientation=orientation, method="two-stage")
    elif method == "multi-stage":
        projector = Projector(xs, ys, rts=rts, orientation=orientation, method="multi-stage")
    radial_x, radial_y = np.empty_like(x), np.empty_like(y)
    target_x, target_y = np.empty_like(x), np.empty_like(y)
    peers: list[list[tuple[int, float]]] = []
    for i in range(n):
        f = float(main.factor[i])
        lam = main.lambdas[[i], :].toarray().ravel()
        if orientation == "in":
            rx, ry = f * x[i], y[i].copy()
        else:
            rx, ry = x[i].copy(), f * y[i]
        radial_x[i], radial_y[i] = rx, ry
        if method == "one-stage":
            tx, ty = lam @ x, lam @ y
            # Residual slacks of the radial LP; LP noise below the slack tolerance is zero.
            sxr = np.where(rx - tx > SLACK_ZERO_TOL * (1 + np.abs(rx)), rx - tx, 0.0)
            syr = np.where(ty - ry > SLACK_ZERO_TOL * (1 + np.abs(ry)), ty - ry, 0.0)
            target_x[i], target_y[i] = rx - sxr, ry + syr
            peers.append(_peer_list(lam))
        elif method == "two-stage":
            p = projector.project(x[i], y[i], f, lam)
            target_x[i], target_y[i] = p.x_target, p.y_target
            peers.append(_peer_list(p.lambdas))
        else:
            p = projector.project(xs[i], ys[i], f, lam)
            target_x[i], target_y[i] = p.x_target * sx, p.y_target * sy
            peers.append(_peer_list(p.lambdas))
    return DeaRun(
        x=x,
        y=y,
        te=main.score,
        crste=crste,
        vrste=vrste,
        scale=scale,
        rts_label=label,
        radial_x=radial_x,
        radial_y=radial_y,
        slack_x=np.maximum(radial_x - target_x, 0.0),
        slack_y=np.maximum(target_y - radial_y, 0.0),
        target_x=target_x,
        target_y=target_y,
        peers=peers,
    )
