"""Numbers as the commands write them, and the CSV writer of their result tables.

Without ``--digits`` a number is rounded to 12 significant digits and written as the
shortest text that reads back as the same number (``1.0000000000000004`` is written ``1``);
with ``--digits N`` it gets N decimals, rounded as DEAP prints them (:func:`fixed`).
:func:`write_text_csv` writes a result table in those words, with the bytes of
``text_frame(frame).to_csv(index=False)`` but most rows built by one ``%`` each.
"""

from __future__ import annotations

import csv
import decimal
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.core.io import write_atomic, write_csv

#: Significant digits kept when writing a number without --digits.
SIGNIFICANT = 12


_WIDE = decimal.Context(prec=400)


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals as Fortran's F edit descriptor prints it (DEAP).

    The exact binary value is rounded, ties away from zero: 0.5625 (exact in binary) prints
    0.563 as in DEAP, where Python's ``f"{0.5625:.3f}"`` gives 0.562. Never ``-0.000``.
    """
    exact = decimal.Decimal(float(value))
    step = decimal.Decimal(1).scaleb(-decimals)
    rounded_value = exact.quantize(step, rounding=decimal.ROUND_HALF_UP, context=_WIDE)
    if rounded_value == 0:
        rounded_value = abs(rounded_value)
    return f"{rounded_value:.{decimals}f}"


def format_number(value: object, digits: int | None = None) -> str:
    """A number as written in our CSVs: no float noise; ``--digits`` decimals (as DEAP rounds,
    :func:`fixed`) if given.

    NaN or None is the empty string; -0 is written 0.
    """
    if value is None:
        return ""
    v = float(value)  # type: ignore[arg-type]
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if digits is not None:
        return fixed(v, digits)
    v = float(f"{v:.{SIGNIFICANT}g}")
    if v == 0:
        return "0"
    text = repr(v)
    return text[:-2] if text.endswith(".0") else text


def _fast(values: np.ndarray) -> np.ndarray:
    """Where ``%.12g`` already writes what :func:`format_number` writes (``values`` without
    negative zeros): 0, and finite values with 1e-4 <= |v| < 9.99e11.

    There the ``%.12g`` text has no exponent, and it is :func:`format_number`'s: it has at
    most 12 significant digits, so it is the shortest text reading back to the same float (two
    decimals of at most 15 digits never share a float), which is ``repr``'s choice as well,
    and ``repr`` uses no exponent there either; only its trailing ".0" on whole numbers,
    which ``%g`` omits, differs. Zero is "0" in both (a negative zero is made +0 first: -0.0 +
    0.0 is +0.0)."""
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        return ((size >= 1e-4) & (size < 9.99e11)) | (size == 0)  # False for NaN and inf


def _format_floats(values: np.ndarray) -> list[str]:
    """:func:`format_number` without ``digits`` for a whole float column, in one tight loop
    (writing a 50,000-cell result took 0.18 s through the general function): ``%.12g`` where
    :func:`_fast` allows it, :func:`format_number` for every other value."""
    values = values + 0.0  # no negative zeros
    cells = values.tolist()
    out = list(map(f"{{:.{SIGNIFICANT}g}}".format, cells))
    for i in np.flatnonzero(~_fast(values)).tolist():  # usually none, or a few
        out[i] = format_number(cells[i])
    return out


def rounded(value: float, digits: int | None = None) -> float:
    """The float a workbook cell gets: the number :func:`format_number` writes."""
    text = format_number(value, digits)
    return float(text) if text else math.nan


def _is_float_column(series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series.dtype)


def text_frame(frame: pd.DataFrame, digits: int | None = None) -> pd.DataFrame:
    """``frame`` with every float column formatted by :func:`format_number`."""
    out = frame.copy()
    for name in out.columns:
        if _is_float_column(out[name]) and digits is None:
            out[name] = _format_floats(out[name].to_numpy(dtype=float))
        elif _is_float_column(out[name]):
            out[name] = [format_number(v, digits) for v in out[name]]
        elif out[name].dtype == object:
            out[name] = [format_number(v, digits) if isinstance(v, float) else v for v in out[name]]
    return out


#: Characters that make the csv module quote a cell (delimiter, quote, line breaks).
_QUOTED = (",", '"', "\r", "\n")


def _row_template(frame: pd.DataFrame, digits: int | None) -> tuple[str, list[list]] | None:
    """A ``%`` template of one CSV row and the column values it takes, or None when some
    cell needs what only the csv module does (quoting; a single column, whose empty cell is
    written ``""``; cells that are neither floats, integers nor text).

    A float column in :func:`_fast`'s range is written by ``%.12g`` in the template itself;
    another float column is formatted first (:func:`format_number`) and goes in as text."""
    if frame.shape[1] < 2 or not all(type(c) is str for c in frame.columns):
        return None
    parts: list[str] = []
    columns: list[list] = []
    for name in frame.columns:
        series = frame[name]
        if _is_float_column(series):
            values = series.to_numpy(dtype=float) + 0.0
            if digits is None and _fast(values).all():
                parts.append(f"%.{SIGNIFICANT}g")
                columns.append(values.tolist())
                continue
            cells = (
                _format_floats(values)
                if digits is None
                else [format_number(v, digits) for v in values.tolist()]
            )
        elif isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":  # not Int64
            parts.append("%d")  # pandas writes a numpy integer as str(int) does
            columns.append(series.tolist())
            continue
        else:
            cells = series.tolist()
            if cells and set(map(type, cells)) != {str}:
                return None
            joined = "".join(cells)
            if any(ch in joined for ch in _QUOTED):
                return None
        parts.append("%s")
        columns.append(cells)
    return ",".join(parts) + "\n", columns


def write_text_csv(
    frame: pd.DataFrame, path: str | os.PathLike[str], digits: int | None = None
) -> Path:
    """Write a result table as CSV, numbers as :func:`format_number` writes them, atomically:
    the bytes of ``write_csv(text_frame(frame, digits), path)``, which it falls back to
    whenever a cell needs the csv module (see :func:`_row_template`).

    Why: a DEA summary of 5,000 DMUs (5,000 x 19 cells and a 21,000-row peers table) took
    0.15-0.23 s through a frame of text cells, and 0.03 s so."""
    template = _row_template(frame, digits)
    if template is None:
        return write_csv(text_frame(frame, digits), path)
    line, columns = template

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow(frame.columns)
            handle.write("".join([line % row for row in zip(*columns, strict=True)]))

    return write_atomic(path, write)
