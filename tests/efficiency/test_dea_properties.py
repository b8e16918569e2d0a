"""Property-based tests of the DEA engine, and a cross-check against the multiplier (dual) LP.

The dual check solves a *different* formulation (weights on inputs and outputs, with
scipy.optimize.linprog) and must agree with our envelopment scores to 1e-6 (LP duality).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from sciteff.efficiency.dea import efficiency, radial_scores, vrs_summary
from sciteff.efficiency.engine import scale_factors

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def dea_data(draw, min_n=4, max_n=9):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, 2))
    s = draw(st.integers(1, 2))
    vals = st.integers(1, 60).map(float)
    x = np.array(draw(st.lists(st.lists(vals, min_size=m, max_size=m), min_size=n, max_size=n)))
    y = np.array(draw(st.lists(st.lists(vals, min_size=s, max_size=s), min_size=n, max_size=n)))
    return x, y


def _frame(x, y):
    cols = {f"x{i}": x[:, i] for i in range(x.shape[1])}
    cols |= {f"y{r}": y[:, r] for r in range(y.shape[1])}
    return pd.DataFrame(cols), list(cols)[: x.shape[1]], list(cols)[x.shape[1] :]


@FAST
@given(dea_data(), st.sampled_from(["in", "out"]))
def test_scores_in_unit_interval_and_ordered(data, orientation):
    x, y = data
    crs = efficiency(x, y, x, y, rts="crs", orientation=orientation)
    nirs = efficiency(x, y, x, y, rts="nirs", orientation=orientation)
    vrs = efficiency(x, y, x, y, rts="vrs", orientation=orientation)
    for sc in (crs, nirs, vrs):
        assert np.all(sc > 0) and np.all(sc <= 1 + 1e-9)
    assert np.all(crs <= nirs + 1e-9) and np.all(nirs <= vrs + 1e-9)
    # NIRS equals CRS or VRS for every DMU (see dea_summary.NIRS_EQUAL_TOL).
    assert np.all(np.minimum(np.abs(nirs - crs), np.abs(nirs - vrs)) < 1e-7)
    assert np.any(np.isclose(vrs, 1.0))  # someone is always on the frontier


@FAST
@given(dea_data())
def test_crs_input_equals_crs_output(data):
    x, y = data
    np.testing.assert_allclose(
        efficiency(x, y, x, y, rts="crs", orientation="in"),
        efficiency(x, y, x, y, rts="crs", orientation="out"),
        atol=1e-8,
    )


@FAST
@given(dea_data(), st.floats(1e-4, 1e4), st.sampled_from(["crs", "vrs", "nirs"]))
def test_units_invariance(data, factor, rts):
    x, y = data
    x2 = x.copy()
    x2[:, 0] *= factor
    y2 = y * np.geomspace(1, 1e3, y.shape[1])
    np.testing.assert_allclose(
        efficiency(x2, y2, x2, y2, rts=rts), efficiency(x, y, x, y, rts=rts), atol=1e-7
    )


@FAST
@given(dea_data(), st.integers(0, 8), st.floats(1.0, 3.0), st.sampled_from(["crs", "vrs"]))
def test_adding_a_dominated_dmu_changes_nothing(data, pick, worse, rts):
    x, y = data
    j = pick % x.shape[0]
    x2 = np.vstack([x, x[j] * worse])  # more input ...
    y2 = np.vstack([y, y[j] / worse])  # ... for less output than DMU j
    before = efficiency(x, y, x, y, rts=rts)
    after = efficiency(x2, y2, x2, y2, rts=rts)
    np.testing.assert_allclose(after[:-1], before, atol=1e-8)
    assert after[-1] <= before[j] + 1e-9


@FAST
@given(dea_data(), st.sampled_from(["in", "out"]), st.sampled_from(["two-stage", "multi-stage"]))
def test_targets_are_efficient(data, orientation, method):
    x, y = data
    frame, ins, outs = _frame(x, y)
    res = vrs_summary(frame, ins, outs, orientation=orientation, slacks=method)
    tx = res[[f"target_{c}" for c in ins]].to_numpy()
    ty = res[[f"target_{c}" for c in outs]].to_numpy()
    # Each target scores 1 against the original technology (VRS, same orientation) ...
    np.testing.assert_allclose(
        efficiency(tx, ty, x, y, rts="vrs", orientation=orientation), 1.0, atol=1e-6
    )
    # ... and has no slack left: a max-slack LP at the target finds (scaled) zero.
    from sciteff.efficiency.slacks import MaxSlackModel

    sx, sy = scale_factors(x), scale_factors(y)
    model = MaxSlackModel(x / sx, y / sy, rts="vrs")
    for i in range(len(res)):
        _, s_in, s_out = model.solve(tx[i] / sx, ty[i] / sy)
        assert s_in.sum() + s_out.sum() < 1e-6


@settings(max_examples=5, deadline=None)
@given(
    st.integers(0, 10_000), st.sampled_from(["crs", "vrs", "nirs"]), st.sampled_from(["in", "out"])
)
def test_frontier_prepass_identical_to_full_reference(seed, rts, orientation):
    rng = np.random.default_rng(seed)
    n = 260  # above PREPASS_MIN_REF, so the pre-pass really prunes
    x = rng.uniform(1, 10, (n, 2))
    y = rng.uniform(1, 10, (n, 2))
    pruned = radial_scores(x, y, x, y, rts=rts, orientation=orientation, prune=True)
    full = radial_scores(x, y, x, y, rts=rts, orientation=orientation, prune=False)
    assert pruned.ref_index.size < n  # the pre-pass did remove DMUs
    np.testing.assert_allclose(pruned.score, full.score, atol=1e-9)
    # Parallel workers give the same answer too.
    par = radial_scores(x, y, x, y, rts=rts, orientation=orientation, workers=2)
    np.testing.assert_allclose(par.score, full.score, atol=1e-9)


# --- independent formulation: the multiplier (dual) LP with scipy ---------------------------


def multiplier_score(x, y, k, rts, orientation):
    """Farrell score of DMU k from the multiplier LP (weights v >= 0 on inputs, u >= 0 on outputs).

    Input:  max u.y_k + u0  s.t. v.x_k = 1,  u.y_j + u0 - v.x_j <= 0 for all j
    Output: min v.x_k + v0  s.t. u.y_k = 1,  u.y_j - v.x_j - v0 <= 0 for all j; score 1/opt
    u0 / v0 is free for VRS and absent (0) for CRS.
    """
    n, m = x.shape
    s = y.shape[1]
    free = (None, None) if rts == "vrs" else (0, 0)
    # variables [v (m), u (s), w (free scalar)]
    a_ub = np.hstack([-x, y, np.ones((n, 1)) * (1 if orientation == "in" else -1)])
    b_ub = np.zeros(n)
    bounds = [(0, None)] * (m + s) + [free]
    if orientation == "in":
        c = -np.concatenate([np.zeros(m), y[k], [1.0]])
        a_eq = np.concatenate([x[k], np.zeros(s), [0.0]])[None, :]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds)
        return -res.fun
    c = np.concatenate([x[k], np.zeros(s), [1.0]])
    a_eq = np.concatenate([np.zeros(m), y[k], [0.0]])[None, :]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds)
    return 1.0 / res.fun


def test_envelopment_agrees_with_multiplier_lp_on_random_data():
    rng = np.random.default_rng(7)
    for trial in range(6):
        n, m, s = 12 + trial, 2 + trial % 2, 1 + trial % 3
        x = rng.uniform(0.5, 20, (n, m)) * rng.choice([1, 1000], m)
        y = rng.uniform(0.5, 20, (n, s))
        for rts in ("crs", "vrs"):
            for orientation in ("in", "out"):
                ours = efficiency(x, y, x, y, rts=rts, orientation=orientation)
                dual = [multiplier_score(x, y, k, rts, orientation) for k in range(n)]
                np.testing.assert_allclose(ours, dual, atol=1e-6, err_msg=f"{rts} {orientation}")
