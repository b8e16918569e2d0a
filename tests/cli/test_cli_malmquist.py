"""The ``sciteff malmquist`` command: its CSV contract, atomic --out, one-line errors."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from sciteff.cli import main

CONTRACT = ["dmu", "period", "effch", "techch", "pech", "sech", "tfpch"]

# The hand-computed panel of tests/test_malmquist.py (derivation there): with input
# orientation, B's indices for 2001 -> 2002 are effch 4/3, techch 1.5, pech 2, sech 2/3, tfpch 2.
HAND_CSV = "unit,year,x,y\nA,2001,2,2\nB,2001,4,2\nA,2002,2,3\nB,2002,4,4\n"


def _write(tmp_path, text: str, name: str = "panel.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _args(path, *extra: str) -> list[str]:
    base = [str(path), "--dmu", "unit", "--period", "year", "--inputs", "x", "--outputs", "y"]
    return ["malmquist", *base, *extra]


def test_stdout_csv_follows_the_contract(tmp_path, capsys):
    code, out, err = _run(capsys, *_args(_write(tmp_path, HAND_CSV)))
    assert code == 0 and err == ""
    table = pd.read_csv(io.StringIO(out), dtype={"dmu": str, "period": str})
    assert list(table.columns[:7]) == CONTRACT
    assert list(table.columns[7:13]) == [
        "d_crs_t_t",
        "d_crs_t_t1",
        "d_crs_t1_t",
        "d_crs_t1_t1",
        "d_vrs_t_t",
        "d_vrs_t1_t1",
    ]
    row = table.set_index("dmu").loc["B"]
    assert row["period"] == "2002"
    assert row[CONTRACT[2:]].tolist() == pytest.approx([4 / 3, 1.5, 2.0, 2 / 3, 2.0])
    assert row["status"] == "ok"


def test_output_orientation_option(tmp_path, capsys):
    # Output orientation: B's VRS period-1 score is 1, so pech = 1 and sech = 4/3.
    code, out, _ = _run(capsys, *_args(_write(tmp_path, HAND_CSV), "--orientation", "out"))
    assert code == 0
    row = pd.read_csv(io.StringIO(out)).set_index("dmu").loc["B"]
    assert [row["pech"], row["sech"]] == pytest.approx([1.0, 4 / 3])


def test_out_file_is_written_and_stdout_stays_empty(tmp_path, capsys):
    target = tmp_path / "results" / "malmquist.csv"
    code, out, err = _run(capsys, *_args(_write(tmp_path, HAND_CSV), "--out", str(target)))
    assert code == 0 and out == "" and err == ""
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith(",".join(CONTRACT) + ",")
    assert len(text.splitlines()) == 3
    # The main table, DEAP's annual and firm means beside it, and the meta file; no temp file.
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "malmquist.annual_means.csv",
        "malmquist.csv",
        "malmquist.firm_means.csv",
        "malmquist.meta.json",
    ]


def test_unbalanced_panel_fails_with_one_line_and_writes_nothing(tmp_path, capsys):
    path = _write(tmp_path, HAND_CSV + "C,2001,1,1\n")
    target = tmp_path / "out.csv"
    code, out, err = _run(capsys, *_args(path, "--out", str(target)))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"file {path}" in err
    assert "missing DMU-periods: DMU 'C' in period 2002" in err
    assert not target.exists()


def test_drop_incomplete_reports_the_drop_on_stderr(tmp_path, capsys):
    path = _write(tmp_path, HAND_CSV + "C,2001,1,1\n")
    code, out, err = _run(capsys, *_args(path, "--drop-incomplete"))
    assert code == 0
    assert err == "sciteff malmquist: dropped DMU 'C': missing period(s) 2002\n"
    assert set(pd.read_csv(io.StringIO(out))["dmu"]) == {"A", "B"}


def test_empty_cell_is_a_missing_value(tmp_path, capsys):
    path = _write(tmp_path, HAND_CSV.replace("B,2002,4,4", "B,2002,,4"))
    code, _, err = _run(capsys, *_args(path))
    assert code == 2
    assert "line 5, column 'x'" in err and "missing values: DMU 'B' in period 2002" in err


@pytest.mark.parametrize(
    ("text", "extra", "expected"),
    [
        (HAND_CSV.replace("A,2002,2,3", "A,2002,2,three"), [], "line 4, column 'y'"),
        (HAND_CSV + "A,2002,2,3\n", [], "at lines 4, 6"),
        (HAND_CSV.replace("B,2002,4,4", " ,2002,4,4"), [], "line 5, column 'unit': empty label"),
        (HAND_CSV, ["--inputs", "labour"], "column 'labour'"),
        ("unit,year,x,y\nA,2001,2\n", [], "has 3 fields"),
    ],
)
def test_malformed_input_exits_2_with_one_line(tmp_path, capsys, text, extra, expected):
    args = _args(_write(tmp_path, text))
    if extra:
        args[args.index(extra[0]) + 1] = extra[1]
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("sciteff malmquist: error: ")
    assert len(err.strip().splitlines()) == 1
    assert expected in err


def test_missing_file_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, *_args(tmp_path / "nope.csv"))
    assert code == 2 and "file not found" in err


def test_infeasible_distance_is_an_empty_cell_with_a_status(tmp_path, capsys):
    # As in tests/test_malmquist.py: y2 only exists in period 2, so A's period-2 data has no
    # feasible input-oriented LP against the period-1 frontier.
    text = "dmu,t,x,y1,y2\nA,1,1,1,0\nB,1,2,1,0\nA,2,1,1,1\nB,2,2,1,0\n"
    path = _write(tmp_path, text)
    argv = ["malmquist", str(path), "--dmu", "dmu", "--period", "t", "--inputs", "x"]
    code, out, _ = _run(capsys, *argv, "--outputs", "y1,y2")
    assert code == 0
    line_a = next(line for line in out.splitlines() if line.startswith("A,"))
    cells = dict(zip(out.splitlines()[0].split(","), line_a.split(","), strict=True))
    assert cells["techch"] == "" and cells["tfpch"] == "" and cells["d_crs_t_t1"] == ""
    assert cells["status"] == "undefined: d_crs_t_t1"


def test_usage_errors_exit_2(tmp_path, capsys):
    path = _write(tmp_path, HAND_CSV)
    with pytest.raises(SystemExit) as caught:
        main(_args(path, "--orientation", "sideways"))
    assert caught.value.code == 2
    with pytest.raises(SystemExit):
        main(["malmquist", str(path), "--dmu", "unit", "--period", "year", "--inputs", "x,"])
    capsys.readouterr()
