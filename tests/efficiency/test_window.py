"""DEA window analysis: windows of the whole span and of width 1, a hand-solved window table.

With one input and one output under CRS a score is (y/x) / max(y/x) over the window's
DMU-periods, so the whole table can be computed by hand (done in the comments below).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.window import window_analysis

# Two DMUs, three years, x = 1: the score is y / (largest y in the window).
#   A: y = 2, 4, 3      B: y = 4, 2, 6
HAND = pd.DataFrame(
    {
        "dmu": ["A", "B"] * 3,
        "year": [2001, 2001, 2002, 2002, 2003, 2003],
        "x": [1.0] * 6,
        "y": [2.0, 4.0, 4.0, 2.0, 3.0, 6.0],
    }
)


def _run(data: pd.DataFrame, width: int, **kw):
    kw.setdefault("inputs", ["x"])
    kw.setdefault("outputs", ["y"])
    return window_analysis(data, dmu="dmu", period="year", width=width, **kw)


def test_hand_solved_scores_and_window_table():
    res = _run(HAND, 2)
    # Window 2001-2002: max y = 4 -> A 0.5, 1.0; B 1.0, 0.5.
    # Window 2002-2003: max y = 6 -> A 4/6, 3/6; B 2/6, 1.0.
    a = res.scores[res.scores["dmu"] == "A"]
    assert a["window"].tolist() == ["2001-2002"] * 2 + ["2002-2003"] * 2
    assert a["period"].tolist() == [2001, 2002, 2002, 2003]
    assert a["te"].tolist() == pytest.approx([0.5, 1.0, 4 / 6, 0.5])
    assert list(res.scores.columns) == ["dmu", "window", "period", "te"]
    assert res.scores["dmu"].tolist()[:4] == ["A"] * 4  # one DMU's rows together
    t = res.table[res.table["dmu"] == "A"].set_index("window")
    assert list(t.index) == ["2001-2002", "2002-2003", "mean", "ldp"]
    assert t.loc["2001-2002", "mean"] == pytest.approx(0.75)  # (0.5 + 1) / 2
    assert t.loc["2002-2003", "mean"] == pytest.approx((4 / 6 + 0.5) / 2)
    assert t.loc["2001-2002", "ldw"] == pytest.approx(0.5)  # 1 - 0.5
    assert t.loc["2002-2003", "ldw"] == pytest.approx(4 / 6 - 0.5)
    # Column means: 2001 only in window 1 (0.5); 2002 in both ((1 + 4/6) / 2); 2003 0.5.
    assert t.loc["mean", ["2001", "2002", "2003"]].tolist() == pytest.approx(
        [0.5, (1 + 4 / 6) / 2, 0.5]
    )
    assert t.loc["mean", "mean"] == pytest.approx((0.5 + 1 + 4 / 6 + 0.5) / 4)
    # Same period, different windows: 2002 scored 1 and 4/6.
    assert t.loc["ldp", "2002"] == pytest.approx(1 / 3)
    assert t["range"].tolist() == pytest.approx([0.5] * 4)  # max 1 - min 0.5


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_width_one_is_per_period_dea(rts, orientation):
    rng = np.random.default_rng(1)
    data = pd.DataFrame(
        {
            "dmu": [f"d{j}" for j in range(8)] * 3,
            "year": np.repeat([1, 2, 3], 8),
            "x0": rng.uniform(1, 9, 24),
            "x1": rng.uniform(1, 9, 24),
            "y0": rng.uniform(1, 9, 24),
        }
    )
    res = _run(data, 1, inputs=["x0", "x1"], outputs=["y0"], rts=rts, orientation=orientation)
    for year in (1, 2, 3):
        one = data[data["year"] == year].reset_index(drop=True)
        dea = vrs_summary(one, ["x0", "x1"], ["y0"], dmu="dmu", orientation=orientation)
        got = res.scores[res.scores["period"] == year]
        assert got["dmu"].tolist() == dea["dmu"].tolist()
        assert got["te"].to_numpy() == pytest.approx(dea[f"{rts}te"].to_numpy(), abs=1e-9)


def test_whole_span_is_one_pooled_dea():
    rng = np.random.default_rng(2)
    n, years = 6, [2010, 2011, 2012, 2013]
    data = pd.DataFrame(
        {
            "dmu": [f"d{j}" for j in range(n)] * len(years),
            "year": np.repeat(years, n),
            "x0": rng.uniform(1, 9, n * len(years)),
            "y0": rng.uniform(1, 9, n * len(years)),
            "y1": rng.uniform(1, 9, n * len(years)),
        }
    )
    res = _run(data, 4, inputs=["x0"], outputs=["y0", "y1"], rts="vrs")
    pooled = data.assign(label=data["dmu"] + "@" + data["year"].astype(str))
    dea = vrs_summary(pooled, ["x0"], ["y0", "y1"], dmu="label").set_index("dmu")
    got = res.scores.assign(label=res.scores["dmu"] + "@" + res.scores["period"].astype(str))
    assert set(got["window"]) == {"2010-2013"}
    want = dea.loc[got["label"], "vrste"].to_numpy()
    assert got["te"].to_numpy() == pytest.approx(want, abs=1e-9)


def test_bad_width_and_unbalanced_panel_are_errors():
    with pytest.raises(InputError, match="wider than the panel"):
        _run(HAND, 4)
    with pytest.raises(InputError, match="at least 1"):
        _run(HAND, 0)
    with pytest.raises(InputError, match="unbalanced"):
        _run(HAND.iloc[:-1], 2)
    negative = HAND.assign(y=HAND["y"].where(HAND.index != 2, -1.0))
    with pytest.raises(InputError, match="negative"):
        _run(negative, 2)


# Zeros (the policy of sciteff.efficiency.validate): B's 2002 outputs are all zero, A's 2002
# first input is zero. Refused by default; allowed, every LP is checked against an
# independent scipy linprog of the same envelopment LP (theta or phi left free), and an LP
# that is unbounded there must be a status with no score here.
ZEROS = pd.DataFrame(
    {
        "dmu": list("ABC") * 3,
        "year": [1] * 3 + [2] * 3 + [3] * 3,
        "x1": [2, 3, 4, 0, 3, 5, 2, 2, 6.0],
        "x2": [5, 4, 6, 5, 2, 3, 4, 3, 2.0],
        "y": [1, 2, 3, 2, 0, 3, 1, 2, 2.0],
    }
)


def _linprog_window(data: pd.DataFrame, years, rts: str, orientation: str):
    """(score, status) of every DMU-period of one window: min theta (input) or max phi
    (output) over lambda >= 0, sum lambda = 1 under VRS; score theta or 1/phi."""
    from scipy.optimize import linprog

    w = data[data["year"].isin(years)]
    x, y = w[["x1", "x2"]].to_numpy(), w[["y"]].to_numpy()
    n = len(w)
    out = {}
    for o in range(n):
        c = np.r_[1.0 if orientation == "in" else -1.0, np.zeros(n)]
        if orientation == "in":  # X lam - theta x_o <= 0 ; -Y lam <= -y_o
            a = np.vstack([np.c_[-x[o], x.T], np.c_[np.zeros(1), -y.T]])
            b = np.r_[np.zeros(2), -y[o]]
        else:  # X lam <= x_o ; phi y_o - Y lam <= 0
            a = np.vstack([np.c_[np.zeros(2), x.T], np.c_[y[o], -y.T]])
            b = np.r_[x[o], np.zeros(1)]
        eq = dict(A_eq=np.r_[0.0, np.ones(n)][None, :], b_eq=[1.0]) if rts == "vrs" else {}
        res = linprog(c, A_ub=a, b_ub=b, bounds=[(None, None)] + [(0, None)] * n, **eq)
        key = (w["dmu"].iloc[o], int(w["year"].iloc[o]))
        if res.status == 0:
            value = res.x[0]
            out[key] = (value if orientation == "in" else 1 / value, "optimal")
        else:
            out[key] = (math.nan, {2: "infeasible", 3: "unbounded"}[res.status])
    return out


def test_zeros_are_an_error_by_default():
    with pytest.raises(InputError, match="zero input") as err:
        _run(ZEROS, 2, inputs=["x1", "x2"])
    assert "--allow-zero" in str(err.value) and "DMU 'A'" in str(err.value)
    assert "row 4, column 'x1'" in str(err.value)  # A's 2002 row
    positive = ZEROS.assign(x1=ZEROS["x1"].replace(0, 1.0))
    with pytest.raises(InputError, match="all outputs are zero"):
        _run(positive, 2, inputs=["x1", "x2"])


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_allowed_zeros_give_statuses_never_numbers(rts, orientation):
    res = _run(ZEROS, 2, inputs=["x1", "x2"], rts=rts, orientation=orientation, allow_zero=True)
    assert list(res.scores.columns) == ["dmu", "window", "period", "te", "status"]
    statuses = set()
    for label, years in (("1-2", [1, 2]), ("2-3", [2, 3])):
        want = _linprog_window(ZEROS, years, rts, orientation)
        got = res.scores[res.scores["window"] == label]
        for dmu, period, te, status in got[["dmu", "period", "te", "status"]].itertuples(
            index=False
        ):
            score, expected = want[(dmu, int(period))]
            assert status == expected, (label, dmu, period)
            statuses.add(status)
            if status == "optimal":
                assert te == pytest.approx(score, abs=1e-9)
            else:
                assert math.isnan(te)
    if orientation == "out":  # B 2002 produces nothing: no finite phi
        assert "unbounded" in statuses
    # The window table leaves a status cell empty; its statistics use the scored cells.
    table = res.table.set_index(["dmu", "window"])
    b = res.scores[(res.scores["dmu"] == "B") & res.scores["te"].notna()]["te"]
    assert table.loc[("B", "mean"), "mean"] == pytest.approx(b.mean())


def test_allow_zero_by_enclosing_policy_block():
    """The analyses set the policy with allowing_zeros() (allow_zero: true)."""
    from sciteff.efficiency.validate import allowing_zeros

    with allowing_zeros(True):
        res = _run(ZEROS, 2, inputs=["x1", "x2"])
    assert "status" in res.scores.columns


def test_configured_window_analysis_honours_allow_zero():
    """``allow_zero: true`` in a window analysis (the pipeline's run_window) lets the zeros in;
    without it they are the same error as for the library call."""
    from sciteff.efficiency.analyses import run_window

    data = ZEROS.rename(columns={"year": "period"})
    spec = {"inputs": ["x1", "x2"], "outputs": ["y"], "width": 2, "orientation": "out"}
    with pytest.raises(InputError, match="zero input"):
        run_window(data, spec, source="panel.parquet")
    res = run_window(data, {**spec, "allow_zero": True}, source="panel.parquet")
    b2 = res.scores[(res.scores["dmu"] == "B") & (res.scores["period"] == 2)]
    assert b2["status"].tolist() == ["unbounded", "unbounded"] and b2["te"].isna().all()
