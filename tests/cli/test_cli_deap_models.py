"""DEAP's DEA models 0, 3 and 4 as ``sciteff deap`` computes them, checked independently:
the two-stage slacks maximise the *raw* slack sum (DEAP's rule), checked with scipy's LP;
every projection is the peers' combination; the one-stage residual slacks are the radial
LP's own; the multi-stage targets equal the engine's VRS summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sciteff.cli.deap.models import dea_run
from sciteff.efficiency.dea import vrs_summary


def _data(seed: int, n: int = 15):
    rng = np.random.default_rng(seed)
    # Units far apart on purpose: raw and scaled slack sums then pick different slacks.
    x = rng.integers(1, 10, size=(n, 2)) * np.array([1.0, 1000.0])
    y = rng.integers(1, 10, size=(n, 2)) * np.array([1.0, 0.01])
    return x, y


def _max_raw_slack_sum(x, y, x_hat, y_hat, rts):
    n, m = x.shape
    s = y.shape[1]
    # variables: lambda (n), s_in (m), s_out (s); maximise sum of slacks
    c = np.concatenate([np.zeros(n), -np.ones(m + s)])
    a_eq = np.vstack(
        [
            np.hstack([x.T, np.eye(m), np.zeros((m, s))]),
            np.hstack([y.T, np.zeros((s, m)), -np.eye(s)]),
        ]
    )
    b_eq = np.concatenate([x_hat, y_hat])
    if rts == "vrs":
        a_eq = np.vstack([a_eq, np.concatenate([np.ones(n), np.zeros(m + s)])])
        b_eq = np.append(b_eq, 1.0)
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize(("rts", "orientation"), [("crs", "in"), ("vrs", "out")])
@pytest.mark.parametrize("seed", [1, 2])
def test_two_stage_maximises_the_raw_slack_sum(seed, rts, orientation):
    x, y = _data(seed)
    run = dea_run(x, y, rts=rts, orientation=orientation, model=4)
    for i in range(len(x)):
        best = _max_raw_slack_sum(x, y, run.radial_x[i], run.radial_y[i], rts)
        ours = run.slack_x[i].sum() + run.slack_y[i].sum()
        assert ours == pytest.approx(best, rel=1e-7, abs=1e-7)


@pytest.mark.parametrize("model", [0, 3, 4])
@pytest.mark.parametrize(("rts", "orientation"), [("crs", "out"), ("vrs", "in")])
def test_targets_are_the_peers_combination_and_within_the_radial_point(model, rts, orientation):
    x, y = _data(7)
    run = dea_run(x, y, rts=rts, orientation=orientation, model=model)
    for i, peers in enumerate(run.peers):
        lam = np.zeros(len(x))
        for j, w in peers:
            lam[j] = w
        if rts == "vrs":
            assert lam.sum() == pytest.approx(1, abs=1e-7)
        # Projected point = radial point - input slacks + output slacks, produced by the peers
        # (outputs at least, inputs at most, with equality where DEAP prints no slack left).
        np.testing.assert_allclose(run.target_x[i], run.radial_x[i] - run.slack_x[i])
        np.testing.assert_allclose(run.target_y[i], run.radial_y[i] + run.slack_y[i])
        assert np.all(lam @ x <= run.target_x[i] * (1 + 1e-7) + 1e-9)
        assert np.all(lam @ y >= run.target_y[i] * (1 - 1e-7) - 1e-9)
        assert np.all(run.slack_x[i] >= 0) and np.all(run.slack_y[i] >= 0)
        if model == 3:  # residual slacks of the radial LP: the target is exactly X'lambda
            np.testing.assert_allclose(lam @ x, run.target_x[i], rtol=1e-6, atol=1e-9)
            np.testing.assert_allclose(lam @ y, run.target_y[i], rtol=1e-6, atol=1e-9)


def test_multi_stage_vrs_equals_the_engine_summary():
    x, y = _data(3)
    run = dea_run(x, y, rts="vrs", orientation="in", model=0)
    frame = pd.DataFrame(np.hstack([x, y]), columns=["x1", "x2", "y1", "y2"])
    summary = vrs_summary(frame, ["x1", "x2"], ["y1", "y2"], orientation="in")
    np.testing.assert_allclose(run.crste, summary["crste"], rtol=1e-9)
    np.testing.assert_allclose(run.vrste, summary["vrste"], rtol=1e-9)
    assert list(run.rts_label) == summary["rts"].tolist()
    for k, name in enumerate(["x1", "x2"]):
        np.testing.assert_allclose(run.target_x[:, k], summary[f"target_{name}"], rtol=1e-6)
    for k, name in enumerate(["y1", "y2"]):
        np.testing.assert_allclose(run.target_y[:, k], summary[f"target_{name}"], rtol=1e-6)
