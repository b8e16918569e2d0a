"""With zeros allowed, an LP the zeros make unbounded or infeasible is a status, not a number.

Hand-checked case: DMU "4" (x = (5, 3)) produces nothing (y = (0, 0)).
- Output orientation: phi is unbounded under every RTS, so its status is "unbounded" and its
  scores, slacks and targets are blank.
- Input orientation: lambda = 0 is CRS-feasible, so crste = 0; under VRS the cheapest convex
  combination of inputs is a (2, 1) + (1 - a) (0, 2) with 2a/5 = (2 - a)/3, a = 10/11, so
  vrste = 4/11.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.validate import allowing_zeros

DATA = pd.DataFrame(
    {
        "x1": [2.0, 3, 4, 5, 0],
        "x2": [1.0, 2, 1, 3, 2],
        "y1": [1.0, 2, 3, 0, 0],
        "y2": [2.0, 1, 2, 0, 1],
    }
)
ARGS = (["x1", "x2"], ["y1", "y2"])


def test_unbounded_lp_is_a_status_with_blank_scores():
    with allowing_zeros(True):
        out = vrs_summary(DATA, *ARGS, orientation="out")
    assert list(out["status"]) == ["optimal", "optimal", "optimal", "unbounded", "optimal"]
    row = out.iloc[3]
    for col in ("crste", "vrste", "scale", "nirs_te", "crs_phi", "vrs_phi", "target_y1"):
        assert np.isnan(row[col]), col
    assert row["rts"] == "" and row["peers"] == ""
    assert out.drop(index=3)[["crste", "vrste"]].notna().all().all()


def test_zero_outputs_input_orientation_scores_by_hand():
    with allowing_zeros(True):
        out = vrs_summary(DATA, *ARGS, orientation="in")
    assert (out["status"] == "optimal").all()
    assert out.loc[3, "crste"] == pytest.approx(0.0, abs=1e-12)
    assert out.loc[3, "vrste"] == pytest.approx(4 / 11, rel=1e-9)


def test_without_allow_zero_zeros_stay_an_error():
    with pytest.raises(InputError):
        vrs_summary(DATA, *ARGS, orientation="out")


def test_default_output_has_no_status_column():
    data = DATA.replace(0.0, 1.0)
    assert "status" not in vrs_summary(data, *ARGS).columns


def test_a_dmu_with_no_inputs_at_all_scores_by_hand():
    """D uses no input and makes y = 1 (allowed zeros). By hand, input orientation, VRS:
    A (0, 2 -> 1) and D itself reach theta = 0 (D's zero inputs fit under any theta); B
    (3, 0 -> 3) is the only unit making 3, theta = 1; C (4, 2 -> 2) is projected onto
    B / 2 + D / 2 = (1.5, 0 -> 2), theta = 1.5 / 4 = 0.375. CRS: k D makes any output from no
    input, so every crste is 0. (This data once crashed the slack stage: a step with no LP.)"""
    data = (
        pd.DataFrame(
            {"x1": [0.0, 3, 4, 0], "x2": [2.0, 0, 2, 0], "y": [1.0, 3, 2, 1]},
            index=list("ABCD"),
        )
        .rename_axis("firm")
        .reset_index()
    )
    with allowing_zeros(True):
        out = vrs_summary(data, ["x1", "x2"], ["y"], dmu="firm")
    assert out["vrste"].tolist() == pytest.approx([0.0, 1.0, 0.375, 0.0], abs=1e-12)
    assert out["crste"].tolist() == pytest.approx([0.0] * 4, abs=1e-12)
    assert list(out["status"]) == ["optimal"] * 4
    assert out.loc[2, "peers"] == "B:0.5000; D:0.5000"


def test_crs_phi_unbounded_by_a_unit_using_no_input_is_a_status():
    """Output orientation. DMU 4 (x = 0, y = (3, 0)) makes output 1 from no input, so under
    CRS k x DMU 4 is feasible for every k: phi is unbounded for DMU 4 itself (its only output
    is output 1) and its row is blank with status "unbounded" (it used to be a SolverError).
    DMU 5 (3 -> (0, 0)) has phi unbounded under every RTS. DMU 1 (3 -> (1, 2)) by hand: output
    2 comes only from units using input, at best 3 x DMU 2 (1 -> (2, 3)), so 2 phi <= 9,
    crs_phi = 4.5; VRS: DMU 2 alone, phi = min(2/1, 3/2) = 1.5, slack on x = 3 - 1 = 2."""
    data = pd.DataFrame({"x": [3.0, 1, 3, 0, 3], "y1": [1.0, 2, 1, 3, 0], "y2": [2.0, 3, 3, 0, 0]})
    with allowing_zeros(True):
        out = vrs_summary(data, ["x"], ["y1", "y2"], orientation="out")
    assert list(out["status"]) == ["optimal"] * 3 + ["unbounded"] * 2
    assert out.loc[0, "crs_phi"] == pytest.approx(4.5, abs=1e-12)
    assert out.loc[0, "vrs_phi"] == pytest.approx(1.5, abs=1e-12)
    assert out.loc[0, "slack_x"] == pytest.approx(2.0, abs=1e-12)
    for row in (3, 4):
        assert out.loc[row, ["crste", "vrste", "target_x", "slack_y1"]].isna().all()
        assert out.loc[row, "peers"] == ""
    assert set(out.attrs["peer_weights"].frame["dmu"]) == {"1", "2", "3"}


@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs"])
def test_phi_unbounded_agrees_with_linprog(rts):
    """The exact ray test against scipy's linprog status (3 = unbounded) on small data full of
    zeros: max phi s.t. X'l <= x0, Y'l >= phi y0, l >= 0 (+ sum l = 1 or <= 1)."""
    from scipy.optimize import linprog

    from sciteff.efficiency.radial import phi_unbounded

    rng = np.random.default_rng(5)
    seen = set()
    for _ in range(300):
        n, m, s = (int(v) for v in rng.integers(2, 6, 3))
        x, y = rng.integers(0, 3, (n, m)).astype(float), rng.integers(0, 3, (n, s)).astype(float)
        x0, y0 = x[0], y[0]
        c = np.r_[-1.0, np.zeros(n)]  # maximise phi
        a_ub = np.vstack([np.c_[np.zeros(m), x.T], np.c_[y0, -y.T]])
        b_ub = np.r_[x0, np.zeros(s)]
        eq = dict(A_eq=np.r_[0.0, np.ones(n)][None], b_eq=[1.0]) if rts == "vrs" else {}
        if rts == "nirs":
            a_ub, b_ub = np.vstack([a_ub, np.r_[0.0, np.ones(n)]]), np.r_[b_ub, 1.0]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] + [(0, None)] * n, **eq)
        assert res.status in (0, 3)
        seen.add(res.status)
        assert phi_unbounded(x, y, y0, rts) == (res.status == 3)
    assert seen == {0, 3}  # both answers were checked


def test_super_efficiency_with_zero_input_units_by_hand():
    """The data of the test above, Andersen-Petersen scores (output orientation, 1/phi).
    DMU 2 (1 -> (2, 3)) without itself: output 2 comes at best from DMU 3 (3 -> (1, 3)), a
    third of it within input 1, so phi = 1/3 under CRS and VRS (DMU 4 adds output 1 for free
    and makes up the rest of the convex weight): 3. DMU 3 under VRS: DMU 2 alone, phi = 1:
    1. DMU 4 without itself under VRS has no unit using no input: infeasible; under CRS its
    own LP is unbounded. DMU 5 makes nothing: unbounded under both. DMUs 1 and 3 (CRS) are
    inefficient and keep their ordinary scores."""
    from sciteff.efficiency.summary import super_efficiency_columns

    data = pd.DataFrame({"x": [3.0, 1, 3, 0, 3], "y1": [1.0, 2, 1, 3, 0], "y2": [2.0, 3, 3, 0, 0]})
    with allowing_zeros(True):
        out = super_efficiency_columns(data, ["x"], ["y1", "y2"], orientation="out")
    assert list(out["super_te_crs_status"]) == ["optimal"] * 3 + ["unbounded"] * 2
    assert list(out["super_te_vrs_status"]) == ["optimal"] * 3 + ["infeasible", "unbounded"]
    assert out["super_te_crs"][:3].tolist() == pytest.approx([2 / 9, 3.0, 1 / 3], abs=1e-12)
    assert out["super_te_vrs"][:3].tolist() == pytest.approx([2 / 3, 3.0, 1.0], abs=1e-12)
    assert out.loc[3:, ["super_te_crs", "super_te_vrs"]].isna().all().all()
