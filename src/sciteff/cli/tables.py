"""Table input (CSV or Excel) and result output shared by the subcommands.

Input: a ``.xlsx`` file is read with openpyxl (``--sheet NAME`` or a 1-based ``--sheet N``;
default the first sheet), anything else as CSV (``--encoding``, default UTF-8). Both give the
same frame of text cells, and every number is read by the one grammar of
:mod:`sciteff.core.numbers` under the file's ``--decimal`` mark, whatever the file type and
the command (a numeric Excel cell is exact and needs no grammar). Panel commands get their
numeric columns parsed here too (:func:`read_panel_table`), so the library sees numbers.

Output (:func:`write_result`): the extension of ``--out`` chooses the format. ``FILE.xlsx`` is
a workbook with one sheet per table plus a ``meta`` sheet; ``FILE.csv`` holds the main table
and every other table goes to ``FILE.<table>.csv`` beside it, with ``FILE.meta.json`` (command,
version, tables, warnings). Without ``--out`` the main table goes to standard output. Numbers
are written without float noise: rounded to 12 significant digits, then the shortest text
that reads back as the same number (``1.0000000000000004`` is written ``1``); ``--digits N``
writes N decimals, as DEAP prints them (:mod:`sciteff.cli.numtext`). Warnings are printed
once on standard error and kept in the meta file, never repeated in every row.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff import __version__
from sciteff.cli.numtext import SIGNIFICANT, rounded, text_frame, write_text_csv
from sciteff.core.errors import InputError
from sciteff.core.intervals import is_number_token
from sciteff.core.io import (
    RowLines,
    line_of,
    parse_number,
    read_csv_text,
    read_numeric_csv,
    require_columns,
    require_rows,
    write_atomic,
)
from sciteff.core.numbers import NumberFormat, column_values

#: File extensions read and written as Excel workbooks.
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

# --- input -------------------------------------------------------------------------------------


def is_excel(path: str | Path) -> bool:
    """True when ``path`` names an Excel workbook (by extension)."""
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


def _excel_number_text(value: float, decimal_mark: str = ".") -> str:
    """A numeric cell as the shortest text that parses back to exactly the same float, written
    with ``decimal_mark`` so the file's number grammar reads it (never a grouping mark)."""
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", decimal_mark)


def read_excel_text(
    path: str | Path, sheet: str | None = None, *, decimal: str = "."
) -> pd.DataFrame:
    """One sheet of a workbook as a frame of text cells, like :func:`read_csv_text`.

    The first row is the header. Numeric cells become their shortest round-trip text, text
    cells stay as typed (so "1,234" is parsed by the same number rules as in a CSV), empty
    cells are "" (``decimal`` is the mark numeric cells are written with, the file's
    ``--decimal``). Formula cells give the value Excel last calculated (a formula never
    calculated reads as an empty cell); an Excel error value (#DIV/0!), a date or a boolean
    is an error naming the cell. ``attrs["lines"]`` maps data rows to the sheet's row numbers.
    """
    import openpyxl  # imported here: only Excel users pay for it

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except Exception as exc:  # openpyxl raises zipfile/KeyError/... for a damaged file
        raise InputError(f"not a readable .xlsx workbook ({exc})", file=str(path)) from None
    try:
        ws = _pick_sheet(book, sheet, path)
        label = f"{path} [sheet {ws.title!r}]"
        rows = [
            [_ErrorCell(c.value) if c.data_type == "e" else c.value for c in r]
            for r in ws.iter_rows()
        ]
    finally:
        book.close()
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows or all(v is None for v in rows[0]):
        raise InputError("empty sheet or empty header row", file=label)
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    while width and all(r[width - 1] is None for r in rows):
        width -= 1
    rows = [r[:width] for r in rows]
    header = []
    for k, v in enumerate(rows[0]):
        name = "" if v is None else str(v).strip()
        if not name:
            raise InputError(f"header cell {_cell(k, 1)} is empty", file=label)
        if name in header:
            raise InputError(f"duplicate column name in the header ({_cell(k, 1)})", file=label)
        header.append(name)
    body = []
    for r, row in enumerate(rows[1:], start=2):
        cells = []
        for k, v in enumerate(row):
            cells.append(_cell_text(v, label, _cell(k, r), header[k], decimal))
        body.append(cells)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(1, len(body) + 1, name="row")
    frame.attrs["lines"] = RowLines({i: i + 1 for i in range(1, len(body) + 1)})
    frame.attrs["header_line"] = 1
    frame.attrs["file"] = label
    frame.attrs["excel"] = True
    return frame


class _ErrorCell:
    """An Excel error value (#DIV/0!, #N/A, ...) found in a cell."""

    def __init__(self, code: object) -> None:
        self.code = str(code)


def _pick_sheet(book, sheet: str | None, path: Path):
    names = book.sheetnames
    if sheet is None:
        return book[names[0]]
    if sheet in names:
        return book[sheet]
    if sheet.strip().isdigit():
        k = int(sheet)
        if 1 <= k <= len(names):
            return book[names[k - 1]]
    raise InputError(
        f"no sheet {sheet!r} (the workbook has: {', '.join(names)}; or give a number "
        f"1..{len(names)})",
        file=str(path),
    )


def _cell(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def _cell_text(value: object, label: str, cell: str, column: str, decimal_mark: str) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise InputError(
            f"cell {cell}: {value!r} is a {type(value).__name__}, not a number or label",
            file=label,
            column=column,
        )
    if isinstance(value, int | float):
        if not math.isfinite(float(value)):
            raise InputError(f"cell {cell}: non-finite value", file=label, column=column)
        return _excel_number_text(value, decimal_mark)
    if isinstance(value, _ErrorCell):
        raise InputError(
            f"cell {cell}: Excel error {value.code!r} (fix the formula or type the value)",
            file=label,
            column=column,
        )
    return str(value)


#: What to do with a DEAP 2.1 data file (numbers only, no header row).
DEAP_HINT = (
    "run its DEAP job with `sciteff deap JOB.ins`, or turn the job into a CSV with a header row "
    "with `sciteff deap convert JOB.ins --out DIR`"
)


def _check_readable(path: str | Path) -> None:
    """Spreadsheet formats we do not read get a clear error instead of a decoding failure."""
    if Path(path).suffix.lower() == ".dta":
        raise InputError(f"a DEAP data file (no header row): {DEAP_HINT}", file=str(path))
    if Path(path).suffix.lower() in (".xls", ".ods", ".numbers"):
        raise InputError(
            f"{Path(path).suffix} files are not read; save the sheet as .xlsx or as CSV "
            "(comma delimited)",
            file=str(path),
        )


def _first_line(path: str | Path) -> list[str]:
    """The cells of the first non-blank line of a text file (comma or blank separated)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    return [c for c in line.replace(",", " ").split() if c]
    except OSError:
        return []
    return []


def _check_options(path: str | Path, sheet: str | None, encoding: str | None) -> None:
    """``--sheet`` belongs to workbooks, ``--encoding`` to text files."""
    _check_readable(path)
    if is_excel(path) and encoding is not None:
        raise InputError(
            "--encoding is only for CSV files (an .xlsx workbook stores its own)", file=str(path)
        )
    if not is_excel(path) and sheet is not None:
        raise InputError("--sheet is only for .xlsx files", file=str(path))


def read_table(
    path: str | Path,
    sheet: str | None = None,
    *,
    encoding: str | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """A CSV or one sheet of a workbook as text cells (1-based data rows)."""
    _check_options(path, sheet, encoding)
    if is_excel(path):
        return read_excel_text(path, sheet, decimal=decimal)
    return read_csv_text(path, encoding=encoding or "utf-8")


def read_numeric_table(
    path: str | Path,
    numeric: Sequence[str],
    labels: Sequence[str] = (),
    sheet: str | None = None,
    *,
    encoding: str | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """Like :func:`read_numeric_csv` for a CSV or a workbook sheet: label columns as text,
    ``numeric`` columns as float64, errors naming the file (and sheet), row and column."""
    _check_options(path, sheet, encoding)
    fmt = NumberFormat(decimal=decimal)
    if not is_excel(path):
        try:
            return read_numeric_csv(path, numeric, labels, fmt=fmt, encoding=encoding or "utf-8")
        except InputError as exc:
            header = _first_line(path)
            if "missing column" in exc.reason and header and all(map(is_number_token, header)):
                raise InputError(
                    f"{exc.reason}; its first line holds numbers, not column names: a file "
                    f"without a header row, such as a DEAP data file ({DEAP_HINT})",
                    file=str(path),
                    column=exc.column,
                ) from None
            raise
    frame = read_excel_text(path, sheet, decimal=decimal)
    file = frame.attrs["file"]
    require_columns(frame, [*labels, *numeric], file=file)
    out = pd.DataFrame(index=frame.index)
    for name in labels:
        out[name] = frame[name].astype(str).str.strip()
    for name in numeric:
        values = column_values(
            list(frame[name].items()),
            fmt,
            lambda r, v, name=name: parse_cell(frame, r, v, name, fmt),
        )
        out[name] = np.asarray(values, dtype="float64")
    out.attrs.update(frame.attrs)
    return out


def parse_cell(frame: pd.DataFrame, row: int, token: object, name: str, fmt: NumberFormat) -> float:
    """One numeric cell of a frame from :func:`read_table`; an error names the file, the line
    as an editor shows it (a CSV) or the cell as Excel shows it (``cell B5`` of a sheet)."""
    file = frame.attrs["file"]
    if not frame.attrs.get("excel"):
        line = line_of(frame, row)
        return parse_number(token, file=file, row=row, line=line, column=name, fmt=fmt)
    try:
        return parse_number(token, file=file, row=row, column=name, fmt=fmt)
    except InputError as exc:
        cell = _cell(int(frame.columns.get_loc(name)), int(row) + 1)
        raise InputError(f"cell {cell}: {exc.reason}", file=file, column=name) from None


def read_panel_table(
    path: str | Path,
    numeric: Sequence[str],
    sheet: str | None = None,
    *,
    encoding: str | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """A long-format panel (one row per DMU and period) as text cells, with the ``numeric``
    columns read under the file's number grammar: a number becomes a float, an empty cell
    NaN (a missing value: the panel's balance rules decide about it), anything else is an
    error naming file, line, column and token. Columns the file lacks are left to the
    model's own column check."""
    frame = read_table(path, sheet, encoding=encoding, decimal=decimal)
    require_rows(frame, file=frame.attrs["file"])
    fmt = NumberFormat(decimal=decimal)
    out = frame.copy()
    for name in dict.fromkeys(numeric):
        if name in frame.columns:
            cells = column_values(
                list(frame[name].items()),
                fmt,
                lambda r, v, name=name: (
                    math.nan if str(v).strip() == "" else parse_cell(frame, r, v, name, fmt)
                ),
            )
            out[name] = pd.Series(cells, index=frame.index, dtype="float64")
    out.attrs.update(frame.attrs)
    return out


def dropped_lines(dropped: pd.DataFrame) -> list[str]:
    """One line per DMU a panel command dropped (``dmu, reason`` rows), for standard error
    and the meta file: a drop is never silent."""
    return [
        f"dropped DMU {dmu!r}: {reason}"
        for dmu, reason in zip(dropped["dmu"], dropped["reason"], strict=True)
    ]


# --- output ------------------------------------------------------------------------------------


def table_paths(out: str | Path, names: Sequence[str]) -> dict[str, Path]:
    """Where each table goes beside ``out`` = FILE.csv: the first to FILE.csv, others to
    FILE.<table>.csv, plus ``"meta"`` -> FILE.meta.json."""
    out = Path(out)
    stem = out.with_suffix("") if out.suffix.lower() == ".csv" else out
    paths = {names[0]: out}
    for name in names[1:]:
        paths[name] = stem.with_name(f"{stem.name}.{name}.csv")
    paths["meta"] = stem.with_name(f"{stem.name}.meta.json")
    return paths


def write_result(
    tables: Mapping[str, pd.DataFrame],
    out: str | None,
    *,
    command: str,
    warnings: Sequence[str] = (),
    meta: Mapping[str, object] | None = None,
    digits: int | None = None,
    reported: Sequence[str] = (),
) -> None:
    """Write a command's tables (the first is the main table) and report warnings once.

    ``warnings`` go to standard error (one line each, prefixed ``sciteff <command>:
    warning:``) and into the meta file or sheet; ``reported`` are warnings the command has
    already printed in its own words (kept in the meta only). Without ``out`` only the main
    table is written (to standard output). See the module docstring for the file layout.
    """
    for warning in warnings:
        print(f"sciteff {command}: warning: {warning}", file=sys.stderr)
    warnings = [*reported, *warnings]
    names = list(tables)
    info: dict[str, object] = {
        "command": f"sciteff {command}",
        "argv": sys.argv[1:],
        "sciteff_version": __version__,
        "tables": names,
        "warnings": list(warnings),
        "number_format": (
            f"{digits} decimals" if digits is not None else f"{SIGNIFICANT} significant digits"
        ),
        **(dict(meta) if meta else {}),
    }
    if out is None:
        text_frame(tables[names[0]], digits).to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if is_excel(out):
        _write_workbook(tables, Path(out), info, digits)
        return
    paths = table_paths(out, names)
    info["files"] = {name: paths[name].name for name in names}
    for name in names:
        write_text_csv(tables[name], paths[name], digits)
    text = json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n"
    write_atomic(paths["meta"], lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_command_result(
    args: argparse.Namespace,
    tables: Mapping[str, pd.DataFrame],
    *,
    warnings: Sequence[str] = (),
    reported: Sequence[str] = (),
    **settings: object,
) -> None:
    """:func:`write_result` for a command's parsed arguments: ``--out``, ``--digits``, the
    command's name, and the data file plus ``settings`` in the meta file."""
    write_result(
        tables,
        args.out,
        command=args.command,
        warnings=warnings,
        meta={"data": str(args.data), **settings},
        digits=args.digits,
        reported=reported,
    )


def _cell_value(value: object, digits: int | None) -> object:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = rounded(float(value), digits)
        return None if math.isnan(v) else v
    if isinstance(value, str):
        return value
    return str(value)


def _write_workbook(
    tables: Mapping[str, pd.DataFrame], path: Path, info: Mapping[str, object], digits: int | None
) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    def save(tmp: Path) -> None:  # the book is built only once its file can be made
        book = openpyxl.Workbook(write_only=True)

        def cell(ws, value: object) -> object:
            value = _cell_value(value, digits)
            if isinstance(value, str) and value.startswith("="):
                text = WriteOnlyCell(ws, value=value)
                text.data_type = "s"  # a label such as "=A1" is text, never a formula
                return text
            return value

        for name, frame in tables.items():
            ws = book.create_sheet(title=name[:31])
            ws.append([cell(ws, str(c)) for c in frame.columns])
            for row in frame.itertuples(index=False):
                ws.append([cell(ws, v) for v in row])
        ws = book.create_sheet(title="meta")
        ws.append(["key", "value"])
        for key, value in info.items():
            if key == "warnings":
                for warning in value or ["(none)"]:  # type: ignore[union-attr]
                    ws.append(["warning", str(warning)])
            else:
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                ws.append([key, text])
        book.save(tmp)

    write_atomic(path, save)
