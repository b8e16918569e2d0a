"""Published numbers of one paper, addressable by reference, each with its rounding interval.

The audit names every number it checks by a short reference:

- ``table2:Liaoning:vrste`` - table, row label, column (the label must be unique in the table);
- ``table3:#12:amt_total_2023`` - table, ingest row number (1-based CSV data row), column, for
  tables whose labels repeat;
- ``t019`` (or ``<paper>-t019`` from outside the paper) - a number quoted in the text
  (``quotes.csv``);
- ``table1:title`` / ``table5:header:amount_total`` - a number in a title or a column's unit
  (declared with the check that uses it).

Intervals are in canonical units (yuan, items, persons, fractions, scores), so a quote in
"billion yuan" compares directly with a table cell in "100 million yuan".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sciteff.core import units
from sciteff.core.errors import InputError
from sciteff.core.intervals import (
    Interval,
    from_printed,
    from_quote,
    is_number_token,
    significant_half_unit,
)
from sciteff.ingest.tables import NUMERIC_KINDS, qualified_quote_id

#: Units whose integer tokens are exact counts, not rounded measurements.
COUNT_UNITS = frozenset({"items", "persons", "rank", "year"})


@dataclass(frozen=True)
class Number:
    """One published number: where it is printed, what was printed, what it stands for."""

    ref: str
    paper: str
    table: str  # table name, or "text" for a quote
    row: int | None
    row_label: str
    column: str
    published: str
    interval: Interval  # canonical units
    declared: Interval  # in the unit the paper declares (for matching printed numbers)
    unit: str  # declared unit
    canonical_unit: str
    quote: str = ""
    qualifier: str = "exact"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def point(self) -> float:
        """The printed value in canonical units (the centre of an exact print)."""
        if self.interval.bounded:
            return self.interval.mid
        return self.interval.lo if self.interval.hi == float("inf") else self.interval.hi


def placeholder_number(
    ref: str, paper: str, table: str, column: str, row_label: str, published: str, unit: str = ""
) -> Number:
    """A :class:`Number` standing for more than one printed number (a column, a column's
    printed unit, a declared correction), so that a finding can be placed on it; its interval
    is the point 1, which no check compares."""
    return Number(
        ref=ref,
        paper=paper,
        table=table,
        row=None,
        row_label=row_label,
        column=column,
        published=published,
        interval=Interval.point(1.0),
        declared=Interval.point(1.0),
        unit=unit,
        canonical_unit=unit,
    )


def cell_number(cell: pd.Series, ref: str) -> Number:
    """A table cell (one row of an ingested cells frame) as a :class:`Number`."""
    unit = units.lookup(cell["unit"])
    exact = unit.name in COUNT_UNITS
    token = str(cell["printed"])
    return Number(
        ref=ref,
        paper=str(cell["paper"]),
        table=str(cell["table"]),
        row=int(cell["row"]),
        row_label=str(cell["row_label"]),
        column=str(cell["column"]),
        published=token,
        interval=from_printed(token, factor=unit.factor, exact_integer=exact),
        declared=from_printed(token, exact_integer=exact),
        unit=unit.name,
        canonical_unit=unit.canonical,
    )


def quote_number(row: pd.Series) -> Number:
    """A quote (one row of an ingested quotes frame) as a :class:`Number`."""
    unit = units.lookup(row["unit"])
    exact = unit.name in COUNT_UNITS
    raw, half = quote_value_text(str(row["value_printed"]), float(row["value"]))
    return Number(
        ref=str(row["quote_id"]),
        paper=str(row["paper"]),
        table="text",
        row=None,
        row_label=str(row.get("subject", "")),
        column=str(row.get("claim_kind", "")),
        published=str(row["value_printed"]),
        interval=from_quote(
            raw, str(row["qualifier"]), factor=unit.factor, exact_integer=exact, half=half
        ),
        declared=from_quote(raw, str(row["qualifier"]), exact_integer=exact, half=half),
        unit=unit.name,
        canonical_unit=unit.canonical,
        quote=str(row["quote"]),
        qualifier=str(row["qualifier"]),
        extra={
            k: str(row.get(k, ""))
            for k in ("year", "region", "subject", "section", "refers_to_table")
        },
    )


_MANTISSA = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


def quote_value_text(value_printed: str, value: float) -> tuple[str, float]:
    """The plain value as text and half a unit of its last printed digit.

    The ingested ``value`` is a float ("0.860" became 0.86), so the precision is read off the
    printed token where it carries the same number ("0.860") or the same digits times a power
    of ten ("1.66 million" for 1660000); otherwise off the value itself ("fourth place").
    """
    plain = str(int(value)) if float(value).is_integer() else repr(float(value))
    match = _MANTISSA.search(value_printed)
    if match:
        token = match.group(0).replace(",", "")
        mantissa = float(token)
        if mantissa != 0:
            ratio = value / mantissa
            power = round(math.log10(abs(ratio))) if ratio else 0
            if ratio > 0 and math.isclose(ratio, 10.0**power, rel_tol=1e-9):
                return plain, significant_half_unit(token) * 10.0**power
    return plain, significant_half_unit(plain)


class PaperNumbers:
    """Every table cell and quote of one paper, looked up by reference."""

    def __init__(
        self,
        paper: str,
        tables: dict[str, pd.DataFrame],
        quotes: pd.DataFrame | None = None,
    ) -> None:
        self.paper = paper
        self.tables = tables
        self.quotes: dict[str, pd.Series] = {}
        self._rows: dict[str, list[tuple[int, str]]] = {}
        self._cells: dict[str, dict[tuple[int, str], dict]] = {}
        if quotes is not None:
            for _, row in quotes.iterrows():
                self.quotes[str(row["quote_id"])] = row

    # --- rows ------------------------------------------------------------------------------

    def table(self, name: str) -> pd.DataFrame:
        """The cells frame of a table; an error naming the paper if there is none."""
        if name not in self.tables:
            raise InputError(f"paper {self.paper} has no table {name!r}")
        return self.tables[name]

    def rows(self, table: str) -> list[tuple[int, str]]:
        """(ingest row, row label) of every row, in print order (computed once per table)."""
        if table not in self._rows:
            cells = self.table(table)
            first = cells.drop_duplicates("row").sort_values("row")
            self._rows[table] = [
                (int(r), str(lab)) for r, lab in zip(first["row"], first["row_label"], strict=True)
            ]
        return self._rows[table]

    def row_number(self, table: str, selector: str | int) -> int:
        """The ingest row a selector names: a label (unique), ``#N`` or an int."""
        if isinstance(selector, int):
            return selector
        text = str(selector).strip()
        if text.startswith("#"):
            return int(text[1:])
        matches = [r for r, lab in self.rows(table) if lab == text]
        if len(matches) != 1:
            raise InputError(
                f"row label {text!r} matches {len(matches)} rows of {table} (use '#N')",
                file=f"{self.paper}/{table}",
            )
        return matches[0]

    def select_rows(
        self, table: str, rows: list[str | int] | None = None, exclude: list[str] | None = None
    ) -> list[int]:
        """Ingest rows named by ``rows`` (all rows when None) minus labels/``#N`` in ``exclude``."""
        if rows is None:
            chosen = [r for r, _ in self.rows(table)]
        else:
            chosen = [self.row_number(table, s) for s in rows]
        dropped = {self.row_number(table, s) for s in (exclude or [])}
        return [r for r in chosen if r not in dropped]

    def label(self, table: str, row: int) -> str:
        """The printed label of an ingest row."""
        return dict(self.rows(table))[row]

    # --- numbers ---------------------------------------------------------------------------

    def raw_cell(self, table: str, row: int, column: str) -> pd.Series:
        """The cells-frame record of one cell."""
        if table not in self._cells:
            frame = self.table(table)
            self._cells[table] = {
                (int(rec["row"]), str(rec["column"])): rec for rec in frame.to_dict("records")
            }
        try:
            return pd.Series(self._cells[table][(row, column)])
        except KeyError:
            raise InputError(f"{table} has no cell row {row}, column {column!r}") from None

    def is_number(self, table: str, row: int, column: str) -> bool:
        """Whether a cell holds a printed number (numeric column, non-empty token)."""
        cell = self.raw_cell(table, row, column)
        return cell["kind"] in NUMERIC_KINDS and is_number_token(str(cell["printed"]))

    def cell(self, table: str, row: int, column: str) -> Number:
        """The number printed in one cell."""
        cell = self.raw_cell(table, row, column)
        if not self.is_number(table, row, column):
            raise InputError(f"{table} row {row} column {column!r} is not a printed number")
        return cell_number(cell, self.cell_ref(table, row, column))

    def cell_ref(self, table: str, row: int, column: str) -> str:
        """The reference of a cell: by label where the label is unique, else by ``#row``."""
        label = self.label(table, row)
        unique = sum(1 for _, lab in self.rows(table) if lab == label) == 1
        return f"{table}:{label if unique else '#' + str(row)}:{column}"

    def quote(self, quote_id: str) -> pd.Series:
        """A quote's ingested row by id: its local id in the paper folder (``t001``) or its
        qualified id (``<paper>-t001``)."""
        if quote_id not in self.quotes:
            quote_id = qualified_quote_id(self.paper, quote_id)
        if quote_id not in self.quotes:
            raise InputError(f"paper {self.paper} has no quote {quote_id!r}")
        return self.quotes[quote_id]

    def quoted(self, quote_id: str) -> Number:
        """A quote by id (local or qualified) as a :class:`Number`."""
        return quote_number(self.quote(quote_id))

    def resolve(self, ref: str) -> Number:
        """The number a reference names (see the module docstring)."""
        parts = ref.split(":")
        if len(parts) == 1:
            return self.quoted(ref)
        if len(parts) == 3:
            table, selector, column = parts
            return self.cell(table, self.row_number(table, selector), column)
        raise InputError(f"bad number reference {ref!r} (table:row:column or a quote id)")

    def literal(self, spec: dict[str, object]) -> Number:
        """A number declared in a check (e.g. in a title): ``{ref, published, quote}``."""
        token = str(spec["published"])
        interval = from_printed(token, exact_integer=True)
        ref = str(spec["ref"])
        table = ref.split(":")[0]
        return Number(
            ref=ref,
            paper=self.paper,
            table=table,
            row=None,
            row_label=str(spec.get("row_label", "(title)")),
            column=str(spec.get("column", "title")),
            published=token,
            interval=interval,
            declared=interval,
            unit=str(spec.get("unit", "items")),
            canonical_unit=str(spec.get("unit", "items")),
            quote=str(spec.get("quote", "")),
        )

    def numeric_cells(self) -> list[tuple[str, int, str]]:
        """(table, row, column) of every printed number in every table."""
        out = []
        for name in sorted(self.tables):
            cells = self.tables[name]
            numeric = cells[cells["kind"].isin(NUMERIC_KINDS)]
            for _, c in numeric.iterrows():
                if is_number_token(str(c["printed"])):
                    out.append((name, int(c["row"]), str(c["column"])))
        return out


def load_paper_numbers(
    paper: str,
    table_files: Sequence[str | Path],
    quote_files: Sequence[str | Path] = (),
) -> PaperNumbers:
    """A paper's printed numbers from its ingested Parquet files (tables named by file stem;
    at most one quotes file)."""
    tables = {Path(p).stem: pd.read_parquet(p) for p in table_files}
    if len(quote_files) > 1:
        raise ValueError(f"one quotes file per paper, got {list(quote_files)}")
    quotes = pd.read_parquet(quote_files[0]) if quote_files else None
    return PaperNumbers(paper, tables, quotes)
