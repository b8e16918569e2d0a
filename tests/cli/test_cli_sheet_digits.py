"""``--sheet`` and ``--digits`` in sbm, window and bootstrap, the way dea does them: a workbook
sheet reads exactly like the CSV it holds, and --digits N writes N decimals rounded as DEAP
rounds (the unrounded CSV, rounded by an independent Decimal rule, must give the same text)."""

from __future__ import annotations

import csv
import decimal
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sciteff.cli import main

DEA = "dmu,x1,x2,y\nA,2,5,1\nB,2,4,2\nC,6,6,3\nD,3,2,1\nE,6,2,2\nF,5,3,2\nG,4,4,3\n"
PANEL = "dmu,year,x,y\nA,2001,1,2\nB,2001,1,4\nA,2002,1,4\nB,2002,1,2\nA,2003,1,3\nB,2003,1,6\n"
COMMANDS = {
    "sbm": (DEA, ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "dmu", "--super"]),
    "window": (
        PANEL,
        ["--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y", "--width", "2"],
    ),
    "bootstrap": (
        DEA,
        ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "dmu", "--reps", "40", "--alpha", "0.5"],
    ),
}


def _workbook(path: Path, text: str) -> None:
    """The CSV as the second sheet ('data') of a workbook, numbers as numeric cells."""
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["this sheet is not the data"])
    sheet = book.create_sheet("data")
    rows = list(csv.reader(io.StringIO(text)))
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([row[0], *(float(v) for v in row[1:])])
    book.save(path)


def _run(command: str, data: Path, out: Path, *extra: str) -> str:
    assert main([command, str(data), *COMMANDS[command][1], *extra, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("sheet", ["data", "2"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_sheet_reads_like_the_csv(tmp_path, command, sheet):
    text = COMMANDS[command][0]
    clean = tmp_path / "clean.csv"
    clean.write_text(text, encoding="utf-8")
    book = tmp_path / "data.xlsx"
    _workbook(book, text)
    got = _run(command, book, tmp_path / "b.csv", "--sheet", sheet)
    assert got == _run(command, clean, tmp_path / "a.csv")


def _deap_round(text: str, digits: int) -> str:
    """Round a written number half away from zero (Fortran's F format, as DEAP prints)."""
    try:
        exact = decimal.Decimal(float(text))
    except ValueError:
        return text
    step = decimal.Decimal(1).scaleb(-digits)
    value = exact.quantize(step, rounding=decimal.ROUND_HALF_UP)
    return f"{abs(value) if value == 0 else value:.{digits}f}"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_digits_writes_n_decimals(tmp_path, command):
    data = tmp_path / "d.csv"
    data.write_text(COMMANDS[command][0], encoding="utf-8")
    full = pd.read_csv(io.StringIO(_run(command, data, tmp_path / "a.csv")), dtype=str)
    short = pd.read_csv(io.StringIO(_run(command, data, tmp_path / "b.csv", "--digits", "3")))
    numeric = [c for c in full.columns if pd.to_numeric(full[c], errors="coerce").notna().all()]
    numeric = [c for c in numeric if c not in ("period", "window")]
    assert numeric, "no numeric column to check"
    for name in numeric:
        want = [_deap_round(v, 3) for v in full[name]]
        assert pd.read_csv(tmp_path / "b.csv", dtype=str)[name].tolist() == want, name
    # The rounding was exercised: some value had more than 3 decimals.
    assert any(len(v.partition(".")[2]) > 3 for name in numeric for v in full[name])
    assert list(short.columns) == list(full.columns)


def test_window_allow_zero_gives_a_status_column(tmp_path):
    """--allow-zero: B produces nothing in 2002; under output orientation its phi is unbounded,
    so those rows have no te and the status says why (scores elsewhere are numbers)."""
    data = tmp_path / "zero.csv"
    data.write_text(PANEL.replace("B,2002,1,2", "B,2002,1,0"), encoding="utf-8")
    out = tmp_path / "w.csv"
    argv = ["window", str(data), *COMMANDS["window"][1], "--orientation", "out"]
    assert main([*argv, "--out", str(out)]) == 2  # all outputs zero: refused by default
    assert main([*argv, "--allow-zero", "--out", str(out)]) == 0
    scores = pd.read_csv(out)
    assert list(scores.columns) == ["dmu", "window", "period", "te", "status"]
    b2002 = scores[(scores["dmu"] == "B") & (scores["period"] == 2002)]
    assert b2002["status"].tolist() == ["unbounded", "unbounded"] and b2002["te"].isna().all()
    rest = scores.drop(b2002.index)
    assert (rest["status"] == "optimal").all() and rest["te"].between(0, 1).all()


def test_encoding_is_for_csv_and_sheet_for_workbooks(tmp_path, capsys):
    book = tmp_path / "data.xlsx"
    _workbook(book, DEA)
    text = tmp_path / "data.csv"
    text.write_text(DEA, encoding="utf-8")
    args = COMMANDS["sbm"][1]
    assert main(["sbm", str(book), *args, "--encoding", "gbk"]) == 2
    assert "--encoding is only for CSV files" in capsys.readouterr().err
    assert main(["sbm", str(text), *args, "--sheet", "data"]) == 2
    assert "--sheet is only for .xlsx files" in capsys.readouterr().err
