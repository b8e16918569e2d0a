"""Declared corrections of printed cells, applied when a table is ingested.

A transcription stays what the paper printed. Where the audit has shown a printed cell to be
wrong (a unit label off by a factor of ten, a block of shifted row labels, a level that differs
from the official statistics by a dropped digit), the correction is declared as data beside the
transcription, in ``raw_data/papers/<paper>/corrections.yaml`` (format in
``raw_data/README.md``, schema ``schemas/corrections.schema.json``): what is corrected, to what,
the evidence, and the audit checks that support it. Ingest applies it, so every later stage
(transfer, efficiency, figures) reads corrected cells; the audit reads the cells back as
printed (:func:`as_printed`) and verifies that each correction's evidence still holds. No stage
reads the audit's output.

A corrected cell in the ingested Parquet:

- ``value``, ``unit``, ``canonical_value``, ``canonical_unit``, ``row_label``, ``text``: the
  corrected cell - what downstream stages use;
- ``printed_value``, ``printed_canonical_value``, ``transcribed_unit``, ``printed_row_label``:
  the cell as printed (equal to the above when nothing was corrected);
- ``correction``: empty, or ``<correction id>: <what changed>`` (several joined by ``; ``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sciteff.core import units
from sciteff.core.errors import InputError
from sciteff.ingest.sidecars import load_sidecar

#: Columns ingest adds to every cells frame (with or without corrections).
PRINTED_COLUMNS = [
    "printed_value",
    "printed_canonical_value",
    "transcribed_unit",
    "printed_row_label",
    "correction",
]
WHAT = ("unit", "value", "label")


@dataclass(frozen=True)
class Correction:
    """One declared correction of one table."""

    id: str
    table: str
    what: str
    evidence: str
    supported_by: tuple[str, ...]
    columns: tuple[str, ...] = ()
    unit: str | None = None
    cells: tuple[tuple[str, str, float], ...] = ()  # (row selector, column, corrected value)
    labels: tuple[tuple[str, str], ...] = ()  # (row selector, corrected label)
    severity: str = "major"


def load_corrections(path: str | Path) -> list[Correction]:
    """Read a paper's ``corrections.yaml`` (an empty list when the file does not exist).

    Validated against ``schemas/corrections.schema.json``: every correction needs an ``id``, a
    ``table``, ``what`` (unit, value or label, with ``columns`` + ``unit``, ``cells`` or
    ``labels``), its ``evidence`` in words and ``supported_by`` (the audit check ids whose
    failure, as printed, is the evidence); an :class:`InputError` names the file, key and line
    otherwise, and a duplicate id or an unknown unit the entry.
    """
    path = Path(path)
    if not path.exists():
        return []
    raw = load_sidecar(path, "corrections")
    out, seen = [], set()
    for i, entry in enumerate(raw.get("corrections") or [], start=1):
        if not isinstance(entry, dict):
            raise InputError("a correction must be a mapping", file=str(path), row=i)
        missing = [k for k in ("id", "table", "what", "evidence", "supported_by") if k not in entry]
        if missing:
            raise InputError(f"correction needs {missing}", file=str(path), row=i)
        if entry["what"] not in WHAT:
            raise InputError(f"'what' must be one of {list(WHAT)}", file=str(path), row=i)
        if entry["id"] in seen:
            raise InputError(f"duplicate correction id {entry['id']!r}", file=str(path), row=i)
        seen.add(entry["id"])
        if entry["what"] == "unit":
            try:
                units.lookup(entry["unit"])
            except KeyError as exc:
                raise InputError(str(exc), file=str(path), row=i) from None
        cells = tuple(
            (sel, col, float(v))
            for sel, per_col in (entry.get("cells") or {}).items()
            for col, v in per_col.items()
        )
        out.append(
            Correction(
                id=str(entry["id"]),
                table=str(entry["table"]),
                what=str(entry["what"]),
                evidence=str(entry["evidence"]),
                supported_by=tuple(str(s) for s in entry["supported_by"]),
                columns=tuple(entry.get("columns") or ()),
                unit=entry.get("unit"),
                cells=cells,
                labels=tuple((str(k), str(v)) for k, v in (entry.get("labels") or {}).items()),
                severity=str(entry.get("severity", "major")),
            )
        )
    return out


def with_printed_columns(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells frame with the as-printed columns filled from the cells themselves."""
    out = cells.copy()
    if "printed_value" not in out.columns:
        out["printed_value"] = out["value"].astype("float64")
        out["printed_canonical_value"] = out["canonical_value"].astype("float64")
        out["transcribed_unit"] = out["unit"]
        out["printed_row_label"] = out["row_label"]
        out["correction"] = ""
    return out


def _rows(cells: pd.DataFrame, selector: str, file: str) -> list[int]:
    if selector.startswith("#"):
        row = int(selector[1:])
        if row not in set(cells["row"]):
            raise InputError(f"no ingest row {row}", file=file)
        return [row]
    rows = sorted(set(cells.loc[cells["printed_row_label"] == selector, "row"]))
    if len(rows) != 1:
        raise InputError(f"row label {selector!r} matches {len(rows)} rows (use '#N')", file=file)
    return rows


def _note(frame: pd.DataFrame, mask: pd.Series, text: str) -> None:
    old = frame.loc[mask, "correction"].fillna("")
    frame.loc[mask, "correction"] = [f"{o}; {text}" if o else text for o in old]


def apply_corrections(cells: pd.DataFrame, corrections: list[Correction]) -> pd.DataFrame:
    """The cells frame of one table with its declared corrections applied (see the module
    docstring for the columns). A correction naming a column, row or cell the table does not
    have is an :class:`InputError`."""
    frame = with_printed_columns(cells)
    table = str(frame["table"].iloc[0]) if len(frame) else ""
    file = str(frame["source_file"].iloc[0]) if len(frame) else "<table>"
    for c in (c for c in corrections if c.table == table):
        if c.what == "unit":
            unit = units.lookup(c.unit)
            for column in c.columns:
                mask = frame["column"] == column
                if not mask.any():
                    raise InputError(f"correction {c.id}: no column {column!r}", file=file)
                before = str(frame.loc[mask, "unit"].iloc[0])
                frame.loc[mask, "unit"] = unit.name
                frame.loc[mask, "canonical_unit"] = unit.canonical
                numeric = mask & frame["value"].notna()
                frame.loc[numeric, "canonical_value"] = [
                    unit.to_canonical(v) for v in frame.loc[numeric, "value"]
                ]
                _note(frame, mask, f"{c.id}: unit {before} -> {unit.name}")
        elif c.what == "value":
            for selector, column, value in c.cells:
                (row,) = _rows(frame, selector, file)
                mask = (frame["row"] == row) & (frame["column"] == column)
                if not mask.any():
                    raise InputError(f"correction {c.id}: no cell {selector}/{column}", file=file)
                unit = units.lookup(frame.loc[mask, "unit"].iloc[0])
                before = frame.loc[mask, "printed"].iloc[0]
                frame.loc[mask, "value"] = value
                frame.loc[mask, "canonical_value"] = unit.to_canonical(value)
                _note(frame, mask, f"{c.id}: value {before} -> {value:g}")
        else:
            for selector, label in c.labels:
                (row,) = _rows(frame, selector, file)
                mask = frame["row"] == row
                before = str(frame.loc[mask, "printed_row_label"].iloc[0])
                frame.loc[mask, "row_label"] = label
                frame.loc[mask & (frame["kind"] == "label"), "text"] = label
                _note(frame, mask, f"{c.id}: label {before!r} -> {label!r}")
    for name in ("value", "canonical_value", "printed_value", "printed_canonical_value"):
        frame[name] = frame[name].astype("float64")
    frame["correction"] = frame["correction"].fillna("").astype(str)
    return frame


def as_printed(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells as the paper printed them (corrections undone), as the audit reads them."""
    if "printed_value" not in cells.columns:
        return cells
    out = cells.copy()
    out["value"] = out["printed_value"]
    out["canonical_value"] = out["printed_canonical_value"]
    changed = out["transcribed_unit"].ne(out["unit"]) & out["transcribed_unit"].notna()
    out.loc[changed, "canonical_unit"] = [
        units.lookup(u).canonical for u in out.loc[changed, "transcribed_unit"]
    ]
    out["unit"] = out["transcribed_unit"]
    out["row_label"] = out["printed_row_label"]
    is_label = out["kind"] == "label"
    out.loc[is_label, "text"] = out.loc[is_label, "printed_row_label"]
    out["correction"] = ""
    return out


def cells_for(cells: pd.DataFrame, source: dict) -> pd.DataFrame:
    """The cells an analysis of a paper table reads: corrected (default) or, with
    ``cells: printed`` in its source, as the paper printed them."""
    choice = source.get("cells", "corrected")
    if choice not in ("corrected", "printed"):
        raise InputError(f"source cells must be 'corrected' or 'printed', not {choice!r}")
    return as_printed(cells) if choice == "printed" else cells
