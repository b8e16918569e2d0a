"""The batched two-phase simplex (batch_lp) and its DEA uses, against scipy's linprog.

Every certified answer must equal linprog's optimum (an independent solver, called one LP
at a time on the textbook formulation); LPs the batch cannot certify must come back flagged,
never with a number.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from sciteff.efficiency.batch_lp import LPBatch, solve
from sciteff.efficiency.batch_radial import certified_factors, radial_batch, ray_start
from sciteff.efficiency.batch_slacks import max_slack_batch, project_batch
from sciteff.efficiency.slacks import Projector


def _data(rng: np.random.Generator, n: int, m: int, s: int, kind: str):
    x = rng.uniform(1, 10, (n, m))
    y = rng.uniform(1, 10, (n, s))
    if kind == "integer":  # ties and degenerate vertices
        x, y = np.round(x), np.round(y)
    elif kind == "copies":
        x[n // 2 :], y[n // 2 :] = x[: n - n // 2], y[: n - n // 2]
    elif kind == "spread":  # DMU sizes over three orders of magnitude (tests/efficiency/
        x *= 10.0 ** rng.integers(-1, 2, (n, 1))  # test_exact_reference.py checks the whole
        y *= 10.0 ** rng.integers(-1, 2, (n, 1))  # engine on far worse data, exactly)
        x, y = x / x.mean(axis=0), y / y.mean(axis=0)
    return x, y


def _linprog_factor(x, y, x0, y0, rts, orientation, mask=None):
    """The envelopment LP, written out directly for linprog: theta or phi. Each row is
    divided by the evaluated DMU's own value in it, so that linprog's absolute tolerances
    suit this DMU even on badly scaled data."""
    n, m = x.shape
    s = y.shape[1]
    c = np.zeros(n + 1)
    c[0] = 1.0 if orientation == "in" else -1.0
    a_ub, b_ub = [], []
    mk = np.ones(m if orientation == "in" else s, dtype=bool) if mask is None else mask
    for i in range(m):
        radial = orientation == "in" and mk[i]
        a_ub.append(np.concatenate([[-x0[i] if radial else 0.0], x[:, i]]))
        b_ub.append(0.0 if radial else x0[i])
    for r in range(s):
        radial = orientation == "out" and mk[r]
        a_ub.append(np.concatenate([[y0[r] if radial else 0.0], -y[:, r]]))
        b_ub.append(0.0 if radial else -y0[r])
    a_eq = b_eq = None
    if rts == "vrs":
        a_eq, b_eq = [np.concatenate([[0.0], np.ones(n)])], [1.0]
    elif rts == "nirs":
        a_ub.append(np.concatenate([[0.0], np.ones(n)]))
        b_ub.append(1.0)
    own = np.concatenate([x0, y0, [1.0] * (rts == "nirs")])
    own = np.where(own > 0, own, 1.0)
    a_ub, b_ub = np.array(a_ub) / own[:, None], np.array(b_ub) / own
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
    return res.x[0] if res.status == 0 else np.nan


@pytest.mark.parametrize("kind", ["uniform", "integer", "copies", "spread"])
@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_radial_batch_equals_linprog(kind, rts, orientation):
    rng = np.random.default_rng(hash((kind, rts, orientation)) % 2**32)
    x, y = _data(rng, 60, 3, 2, kind)
    got = radial_batch(x, y, x, y, rts=rts, orientation=orientation)
    # The batch does most of the work, the engine the rest (on data spanning six orders of
    # magnitude a DMU far from the means often needs the engine's own row scaling).
    assert got.certified.mean() > (0.5 if kind == "spread" else 0.9)
    for i in np.flatnonzero(got.certified):
        want = _linprog_factor(x, y, x[i], y[i], rts, orientation)
        assert got.factor[i] == pytest.approx(want, rel=1e-8)
        lam = got.lambdas[i]
        assert np.all(lam >= 0)
        if rts == "vrs":
            assert lam.sum() == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("orientation", ["in", "out"])
def test_masked_radial_batch_equals_linprog(orientation):
    """The multi-stage method's sub-vector movement, with a different mask per DMU."""
    rng = np.random.default_rng(7)
    x, y = _data(rng, 50, 3, 3, "uniform")
    mask = rng.random((50, 3)) < 0.6
    mask[:, 0] |= ~mask.any(axis=1)
    got = radial_batch(x, y, x, y, rts="vrs", orientation=orientation, mask=mask)
    assert got.certified.any()
    for i in np.flatnonzero(got.certified):
        want = _linprog_factor(x, y, x[i], y[i], "vrs", orientation, mask[i])
        assert got.factor[i] == pytest.approx(want, rel=1e-8)


def test_points_outside_the_technology_are_never_answered():
    """Cross-reference DMUs that no VRS combination can reach (infeasible LPs) and one with
    all outputs zero in output orientation (unbounded): flagged, no number."""
    rng = np.random.default_rng(3)
    x, y = _data(rng, 40, 2, 2, "uniform")
    x0 = np.full((3, 2), 5.0)
    y0 = np.array([[50.0, 50.0], [5.0, 5.0], [0.0, 0.0]])  # [0]: more than any mix produces
    got = radial_batch(x, y, x0, y0, rts="vrs", orientation="in")
    assert not got.certified[0] and np.isnan(got.factor[0])
    assert got.certified[1]
    assert got.factor[1] == pytest.approx(_linprog_factor(x, y, x0[1], y0[1], "vrs", "in"))
    out = radial_batch(x, y, x0, y0, rts="crs", orientation="out")
    assert not out.certified[2] and np.isnan(out.factor[2])


def test_generic_batch_small_hand_example():
    """min z1 + 2 z2 s.t. z1 + z2 >= b, z1 <= 3 (z >= 0): optimum b for b <= 3, else
    3 + 2 (b - 3); b < 0 is outside the form the batch takes and comes back uncertified."""
    b = np.array([1.0, 3.0, 5.0, -1.0])
    k = b.size
    lp = LPBatch(
        cost=np.tile([1.0, 2.0], (k, 1)),
        extra=np.zeros((k, 2, 0)),
        ref=np.array([[1.0, 1.0], [1.0, 0.0]]),
        row_lo=np.column_stack([b, np.full(k, -np.inf)]),
        row_hi=np.column_stack([np.full(k, np.inf), np.full(k, 3.0)]),
    )
    sol = solve(lp, lambda lps, z, need, tight: np.full((lps.size, 2), 10.0))
    assert sol.certified.tolist() == [True, True, True, False]
    obj = sol.z[:3] @ np.array([1.0, 2.0])
    assert obj == pytest.approx([1.0, 3.0, 7.0], abs=1e-12)


def test_an_empty_batch_is_an_empty_solution():
    """A stage with no LP left (e.g. no DMU needing a multi-stage step) used to fail with an
    IndexError inside the solver."""
    lp = LPBatch(
        cost=np.zeros((0, 2)),
        extra=np.zeros((0, 2, 0)),
        ref=np.array([[1.0, 1.0], [1.0, 0.0]]),
        row_lo=np.zeros((0, 2)),
        row_hi=np.zeros((0, 2)),
    )
    sol = solve(lp, lambda lps, z, need, tight: np.full((lps.size, 2), 10.0))
    assert sol.z.shape == (0, 2) and sol.certified.shape == (0,) and sol.basis.shape == (0, 2)


@pytest.mark.parametrize("kind", ["uniform", "integer"])
def test_max_slack_batch_reaches_linprogs_optimum(kind):
    """The max-slack LP at each DMU's VRS radial point: the slack sum equals linprog's
    optimum (the slacks themselves need not be unique), and the point is reproduced."""
    rng = np.random.default_rng(11)
    x, y = _data(rng, 60, 3, 2, kind)
    rad = radial_batch(x, y, x, y, rts="vrs", orientation="in")
    x_hat = rad.factor[:, None] * x
    lam, s_in, s_out, ok, _ = max_slack_batch(x, y, x_hat, y, "vrs")
    assert ok.mean() > 0.9
    n = x.shape[0]
    for i in np.flatnonzero(ok):
        a_eq = np.vstack(
            [
                np.hstack([x.T, np.eye(3), np.zeros((3, 2))]),
                np.hstack([y.T, np.zeros((2, 3)), -np.eye(2)]),
                np.concatenate([np.ones(n), np.zeros(5)])[None],
            ]
        )
        b_eq = np.concatenate([x_hat[i], y[i], [1.0]])
        c = np.concatenate([np.zeros(n), -np.ones(5)])
        res = linprog(c, A_eq=a_eq, b_eq=b_eq, method="highs")
        assert res.status == 0
        best = -res.fun
        assert s_in[i].sum() + s_out[i].sum() == pytest.approx(best, abs=1e-7 * (1 + best))
        assert lam[i] @ x + s_in[i] == pytest.approx(x_hat[i], rel=1e-6, abs=1e-9)
        assert lam[i] @ y - s_out[i] == pytest.approx(y[i], rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("orientation", ["in", "out"])
@pytest.mark.parametrize("method", ["two-stage", "multi-stage"])
def test_project_batch_matches_the_projector_where_the_optimum_is_unique(orientation, method):
    """On continuous random data the targets are unique: the lockstep batch and the
    one-DMU-at-a-time Projector (HiGHS) must agree; the final points are efficient."""
    rng = np.random.default_rng(5)
    x, y = _data(rng, 120, 3, 3, "uniform")
    rad = radial_batch(x, y, x, y, rts="vrs", orientation=orientation)
    assert rad.certified.all()
    got = project_batch(x, y, orientation, method, x, y, rad.factor, rad.lambdas)
    assert got.done.mean() > 0.9
    projector = Projector(x, y, rts="vrs", orientation=orientation, method=method)
    agree = 0
    for i in np.flatnonzero(got.done):
        p = projector.project(x[i], y[i], float(rad.factor[i]), rad.lambdas[i])
        want = np.concatenate([p.x_target, p.y_target])
        agree += np.allclose(got.target[i], want, rtol=1e-6, atol=1e-8)
    assert agree >= 0.97 * got.done.sum()
    # Efficient: no slack left at the batch's targets.
    d = np.flatnonzero(got.done)
    _, s_in, s_out, ok, _ = max_slack_batch(x, y, got.target[d, :3], got.target[d, 3:], "vrs")
    assert ok.all()
    assert np.abs(s_in).max() < 1e-6 and np.abs(s_out).max() < 1e-6


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_an_excluded_column_is_never_used(rts):
    """Super-efficiency: DMU i against all DMUs but itself equals linprog without row i; an
    infeasible one (VRS, an extreme DMU) is flagged, never answered."""
    rng = np.random.default_rng(17)
    x, y = _data(rng, 40, 2, 2, "uniform")
    got = radial_batch(x, y, x, y, rts=rts, orientation="in", exclude=np.arange(40))
    # The same LPs from ray_start's bases, which must not use the excluded unit either.
    rayed = certified_factors(x, y, x, y, rts=rts, orientation="in", exclude=np.arange(40))
    for i in range(40):
        others = np.arange(40) != i
        want = _linprog_factor(x[others], y[others], x[i], y[i], rts, "in")
        if np.isnan(want):
            assert not got.certified[i] and np.isnan(rayed[i])
        elif got.certified[i]:
            assert got.factor[i] == pytest.approx(want, rel=1e-8)
            assert got.lambdas[i, i] == 0.0
        if np.isfinite(want) and np.isfinite(rayed[i]):
            assert rayed[i] == pytest.approx(want, rel=1e-8)
    assert np.isfinite(rayed).sum() >= got.certified.sum() - 2
    assert got.certified.mean() > 0.7
    assert (got.factor[got.certified] > 1).any()  # some DMUs are super-efficient


def _basic_point(start, x_ref, y_ref, x0, y0, rts, orientation):
    """The point of a proposed basis (radial_batch's numbering), from the explicit LP
    matrix: basic values, or None where the proposal is singular."""
    n, m = x_ref.shape
    s = y_ref.shape[1]
    conv = rts != "crs"
    rows = m + s + int(conv)
    a = np.zeros((rows, 1 + n + rows))
    inward = orientation == "in"
    if inward:
        a[:m, 0] = -x0
    else:
        a[m : m + s, 0] = -y0
    a[:m, 1 : 1 + n] = x_ref.T
    a[m : m + s, 1 : 1 + n] = y_ref.T
    if conv:
        a[-1, 1 : 1 + n] = 1.0
    sign = np.r_[np.ones(m), -np.ones(s), np.ones(int(conv))]  # <= inputs, >= outputs
    a[:, 1 + n :] = np.diag(sign)
    rhs = np.r_[np.zeros(m) if inward else x0, y0 if inward else np.zeros(s), [1.0] * conv]
    b = a[:, start]
    if abs(np.linalg.det(b)) < 1e-12:
        return None
    return start, np.linalg.solve(b, rhs)


@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_ray_start_is_the_best_one_unit_vertex(rts, orientation):
    """Each proposal of ray_start is a basis whose point is feasible, and its factor is the
    best any single reference unit reaches (linprog on the LP of that unit alone); where
    no unit alone is feasible there is no proposal. certified_factors from these starts
    equals linprog against the whole reference set, evaluated DMUs outside it included."""
    rng = np.random.default_rng(hash(("ray", rts, orientation)) % 2**32)
    x_ref, y_ref = _data(rng, 10, 3, 2, "integer")
    x0, y0 = _data(rng, 25, 3, 2, "uniform")
    x0[:3], y0[:3] = x_ref[:3], y_ref[:3]  # ties: DMUs that are reference units
    start = ray_start(x_ref, y_ref, x0, y0, rts=rts, orientation=orientation)
    proposed = reachable = 0
    for i in range(x0.shape[0]):
        alone = [
            _linprog_factor(x_ref[j : j + 1], y_ref[j : j + 1], x0[i], y0[i], rts, orientation)
            for j in range(x_ref.shape[0])
        ]
        if np.all(np.isnan(alone)):
            assert np.all(start[i] == -1)
            continue
        reachable += 1
        if np.all(start[i] == -1):
            continue  # too degenerate a vertex: phase 1 instead (allowed)
        proposed += 1
        if np.any(start[i] < 0):
            continue  # artificials fill the gaps; the solver checks those
        point = _basic_point(start[i], x_ref, y_ref, x0[i], y0[i], rts, orientation)
        assert point is not None
        _, values = point
        assert np.all(values >= -1e-9)
        best = np.nanmin(alone) if orientation == "in" else np.nanmax(alone)
        assert values[0] == pytest.approx(best, rel=1e-9)
    assert reachable >= 3 and proposed >= reachable // 2
    got = certified_factors(x_ref, y_ref, x0, y0, rts=rts, orientation=orientation)
    want = np.array([
        _linprog_factor(x_ref, y_ref, x0[i], y0[i], rts, orientation) for i in range(len(x0))
    ])  # fmt: skip
    assert np.all(np.isnan(got[np.isnan(want)]))  # infeasible: never a number
    both = np.isfinite(got) & np.isfinite(want)
    assert got[both] == pytest.approx(want[both], rel=1e-8)
    assert both.sum() >= 0.9 * np.isfinite(want).sum()
