"""``sciteff cost``: cost-DEA of a user's table (hand-solved example, errors, formats)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sciteff.cli import main

# y = 1 everywhere, prices (1, 2): costs 7, 5, 6, 9; minimum 5 at (3, 1) (see test_cost.py).
HAND = "id,y,x1,x2,w1,w2\na,1,1,3,1,2\nb,1,3,1,1,2\nc,1,2,2,1,2\nd,1,3,3,1,2\n"
ARGS = ["--inputs", "x1,x2", "--outputs", "y", "--prices", "w1,w2", "--dmu", "id"]


def _write(tmp_path, text=HAND):
    path = tmp_path / "c.csv"
    path.write_text(text)
    return path


def test_hand_solved_example_on_stdout(tmp_path, capsys):
    assert main(["cost", str(_write(tmp_path)), *ARGS]) == 0
    captured = capsys.readouterr()
    out = pd.read_csv(io.StringIO(captured.out))
    assert list(out.columns) == ["dmu", "te", "ae", "ce", "cost", "min_cost", "min_x1", "min_x2"]
    assert out["ce"].tolist() == pytest.approx([5 / 7, 1, 5 / 6, 5 / 9], rel=1e-11)
    assert out["te"].tolist() == pytest.approx([1, 1, 1, 2 / 3], rel=1e-11)
    assert out["ae"].tolist() == pytest.approx([5 / 7, 1, 5 / 6, 5 / 6], rel=1e-11)
    assert out[["min_x1", "min_x2"]].values.tolist() == [[3, 1]] * 4
    assert captured.err.count("small sample") == 1


def test_vrs_and_digits(tmp_path, capsys):
    # DEAP's egcost job (VRS, firm-specific prices): te/ae/ce as DEAP printed them.
    rows = ["1,2,5,1,2", "2,3,6,1,2", "2,6,3,1.2,2", "2,5,5,1,2", "1,4,4,1,1.5", "3,8,7,1.2,2"]
    path = _write(tmp_path, "y,x1,x2,w1,w2\n" + "\n".join(rows) + "\n")
    args = ["--inputs", "x1,x2", "--outputs", "y", "--prices", "w1,w2", "--rts", "vrs"]
    assert main(["cost", str(path), *args, "--digits", "3"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert out["te"].tolist() == ["1.000", "1.000", "1.000", "0.900", "1.000", "1.000"]
    assert out["ae"].tolist() == ["1.000", "0.800", "1.000", "0.889", "0.950", "1.000"]
    assert out["ce"].tolist() == ["1.000", "0.800", "1.000", "0.800", "0.950", "1.000"]


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        (
            HAND.replace("b,1,3,1,1,2", "b,1,3,1,-1,2"),
            ARGS,
            "line 3, column 'w1': DMU 'b': negative price -1",  # the editor's line, no numpy repr
        ),
        (HAND, [*ARGS[:4], "--prices", "w1", *ARGS[6:]], "1 price columns for 2 inputs"),
        (HAND, [*ARGS[:4], "--prices", "w1,w9", *ARGS[6:]], "'w9'"),
    ],
)
def test_bad_prices_one_line_exit_2(tmp_path, capsys, text, args, expected):
    assert main(["cost", str(_write(tmp_path, text)), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
