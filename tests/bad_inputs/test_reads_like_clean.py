"""Inputs that are not bad: each variant must read exactly like the clean file.

A UTF-8 byte-order mark, CRLF line endings, a declared encoding (GBK), a declared decimal comma
and valid thousands grouping are what real exports contain; none of them may change a value.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sciteff.cli.main import main
from sciteff.ingest.panels import load_panel_spec, read_panel
from sciteff.ingest.tables import ingest_table, load_table_spec

ROOT = Path(__file__).resolve().parents[2]
PANEL = ROOT / "raw_data" / "panels" / "china_provinces"
PAPER = ROOT / "raw_data" / "papers" / "seed002"


def _bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def _cells(text: str, change: Callable[[str], str], skip: int = 1) -> str:
    """Every value cell of a CSV text (all but the first ``skip`` columns) passed through
    ``change``, quoted where it needs quotes."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows([row[:skip] + [change(c) for c in row[skip:]] for row in rows[1:]])
    return out.getvalue()


def _decimal_comma(cell: str) -> str:
    return cell.replace(".", ",") if cell.replace(".", "", 1).isdigit() else cell


def _grouped(cell: str) -> str:
    whole, dot, frac = cell.partition(".")
    if whole.isdigit():
        return f"{int(whole):,}{dot}{frac}"
    return cell


# --- the command line -----------------------------------------------------------------------

DEA = (
    "firm,x1,x2,y\n上海,2000,5,1\nB,2000,4,2\nC,6000.5,6,3\nD,3000,2,1\nE,6123.25,2,2\n"
    "F,5000,3,2\nG,4000,4,3.5\n"
)
PANEL_CSV = (
    "dmu,year,x,y\n"
    "北京,2001,2000.5,1\nB,2001,3000,2.25\nC,2001,4000,3\nD,2001,5000,2\n"
    "北京,2002,2000,2\nB,2002,3000.75,3\nC,2002,4000,3\nD,2002,5000,4.5\n"
)


def _grouped_comma(cell: str) -> str:
    """A number written with a decimal comma and '.' grouping: 6000.5 -> 6.000,5."""
    whole, dot, frac = cell.partition(".")
    if whole.isdigit():
        return f"{int(whole):,}".replace(",", ".") + ("," + frac if dot else "")
    return cell


#: variant -> (file bytes from the clean text and its number of label columns, options)
CLI_VARIANTS: dict[str, tuple[Callable[[str, int], bytes], tuple[str, ...]]] = {
    "bom": (lambda t, k: _bom(t), ()),
    "crlf": (lambda t, k: _crlf(t), ()),
    "bom-crlf": (lambda t, k: _bom(t.replace("\n", "\r\n")), ()),
    "grouping": (lambda t, k: _cells(t, _grouped, skip=k).encode("utf-8"), ()),
    "gbk-declared": (lambda t, k: t.encode("gbk"), ("--encoding", "gbk")),
    "decimal-comma-declared": (
        lambda t, k: _cells(t, _decimal_comma, skip=k).encode("utf-8"),
        ("--decimal", ","),
    ),
    "decimal-comma-grouped": (
        lambda t, k: _cells(t, _grouped_comma, skip=k).encode("utf-8"),
        ("--decimal", ","),
    ),
}

#: command -> (clean text, label columns, arguments)
CLI_COMMANDS = {
    "dea": (DEA, 1, ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm"]),
    "sbm": (DEA, 1, ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm", "--super"]),
    "bootstrap": (
        DEA,
        1,
        ["--inputs", "x1,x2", "--outputs", "y", "--dmu", "firm", "--reps", "40", "--alpha", "0.5"],
    ),
    "malmquist": (
        PANEL_CSV,
        2,
        ["--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y"],
    ),
    "window": (
        PANEL_CSV,
        2,
        ["--dmu", "dmu", "--period", "year", "--inputs", "x", "--outputs", "y", "--width", "2"],
    ),
}


def _run(command: str, path: Path, out: Path, options: tuple[str, ...] = ()) -> bytes:
    args = [*CLI_COMMANDS[command][2], *options, "--out", str(out)]
    assert main([command, str(path), *args]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("command", sorted(CLI_COMMANDS))
@pytest.mark.parametrize("variant", sorted(CLI_VARIANTS))
def test_cli_reads_variant_like_clean(tmp_path, variant, command):
    text, labels, _ = CLI_COMMANDS[command]
    make, options = CLI_VARIANTS[variant]
    data = make(text, labels)
    assert data != text.encode("utf-8")  # the variant really differs from the clean file
    clean = tmp_path / "clean.csv"
    clean.write_text(text, encoding="utf-8")
    other = tmp_path / f"{variant}.csv"
    other.write_bytes(data)
    got = _run(command, other, tmp_path / "b.csv", options)
    assert got == _run(command, clean, tmp_path / "a.csv")


def test_cli_variants_are_what_they_say():
    assert '"6,000.5"' in CLI_VARIANTS["grouping"][0](DEA, 1).decode()
    assert '"6000,5"' in CLI_VARIANTS["decimal-comma-declared"][0](DEA, 1).decode()
    assert '"6.123,25"' in CLI_VARIANTS["decimal-comma-grouped"][0](DEA, 1).decode()
    assert "上海".encode("gbk") in CLI_VARIANTS["gbk-declared"][0](DEA, 1)


# --- a panel year file ----------------------------------------------------------------------

YEAR_TEXT = (PANEL / "2020.csv").read_text(encoding="utf-8")


def _panel_variant(folder: Path, variant: str) -> None:
    spec = folder / "dataset.yaml"
    year = folder / "2020.csv"
    if variant == "bom":
        year.write_bytes(_bom(YEAR_TEXT))
    elif variant == "crlf":
        year.write_bytes(_crlf(YEAR_TEXT))
    elif variant == "gbk-declared":
        year.write_bytes(YEAR_TEXT.encode("gbk"))
        spec.write_text(spec.read_text(encoding="utf-8") + "encoding: gbk\n", encoding="utf-8")
    elif variant == "decimal-comma-declared":
        year.write_text(_cells(YEAR_TEXT, _decimal_comma, skip=2), encoding="utf-8")
        text = spec.read_text(encoding="utf-8")
        assert 'decimal: "."' in text
        spec.write_text(text.replace('decimal: "."', 'decimal: ","'), encoding="utf-8")
    elif variant == "grouping":
        grouped = _cells(YEAR_TEXT, _grouped, skip=2)
        assert '"16,156,905.0"' in grouped  # Shanghai's R&D expenditure, grouped
        year.write_text(grouped, encoding="utf-8")
    else:
        raise AssertionError(variant)


PANEL_VARIANTS = ["bom", "crlf", "gbk-declared", "decimal-comma-declared", "grouping"]


@pytest.mark.parametrize("variant", PANEL_VARIANTS)
def test_panel_reads_variant_like_clean(tmp_path, variant):
    folder = tmp_path / "panel"
    folder.mkdir()
    shutil.copy(PANEL / "dataset.yaml", folder / "dataset.yaml")
    shutil.copy(PANEL / "2020.csv", folder / "2020.csv")
    _panel_variant(folder, variant)
    assert (folder / "2020.csv").read_bytes() != (PANEL / "2020.csv").read_bytes()
    got = read_panel([folder / "2020.csv"], load_panel_spec(folder / "dataset.yaml"))
    want = read_panel([PANEL / "2020.csv"], load_panel_spec(PANEL / "dataset.yaml"))
    pd.testing.assert_frame_equal(got.drop(columns="source_file"), want.drop(columns="source_file"))


# --- a transcribed paper table --------------------------------------------------------------

TABLE_TEXT = (PAPER / "table1.csv").read_text(encoding="utf-8")
TABLE_VARIANTS = ["bom", "crlf", "gbk-declared", "decimal-comma-declared", "grouping"]


@pytest.mark.parametrize("variant", TABLE_VARIANTS)
def test_table_reads_variant_like_clean(tmp_path, variant):
    folder = tmp_path / "variant" / "seed002"  # the folder names the paper
    folder.mkdir(parents=True)
    shutil.copy(PAPER / "table1.yaml", folder / "table1.yaml")
    table, sidecar = folder / "table1.csv", folder / "table1.yaml"
    if variant == "bom":
        table.write_bytes(_bom(TABLE_TEXT))
    elif variant == "crlf":
        table.write_bytes(_crlf(TABLE_TEXT))
    elif variant == "gbk-declared":
        table.write_bytes(TABLE_TEXT.replace("Henan", "河南").encode("gbk"))
        sidecar.write_text(sidecar.read_text("utf-8") + "encoding: gbk\n", encoding="utf-8")
    elif variant == "decimal-comma-declared":
        table.write_text(_cells(TABLE_TEXT.replace(",4740,", ",4740.0,"), _decimal_comma), "utf-8")
        sidecar.write_text(sidecar.read_text("utf-8") + 'decimal: ","\n', encoding="utf-8")
    elif variant == "grouping":
        table.write_text(_cells(TABLE_TEXT, _grouped), encoding="utf-8")
    assert table.read_bytes() != TABLE_TEXT.encode("utf-8")  # the variant differs
    got = ingest_table(table, load_table_spec(sidecar))
    clean = tmp_path / "clean" / "seed002"
    clean.mkdir(parents=True)
    shutil.copy(PAPER / "table1.yaml", clean / "table1.yaml")
    base = TABLE_TEXT.replace("Henan", "河南") if variant == "gbk-declared" else TABLE_TEXT
    (clean / "table1.csv").write_text(base, encoding="utf-8")
    want = ingest_table(clean / "table1.csv", load_table_spec(clean / "table1.yaml"))
    # The printed token is kept verbatim (it differs by design); every value is the same.
    keep = [c for c in want.columns if c not in ("source_file", "printed")]
    pd.testing.assert_frame_equal(got[keep], want[keep])


@pytest.mark.parametrize("command", ["dea", "malmquist"])
def test_workbook_with_decimal_comma_reads_like_clean(tmp_path, command):
    """In a workbook a numeric cell is exact whatever --decimal says; a number typed as text
    follows the declared decimal comma."""
    import openpyxl

    text, labels, _ = CLI_COMMANDS[command]
    rows = list(csv.reader(io.StringIO(text)))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for k, row in enumerate(rows[1:]):
        cells: list[object] = row[:labels]
        for cell in row[labels:]:
            # alternate: a real number cell, then the number as text with a decimal comma
            cells.append(float(cell) if k % 2 else _decimal_comma(cell))
        sheet.append(cells)
    workbook = tmp_path / "data.xlsx"
    book.save(workbook)
    clean = tmp_path / "clean.csv"
    clean.write_text(text, encoding="utf-8")
    got = _run(command, workbook, tmp_path / "b.csv", ("--decimal", ","))
    assert got == _run(command, clean, tmp_path / "a.csv")
