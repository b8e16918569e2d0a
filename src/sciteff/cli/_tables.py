"""Reading a command's table and writing its result tables (private helper of the commands
added for the models beyond DEAP: sbm, window, bootstrap).

Where :mod:`sciteff.cli.common` offers the shared table reader (CSV or ``.xlsx``) and result
writer (``--out FILE.csv`` puts the extra tables in ``FILE.<table>.csv``, ``--out FILE.xlsx``
one sheet per table), they are used, so these commands follow the same ``--out`` rule as the
others; otherwise CSV is read and the same file layout is written here.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from sciteff.cli import common
from sciteff.core.io import read_csv_text, read_numeric_csv, write_csv


def read_text(path: str, sheet: str | None = None) -> pd.DataFrame:
    """A CSV (or, when the shared reader exists, an ``.xlsx`` sheet) as text cells."""
    if hasattr(common, "read_table"):
        return common.read_table(path, sheet)
    return read_csv_text(path)


def read_numeric(
    path: str, numeric: Sequence[str], labels: Sequence[str], sheet: str | None = None
) -> pd.DataFrame:
    """Label columns as text, ``numeric`` columns as floats (one row per data row)."""
    if hasattr(common, "read_numeric_table"):
        return common.read_numeric_table(path, numeric, labels=labels, sheet=sheet)
    return read_numeric_csv(path, numeric, labels=labels)


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out: str | None,
    *,
    command: str,
    warnings: Sequence[str] = (),
) -> None:
    """The first table to ``out`` (or standard output), every other one beside it as
    ``<stem>.<name><suffix>``; warnings once on standard error."""
    if hasattr(common, "write_result"):
        common.write_result(tables, out, command=command, warnings=warnings)
        return
    for warning in warnings:
        print(f"sciteff {command}: warning: {warning}", file=sys.stderr)
    names = list(tables)
    if out is None:
        tables[names[0]].to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    path = Path(out)
    write_csv(tables[names[0]], path)
    for name in names[1:]:
        write_csv(tables[name], path.with_name(f"{path.stem}.{name}{path.suffix or '.csv'}"))
