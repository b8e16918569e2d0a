"""The ``sciteff window`` command: its two tables and its errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sciteff.cli import main

# x = 1 everywhere: a CRS score is y / (largest y in the window) (see tests/efficiency).
CSV = "dmu,year,x,y\nA,2001,1,2\nB,2001,1,4\nA,2002,1,4\nB,2002,1,2\nA,2003,1,3\nB,2003,1,6\n"
ARGS = ["--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y", "--width", "2"]


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(CSV)
    return path


def test_scores_on_stdout(data, capsys):
    assert main(["window", str(data), *ARGS]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(out.columns) == ["dmu", "window", "period", "te"]
    assert len(out) == 8  # 2 DMUs x 2 windows x 2 periods
    b = out[out["dmu"] == "B"]
    assert b["te"].tolist() == pytest.approx([1.0, 0.5, 2 / 6, 1.0])


def test_out_writes_the_window_table_beside(data, tmp_path):
    target = tmp_path / "res.csv"
    assert main(["window", str(data), *ARGS, "--rts", "vrs", "--out", str(target)]) == 0
    scores = pd.read_csv(target)
    table = pd.read_csv(tmp_path / "res.table.csv")
    assert len(scores) == 8
    assert {"dmu", "window", "2001", "2002", "2003", "mean", "ldw", "range"} <= set(table.columns)
    assert table["window"].tolist()[:4] == ["2001-2002", "2002-2003", "mean", "ldp"]


def test_too_wide_window_is_a_one_line_error(data, capsys):
    argv = ["window", str(data), *ARGS[:-1], "5"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "wider than the panel" in err
