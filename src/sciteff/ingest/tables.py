"""Transcribed paper tables: their YAML sidecars, validation, and ingest into typed cells.

A transcription is a CSV holding the printed tokens verbatim plus a sidecar that says what each
column means (printed header, kind, unit, period). Ingest turns it into one row per raw cell
("cells" form), so that every value downstream traces back to exactly one printed cell, with
the printed token, the declared unit, the canonical value and the provenance side by side.
``wide`` pivots the cells back into one row per printed row for analysis.

The sidecar format is documented in ``raw_data/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.core import numbers, units
from sciteff.core.errors import InputError
from sciteff.core.io import line_of, read_csv_text, require_columns, require_rows, yaml_position
from sciteff.ingest.sidecars import load_sidecar

#: Column kinds a sidecar may declare.
#: ``percent`` is a share or rate (0-100); ``growth`` a percentage change (above -100).
KINDS = frozenset({"label", "position", "number", "percent", "growth", "category", "text"})
NUMERIC_KINDS = frozenset({"number", "percent", "growth"})
_REQUIRED_SPEC_KEYS = ("number", "title", "key", "label", "columns")
#: Keys a sidecar may state although its place says them already (folder = paper, file =
#: table); stated, they must agree, so a copied paper folder never names its origin silently.
_PLACE_KEYS = ("paper", "table")

#: Columns of a cells frame, in order.
CELL_COLUMNS = [
    "paper",
    "table",
    "source_file",
    "row",
    "row_label",
    "column",
    "header_printed",
    "kind",
    "period",
    "printed",
    "value",
    "unit",
    "printed_unit",
    "canonical_value",
    "canonical_unit",
    "text",
    "source_line",
]


@dataclass(frozen=True)
class ColumnSpec:
    """What one transcribed column means, as declared in the sidecar."""

    name: str
    kind: str
    printed: str = ""
    unit: str | None = None
    printed_unit: str | None = None
    period: str | None = None
    allowed: tuple[str, ...] | None = None
    allow_empty: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A sidecar: which paper and table a CSV transcribes, and its columns."""

    paper: str
    table: str
    number: str
    title: str
    key: tuple[str, ...]
    label: str
    columns: dict[str, ColumnSpec]
    source_note: str | None = None
    notes: tuple[str, ...] = ()
    path: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def parse_printed_number(
    token: str, *, percent_sign: bool, fmt: numbers.NumberFormat = numbers.DEFAULT
) -> float:
    """The number a printed token stands for; ``ValueError`` with the reason if it is none.

    The project's one grammar (:mod:`sciteff.core.numbers`): thousands separators only as
    ``d{1,3}(,ddd)+`` ("4,685", not "46,85"), a Unicode minus, scientific notation; a trailing
    "%" only where ``percent_sign`` is true, so a percentage in a column declared in yuan is
    caught.
    """
    try:
        value = numbers.classify(token, fmt, percent=percent_sign)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    if value is None:
        raise ValueError(f"{token.strip()!r} is a missing-value token, not a number")
    return value


def table_format(spec: TableSpec) -> numbers.NumberFormat:
    """The number format a sidecar declares (``decimal: ","``, ``na: [...]``), default '.'."""
    try:
        return numbers.NumberFormat.declared(spec.extra.get("decimal"), spec.extra.get("na"))
    except ValueError as exc:
        raise InputError(str(exc), file=spec.path, column="decimal") from None


def load_table_spec(path: str | Path) -> TableSpec:
    """Read and validate a sidecar, with errors naming the sidecar file and the column."""
    path = Path(path)
    file = str(path)
    raw = load_sidecar(path, "table")  # JSON Schema: misspelt or mistyped keys, with line
    for key in _REQUIRED_SPEC_KEYS:
        if key not in raw:
            raise InputError(f"sidecar lacks the key {key!r}", file=file)
    if not isinstance(raw["columns"], dict) or not raw["columns"]:
        raise InputError("'columns' must be a non-empty mapping", file=file)
    columns = {}
    for name, body in raw["columns"].items():
        try:
            columns[str(name)] = _column_spec(str(name), body, file=file)
        except InputError as exc:  # name the line of the column's entry (its unit or kind)
            keys = ["columns", str(name)]
            keys += [k for k in ("unit", "kind") if k in exc.reason][:1]
            line, _ = yaml_position(path, keys)
            raise InputError(exc.reason, file=file, line=line, column=str(name)) from None
    key = tuple(str(k) for k in raw["key"])
    label = str(raw["label"])
    for name in (*key, label):
        if name not in columns:
            raise InputError("key/label column is not among 'columns'", file=file, column=name)
    place = {"paper": path.resolve().parent.name, "table": path.stem}
    for name, expected in place.items():
        if name in raw and str(raw[name]) != expected:
            raise InputError(
                f"the sidecar says {name} {raw[name]!r} but its place says {expected!r}"
                f" (folder = paper, file name = table); remove the {name!r} key",
                file=file,
            )
    known = {*_REQUIRED_SPEC_KEYS, *_PLACE_KEYS, "source_note", "notes"}
    return TableSpec(
        paper=place["paper"],
        table=place["table"],
        number=str(raw["number"]),
        title=str(raw["title"]),
        key=key,
        label=label,
        columns=columns,
        source_note=raw.get("source_note"),
        notes=tuple(str(n) for n in raw.get("notes") or ()),
        path=file,
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _column_spec(name: str, body: object, *, file: str) -> ColumnSpec:
    if not isinstance(body, dict):
        raise InputError("column description must be a mapping", file=file, column=name)
    kind = body.get("kind")
    if kind not in KINDS:
        raise InputError(
            f"unknown kind {kind!r} (known: {', '.join(sorted(KINDS))})", file=file, column=name
        )
    unit = body.get("unit")
    if kind in NUMERIC_KINDS:
        if unit is None:
            raise InputError(f"a {kind} column needs a 'unit'", file=file, column=name)
        try:
            units.lookup(unit)
        except KeyError as exc:
            raise InputError(str(exc.args[0]), file=file, column=name) from None
        if kind in ("percent", "growth") and unit != "%":
            raise InputError(
                f"a {kind} column must have unit '%', not {unit!r}", file=file, column=name
            )
    allowed = body.get("allowed")
    return ColumnSpec(
        name=name,
        kind=kind,
        printed=str(body.get("printed") or ""),
        unit=None if unit is None else str(unit),
        printed_unit=None if body.get("printed_unit") is None else str(body["printed_unit"]),
        period=None if body.get("period") is None else str(body["period"]),
        allowed=None if allowed is None else tuple(str(a) for a in allowed),
        allow_empty=bool(body.get("allow_empty", False)),
    )


def ingest_table(csv_path: str | Path, spec: TableSpec) -> pd.DataFrame:
    """One row per raw cell of a transcription, typed, in canonical units, with provenance.

    Raises :class:`InputError` (file, row, column) for a header that does not match the
    sidecar, an unparsable number, a category outside its allowed values, a percentage outside
    0-100, a growth rate at or below -100 %, or a duplicated key. Never drops a row.
    """
    file = str(csv_path)
    raw = read_csv_text(csv_path, encoding=str(spec.extra.get("encoding") or "utf-8"))
    fmt = table_format(spec)
    require_columns(raw, list(spec.columns), file=file)
    require_rows(raw, file=file)
    for name in raw.columns:
        if name not in spec.columns:
            raise InputError(
                f"column not described in the sidecar {spec.path}", file=file, column=name
            )
    if Path(file).stem != spec.table:
        raise InputError(f"sidecar says table {spec.table!r}", file=file)
    _check_unique_key(raw, spec.key, file=file)
    records = []
    for row, cells in raw.iterrows():
        row_label = str(cells[spec.label]).strip()
        for col in spec.columns.values():
            where = {"file": file, "row": row, "line": line_of(raw, row), "column": col.name}
            records.append(_cell_record(spec, col, where, row_label, str(cells[col.name]), fmt))
    frame = pd.DataFrame.from_records(records, columns=CELL_COLUMNS)
    for name in ("value", "canonical_value"):
        frame[name] = frame[name].astype("float64")
    frame["row"] = frame["row"].astype("int64")
    frame["source_line"] = frame["source_line"].astype("int64")  # the editor's line of the row
    return frame


def _cell_record(
    spec: TableSpec,
    col: ColumnSpec,
    where: dict[str, object],
    row_label: str,
    printed: str,
    fmt: numbers.NumberFormat,
) -> dict[str, object]:
    file, row = where["file"], where["row"]
    record: dict[str, object] = {
        "source_line": where["line"],
        "paper": spec.paper,
        "table": spec.table,
        "source_file": file,
        "row": row,
        "row_label": row_label,
        "column": col.name,
        "header_printed": col.printed,
        "kind": col.kind,
        "period": col.period,
        "printed": printed,
        "value": np.nan,
        "unit": col.unit,
        "printed_unit": col.printed_unit,
        "canonical_value": np.nan,
        "canonical_unit": None,
        "text": None,
    }
    token = printed.strip()
    if col.kind not in NUMERIC_KINDS:
        if col.kind == "category" and col.allowed is not None and token not in col.allowed:
            raise InputError(
                f"{token!r} is not one of the allowed values {list(col.allowed)}",
                token=printed,
                **where,  # type: ignore[arg-type]
            )
        record["text"] = token
        return record
    if token == "" or token in fmt.na:
        if col.allow_empty:
            return record
        raise InputError("empty cell in a numeric column", token=printed, **where)  # type: ignore[arg-type]
    try:
        value = parse_printed_number(token, percent_sign=col.unit == "%", fmt=fmt)
    except ValueError as exc:
        raise InputError(str(exc), token=printed, **where) from None  # type: ignore[arg-type]
    if col.kind == "percent" and not 0.0 <= value <= 100.0:
        raise InputError(f"percentage {token!r} outside 0-100", token=printed, **where)  # type: ignore[arg-type]
    if col.kind == "growth" and value <= -100.0:
        raise InputError(f"growth rate {token!r} at or below -100%", token=printed, **where)  # type: ignore[arg-type]
    unit = units.lookup(col.unit)
    record.update(
        value=value, canonical_value=unit.to_canonical(value), canonical_unit=unit.canonical
    )
    return record


def _check_unique_key(raw: pd.DataFrame, key: tuple[str, ...], *, file: str) -> None:
    keys = raw[list(key)].apply(lambda r: tuple(str(v).strip() for v in r), axis=1)
    first_seen: dict[tuple[str, ...], object] = {}
    for row, value in keys.items():
        if value in first_seen:
            raise InputError(
                f"duplicate key {dict(zip(key, value, strict=True))}: "
                f"rows {first_seen[value]} and {row} "
                f"(lines {line_of(raw, first_seen[value])} and {line_of(raw, row)})",
                file=file,
                row=row,
                line=line_of(raw, row),
                column=",".join(key),
            )
        first_seen[value] = row


def wide(cells: pd.DataFrame, values: str = "canonical") -> pd.DataFrame:
    """One row per printed row again: numbers as ``canonical`` or ``declared`` values, or the
    ``printed`` tokens; label/category/text columns as their text. Column order as transcribed.
    """
    if values not in ("canonical", "declared", "printed"):
        raise ValueError(f"values must be canonical, declared or printed, not {values!r}")
    numeric = cells["kind"].isin(NUMERIC_KINDS)
    source = {"canonical": "canonical_value", "declared": "value", "printed": "printed"}[values]
    shown = cells[source].astype(object).where(numeric, cells["text"])
    if values == "printed":
        shown = cells["printed"]
    frame = (
        cells.assign(_shown=shown)
        .pivot(index="row", columns="column", values="_shown")
        .reindex(columns=list(dict.fromkeys(cells["column"])))
    )
    for name in frame.columns:
        is_numeric = bool(numeric[cells["column"] == name].all())
        if is_numeric and values != "printed":
            frame[name] = frame[name].astype("float64")
    frame.columns.name = None
    return frame


# --- numbers quoted in running text (quotes.csv) ---------------------------------------------

QUOTE_COLUMNS = [
    "quote_id",
    "section",
    "quote",
    "value_printed",
    "value",
    "unit",
    "qualifier",
    "claim_kind",
    "year",
    "region",
    "subject",
    "refers_to_table",
    "notes",
]
QUALIFIERS = frozenset({"exact", "about", "more_than", "at_least", "nearly", "below", "over"})
CLAIM_KINDS = frozenset(
    {"level", "count", "growth_rate", "share", "rate", "ratio", "average", "rank", "score", "year"}
)


#: A quote id as written in quotes.csv: local to its paper folder.
LOCAL_ID = re.compile(r"[A-Za-z0-9_.]+")


def qualified_quote_id(paper: str, local: str) -> str:
    """The project-wide id of a paper's quote: ``<paper>-<local id>``."""
    return f"{paper}-{local}"


def ingest_quotes(
    csv_path: str | Path, paper: str, source: str | Path | None = None
) -> pd.DataFrame:
    """Validate a paper's ``quotes.csv`` and type it: value parsed, canonical value added.

    Each row keeps every transcribed column as text plus ``paper``, ``source_file``, ``row``,
    ``value`` (float, in ``unit``), ``canonical_value`` and ``canonical_unit``. With ``source``
    (the paper's ``source.txt``, as the pipeline always passes it) every quote must appear
    there verbatim and contain its ``value_printed`` token verbatim (:func:`verify_quotes`).
    """
    file = str(csv_path)
    raw = read_csv_text(csv_path)
    if source is not None:
        verify_quotes(raw, source, file=file)
    require_columns(raw, QUOTE_COLUMNS, file=file)
    for name in raw.columns:
        if name not in QUOTE_COLUMNS:
            raise InputError("unexpected column", file=file, column=name)
    _check_unique_key(raw, ("quote_id",), file=file)
    out = raw[QUOTE_COLUMNS].apply(lambda s: s.str.strip())
    for row, local in out["quote_id"].items():
        if not LOCAL_ID.fullmatch(local):
            raise InputError(
                f"quote id {local!r} must be local to the paper folder (letters, digits, '_'"
                " or '.', e.g. t001): the folder name supplies the paper",
                file=file,
                row=row,
                line=line_of(raw, row),
                column="quote_id",
            )
    values, canonical, canonical_units = [], [], []
    for row, rec in out.iterrows():
        at = {"file": file, "row": row, "line": line_of(raw, row)}
        for name, vocabulary in (("qualifier", QUALIFIERS), ("claim_kind", CLAIM_KINDS)):
            if rec[name] not in vocabulary:
                raise InputError(
                    f"{rec[name]!r} is not one of {sorted(vocabulary)}",
                    column=name,
                    token=rec[name],
                    **at,  # type: ignore[arg-type]
                )
        if not rec["quote"]:
            raise InputError("empty quote", column="quote", **at)  # type: ignore[arg-type]
        try:
            unit = units.lookup(rec["unit"])
        except KeyError as exc:
            raise InputError(str(exc.args[0]), column="unit", **at) from None  # type: ignore[arg-type]
        try:
            value = parse_printed_number(rec["value"], percent_sign=False)
        except ValueError as exc:
            raise InputError(str(exc), column="value", token=rec["value"], **at) from None  # type: ignore[arg-type]
        if unit.name == "%" and rec["claim_kind"] in ("share", "rate") and not 0 <= value <= 100:
            raise InputError(f"percentage {value:g} outside 0-100", column="value", **at)  # type: ignore[arg-type]
        values.append(value)
        canonical.append(unit.to_canonical(value))
        canonical_units.append(unit.canonical)
    # Ids in quotes.csv are local to the paper folder (t001), so a copied folder needs no edit;
    # downstream a quote is known by its qualified id (<paper>-t001).
    out["quote_id"] = [qualified_quote_id(paper, local) for local in out["quote_id"]]
    out.insert(0, "paper", paper)
    out.insert(1, "source_file", file)
    out.insert(2, "row", out.index.astype("int64"))
    out["value"] = pd.Series(values, index=out.index, dtype="float64")
    out["canonical_value"] = pd.Series(canonical, index=out.index, dtype="float64")
    out["canonical_unit"] = canonical_units
    return out.reset_index(drop=True)


def verify_quotes(raw: pd.DataFrame, source: str | Path, *, file: str) -> None:
    """Every quote verbatim in the paper's text, and its printed token verbatim in the quote.

    Why at ingest: a quote edited away from the paper (or a paper text replaced) would
    otherwise feed the audit a claim the paper never made. Raises :class:`InputError` naming
    the quotes file, the line, the column and the token.
    """
    source_file = str(source)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("the paper's text (source.txt) is missing", file=source_file) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"source.txt is not UTF-8 text ({exc.reason})", file=source_file) from None
    for column in ("quote", "value_printed"):
        if column not in raw.columns:
            return  # require_columns reports the missing column
    for row, rec in raw.iterrows():
        quote, token = str(rec["quote"]).strip(), str(rec["value_printed"]).strip()
        line = line_of(raw, row)
        if quote and quote not in text:
            raise InputError(
                f"quote {_short(quote)!r} is not verbatim in {source_file}",
                file=file,
                row=row,
                line=line,
                column="quote",
                token=quote,
            )
        if token and token not in quote:
            raise InputError(
                f"printed token {token!r} does not occur verbatim in the quote {_short(quote)!r}",
                file=file,
                row=row,
                line=line,
                column="value_printed",
                token=token,
            )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def table_metadata(spec: TableSpec) -> dict[str, object]:
    """What a table's Parquet file carries about itself: source, title, units, notes."""
    return {
        "paper": spec.paper,
        "table": spec.table,
        "number": spec.number,
        "title": spec.title,
        "source_note": spec.source_note,
        "sidecar": spec.path,
        "notes": list(spec.notes),
        "columns": {
            name: {
                "printed": c.printed,
                "kind": c.kind,
                "unit": c.unit,
                "printed_unit": c.printed_unit,
                "period": c.period,
            }
            for name, c in spec.columns.items()
        },
    }
