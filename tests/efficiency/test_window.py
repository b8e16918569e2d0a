"""DEA window analysis: windows of the whole span and of width 1, a hand-solved window table.

With one input and one output under CRS a score is (y/x) / max(y/x) over the window's
DMU-periods, so the whole table can be computed by hand (done in the comments below).
"""

from __future__ import annotations

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
