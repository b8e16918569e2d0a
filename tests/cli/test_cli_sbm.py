"""The ``sciteff sbm`` command: its CSV contract and its one-line errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sciteff.cli import main

# Tone (2003)'s undesirable-output example: one input, good output yg, bad output yb.
CSV = (
    "dmu,x,yg,yb\nA,1,1,1\nB,1,2,1\nC,1,6,2\nD,1,8,4\nE,1,9,7\nF,1,5,2\nG,1,4,3\nH,1,6,4\nI,1,4,6\n"
)


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "tone2003.csv"
    path.write_text(CSV)
    return path


def _run(capsys, *argv: str) -> pd.DataFrame:
    assert main(["sbm", *argv]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_contract_columns_and_undesirable_outputs(data, capsys):
    argv = [str(data), "--inputs", "x", "--outputs", "yg", "--undesirable", "yb", "--dmu", "dmu"]
    out = _run(capsys, *argv, "--rts", "vrs")
    assert list(out.columns) == [
        "dmu",
        "sbm",
        "slack_x",
        "slack_yg",
        "slack_yb",
        "target_x",
        "target_yg",
        "target_yb",
    ]
    assert out["dmu"].tolist() == list("ABCDEFGHI")
    # Hand-solved (tests/efficiency/test_sbm.py): A 2/3, H 0.8, I 0.6; H's bad-output slack 2.
    got = out.set_index("dmu")
    assert got.loc[["A", "H", "I"], "sbm"].tolist() == pytest.approx([2 / 3, 0.8, 0.6])
    assert got.loc["H", "slack_yb"] == pytest.approx(2.0)


def test_super_adds_super_sbm_and_efficient(data, capsys, tmp_path):
    target = tmp_path / "out.csv"
    argv = [str(data), "--inputs", "x", "--outputs", "yg", "--dmu", "dmu", "--super"]
    argv += ["--orientation", "in", "--rts", "vrs", "--out", str(target)]
    assert main(["sbm", *argv]) == 0
    out = pd.read_csv(target)
    assert {"super_sbm", "efficient"} <= set(out.columns)
    # One input equal to 1 everywhere, input orientation, VRS: any convex combination uses the
    # same input, so nothing can be saved and every DMU scores 1.
    assert out["sbm"].tolist() == pytest.approx([1.0] * 9)
    assert out["efficient"].all()
    # E has the largest yg (9): without it no convex combination reaches it, so its
    # input-oriented VRS super-SBM LP is infeasible, a status value.
    e = out.set_index("dmu").loc["E"]
    assert e["super_status"] == "infeasible" and pd.isna(e["super_sbm"])


def test_negative_value_is_a_one_line_error(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(CSV.replace("H,1,6,4", "H,1,-6,4"))
    rc = main(["sbm", str(path), "--inputs", "x", "--outputs", "yg", "--dmu", "dmu"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1
    # The cell is named by its column and its place (DMU H: data row 8, file line 9).
    assert "negative" in err and "'yg'" in err and ("row 8" in err or "line 9" in err)
