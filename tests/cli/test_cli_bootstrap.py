"""The ``sciteff bootstrap`` command: its CSV contract, its seeding and its errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sciteff.cli import main

CSV = "dmu,x,y\nA,2,1\nB,3,2.5\nC,4,2\nD,5,4\nE,3,1.5\nF,6,3\n"
BASE = ["--inputs", "x", "--outputs", "y", "--dmu", "dmu", "--reps", "100", "--alpha", "0.2"]


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(CSV)
    return path


def _scores(capsys, *argv: str) -> pd.DataFrame:
    assert main(["bootstrap", *argv]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_contract_columns_and_printed_scale(data, capsys):
    out = _scores(capsys, str(data), *BASE, "--rts", "crs", "--orientation", "out")
    assert list(out.columns) == ["dmu", "te", "te_bc", "bias", "variance", "lower", "upper"]
    assert out["dmu"].tolist() == list("ABCDEF")
    # CRS, one input one output: te = (y/x) / max(y/x) = (y/x) / 0.8333 (B), in both
    # orientations, printed <= 1; bias-corrected scores lie below, the interval around them.
    prod = pd.Series([0.5, 2.5 / 3, 0.5, 0.8, 0.5, 0.5])
    assert out["te"].tolist() == pytest.approx((prod / prod.max()).tolist())
    assert (out["te_bc"] <= out["te"]).all() and (out["lower"] <= out["upper"]).all()
    assert (out["upper"] <= 1 + 1e-12).all()


def test_seed_fixes_the_numbers_and_workers_do_not_change_them(data, capsys):
    a = _scores(capsys, str(data), *BASE, "--seed", "7", "--workers", "1")
    b = _scores(capsys, str(data), *BASE, "--seed", "7", "--workers", "2")
    pd.testing.assert_frame_equal(a, b)


def test_rts_test_goes_beside_out(data, tmp_path, capsys):
    target = tmp_path / "boot.csv"
    assert main(["bootstrap", str(data), *BASE, "--rts-test", "--out", str(target)]) == 0
    test = pd.read_csv(tmp_path / "boot.rts_test.csv")
    assert {"statistic", "p_value", "reps"} <= set(test.columns)
    assert 0 <= test.loc[0, "p_value"] <= 1
    assert "returns-to-scale test" in capsys.readouterr().err


def test_too_few_replications_is_a_one_line_error(data, capsys):
    argv = ["bootstrap", str(data), "--inputs", "x", "--outputs", "y", "--reps", "200"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "too few replications" in err


@pytest.mark.parametrize("flag", ["", "--rts-test"])
def test_a_negative_seed_is_a_one_line_error(data, capsys, flag):
    argv = ["bootstrap", str(data), *BASE, "--seed", "-5", *([flag] if flag else [])]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "the random seed must be a whole number >= 0, got -5" in err
    assert "Traceback" not in err
