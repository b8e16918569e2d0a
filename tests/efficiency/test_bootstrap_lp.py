"""The batched simplex of the bootstrap against scipy's linprog, and its certificate.

Every radial factor of a replication is compared with an independent solve of the same LP by
``scipy.optimize.linprog`` (HiGHS through another interface, one LP at a time, no shared code);
the certificate must reject answers that are not optimal, and the LPs it rejects must reach
the engine's re-solve, still giving the right numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from sciteff.efficiency import batch_lp, bootstrap_lp
from sciteff.efficiency.bootstrap import replication_factors
from sciteff.efficiency.bootstrap_lp import solve_batch


def linprog_factor(xr, yr, x0, y0, rts, orientation):
    """theta (input) or phi (output) by linprog: variables (factor, lambda_1..n)."""
    n, m = xr.shape
    s = yr.shape[1]
    if orientation == "in":
        a_ub = np.vstack([np.hstack([-x0[:, None], xr.T]), np.hstack([np.zeros((s, 1)), -yr.T])])
        b_ub = np.concatenate([np.zeros(m), -y0])
        c = np.concatenate([[1.0], np.zeros(n)])
    else:
        a_ub = np.vstack([np.hstack([np.zeros((m, 1)), xr.T]), np.hstack([y0[:, None], -yr.T])])
        b_ub = np.concatenate([x0, np.zeros(s)])
        c = np.concatenate([[-1.0], np.zeros(n)])
    eq = {}
    if rts == "vrs":
        eq = {"A_eq": np.concatenate([[0.0], np.ones(n)])[None, :], "b_eq": [1.0]}
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs", **eq)
    assert res.status == 0
    return res.x[0]


def pseudo_data(n, m, s, orientation, seed):
    """Data on a noisy frontier and a pseudo set: DMU j moved along its ray by a factor."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, (n, m))
    y = (np.prod(x, axis=1) ** (0.8 / m))[:, None] * rng.dirichlet(np.ones(s), n) * 3
    push = 1 + np.abs(rng.normal(0, 0.3, n))
    if orientation == "in":
        return x * push[:, None], y, x, y
    return x, y / push[:, None], x, y


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_batch_equals_linprog(rts, orientation):
    xr, yr, x, y = pseudo_data(80, 3, 3, orientation, seed=7)
    res = solve_batch(xr, yr, x, y, np.arange(80), rts=rts, orientation=orientation)
    assert res.certified.all()
    want = [linprog_factor(xr, yr, x[o], y[o], rts, orientation) for o in range(80)]
    assert res.factor == pytest.approx(np.array(want), rel=1e-8)


def test_one_input_one_output_crs_is_a_ratio():
    # CRS with one input and one output: theta_o = (y_o / x_o) / max_j (y_j / xr_j).
    xr, yr, x, y = pseudo_data(30, 1, 1, "in", seed=3)
    res = solve_batch(xr, yr, x, y, np.arange(30), rts="crs", orientation="in")
    want = (y[:, 0] / x[:, 0]) / np.max(yr[:, 0] / xr[:, 0])
    assert res.certified.all()
    assert res.factor == pytest.approx(want, rel=1e-12)


def test_unfinished_simplex_is_not_certified(monkeypatch):
    # Stopped after one step, most LPs are not optimal: none of them may be certified.
    xr, yr, x, y = pseudo_data(60, 3, 3, "in", seed=5)
    monkeypatch.setattr(batch_lp, "MAX_ITER", 1)
    res = solve_batch(xr, yr, x, y, np.arange(60), rts="vrs", orientation="in")
    want = np.array([linprog_factor(xr, yr, x[o], y[o], "vrs", "in") for o in range(60)])
    assert not res.certified.all()
    assert res.factor[res.certified] == pytest.approx(want[res.certified], rel=1e-8)
    assert np.isnan(res.factor[~res.certified]).all()


def test_certificate_rejects_a_feasible_but_suboptimal_basis(monkeypatch):
    # The start basis (lambda_o = 1) is feasible; for inefficient DMUs it is not optimal. With
    # the optimality test switched off the simplex stops there and claims it; the certificate
    # (dual bound) must refuse every suboptimal one.
    xr, yr, x, y = pseudo_data(40, 2, 2, "in", seed=9)
    ref, extra, sense = bootstrap_lp._structure(xr, yr, x, y, "vrs", "in")
    _, valid = bootstrap_lp._start_basis(ref, extra, sense, np.arange(40))
    assert valid.all()
    monkeypatch.setattr(batch_lp, "OPT_TOL", np.inf)
    got = solve_batch(xr, yr, x, y, np.arange(40), rts="vrs", orientation="in")
    want = np.array([linprog_factor(xr, yr, x[o], y[o], "vrs", "in") for o in range(40)])
    start_theta = xr[:, 0] / x[:, 0]
    suboptimal = start_theta > want * (1 + 1e-6)
    assert suboptimal.sum() > 10
    assert not got.certified[suboptimal].any()
    assert got.factor[got.certified] == pytest.approx(want[got.certified], rel=1e-8)


def test_uncertified_lps_are_resolved_by_the_engine(monkeypatch):
    xr, yr, x, y = pseudo_data(50, 3, 2, "out", seed=11)
    monkeypatch.setattr(batch_lp, "MAX_ITER", 0)  # nothing solved in the batch
    got = replication_factors(xr, yr, x, y, "vrs", "out", [f"d{i}" for i in range(50)])
    want = [linprog_factor(xr, yr, x[o], y[o], "vrs", "out") for o in range(50)]
    assert got.resolved == 50
    assert got.values == pytest.approx(np.array(want), rel=1e-8)


def test_lp_without_a_start_basis_is_left_to_the_engine():
    # Output orientation with a DMU producing nothing: its radial column is zero, so there is
    # no start basis (phi is unbounded); the batch must not answer for it, the others it must.
    xr, yr, x, y = pseudo_data(20, 2, 1, "out", seed=13)
    y[3] = yr[3] = 0.0
    res = solve_batch(xr, yr, x, y, np.arange(20), rts="crs", orientation="out")
    assert not res.certified[3] and np.isnan(res.factor[3])
    others = np.arange(20) != 3
    assert res.certified[others].all()
    want = [linprog_factor(xr, yr, x[o], y[o], "crs", "out") for o in np.flatnonzero(others)]
    assert res.factor[others] == pytest.approx(np.array(want), rel=1e-8)
    got = replication_factors(xr, yr, x, y, "crs", "out", [f"d{i}" for i in range(20)])
    assert got.resolved == 1 and np.isnan(got.values[3])
