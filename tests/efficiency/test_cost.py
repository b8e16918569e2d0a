"""Cost efficiency DEA: hand-solved example, DEAP 2.1's own output, identities, invariance and
an independent (dual) formulation of the minimum-cost LP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sciteff.core.errors import InputError
from sciteff.efficiency.cost import cost_efficiency, cost_summary, minimum_cost

EGCOST = Path(__file__).resolve().parents[1] / "cli" / "data" / "deap" / "egcost.dta"


def _random_problem(seed: int, n: int = 12, m: int = 3, s: int = 2):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, size=(n, m))
    y = rng.uniform(1, 10, size=(n, s))
    w = rng.uniform(0.5, 5, size=(n, m))
    return x, y, w


def test_hand_solved_example_crs():
    # y = 1 for every DMU, prices (1, 2) for every DMU. Input vectors (1,3), (3,1), (2,2), (3,3)
    # cost 7, 5, 6, 9; under CRS with a common output the cheapest is (3,1) at 5, so
    # CE = 5/7, 1, 5/6, 5/9. TE: (3,3) contracts radially to (2,2): 2/3; the others are 1.
    x = np.array([[1, 3], [3, 1], [2, 2], [3, 3]], dtype=float)
    y = np.ones((4, 1))
    w = np.tile([1.0, 2.0], (4, 1))
    res = cost_efficiency(x, y, w, rts="crs")
    np.testing.assert_allclose(res.ce, [5 / 7, 1, 5 / 6, 5 / 9], rtol=1e-9)
    np.testing.assert_allclose(res.te, [1, 1, 1, 2 / 3], rtol=1e-9)
    np.testing.assert_allclose(res.ae, [5 / 7, 1, 5 / 6, 5 / 6], rtol=1e-9)
    np.testing.assert_allclose(res.x_min, np.tile([3.0, 1.0], (4, 1)), atol=1e-9)
    np.testing.assert_allclose(res.min_cost, 5.0, rtol=1e-9)


def test_deap_egcost_vrs_printed_numbers():
    # egcost.out, printed by DEAP 2.1 (tests/cli/data/deap/ORIGIN.md).
    data = np.loadtxt(EGCOST)
    y, x, w = data[:, :1], data[:, 1:3], data[:, 3:5]
    res = cost_efficiency(x, y, w, rts="vrs")
    assert np.round(res.te, 3).tolist() == [1.0, 1.0, 1.0, 0.9, 1.0, 1.0]
    assert np.round(res.ae, 3).tolist() == [1.0, 0.8, 1.0, 0.889, 0.95, 1.0]
    assert np.round(res.ce, 3).tolist() == [1.0, 0.8, 1.0, 0.8, 0.95, 1.0]
    assert [round(float(v.mean()), 3) for v in (res.te, res.ae, res.ce)] == [0.983, 0.94, 0.925]
    deap_x = np.array([[6, 3], [6, 3], [6, 3], [6, 3], [2, 5], [8, 7]], dtype=float)
    # x* may be an alternative optimum (firm 1 has several), but its cost must be DEAP's.
    np.testing.assert_allclose(np.einsum("ij,ij->i", w, res.x_min), (w * deap_x).sum(axis=1))


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("seed", range(4))
def test_identity_and_bounds(rts, seed):
    x, y, w = _random_problem(seed)
    res = cost_efficiency(x, y, w, rts=rts)
    np.testing.assert_allclose(res.ce, res.te * res.ae, rtol=1e-12)
    assert np.all(res.ce <= res.te + 1e-12)
    assert np.all(res.ce <= 1 + 1e-12) and np.all(res.ce > 0)
    assert np.all(res.ae <= 1 + 1e-9)
    # x* produces y_i: some combination of the DMUs uses no more than x* (re-checked by LP).
    np.testing.assert_allclose(res.min_cost, np.einsum("ij,ij->i", w, res.x_min), rtol=1e-12)


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_price_scale_invariance(rts):
    x, y, w = _random_problem(7)
    base = cost_efficiency(x, y, w, rts=rts)
    common = cost_efficiency(x, y, 1000.0 * w, rts=rts)
    per_dmu = cost_efficiency(x, y, w * np.linspace(0.01, 50, len(w))[:, None], rts=rts)
    for other in (common, per_dmu):
        np.testing.assert_allclose(other.ce, base.ce, rtol=1e-8)
        np.testing.assert_allclose(other.ae, base.ae, rtol=1e-8)
        np.testing.assert_allclose(other.te, base.te, rtol=1e-12)
    np.testing.assert_allclose(common.min_cost, 1000.0 * base.min_cost, rtol=1e-8)


def _dual_min_cost(x, y, w, i, rts):
    """Independent formulation: the cost function as the dual (multiplier) LP,
    C(y_i, w_i) = max u'y_i + u0  s.t.  u'y_j + u0 <= w_i'x_j for all j, u >= 0
    (u0 free under VRS, absent under CRS), solved by scipy's HiGHS interface."""
    n, s = y.shape
    extra = 1 if rts == "vrs" else 0
    c = -np.concatenate([y[i], np.ones(extra)])
    a_ub = np.hstack([y, np.ones((n, extra))])
    b_ub = x @ w[i]
    bounds = [(0, None)] * s + [(None, None)] * extra
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("seed", range(3))
def test_minimum_cost_equals_independent_dual_formulation(rts, seed):
    x, y, w = _random_problem(100 + seed)
    ours, _ = minimum_cost(x, y, w, rts=rts)
    dual = [_dual_min_cost(x, y, w, i, rts) for i in range(len(x))]
    np.testing.assert_allclose(ours, dual, rtol=1e-7)


def test_crs_single_output_closed_form():
    # With one output and CRS the minimum cost is y_i * min_j (w_i'x_j / y_j).
    x, y, w = _random_problem(5, s=1)
    ours, _ = minimum_cost(x, y, w, rts="crs")
    closed = [y[i, 0] * min((x @ w[i]) / y[:, 0]) for i in range(len(x))]
    np.testing.assert_allclose(ours, closed, rtol=1e-8)


def test_cost_summary_columns_and_price_errors():
    frame = pd.DataFrame(
        {"id": ["a", "b", "c", "d"], "y": [1, 1, 1, 1], "x1": [1, 3, 2, 3], "x2": [3, 1, 2, 3]}
    )
    frame["p1"], frame["p2"] = 1.0, 2.0
    out = cost_summary(frame, ["x1", "x2"], ["y"], ["p1", "p2"], dmu="id", rts="crs")
    assert list(out.columns) == ["dmu", "te", "ae", "ce", "cost", "min_cost", "min_x1", "min_x2"]
    assert out["cost"].tolist() == [7.0, 5.0, 6.0, 9.0]
    bad = frame.assign(p2=[2.0, -1.0, 2.0, 2.0])
    with pytest.raises(InputError, match=r"row 2, column 'p2': DMU 'b': negative price"):
        cost_summary(bad, ["x1", "x2"], ["y"], ["p1", "p2"], dmu="id", file="f.csv")
    with pytest.raises(InputError, match="1 price columns for 2 inputs"):
        cost_summary(frame, ["x1", "x2"], ["y"], ["p1"], dmu="id")
    zero = frame.assign(p1=0.0, p2=[2.0, 0.0, 2.0, 2.0])
    with pytest.raises(InputError, match="row 2: DMU 'b': every price is zero"):
        cost_summary(zero, ["x1", "x2"], ["y"], ["p1", "p2"], dmu="id")
