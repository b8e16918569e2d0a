"""Input-output panels for DEA and Malmquist: one CSV per data year plus ``dataset.yaml``.

A new year of yearbook data is one new file; everything that depends on the panel is rebuilt
from the set of year files, so nothing needs editing by hand. Ingest checks each file against
the dataset description (columns, units, region names, the year in the file name, the number
format) and returns one wide frame in canonical units with the source file and line of every
record.

Panels are complete or explicitly not: ``dataset.yaml`` declares the DMU universe (``dmus``).
A universe DMU absent from a year file is kept as a placeholder record (``present`` false, no
values) and a row naming a DMU outside the universe is kept flagged (``in_universe`` false), so
that an analysis using that year stops with an error naming the raw file, unless the analysis
declares that the DMU may be dropped (:func:`universe_drops`); every drop is then listed with
its reason, raw file and line. A DMU twice in one file is always an error, naming both lines:
which row to keep would be a guess, so no drop declaration covers it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sciteff.core import numbers, units
from sciteff.core.errors import InputError
from sciteff.core.io import line_of, read_csv_text, require_columns, require_rows
from sciteff.ingest.sidecars import load_sidecar

log = logging.getLogger("sciteff.panels")

_YEAR_FILE = re.compile(r"^(\d{4})\.csv$")


@dataclass(frozen=True)
class Indicator:
    """One numeric panel column: its source name, short name and unit."""

    column: str
    name: str
    unit: str
    meaning: str = ""


@dataclass(frozen=True)
class PanelSpec:
    """What ``dataset.yaml`` declares about a panel."""

    dataset: str
    dmu_column: str
    year_column: str
    indicators: tuple[Indicator, ...]
    regions: dict[str, str]
    aggregate_rows: frozenset[str]
    path: str
    dmus: tuple[str, ...] = ()
    fmt: numbers.NumberFormat = numbers.DEFAULT
    encoding: str = "utf-8"
    lines: dict[str, int] = field(default_factory=dict)


def load_panel_spec(path: str | Path) -> PanelSpec:
    """Read and validate ``dataset.yaml``; unknown units, missing keys, a DMU universe that
    names an undeclared region and a bad number format are errors naming the file and line."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except FileNotFoundError:
        raise InputError("dataset description not found", file=file) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise InputError(f"not valid YAML ({exc})", file=file, line=line) from None
    if not isinstance(raw, dict):
        raise InputError("the dataset description must be a YAML mapping", file=file, line=1)
    lines = _key_lines(text)
    for key in ("dataset", "dmu_column", "year_column", "columns", "regions"):
        if key not in raw:
            raise InputError(f"lacks the key {key!r}", file=file)
    load_sidecar(path, "dataset")  # its JSON Schema: a misspelt or mistyped key, with its line
    indicators = []
    for column, body in raw["columns"].items():
        if column in (raw["dmu_column"], raw["year_column"]):
            continue
        if "unit" not in body:
            raise InputError(
                "numeric panel column needs a 'unit'",
                file=file,
                line=lines.get(column),
                column=column,
            )
        try:
            units.lookup(body["unit"])
        except KeyError as exc:
            raise InputError(
                str(exc.args[0]), file=file, line=lines.get(column), column=column
            ) from None
        indicators.append(
            Indicator(column, str(body.get("name", column)), body["unit"], body.get("meaning", ""))
        )
    regions = {str(k): str(v) for k, v in raw["regions"].items()}
    aggregates = frozenset(str(r) for r in raw.get("aggregate_rows") or ())
    declared = raw.get("dmus")
    if declared is None:
        dmus = tuple(r for r in regions if r not in aggregates)
    else:
        dmus = tuple(str(d) for d in declared)
        for name in dmus:
            if name not in regions:
                raise InputError(
                    f"the DMU universe names {name!r}, which 'regions' does not declare",
                    file=file,
                    line=lines.get("dmus"),
                    column="dmus",
                )
    try:
        fmt = numbers.NumberFormat.declared(raw.get("decimal"), raw.get("na"))
    except ValueError as exc:
        raise InputError(str(exc), file=file, line=lines.get("decimal"), column="decimal") from None
    return PanelSpec(
        dataset=str(raw["dataset"]),
        dmu_column=str(raw["dmu_column"]),
        year_column=str(raw["year_column"]),
        indicators=tuple(indicators),
        regions=regions,
        aggregate_rows=aggregates,
        path=file,
        dmus=dmus,
        fmt=fmt,
        encoding=str(raw.get("encoding") or "utf-8"),
        lines=lines,
    )


def _key_lines(text: str) -> dict[str, int]:
    """Editor line of each mapping key in a YAML text (first occurrence), for error messages."""
    found: dict[str, int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return found

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found.setdefault(str(key.value), key.start_mark.line + 1)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    found.setdefault(str(item.value), item.start_mark.line + 1)
                walk(item)

    if root is not None:
        walk(root)
    return found


def year_files(directory: str | Path) -> list[Path]:
    """The panel's ``<year>.csv`` files, oldest first; other CSV names are an error."""
    directory = Path(directory)
    files = []
    for path in sorted(directory.glob("*.csv")):
        if not _YEAR_FILE.match(path.name):
            raise InputError("panel files must be named <year>.csv", file=str(path))
        files.append(path)
    if not files:
        raise InputError("no <year>.csv files", file=str(directory))
    return files


def read_panel(files: list[str | Path], spec: PanelSpec) -> pd.DataFrame:
    """All year files as one frame: ``region`` (English), the source ``dmu`` name, ``year``,
    ``is_aggregate``, ``present`` (false for a universe DMU the year file lacks),
    ``in_universe`` (false for a row naming a DMU outside ``dmus``), one float column per
    indicator (short name, canonical unit; NaN where the source has no value), and
    ``source_file``/``source_row``/``source_line`` for every record (``source_line`` is the line
    an editor shows, header = line 1; 0 for a placeholder). Rows are sorted by year, then in
    the order ``dataset.yaml`` lists the regions (the yearbooks' order).
    """
    frames = [_read_year_file(Path(f), spec) for f in files]
    panel = pd.concat(frames, ignore_index=True)
    order = {region: i for i, region in enumerate(spec.regions.values())}
    panel["_order"] = panel["region"].map(order).fillna(len(order))
    panel = panel.sort_values(["year", "_order"], kind="stable").drop(columns="_order")
    return panel.reset_index(drop=True)


def _read_year_file(path: Path, spec: PanelSpec) -> pd.DataFrame:
    file = str(path)
    match = _YEAR_FILE.match(path.name)
    if not match:
        raise InputError("panel files must be named <year>.csv", file=file)
    year = int(match.group(1))
    raw = read_csv_text(path, encoding=spec.encoding)
    header_line = raw.attrs.get("header_line", 1)
    expected = [spec.dmu_column, spec.year_column, *(i.column for i in spec.indicators)]
    require_columns(raw, expected, file=file)
    require_rows(raw, file=file)
    for name in raw.columns:
        if name not in expected:
            raise InputError(
                f"column not described in {spec.path}", file=file, line=header_line, column=name
            )
    universe = set(spec.dmus) | set(spec.aggregate_rows)
    seen: dict[str, int | None] = {}
    regions, years = [], []
    for row, rec in raw.iterrows():
        line = line_of(raw, row)
        dmu = rec[spec.dmu_column].strip()
        if dmu == "":
            raise InputError("empty DMU name", file=file, line=line, column=spec.dmu_column)
        if dmu in seen:
            raise InputError(
                f"{dmu!r} appears twice (lines {seen[dmu]} and {line}); delete or correct one "
                "of the two rows. An analysis cannot declare it droppable: may_drop leaves out "
                "a DMU whose row is missing or outside the panel, but here which of the two "
                "rows is the right one would be a guess, so a may_drop entry for it does not "
                "apply and every analysis of this year stops",
                file=file,
                row=row,
                line=line,
                column=spec.dmu_column,
                token=dmu,
            )
        seen[dmu] = line
        if rec[spec.year_column].strip() != str(year):
            raise InputError(
                f"year {rec[spec.year_column].strip()!r} in a file named {path.name}",
                file=file,
                row=row,
                line=line,
                column=spec.year_column,
                token=rec[spec.year_column],
            )
        regions.append(spec.regions.get(dmu, dmu))
        years.append(year)
    names = raw[spec.dmu_column].str.strip().to_numpy()
    out = pd.DataFrame({"dmu": names, "region": regions, "year": np.asarray(years, dtype="int64")})
    out["is_aggregate"] = out["dmu"].isin(spec.aggregate_rows)
    out["present"] = True
    out["in_universe"] = out["dmu"].isin(universe)
    for ind in spec.indicators:
        unit = units.lookup(ind.unit)
        out[ind.name] = [
            _panel_value(
                v, unit, spec.fmt, file=file, row=r, line=line_of(raw, r), column=ind.column
            )
            for r, v in raw[ind.column].items()
        ]
        out[ind.name] = out[ind.name].astype("float64")
    out["source_file"] = file
    out["source_row"] = raw.index.to_numpy(dtype="int64")
    out["source_line"] = [line_of(raw, r) for r in raw.index]
    absent = [d for d in (*spec.dmus, *sorted(spec.aggregate_rows)) if d not in seen]
    if absent:
        filler = pd.DataFrame(
            {
                "dmu": absent,
                "region": [spec.regions.get(d, d) for d in absent],
                "year": np.full(len(absent), year, dtype="int64"),
                "is_aggregate": [d in spec.aggregate_rows for d in absent],
                "present": False,
                "in_universe": True,
                **{ind.name: np.nan for ind in spec.indicators},
                "source_file": file,
                "source_row": np.zeros(len(absent), dtype="int64"),
                "source_line": 0,
            }
        )
        out = pd.concat([out, filler], ignore_index=True)
    out["source_line"] = out["source_line"].fillna(0).astype("int64")
    out["source_dmu_column"] = spec.dmu_column
    return out


def _panel_value(
    token: str,
    unit: units.Unit,
    fmt: numbers.NumberFormat,
    *,
    file: str,
    row: int,
    line: int | None,
    column: str,
) -> float:
    """A panel cell in canonical units; an empty cell (or a declared missing-value token) is a
    missing value (NaN), kept as such; anything else must read under the number grammar."""
    if token.strip() == "":
        return np.nan
    value = numbers.parse_number(token, fmt, file=file, row=row, line=line, column=column)
    if value is None:
        return np.nan
    if value < 0:
        raise InputError(
            f"{token.strip()!r}: panel values must be non-negative",
            file=file,
            row=row,
            line=line,
            column=column,
            token=token,
        )
    return unit.to_canonical(value)


def universe_drops(
    rows: pd.DataFrame, may_drop: Mapping[str, str], *, dmu: str = "region"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check an analysis' panel rows against the DMU universe; return (kept, dropped).

    A universe DMU missing from a year file (``present`` false) or a row naming a DMU outside
    the universe (``in_universe`` false) is an :class:`InputError` naming the raw year file,
    the line (the row's own line; for a missing row the line after the file's last line) and
    the DMU column, unless ``may_drop`` (the analysis' declared drops: DMU -> reason) names the
    DMU; then the record is dropped, logged as a warning (shown on the terminal by the
    pipeline) and listed in ``dropped`` (``dmu, period, reason``; the reason names the file
    and line). Frames without the flags (older Parquet files) pass unchanged.
    """
    if "present" not in rows.columns or "in_universe" not in rows.columns:
        return rows, pd.DataFrame(columns=["dmu", "period", "reason"])
    bad = ~rows["present"].astype(bool) | ~rows["in_universe"].astype(bool)
    records = []
    for _, rec in rows[bad].iterrows():
        name = str(rec[dmu])
        file = str(rec["source_file"])
        if not bool(rec["present"]):
            last = int(rows.loc[rows["source_file"] == rec["source_file"], "source_line"].max())
            what = f"{rec['dmu']} ({name}) has no row in {file}"
            line = last + 1
        else:
            what = f"{rec['dmu']!r} in {file} is not a DMU of the panel"
            line = int(rec["source_line"])
        if name not in may_drop and str(rec["dmu"]) not in may_drop:
            raise InputError(
                f"{what} (dataset.yaml's 'dmus' declares the panel's DMUs); restore the row, "
                f"or let the analysis drop it with may_drop: {{{name}: <reason>}}",
                file=file,
                line=line,
                column=str(rec.get("source_dmu_column", dmu)),
                token=str(rec["dmu"]),
            )
        reason = f"{what}; may_drop: {may_drop.get(name, may_drop.get(str(rec['dmu'])))}"
        log.warning("dropped %s %s: %s", name, rec["year"], reason)
        records.append({"dmu": name, "period": rec["year"], "reason": reason})
    dropped = pd.DataFrame(records, columns=["dmu", "period", "reason"])
    return rows[~bad], dropped


def units_table(spec: PanelSpec) -> pd.DataFrame:
    """Indicator name, source column, declared unit and canonical unit, for reports."""
    return pd.DataFrame(
        [
            {
                "indicator": i.name,
                "source_column": i.column,
                "source_unit": i.unit,
                "canonical_unit": units.lookup(i.unit).canonical,
                "meaning": i.meaning,
            }
            for i in spec.indicators
        ]
    )
