"""Configured analyses: data selection, years, exclusions and drops are explicit and located."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.analyses import (
    analysis_data,
    complete_rows,
    malmquist_tables,
    run_dea,
    run_malmquist,
    supported_years,
    table_data,
)
from sciteff.ingest.tables import ingest_table, load_table_spec


def _panel(rows):
    frame = pd.DataFrame(rows, columns=["region", "year", "x", "y"])
    frame["is_aggregate"] = frame["region"] == "All"
    frame["source_file"] = [f"{y}.csv" for y in frame["year"]]
    frame["source_row"] = frame.groupby("year").cumcount() + 1
    return frame


PANEL = _panel(
    [
        ("A", 2010, 1.0, 2.0), ("B", 2010, 2.0, 3.0),
        ("A", 2011, 1.0, np.nan), ("B", 2011, 2.0, np.nan),  # y absent everywhere in 2011
        ("A", 2012, 1.0, 2.0), ("B", 2012, 2.0, 3.0),
        ("A", 2013, 1.5, 2.5), ("B", 2013, np.nan, 3.0),  # B lacks x in 2013 only
        ("All", 2014, 9.0, 9.0), ("A", 2014, 1.0, 2.0), ("B", 2014, 2.0, 3.0),
    ]
)  # fmt: skip
SPEC = {"source": {"panel": "demo"}, "inputs": ["x"], "outputs": ["y"], "years": "auto"}


def test_auto_years_are_the_latest_consecutive_run():
    # 2011 has no y anywhere, so the run ending at 2014 is 2012-2014 (2013 counts: A has x).
    assert supported_years(PANEL, ["x", "y"]) == [2012, 2013, 2014]
    assert supported_years(PANEL, ["x"]) == [2010, 2011, 2012, 2013, 2014]


def test_panel_selection_leaves_out_aggregates_and_lists_exclusions():
    data, excluded = analysis_data(PANEL, {**SPEC, "exclude": {"A": "outlier"}}, source="p")
    assert set(data["dmu"]) == {"B"}
    assert sorted(data["period"]) == [2012, 2013, 2014]
    assert excluded.to_dict("records")[0] == {
        "dmu": "A",
        "period": 2012,
        "reason": "excluded in config: outlier",
    }
    assert len(excluded) == 3  # one row per excluded DMU-period


def test_unknown_excluded_dmu_is_an_error():
    with pytest.raises(InputError, match=r"unknown DMU\(s\) \['Z'\]"):
        analysis_data(PANEL, {**SPEC, "exclude": {"Z": "typo"}}, source="p")


def test_unknown_indicator_is_an_error():
    with pytest.raises(InputError, match="no indicator 'z'") as err:
        analysis_data(PANEL, {**SPEC, "inputs": ["z"]}, source="p")
    assert err.value.column == "z"


def test_missing_value_stops_with_file_row_column_or_is_dropped_and_listed():
    data, _ = analysis_data(PANEL, SPEC, source="p")
    with pytest.raises(InputError, match="B 2013 has no value") as err:
        complete_rows(data, ["x", "y"], drop=False, source="p")
    assert (err.value.file, err.value.row, err.value.column) == ("2013.csv", 2, "x")
    kept, dropped = complete_rows(data, ["x", "y"], drop=True, source="p")
    assert len(kept) == len(data) - 1
    assert dropped.to_dict("records") == [
        {"dmu": "B", "period": 2013, "reason": "missing value: x"}
    ]


def test_seed002_table_becomes_a_long_panel_in_canonical_units(root):
    folder = root / "raw_data" / "papers" / "seed002"
    cells = ingest_table(folder / "table1.csv", load_table_spec(folder / "table1.yaml"))
    spec = {
        "source": {"paper": "seed002", "table": "table1"},
        "inputs": ["rd_personnel", "rd_expenditure"],
        "outputs": ["patents_granted"],
    }
    data = table_data(cells, spec)
    assert list(data["dmu"][:4]) == ["Henan", "Guangdong", "Jiangsu", "Beijing"]  # print order
    henan = data[(data.dmu == "Henan") & (data.period == "2015")].iloc[0]
    # Printed: 24.12 ten thousand persons, 435.04 hundred million yuan, 4740 patents.
    assert henan.rd_personnel == 241_200.0
    assert henan.rd_expenditure == 43_504_000_000.0
    assert henan.patents_granted == 4740.0
    result = run_malmquist(data, spec, source="t")
    tables = malmquist_tables(result, pd.DataFrame(columns=["dmu", "period", "reason"]))
    assert list(tables["indices"]["dmu"]) == ["Henan", "Guangdong", "Jiangsu", "Beijing"]
    assert list(tables["pairs"]["dmu"]) == ["Henan", "Guangdong", "Jiangsu", "Beijing", "mean"]
    assert tables["dropped"].empty


def test_dea_runs_per_period_with_period_first():
    data = pd.DataFrame(
        {
            "dmu": ["A", "B", "C"] * 2,
            "period": [1] * 3 + [2] * 3,
            "x": [2.0, 4.0, 5.0, 1.0, 2.0, 4.0],
            "y": [1.0, 4.0, 2.0, 1.0, 1.0, 1.0],
        }
    )
    out = run_dea(data, {"inputs": ["x"], "outputs": ["y"], "slacks": "none"}, source="d")
    assert list(out.columns[:2]) == ["period", "dmu"]
    # Period 1, CRS input orientation, 1 input 1 output: score = (y/x) / max(y/x);
    # y/x = 0.5, 1.0, 0.4 -> 0.5, 1.0, 0.4.
    assert out[out.period == 1]["crste"].tolist() == pytest.approx([0.5, 1.0, 0.4])
    # Period 2: y/x = 1.0, 0.5, 0.25 -> 1.0, 0.5, 0.25.
    assert out[out.period == 2]["crste"].tolist() == pytest.approx([1.0, 0.5, 0.25])
    # Places by crste: period 1 B (1.0) first, A (0.5) second, C (0.4) third.
    assert out[out.period == 1]["crste_rank"].tolist() == [2, 1, 3]
    assert out["dmus_in_period"].tolist() == [3] * 6


def test_configured_malmquist_analysis_honours_allow_zero():
    """``allow_zero: true`` in a Malmquist analysis lets a zero input in; without it the zero is
    an error. Hand check: B's period-2 inputs are (0, 2); against period 1's technology (every
    DMU there has x1 > 0) the only lambda keeping sum lambda x1 <= theta * 0 is lambda = 0,
    which cannot produce y = 2: the cross-period LP is infeasible, so B's techch and tfpch are a
    status, never a number, while A and C are computed as usual."""
    from sciteff.efficiency.analyses import run_malmquist

    data = pd.DataFrame(
        {
            "dmu": ["A", "B", "C"] * 2,
            "period": [1, 1, 1, 2, 2, 2],
            "x1": [2.0, 3, 4, 2, 0, 4],
            "x2": [1.0, 2, 1, 1, 2, 1],
            "y": [1.0, 2, 3, 1, 2, 3],
        }
    )
    spec = {"inputs": ["x1", "x2"], "outputs": ["y"]}
    with pytest.raises(InputError, match="zero input"):
        run_malmquist(data, spec, source="panel.parquet")
    out = run_malmquist(data, {**spec, "allow_zero": True}, source="panel.parquet").indices
    b = out[out["dmu"] == "B"].iloc[0]
    assert np.isnan(b["d_crs_t_t1"]) and np.isnan(b["techch"]) and np.isnan(b["tfpch"])
    assert b["status"] != "ok"
    assert (out.loc[out["dmu"] != "B", "status"] == "ok").all()
    # A's own-period CRS distances by hand: period 1 frontier ray x/y best is C (4, 1)/3.
    a = out[out["dmu"] == "A"].iloc[0]
    assert a["d_crs_t_t"] == pytest.approx(2 / 3, abs=1e-12)
