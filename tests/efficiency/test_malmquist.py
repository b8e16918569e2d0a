"""Malmquist index: DEAP 2.1 golden example EG4, hand-computed cases, panel checks.

Every expected number below is either printed in a cited DEAP 2.1 output or derived by hand in
the comment next to it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.core.io import read_csv_text
from sciteff.efficiency.malmquist import DISTANCE_COLUMNS, INDEX_COLUMNS, MEAN_LABEL, malmquist

# --- golden: DEAP 2.1 example EG4 -----------------------------------------------------------------
#
# Published output: "Results from DEAP Version 2.1, Instruction file = eg4-ins.txt, Data file =
# eg4-dta.txt, Output orientated Malmquist DEA" (Coelli 1996, A Guide to DEAP Version 2.1, CEPA
# Working Paper 96/08, example 4), as served at
#   http://jthuang.nccu.edu.tw/filedownload/495:EG4-out.txt
# (DISTANCES SUMMARY for years 1-3 and the year-2 MALMQUIST INDEX SUMMARY). The year-3 table and
# the MALMQUIST INDEX SUMMARY OF ANNUAL MEANS (incl. its mean row) of the same run are quoted in
#   https://m.pinggu.org/bbs/thread-3062190-1-1.html
#
# The data file eg4-dta.txt itself was NOT found in any stored source. The panel below (5 firms,
# 3 years, 1 output y, 1 input x, DEAP's order: output then input) is a reconstruction that
# reproduces every one of the 50 printed distances, checked by hand:
#   CRS with one input and one output: te = (y/x) / max(y/x) over the frontier's year.
#     year 1 y/x = 1/2, 2/4, 3/3, 4/5, 5/6 = .5 .5 1 .8 .833, max 1
#            -> t: .500 .500 1.000 .800 .833 (printed)
#     year 2 y/x = 1/2, 3/4, 4/3, 3/5, 5/5 = .5 .75 1.333 .6 1, max 1.333
#            -> t: .375 .5625 1 .45 .75 (printed .375 .563 1.000 .450 .750)
#            -> against year 1 (t-1, max 1): .5 .75 1.333 .6 1 (printed)
#            -> year 1 against year 2 (t+1, /1.333): .375 .375 .75 .6 .625 (printed)
#     year 3 = year 2, so year 3 "t-1" and "t" and year 2 "t+1" all equal year 2 "t" (printed);
#     year 3 VRS equals year 2 VRS.
#   VRS, output orientation: te = y / (frontier output at the firm's x).
#     year 1 frontier through (x, y) = (2, 1), (3, 3), (6, 5): at x=4: 3 + 2/3 = 3.667,
#       firm 2: 2/3.667 = .545; at x=5: 3 + 4/3 = 4.333, firm 4: 4/4.333 = .923; firm 1 is the
#       only DMU with x <= 2, so 1.000 (printed 1.000 .545 1.000 .923 1.000)
#     years 2, 3 frontier through (2, 1), (3, 4), (5, 5): at x=4: 4.5, firm 2: 3/4.5 = .667;
#       at x=5: 5, firm 4: 3/5 = .600 (printed 1.000 .667 1.000 .600 1.000)
EG4_Y_X = {
    1: [(1, 2), (2, 4), (3, 3), (4, 5), (5, 6)],
    2: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)],
    3: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)],
}

# Printed DISTANCES SUMMARY, by year: columns "t-1", "t", "t+1", "vrs te".
EG4_DISTANCES = {
    1: {
        "t": [0.500, 0.500, 1.000, 0.800, 0.833],
        "t+1": [0.375, 0.375, 0.750, 0.600, 0.625],
        "vrs": [1.000, 0.545, 1.000, 0.923, 1.000],
    },
    2: {
        "t-1": [0.500, 0.750, 1.333, 0.600, 1.000],
        "t": [0.375, 0.563, 1.000, 0.450, 0.750],
        "t+1": [0.375, 0.563, 1.000, 0.450, 0.750],
        "vrs": [1.000, 0.667, 1.000, 0.600, 1.000],
    },
    3: {
        "t-1": [0.375, 0.563, 1.000, 0.450, 0.750],
        "t": [0.375, 0.563, 1.000, 0.450, 0.750],
        "vrs": [1.000, 0.667, 1.000, 0.600, 1.000],
    },
}

# Printed MALMQUIST INDEX SUMMARY, year = 2 (firms 1-5 then the mean row): effch .. tfpch.
EG4_YEAR2 = [
    [0.750, 1.333, 1.000, 0.750, 1.000],
    [1.125, 1.333, 1.222, 0.920, 1.500],
    [1.000, 1.333, 1.000, 1.000, 1.333],
    [0.562, 1.333, 0.650, 0.865, 0.750],
    [0.900, 1.333, 1.000, 0.900, 1.200],
]
EG4_YEAR2_MEAN = [0.844, 1.333, 0.955, 0.883, 1.125]
# year = 3: every firm and the mean 1.000 in all five columns (pinggu quote).
# MALMQUIST INDEX SUMMARY OF ANNUAL MEANS (pinggu quote): year 2, year 3, mean.
EG4_ANNUAL = [
    [0.844, 1.333, 0.955, 0.883, 1.125],
    [1.000, 1.000, 1.000, 1.000, 1.000],
    [0.918, 1.155, 0.977, 0.940, 1.061],
]
# MALMQUIST INDEX SUMMARY OF FIRM MEANS: not found in a stored source; computed by hand as the
# geometric mean of year 2 and year 3. Year 3 is all ones, so each firm mean = sqrt(year-2 value):
#   firm 1: sqrt(.75)=.866, sqrt(4/3)=1.155, sqrt(1)=1, sqrt(.75)=.866, sqrt(1)=1
#   firm 2: sqrt(1.125)=1.061, 1.155, sqrt(11/9)=1.106, sqrt(.9205)=.959, sqrt(1.5)=1.225
#   firm 3: 1, 1.155, 1, 1, sqrt(4/3)=1.155
#   firm 4: sqrt(.5625)=.750, 1.155, sqrt(.65)=.806, sqrt(.8654)=.930, sqrt(.75)=.866
#   firm 5: sqrt(.9)=.949, 1.155, 1, sqrt(.9)=.949, sqrt(1.2)=1.095
#   mean row = the annual-means mean row (geometric means of a balanced panel agree).
EG4_FIRM_MEANS = [
    [0.866, 1.155, 1.000, 0.866, 1.000],
    [1.061, 1.155, 1.106, 0.959, 1.225],
    [1.000, 1.155, 1.000, 1.000, 1.155],
    [0.750, 1.155, 0.806, 0.930, 0.866],
    [0.949, 1.155, 1.000, 0.949, 1.095],
    [0.918, 1.155, 0.977, 0.940, 1.061],
]

PRINTED = 0.0005 + 1e-9  # DEAP prints 3 decimals


def eg4_panel() -> pd.DataFrame:
    rows = [
        {"firm": str(firm), "year": str(year), "y": y, "x": x}
        for year, observations in EG4_Y_X.items()
        for firm, (y, x) in enumerate(observations, start=1)
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def eg4():
    return malmquist(
        eg4_panel(), dmu="firm", period="year", inputs=["x"], outputs=["y"], orientation="out"
    )


def _pair(result, period: str) -> pd.DataFrame:
    return result.indices.loc[result.indices["period"] == period].reset_index(drop=True)


def test_eg4_distances_match_deap(eg4):
    # DEAP prints, per year t, the CRS distance against the frontier of year t-1, t and t+1.
    # For the pair (t, t1): d_crs_t_t is year t's "t", d_crs_t_t1 is year t1's "t-1",
    # d_crs_t1_t is year t's "t+1", d_crs_t1_t1 is year t1's "t".
    printed = EG4_DISTANCES
    for t, t1 in [(1, 2), (2, 3)]:
        pair = _pair(eg4, str(t1))
        expected = {
            "d_crs_t_t": printed[t]["t"],
            "d_crs_t_t1": printed[t1]["t-1"],
            "d_crs_t1_t": printed[t]["t+1"],
            "d_crs_t1_t1": printed[t1]["t"],
            "d_vrs_t_t": printed[t]["vrs"],
            "d_vrs_t1_t1": printed[t1]["vrs"],
        }
        for column, values in expected.items():
            np.testing.assert_allclose(
                pair[column], values, atol=PRINTED, rtol=0, err_msg=f"{column} ({t}, {t1})"
            )


def test_eg4_year_tables_match_deap(eg4):
    tables = eg4.pair_tables()
    assert list(tables) == ["2", "3"]
    year2 = tables["2"]
    assert list(year2.columns) == ["dmu", *INDEX_COLUMNS]
    assert list(year2["dmu"]) == ["1", "2", "3", "4", "5", MEAN_LABEL]
    np.testing.assert_allclose(
        year2[list(INDEX_COLUMNS)], [*EG4_YEAR2, EG4_YEAR2_MEAN], atol=PRINTED, rtol=0
    )
    np.testing.assert_allclose(tables["3"][list(INDEX_COLUMNS)], np.ones((6, 5)), atol=PRINTED)


def test_eg4_annual_means_match_deap(eg4):
    assert list(eg4.annual_means.columns) == ["period", *INDEX_COLUMNS]
    assert list(eg4.annual_means["period"]) == ["2", "3", MEAN_LABEL]
    np.testing.assert_allclose(
        eg4.annual_means[list(INDEX_COLUMNS)], EG4_ANNUAL, atol=PRINTED, rtol=0
    )


def test_eg4_firm_means_are_geometric(eg4):
    assert list(eg4.firm_means.columns) == ["dmu", *INDEX_COLUMNS]
    assert list(eg4.firm_means["dmu"]) == ["1", "2", "3", "4", "5", MEAN_LABEL]
    np.testing.assert_allclose(
        eg4.firm_means[list(INDEX_COLUMNS)], EG4_FIRM_MEANS, atol=PRINTED, rtol=0
    )


def test_eg4_result_layout_and_settings(eg4):
    assert list(eg4.indices.columns) == [
        "dmu",
        "period",
        *INDEX_COLUMNS,
        *DISTANCE_COLUMNS,
        "base_period",
        "status",
        "cumulative_tfpch",
    ]
    assert len(eg4.indices) == 10
    assert set(eg4.indices["status"]) == {"ok"}
    assert list(_pair(eg4, "3")["base_period"]) == ["2"] * 5
    assert eg4.dropped.empty and list(eg4.dropped.columns) == ["dmu", "reason"]
    assert eg4.orientation == "out" and eg4.periods == ("1", "2", "3")
    assert eg4.inputs == ("x",) and eg4.outputs == ("y",)
    assert eg4.dmu == "firm" and eg4.period == "year" and eg4.period_order == "numeric"
    assert eg4.drop_incomplete is False and eg4.source == "<data>"


# --- hand-computed: one input, one output, two DMUs, two periods -------------------------------
#
#   period 1: A (x=2, y=2) y/x=1, B (x=4, y=2) y/x=.5;   period 2: A (2, 3) 1.5, B (4, 4) 1.
# CRS (either orientation) = (y/x)/max(y/x):
#   A: D1(1)=1/1=1, D1(2)=1.5/1=1.5, D2(1)=1/1.5=2/3, D2(2)=1.5/1.5=1
#   B: D1(1)=.5,    D1(2)=1/1=1,     D2(1)=.5/1.5=1/3, D2(2)=1/1.5=2/3
#   effch A = 1/1 = 1;  B = (2/3)/.5 = 4/3
#   techch A = sqrt(1.5/1 * 1/(2/3)) = 1.5;  B = sqrt(1/(2/3) * .5/(1/3)) = 1.5
#   tfpch A = 1.5 (= productivity 1.5/1);  B = 4/3 * 1.5 = 2 (= productivity 1/.5)
# VRS, own period:
#   period 1, output: B's best output with x<=4 and sum lambda=1 is 2, so phi=1, te=1; A: 1.
#   period 1, input: B needs only x=2 (A's input) for y=2, theta=2/4=.5; A: 1.
#   period 2: A has the least input, B the most output: both 1 in both orientations.
#   output: pech A = 1, B = 1/1 = 1 -> sech B = effch/pech = 4/3
#   input:  pech A = 1, B = 1/.5 = 2 -> sech B = (4/3)/2 = 2/3
HAND = pd.DataFrame(
    {
        "unit": ["A", "B", "A", "B"],
        "year": [2001, 2001, 2002, 2002],
        "x": [2.0, 4.0, 2.0, 4.0],
        "y": [2.0, 2.0, 3.0, 4.0],
    }
)


@pytest.mark.parametrize(
    ("orientation", "expected"),
    [
        ("out", {"A": [1, 1.5, 1, 1, 1.5], "B": [4 / 3, 1.5, 1, 4 / 3, 2]}),
        ("in", {"A": [1, 1.5, 1, 1, 1.5], "B": [4 / 3, 1.5, 2, 2 / 3, 2]}),
    ],
)
def test_hand_computed_one_input_one_output(orientation, expected):
    result = malmquist(
        HAND, dmu="unit", period="year", inputs=["x"], outputs=["y"], orientation=orientation
    )
    table = result.indices.set_index("dmu")
    for unit, values in expected.items():
        np.testing.assert_allclose(table.loc[unit, list(INDEX_COLUMNS)], values, rtol=1e-7)
    np.testing.assert_allclose(
        table.loc["B", ["d_crs_t_t", "d_crs_t_t1", "d_crs_t1_t", "d_crs_t1_t1"]],
        [0.5, 1.0, 1 / 3, 2 / 3],
        rtol=1e-7,
    )
    assert table.loc["B", "d_vrs_t_t"] == pytest.approx(1.0 if orientation == "out" else 0.5)
    assert list(result.indices["period"]) == [2002, 2002]  # labels keep their type
    assert list(result.indices["base_period"]) == [2001, 2001]


def test_means_are_geometric_not_arithmetic():
    # Period 3 repeats period 1, so the (2002, 2003) indices are the reciprocals of the
    # (2001, 2002) ones (e.g. effch = D1(1)/D2(2) = 1/effch12): every geometric firm and annual
    # mean over the two pairs is exactly 1 (B's tfpch: sqrt(2 * 1/2) = 1), whereas an arithmetic
    # mean would give (2 + .5)/2 = 1.25.
    third = HAND.iloc[:2].assign(year=2003)
    panel = pd.concat([HAND, third], ignore_index=True)
    result = malmquist(panel, dmu="unit", period="year", inputs=["x"], outputs=["y"])
    np.testing.assert_allclose(result.firm_means[list(INDEX_COLUMNS)], np.ones((3, 5)))
    assert list(result.firm_means["dmu"]) == ["A", "B", MEAN_LABEL]
    last = result.annual_means.iloc[-1][list(INDEX_COLUMNS)].astype(float)
    np.testing.assert_allclose(last, np.ones(5))
    pair = result.indices.set_index(["dmu", "period"])
    assert pair.loc[("B", 2002), "tfpch"] == pytest.approx(2.0)
    assert pair.loc[("B", 2003), "tfpch"] == pytest.approx(0.5)


def test_infeasible_cross_period_distance_is_nan_with_status():
    # Input orientation; output y2 exists only in period 2 (A produces 1 of it). For A's
    # period-2 data against the period-1 frontier, sum lambda * y2_ref >= 1 cannot hold (every
    # y2_ref is 0): the LP is infeasible, so D1(2) for A is NaN, and so are techch and tfpch.
    # effch only needs own-period distances: D1(1)_A = 1 (y1/x: A 1, B .5), D2(2)_A = 1 (A is
    # the only producer of y2), effch = 1. B: D1(1) = .5, D2(2) = .5 (A's x=1 makes B's y), = 1.
    panel = pd.DataFrame(
        {
            "dmu": ["A", "B", "A", "B"],
            "t": ["1", "1", "2", "2"],
            "x": [1.0, 2.0, 1.0, 2.0],
            "y1": [1.0, 1.0, 1.0, 1.0],
            "y2": [0.0, 0.0, 1.0, 0.0],
        }
    )
    result = malmquist(panel, dmu="dmu", period="t", inputs=["x"], outputs=["y1", "y2"])
    table = result.indices.set_index("dmu")
    assert math.isnan(table.loc["A", "d_crs_t_t1"])
    assert table.loc["A", "status"] == "undefined: d_crs_t_t1"
    assert math.isnan(table.loc["A", "techch"]) and math.isnan(table.loc["A", "tfpch"])
    assert table.loc["A", "effch"] == pytest.approx(1.0)
    assert table.loc["B", "status"] == "ok"
    assert table.loc["B", "effch"] == pytest.approx(1.0)
    # A mean over an undefined value is undefined, never a mean of the rest.
    assert math.isnan(result.annual_means.loc[0, "techch"])
    assert result.annual_means.loc[0, "effch"] == pytest.approx(1.0)
    assert math.isnan(result.firm_means.iloc[-1]["tfpch"])


# --- periods ------------------------------------------------------------------------------------


def _two_dmu_panel(periods: list[str]) -> pd.DataFrame:
    rows = []
    for i, p in enumerate(periods):
        rows.append({"dmu": "A", "p": p, "x": 2.0, "y": 1.0 + i})
        rows.append({"dmu": "B", "p": p, "x": 3.0, "y": 2.0})
    return pd.DataFrame(rows)


def test_numeric_period_labels_sort_numerically():
    # Text order would put "10" before "9".
    result = malmquist(
        _two_dmu_panel(["10", "9", "11"]), dmu="dmu", period="p", inputs=["x"], outputs=["y"]
    )
    assert result.periods == ("9", "10", "11") and result.period_order == "numeric"
    assert list(result.indices["base_period"].unique()) == ["9", "10"]


def test_text_period_labels_sort_as_text():
    result = malmquist(
        _two_dmu_panel(["P2", "P1", "P10"]), dmu="dmu", period="p", inputs=["x"], outputs=["y"]
    )
    assert result.periods == ("P1", "P10", "P2") and result.period_order == "lexical"


def test_periods_that_are_the_same_number_are_an_error():
    with pytest.raises(InputError, match=r"'2015' and '2015\.0' are the same number"):
        malmquist(
            _two_dmu_panel(["2015", "2015.0"]), dmu="dmu", period="p", inputs=["x"], outputs=["y"]
        )


def test_one_period_is_an_error():
    with pytest.raises(InputError, match="at least two periods"):
        malmquist(_two_dmu_panel(["1"]), dmu="dmu", period="p", inputs=["x"], outputs=["y"])


# --- panel errors -------------------------------------------------------------------------------


def _panel_with_gaps() -> pd.DataFrame:
    """A, B, C over 2015-2017: B lacks 2016, C lacks 2015 and 2017, A's x is empty in 2017."""
    rows = [
        ("A", "2015", "1", "1"),
        ("A", "2016", "2", "1"),
        ("A", "2017", "", "2"),
        ("B", "2015", "2", "2"),
        ("B", "2017", "3", "2"),
        ("C", "2016", "4", "3"),
        ("D", "2015", "1", "1"),
        ("D", "2016", "2", "2"),
        ("D", "2017", "3", "2"),
    ]
    frame = pd.DataFrame(rows, columns=["city", "year", "x", "y"], dtype=object)
    frame.index = pd.RangeIndex(1, len(rows) + 1, name="row")  # 1-based rows, as sciteff.core.io
    return frame


def test_unbalanced_panel_lists_exactly_the_missing_dmu_periods():
    with pytest.raises(InputError) as caught:
        malmquist(
            _panel_with_gaps(),
            dmu="city",
            period="year",
            inputs=["x"],
            outputs=["y"],
            source="panel.csv",
        )
    err = caught.value
    message = str(err)
    listed = message.split("missing DMU-periods: ")[1].split(";")[0]
    assert listed == "DMU 'B' in period 2016, DMU 'C' in period 2015, DMU 'C' in period 2017"
    assert "missing values: DMU 'A' in period 2017 (row 3, column 'x')" in message
    assert "'D'" not in message
    assert err.file == "panel.csv" and err.row == 3 and err.column == "x"
    assert message.startswith("file panel.csv, row 3, column 'x': unbalanced panel")


def test_missing_periods_only_point_at_the_period_column():
    frame = _panel_with_gaps()
    frame.loc[3, "x"] = "5"
    with pytest.raises(InputError) as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"])
    assert caught.value.column == "year" and caught.value.row is None
    assert "missing values" not in str(caught.value)


def test_missing_value_is_an_error_naming_row_and_column():
    frame = _panel_with_gaps().query("city in ['A', 'D']")
    with pytest.raises(InputError) as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"], source="f.csv")
    assert (caught.value.file, caught.value.row, caught.value.column) == ("f.csv", 3, "x")
    assert "missing DMU-periods" not in str(caught.value)


def test_drop_incomplete_reports_every_dropped_dmu():
    result = malmquist(
        _panel_with_gaps(),
        dmu="city",
        period="year",
        inputs=["x"],
        outputs=["y"],
        drop_incomplete=True,
    )
    assert list(result.dropped["dmu"]) == ["A", "B", "C"]
    reasons = dict(zip(result.dropped["dmu"], result.dropped["reason"], strict=True))
    assert reasons["A"] == "missing value in column 'x' for period 2017 (row 3)"
    assert reasons["B"] == "missing period(s) 2016"
    assert reasons["C"] == "missing period(s) 2015, 2017"
    assert set(result.indices["dmu"]) == {"D"}
    assert list(result.firm_means["dmu"]) == ["D", MEAN_LABEL]
    assert result.drop_incomplete is True


def test_drop_incomplete_with_nothing_left_is_an_error():
    frame = _panel_with_gaps().query("city in ['A', 'B', 'C']")
    with pytest.raises(InputError, match="no DMU has complete data"):
        malmquist(
            frame, dmu="city", period="year", inputs=["x"], outputs=["y"], drop_incomplete=True
        )


def test_duplicate_dmu_period_names_the_rows():
    frame = _panel_with_gaps()
    frame.loc[10] = ["D", "2016", "9", "9"]
    with pytest.raises(InputError) as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"], source="f.csv")
    assert "DMU 'D' in period '2016' at rows 8, 10" in str(caught.value)
    assert caught.value.row == 10 and caught.value.file == "f.csv"


def test_duplicates_are_reported_even_with_drop_incomplete():
    frame = _panel_with_gaps()
    frame.loc[10] = ["D", "2016", "9", "9"]
    with pytest.raises(InputError, match="more than once"):
        malmquist(
            frame, dmu="city", period="year", inputs=["x"], outputs=["y"], drop_incomplete=True
        )


@pytest.mark.parametrize(
    ("cell", "match"),
    [("-1", "negative value"), ("abc", "cannot parse"), ("inf", "non-finite")],
)
def test_bad_numbers_name_row_and_column(cell, match):
    frame = _panel_with_gaps()
    frame.loc[7, "y"] = cell
    with pytest.raises(InputError, match=match) as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"])
    assert (caught.value.row, caught.value.column) == (7, "y")


def test_blank_label_names_row():
    frame = _panel_with_gaps()
    frame.loc[5, "city"] = "  "
    with pytest.raises(InputError, match="empty label") as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"])
    assert (caught.value.row, caught.value.column) == (5, "city")


def test_column_problems():
    frame = _panel_with_gaps()
    with pytest.raises(InputError, match="missing column") as caught:
        malmquist(frame, dmu="city", period="year", inputs=["labour"], outputs=["y"])
    assert caught.value.column == "labour"
    with pytest.raises(InputError, match="more than once"):
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["x"])
    with pytest.raises(InputError, match="at least one input"):
        malmquist(frame, dmu="city", period="year", inputs=[], outputs=["y"])


def test_unknown_orientation_is_rejected():
    with pytest.raises(ValueError, match="orientation"):
        malmquist(HAND, dmu="unit", period="year", inputs=["x"], outputs=["y"], orientation="io")


def test_unbalanced_panel_from_a_file_names_the_editor_line(tmp_path):
    # A file read by sciteff.core.io: the header is line 1, so the empty x of DMU A in 2017
    # (third data row) is on line 4, which is what the message and the error carry.
    path = tmp_path / "panel.csv"
    path.write_text(
        "city,year,x,y\nA,2015,1,1\nA,2016,2,1\nA,2017,,2\nD,2015,1,1\nD,2016,2,2\nD,2017,3,2\n",
        encoding="utf-8",
    )
    frame = read_csv_text(path)
    with pytest.raises(InputError) as caught:
        malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"], source=str(path))
    err = caught.value
    assert (err.file, err.line, err.column) == (str(path), 4, "x")
    assert f"missing values: DMU 'A' in period 2017 ({path} line 4, column 'x')" in str(err)
    assert str(err).startswith(f"file {path}, line 4, column 'x': unbalanced panel")
    dropped = malmquist(frame, dmu="city", period="year", inputs=["x"], outputs=["y"],
                        drop_incomplete=True).dropped  # fmt: skip
    assert list(dropped["reason"]) == ["missing value in column 'x' for period 2017 (line 4)"]
