"""Output and input formats shared by the commands: number text, CSV side tables and meta,
Excel workbooks in and out (round trip), warnings stated once."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciteff.cli import main
from sciteff.cli.numtext import format_number, text_frame, write_text_csv
from sciteff.cli.tables import read_numeric_table, read_table
from sciteff.core.errors import InputError

DATA = Path(__file__).parent / "data" / "deap"
EG1_CSV = "firm,y,x1,x2\nA,1,2,5\nB,2,2,4\nC,3,6,6\nD,1,3,2\nE,2,6,2\n"
DEA = ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"]


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (1.0000000000000004, None, "1"),
        (0.1 + 0.2, None, "0.3"),
        (2 / 3, None, "0.666666666667"),
        (-0.0, None, "0"),
        (1 / 3 * 1e-17, None, "3.33333333333e-18"),
        (123456789.5, None, "123456789.5"),
        (1e-20, None, "1e-20"),
        (float("nan"), None, ""),
        (2 / 3, 3, "0.667"),
        (0.5, 3, "0.500"),
        (-0.0001, 3, "0.000"),
    ],
)
def test_format_number(value, digits, text):
    assert format_number(value, digits) == text
    if text and digits is None:
        assert float(text) == float(f"{value:.12g}")  # the shortest text of the 12-digit value


def _eg1(tmp_path: Path) -> Path:
    path = tmp_path / "eg1.csv"
    path.write_text(EG1_CSV)
    return path


def _eg1_workbook(tmp_path: Path, *, text_cell: str | None = None) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["this sheet is not the data"])
    ws = book.create_sheet("data")
    rows = [line.split(",") for line in EG1_CSV.strip().splitlines()]
    ws.append(rows[0])
    for row in rows[1:]:
        ws.append([row[0], *(float(v) for v in row[1:])])
    if text_cell:
        ws["C4"] = text_cell
    path = tmp_path / "eg1.xlsx"
    book.save(path)
    return path


def test_csv_output_has_no_float_noise_no_warning_column_and_a_meta_file(tmp_path, capsys):
    out = tmp_path / "res.csv"
    assert main(["dea", str(_eg1(tmp_path)), *DEA, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("small sample") == 1  # stated once, not per row
    text = out.read_text()
    assert "warnings" not in text.splitlines()[0].split(",")
    assert "0000000" not in text and "9999999" not in text
    frame = pd.read_csv(out)
    assert frame["crste"].round(3).tolist() == [0.5, 1.0, 0.833, 0.714, 1.0]  # DEAP's EG1
    meta = json.loads((tmp_path / "res.meta.json").read_text())
    assert meta["tables"] == ["scores", "peers"]
    assert len(meta["warnings"]) == 1 and "small sample" in meta["warnings"][0]
    peers = pd.read_csv(tmp_path / "res.peers.csv")
    # EG1 (DEAP): firm 4 (D) has peers 5 and 2 (E, B) with weights 0.286 and 0.214 (CRS);
    # sciteff dea's peers are VRS ones; check they are the long form of the peers column.
    for dmu, text in zip(frame["dmu"], frame["peers"], strict=True):
        long = peers[peers["dmu"] == dmu]
        pairs = zip(long["peer"], long["weight"], strict=True)
        assert "; ".join(f"{p}:{w:.4f}" for p, w in pairs) == text


def test_digits_writes_fixed_decimals_like_deap(tmp_path, capsys):
    assert main(["dea", str(_eg1(tmp_path)), *DEA, "--digits", "3"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert out["crste"].tolist() == ["0.500", "1.000", "0.833", "0.714", "1.000"]


def test_excel_input_sheet_by_name_and_number_equals_csv(tmp_path, capsys):
    book = _eg1_workbook(tmp_path)
    assert main(["dea", str(_eg1(tmp_path)), *DEA]) == 0
    from_csv = capsys.readouterr().out
    for sheet in ("data", "2"):
        assert main(["dea", str(book), "--sheet", sheet, *DEA]) == 0
        assert capsys.readouterr().out == from_csv


def test_excel_input_errors_name_sheet_and_cell(tmp_path, capsys):
    book = _eg1_workbook(tmp_path, text_cell="abc")
    assert main(["dea", str(book), "--sheet", "data", *DEA]) == 2
    err = capsys.readouterr().err
    assert "eg1.xlsx [sheet 'data']" in err and "cell C4" in err and "abc" in err
    assert main(["dea", str(book), "--sheet", "nope", *DEA]) == 2
    assert "no sheet 'nope' (the workbook has: notes, data" in capsys.readouterr().err
    assert main(["dea", str(book), *DEA]) == 2  # first sheet has no such columns
    assert "missing column" in capsys.readouterr().err


def test_text_number_cells_follow_the_csv_number_rules(tmp_path):
    book = _eg1_workbook(tmp_path, text_cell="6")
    frame = read_numeric_table(book, ["x1"], ["firm"], sheet="data")
    assert frame["x1"].tolist() == [2.0, 2.0, 6.0, 3.0, 6.0]


def test_excel_output_round_trips_to_the_same_results(tmp_path, capsys):
    csv_out, book_out = tmp_path / "res.csv", tmp_path / "res.xlsx"
    assert main(["dea", str(_eg1(tmp_path)), *DEA, "--out", str(csv_out)]) == 0
    assert main(["dea", str(_eg1_workbook(tmp_path)), "--sheet", "data", *DEA,
                 "--out", str(book_out)]) == 0  # fmt: skip
    capsys.readouterr()
    book = openpyxl.load_workbook(book_out, read_only=True)
    assert book.sheetnames == ["scores", "peers", "meta"]
    meta = dict(r for r in book["meta"].iter_rows(values_only=True))
    assert "small sample" in meta["warning"]
    for sheet, csv_path in (("scores", csv_out), ("peers", tmp_path / "res.peers.csv")):
        from_book = read_table(book_out, sheet)
        from_csv = read_table(csv_path)
        assert list(from_book.columns) == list(from_csv.columns)
        for name in from_csv.columns:
            a, b = from_book[name].tolist(), from_csv[name].tolist()
            numeric = pd.to_numeric(pd.Series(b), errors="coerce")
            if numeric.notna().all():
                assert [float(v) for v in a] == [float(v) for v in b], name
            else:
                assert a == b, name
    # And the workbook is an input like any other: score its targets (all efficient).
    cols = ["--inputs", "target_x1,target_x2", "--outputs", "target_y", "--dmu", "dmu"]
    assert main(["dea", str(book_out), "--sheet", "scores", *cols]) == 0
    again = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert again["vrste"].round(9).tolist() == [1.0] * 5


def test_malmquist_writes_deap_annual_and_firm_means(tmp_path, capsys):
    # DEAP's 111 job: convert it, run sciteff malmquist, compare with DEAP's printed means.
    assert main(["deap", "convert", str(DATA / "111.ins"), "--out", str(tmp_path)]) == 0
    command = capsys.readouterr().out.split()
    out = tmp_path / "m.csv"
    args = [str(tmp_path / command[2]), *command[3:], "--out", str(out)]
    assert main(["malmquist", *args]) == 0
    deap = (DATA / "111.out").read_text().splitlines()

    def printed(title: str) -> list[list[float]]:
        start = deap.index(f" {title}")
        rows = []
        for line in deap[start + 4 :]:
            if not line.strip():
                break
            rows.append([float(v) for v in line.split()[1:]])
        mean = next(line for line in deap[start:] if line.startswith(" mean"))
        return [*rows, [float(v) for v in mean.split()[1:]]]

    cols = ["effch", "techch", "pech", "sech", "tfpch"]
    annual = pd.read_csv(tmp_path / "m.annual_means.csv")
    firm = pd.read_csv(tmp_path / "m.firm_means.csv")
    assert annual[cols].round(3).values.tolist() == printed(
        "MALMQUIST INDEX SUMMARY OF ANNUAL MEANS"
    )
    assert firm[cols].round(3).values.tolist() == printed("MALMQUIST INDEX SUMMARY OF FIRM MEANS")
    assert annual["period"].astype(str).tolist() == ["2", "3", "4", "mean"]
    book = tmp_path / "m.xlsx"
    assert main(["malmquist", *args[:-1], str(book)]) == 0
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert sheets == ["indices", "annual_means", "firm_means", "meta"]


def test_workbook_labels_that_look_like_formulas_stay_text(tmp_path):
    from sciteff.cli.tables import write_result

    frame = pd.DataFrame({"dmu": ["=1+1", "#2"], "score": [1.0000000000000004, 2 / 3]})
    write_result({"scores": frame}, str(tmp_path / "t.xlsx"), command="test")
    back = read_table(tmp_path / "t.xlsx", "scores")
    assert back["dmu"].tolist() == ["=1+1", "#2"]
    assert back["score"].tolist() == ["1", "0.666666666667"]


def test_uncalculated_formula_is_an_empty_cell_named_by_its_address(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["dmu", "x"])
    book.active.append(["a", "=1/0"])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match=r"cell B2: empty cell"):
        read_numeric_table(tmp_path / "f.xlsx", ["x"], ["dmu"])


def test_old_excel_files_get_a_clear_error(tmp_path, capsys):
    path = tmp_path / "data.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not a csv")
    assert main(["dea", str(path), *DEA]) == 2
    assert ".xls files are not read; save the sheet as .xlsx" in capsys.readouterr().err


def test_a_deap_data_file_is_pointed_to_sciteff_deap(tmp_path, capsys):
    dta = tmp_path / "eg1.dta"
    dta.write_text("1\t2\t5\n2\t2\t4\n")
    assert main(["dea", str(dta), *DEA]) == 2
    assert "a DEAP data file (no header row): run its DEAP job with `sciteff deap" in (
        capsys.readouterr().err
    )
    headerless = tmp_path / "data.csv"
    headerless.write_text("100,90,20,151\n1,2,3,4\n")
    assert main(["dea", str(headerless), *DEA]) == 2
    err = capsys.readouterr().err
    assert "missing column" in err and "its first line holds numbers, not column names" in err


@given(
    st.lists(
        st.one_of(
            st.floats(),
            st.floats(min_value=-1e13, max_value=1e13),
            st.integers(-(10**13), 10**13).map(float),
            st.sampled_from([0.0, -0.0, 1e-5, 1e-4, 1e12, 1e12 - 0.5, 999999999999.5, 5e-324]),
        ),
        max_size=50,
    )
)
def test_float_columns_are_written_as_format_number_writes_each_cell(values):
    """A float column goes through a fast path (text_frame); each cell must still read as
    format_number's text of it."""
    frame = pd.DataFrame({"v": pd.Series(values, dtype="float64")})
    assert list(text_frame(frame)["v"]) == [format_number(v) for v in values]


_FLOATS = st.one_of(
    st.floats(),
    st.floats(min_value=-1e13, max_value=1e13),
    st.sampled_from([0.0, -0.0, 1e-5, 1e-4, 0.30000000000000004, 1e12, 999999999999.5]),
)
_CELLS = {
    "float": _FLOATS,
    "text": st.text(alphabet='ab,"\n\r ;é-1.', max_size=4),
    "int": st.integers(-(10**6), 10**6),
}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kinds=st.lists(st.sampled_from(sorted(_CELLS)), min_size=1, max_size=4),
    data=st.data(),
    digits=st.one_of(st.none(), st.integers(0, 6)),
)
def test_write_text_csv_gives_the_bytes_of_the_text_frame(kinds, data, digits, tmp_path):
    """write_text_csv builds most rows with one % each; its file must be byte for byte what
    pandas writes for the text frame (text_frame + DataFrame.to_csv): float columns in and
    out of %.12g's range (zeros, -0, NaN, inf, 1e-5, 1e12), text that needs quoting, integer
    columns, one column or several, no rows or a few, with and without --digits."""
    rows = data.draw(st.integers(0, 4))
    frame = pd.DataFrame(
        {
            f"c{i}": data.draw(st.lists(_CELLS[kind], min_size=rows, max_size=rows))
            for i, kind in enumerate(kinds)
        }
    )
    path = write_text_csv(frame, tmp_path / "t.csv", digits)
    want = text_frame(frame, digits).to_csv(index=False, lineterminator="\n")
    assert path.read_bytes() == want.encode("utf-8")


def test_write_text_csv_builds_a_plain_table_itself(monkeypatch, tmp_path):
    """Labels without quoting, floats with zeros (-0 too), small values and NaN: the rows are
    built by the template (the pandas fallback is not called), in pandas' bytes."""
    import sciteff.cli.numtext as numtext

    frame = pd.DataFrame(
        {
            "dmu": ["a b", "é", ""],
            "x": [-0.0, 1e-5, float("nan")],
            "y": [2 / 3, 5.0, 1e13],
            "z": [0.1 + 0.2, -0.0, 1e-4],  # all within %.12g's own range
        }
    )
    want = text_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")
    monkeypatch.setattr(numtext, "write_csv", None)  # a call would fail
    assert write_text_csv(frame, tmp_path / "t.csv").read_bytes() == want


def test_peers_table_keeps_labels_with_semicolons_and_colons(tmp_path):
    """The long peers table comes from the weights, not from the peers texts, which a label
    holding "; " or ":" makes ambiguous. By hand (one input, one output, VRS, input
    orientation): "A;B" (2, 1) and "C:D" (3, 3) span the frontier; "E" (4, 2) is projected
    onto its midpoint (2.5, 2), weights 0.5 and 0.5, score 2.5 / 4 = 0.625."""
    data = tmp_path / "labels.csv"
    data.write_text('firm,x,y\n"A;B",2,1\nC:D,3,3\nE,4,2\n')
    out = tmp_path / "res.csv"
    args = ["dea", str(data), "--dmu", "firm", "--inputs", "x", "--outputs", "y"]
    assert main([*args, "--out", str(out)]) == 0
    scores = pd.read_csv(out)
    assert scores["vrste"].tolist() == [1.0, 1.0, 0.625]
    peers = pd.read_csv(tmp_path / "res.peers.csv")
    assert list(peers.itertuples(index=False, name=None)) == [
        ("A;B", "A;B", 1.0),
        ("C:D", "C:D", 1.0),
        ("E", "A;B", 0.5),
        ("E", "C:D", 0.5),
    ]
    assert scores["peers"].tolist()[2] == "A;B:0.5000; C:D:0.5000"


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_an_output_that_cannot_be_written_is_one_line_and_leaves_nothing(tmp_path, capsys, ext):
    """The folder of --out is a file: exit 2, one line naming the output and the reason, no
    traceback, no half-written or temporary file."""
    data = tmp_path / "d.csv"
    data.write_text(EG1_CSV, encoding="utf-8")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    out = tmp_path / "taken" / f"res.{ext}"
    assert main(["dea", str(data), *DEA, "--out", str(out)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("sciteff dea: error: cannot write ")
    assert errors[0].endswith(f"{tmp_path / 'taken'} is a file, not a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "taken"]


def test_a_folder_in_the_way_of_the_output_is_one_line(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text(EG1_CSV, encoding="utf-8")
    (tmp_path / "res.csv").mkdir()
    assert main(["dea", str(data), *DEA, "--out", str(tmp_path / "res.csv")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1  # the system's reason follows, in the system's words
    assert errors[0].startswith(f"sciteff dea: error: cannot write {tmp_path / 'res.csv'}: ")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
