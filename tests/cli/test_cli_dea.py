"""The ``sciteff dea`` command: its CSV contract and its one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from sciteff.cli import main

# DEAP 2.1 EG1 data (see tests/test_dea.py for source); published CRS te in the comment.
EG1_CSV = "firm,y,x1,x2\nA,1,2,5\nB,2,2,4\nC,3,6,6\nD,1,3,2\nE,2,6,2\n"
CLI = [sys.executable, "-m", "sciteff.cli", "dea"]
REQUIRED = ["dmu", "crste", "vrste", "scale", "rts", "nirs_te"]


@pytest.fixture
def eg1(tmp_path):
    path = tmp_path / "eg1.csv"
    path.write_text(EG1_CSV)
    return path


def test_writes_contract_columns_to_stdout(eg1, capsys):
    rc = main(["dea", str(eg1), "--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"])
    assert rc == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert list(out.columns[:6]) == REQUIRED
    for var in ("x1", "x2", "y"):
        assert f"slack_{var}" in out.columns and f"target_{var}" in out.columns
    assert "peers" in out.columns
    assert list(out["dmu"]) == ["A", "B", "C", "D", "E"]
    # eg1-out.txt: te 0.500 1.000 0.833 0.714 1.000 (CRS, input orientated)
    assert out["crste"].round(3).tolist() == [0.5, 1.0, 0.833, 0.714, 1.0]


def test_out_file_and_row_numbers_without_dmu(eg1, tmp_path):
    target = tmp_path / "sub" / "res.csv"
    rc = main(["dea", str(eg1), "--inputs", "x1,x2", "--outputs", "y", "--out", str(target)])
    assert rc == 0
    out = pd.read_csv(target)
    assert out["dmu"].tolist() == [1, 2, 3, 4, 5]
    assert not list(tmp_path.joinpath("sub").glob(".*.tmp"))  # no temp file left behind


def test_output_orientation_multi_stage(eg1, capsys):
    argv = ["dea", str(eg1), "--inputs", "x1,x2", "--outputs", "y", "--orientation", "out"]
    assert main([*argv, "--slacks", "multi-stage"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert out["crste"].round(3).tolist() == [0.5, 1.0, 0.833, 0.714, 1.0]  # CRS in == out


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (EG1_CSV.replace("D,1,3,2", "D,1,abc,2"), [], ["line 5", "'x1'"]),
        (EG1_CSV.replace("D,1,3,2", "D,1,0,2"), [], ["line 5", "'x1'", "zero input"]),
        (EG1_CSV.replace("D,1,3,2", "D,1,-3,2"), [], ["line 5", "'x1'", "negative"]),
        (EG1_CSV.replace("D,1,3,2", "D,1,inf,2"), [], ["line 5", "'x1'", "non-finite"]),
        (EG1_CSV, ["--inputs", "x1,nope"], ["'nope'", "missing column"]),
        ("firm,y,x1,x2\nA,1,2,5\nB,2,2,4\n", [], ["too few DMUs"]),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path, capsys, content, args, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    argv = ["dea", str(path), "--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"]
    if args:
        argv[3] = args[1]
    rc = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1
    assert "bad.csv" in err[0]
    for piece in expected:
        assert piece in err[0]


def test_missing_file(tmp_path, capsys):
    rc = main(["dea", str(tmp_path / "nope.csv"), "--inputs", "x1", "--outputs", "y"])
    assert rc == 2
    assert "file not found" in capsys.readouterr().err


def test_subprocess_stdout_is_clean_csv(eg1):
    # Through a real process: the HiGHS banner must not leak into the CSV on stdout.
    proc = subprocess.run(
        [*CLI, str(eg1), "--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("dmu,crste,vrste,scale,rts,nirs_te")
    assert len(proc.stdout.strip().splitlines()) == 6
    bad = subprocess.run(
        [*CLI, str(eg1), "--inputs", "x1,zz", "--outputs", "y"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
