"""Bad inputs on the command line, for every model with a command: one line on standard error
naming file, line (header = line 1) and column, exit status 2, no output file written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sciteff.cli.main import main

DEA = "firm,x1,x2,y\nA,2,5,1\nB,2,4,2\nC,6,6,3\nD,3,2,1\nE,6,2,2\nF,5,3,2\nG,4,4,3\n"
PANEL = (
    "dmu,year,x,y\n"
    "A,2001,2,1\nB,2001,3,2\nC,2001,4,3\nD,2001,5,2\n"
    "A,2002,2,2\nB,2002,3,3\nC,2002,4,3\nD,2002,5,4\n"
)
COST = (
    "firm,x1,x2,y,w1,w2\nA,2,5,1,1,2\nB,2,4,2,1,2\nC,6,6,3,2,1\nD,3,2,1,2,2\nE,6,2,2,1,1\n"
    "F,5,3,2,1,3\nG,4,4,3,2,2\n"
)

ARGS = {
    "dea": ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"],
    "cost": ["--inputs", "x1,x2", "--outputs", "y", "--prices", "w1,w2", "--dmu", "firm"],
    "malmquist": ["--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y"],
    "sbm": ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"],
    "bootstrap": [
        *("--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"),
        *("--reps", "40", "--alpha", "0.5"),
    ],
    "window": [
        *("--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y"),
        *("--width", "2"),
    ],
}
BASE = {"dea": DEA, "cost": COST, "malmquist": PANEL, "sbm": DEA, "bootstrap": DEA, "window": PANEL}


@dataclass(frozen=True)
class Case:
    id: str
    command: str
    write: Callable[[Path], None]
    line: int | None
    column: str | None
    text: str


def _text(command: str, old: str, new: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        base = BASE[command]
        assert old in base
        path.write_bytes(base.replace(old, new, 1).encode(encoding))

    return write


def _raw(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


CASES = [
    Case("decimal-comma", "dea", _text("dea", "D,3,2,1", 'D,"20,5",2,1'), 5, "x1", "20.5"),
    Case("bad-grouping", "dea", _text("dea", "D,3,2,1", 'D,"1,23,4",2,1'), 5, "x1", "1234"),
    Case("nan-token", "dea", _text("dea", "D,3,2,1", "D,nan,2,1"), 5, "x1", "non-finite"),
    Case("inf-token", "dea", _text("dea", "D,3,2,1", "D,3,inf,1"), 5, "x2", "non-finite"),
    Case("text-token", "dea", _text("dea", "D,3,2,1", "D,3,two,1"), 5, "x2", "cannot parse"),
    Case(
        "semicolons",
        "dea",
        _raw(DEA.replace(",", ";").encode()),
        1,
        "firm",
        "separated by semicolons",
    ),
    Case("utf16", "dea", _raw(DEA.encode("utf-16")), 1, None, "UTF-16"),
    Case(
        "gbk-undeclared",
        "dea",
        _text("dea", "D,3,2,1", "上海,3,2,1", encoding="gbk"),
        5,
        None,
        "gbk",
    ),
    Case("empty-file", "dea", _raw(b""), 1, None, "empty file"),
    Case("header-only", "dea", _raw(b"firm,x1,x2,y\n"), 1, None, "no data rows"),
    Case("ragged-row", "dea", _text("dea", "D,3,2,1", "D,3,2"), 5, None, "has 3 fields"),
    Case("missing-column", "dea", _text("dea", "firm,x1,x2,y", "firm,x1,x3,y"), 1, "x2", "x3"),
    Case("duplicate-dmu", "dea", _text("dea", "D,3,2,1", "A,3,2,1"), 5, "firm", "duplicate"),
    Case("empty-dmu", "dea", _text("dea", "D,3,2,1", " ,3,2,1"), 5, "firm", "empty DMU label"),
    Case(
        "malmquist-empty-dmu",
        "malmquist",
        _text("malmquist", "C,2002,4,3", ",2002,4,3"),
        8,
        "dmu",
        "empty label",
    ),
    Case("dea-zero-input", "dea", _text("dea", "D,3,2,1", "D,0,2,1"), 5, "x1", "zero input"),
    Case("dea-negative", "dea", _text("dea", "D,3,2,1", "D,-3,2,1"), 5, "x1", "negative"),
    Case(
        "malmquist-zero-input",
        "malmquist",
        _text("malmquist", "C,2002,4,3", "C,2002,0,3"),
        8,
        "x",
        "zero input",
    ),
    Case(
        "malmquist-negative",
        "malmquist",
        _text("malmquist", "C,2002,4,3", "C,2002,-4,3"),
        8,
        "x",
        "negative",
    ),
    Case(
        "malmquist-decimal-comma",
        "malmquist",
        _text("malmquist", "C,2002,4,3", 'C,2002,"4,5",3'),
        8,
        "x",
        "ambiguous",
    ),
    Case(
        "malmquist-semicolons",
        "malmquist",
        _raw(PANEL.replace(",", ";").encode()),
        1,
        "dmu",
        "separated by semicolons",
    ),
    Case("cost-zero-input", "cost", _text("cost", "D,3,2,1,2,2", "D,0,2,1,2,2"), 5, "x1", "zero"),
    Case(
        "cost-negative", "cost", _text("cost", "D,3,2,1,2,2", "D,-3,2,1,2,2"), 5, "x1", "negative"
    ),
    Case("sbm-negative", "sbm", _text("sbm", "D,3,2,1", "D,-3,2,1"), 5, "x1", "negative"),
    Case(
        "sbm-all-zero-inputs",
        "sbm",
        _text("sbm", "D,3,2,1", "D,0,0,1"),
        5,
        None,
        "all inputs are zero",
    ),
    Case(
        "window-zero-input", "window", _text("window", "C,2002,4,3", "C,2002,0,3"), 8, "x", "zero"
    ),
    Case(
        "window-negative",
        "window",
        _text("window", "B,2001,3,2", "B,2001,-3,2"),
        3,
        "x",
        "negative",
    ),
    Case(
        "window-decimal-comma",
        "window",
        _text("window", "C,2002,4,3", 'C,2002,"4,5",3'),
        8,
        "x",
        "with ',' as the decimal mark 4.5",
    ),
    Case(
        "bootstrap-decimal-comma",
        "bootstrap",
        _text("bootstrap", "D,3,2,1", 'D,"20,5",2,1'),
        5,
        "x1",
        "ambiguous",
    ),
    Case(
        "bootstrap-negative", "bootstrap", _text("dea", "D,3,2,1", "D,3,-2,1"), 5, "x2", "negative"
    ),
    # A declared decimal comma makes '.' the grouping mark: a dot decimal is then ambiguous.
    Case(
        "decimal-comma-declared-dot-token",
        "dea",
        _text("dea", "D,3,2,1", "D,3.25,2,1"),
        5,
        "x1",
        "with '.' as a thousands separator it would read 325",
    ),
    Case(
        "decimal-comma-declared-bad-grouping",
        "sbm",
        _text("sbm", "D,3,2,1", "D,1.23.4,2,1"),
        5,
        "x1",
        "ambiguous",
    ),
    Case(
        "malmquist-decimal-comma-declared-dot-token",
        "malmquist",
        _text("malmquist", "C,2002,4,3", "C,2002,4.5,3"),
        8,
        "x",
        "ambiguous",
    ),
    Case(
        "gbk-declared-not-gbk",
        "cost",
        _raw(COST.replace("D,3,2,1,2,2", "D,3,2,1,2,2\x80").encode("latin-1")),
        5,
        None,
        "not gbk text",
    ),
    Case(
        "utf16-declared-as-gbk",
        "malmquist",
        _raw(PANEL.encode("utf-16")),
        1,
        None,
        "UTF-16 text (a spreadsheet's 'Unicode text' export), not gbk",
    ),
]

# The options each case runs with, besides ARGS (the reading options under test).
OPTIONS = {
    "decimal-comma-declared-dot-token": ("--decimal", ","),
    "decimal-comma-declared-bad-grouping": ("--decimal", ","),
    "malmquist-decimal-comma-declared-dot-token": ("--decimal", ","),
    "gbk-declared-not-gbk": ("--encoding", "gbk"),
    "utf16-declared-as-gbk": ("--encoding", "gbk"),
}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_located_line(tmp_path, capsys, case):
    data = tmp_path / "bad.csv"
    case.write(data)
    out = tmp_path / "result.csv"
    options = OPTIONS.get(case.id, ())
    rc = main([case.command, str(data), *ARGS[case.command], *options, "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1, err
    place = [f"file {data}"]
    if case.line is not None:
        place.append(f"line {case.line}")
    if case.column is not None:
        place.append(f"column {case.column!r}")
    assert err[0].startswith(f"sciteff {case.command}: error: {', '.join(place)}: "), err[0]
    assert case.text in err[0]
    assert "np.float64" not in err[0] and "Traceback" not in err[0]
    assert not out.exists() and not list(tmp_path.glob("result*"))


def test_zero_input_allowed_on_request(tmp_path, capsys):
    """--allow-zero accepts a zero input: the DEA scores are numbers in (0, 1]."""
    data = tmp_path / "zero.csv"
    data.write_text(DEA.replace("D,3,2,1", "D,0,2,1"), encoding="utf-8")
    out = tmp_path / "scores.csv"
    rc = main(["dea", str(data), *ARGS["dea"], "--allow-zero", "--out", str(out)])
    assert rc == 0, capsys.readouterr().err
    import pandas as pd

    scores = pd.read_csv(out)
    assert list(scores["dmu"]) == list("ABCDEFG")
    assert scores["crste"].between(0, 1 + 1e-9).all()


def test_malmquist_zero_input_allowed_gives_status_not_number(tmp_path, capsys):
    """With zeros allowed, a distance a zero makes undefined is a status, never a number."""
    data = tmp_path / "zero.csv"
    data.write_text(PANEL.replace("A,2002,2,2", "A,2002,0,2"), encoding="utf-8")
    out = tmp_path / "m.csv"
    rc = main(["malmquist", str(data), *ARGS["malmquist"], "--allow-zero", "--out", str(out)])
    assert rc == 0, capsys.readouterr().err
    import pandas as pd

    indices = pd.read_csv(out)
    for _, row in indices.iterrows():
        values = row[["effch", "techch", "pech", "sech", "tfpch"]].astype(float)
        if row["status"] == "ok":
            assert values.notna().all() and (values > 0).all()
        else:
            assert row["status"].startswith("undefined")
            assert values.isna().any()


@pytest.mark.parametrize("command", ["dea", "malmquist", "sbm", "cost", "window", "bootstrap"])
def test_help_states_defaults(capsys, command):
    """Every data-reading command's --help states the reading defaults (encoding, decimal
    mark, sheet, output) in the same words, and the zero policy where the model has one."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--encoding NAME" in text and "(default: UTF-8, with or without a BOM)" in text
    assert "--decimal {.,,}" in text and "(default: '.', where a comma groups thousands" in text
    assert "(default: the first sheet)" in text
    assert "default: 12 significant digits" in text
    if command in ("dea", "malmquist", "window"):
        assert "--allow-zero" in text
        assert "(default: they are an error; negative values always are)" in text
        assert "default: in" in text  # the radial orientation's default
