"""Input-output panels for DEA and Malmquist: one CSV per data year plus ``dataset.yaml``.

A new year of yearbook data is one new file; everything that depends on the panel is rebuilt
from the set of year files, so nothing needs editing by hand. Ingest checks each file against
the dataset description (columns, units, region names, the year in the file name) and returns
one wide frame in canonical units with the source file and row of every record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sciteff.core import units
from sciteff.core.errors import InputError
from sciteff.core.io import parse_number, read_csv_text

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


def load_panel_spec(path: str | Path) -> PanelSpec:
    """Read and validate ``dataset.yaml``; unknown units and missing keys are errors."""
    file = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("dataset description not found", file=file) from None
    for key in ("dataset", "dmu_column", "year_column", "columns", "regions"):
        if key not in raw:
            raise InputError(f"lacks the key {key!r}", file=file)
    indicators = []
    for column, body in raw["columns"].items():
        if column in (raw["dmu_column"], raw["year_column"]):
            continue
        if "unit" not in body:
            raise InputError("numeric panel column needs a 'unit'", file=file, column=column)
        try:
            units.lookup(body["unit"])
        except KeyError as exc:
            raise InputError(str(exc.args[0]), file=file, column=column) from None
        indicators.append(
            Indicator(column, str(body.get("name", column)), body["unit"], body.get("meaning", ""))
        )
    return PanelSpec(
        dataset=str(raw["dataset"]),
        dmu_column=str(raw["dmu_column"]),
        year_column=str(raw["year_column"]),
        indicators=tuple(indicators),
        regions={str(k): str(v) for k, v in raw["regions"].items()},
        aggregate_rows=frozenset(str(r) for r in raw.get("aggregate_rows") or ()),
        path=file,
    )


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
    ``is_aggregate``, one float column per indicator (short name, canonical unit; NaN where the
    source has no value), and ``source_file``/``source_row`` for every record. Rows are sorted
    by year, then in the order ``dataset.yaml`` lists the regions (the yearbooks' order).
    """
    frames = [_read_year_file(Path(f), spec) for f in files]
    panel = pd.concat(frames, ignore_index=True)
    order = {region: i for i, region in enumerate(spec.regions.values())}
    panel["_order"] = panel["region"].map(order)
    panel = panel.sort_values(["year", "_order"], kind="stable").drop(columns="_order")
    return panel.reset_index(drop=True)


def _read_year_file(path: Path, spec: PanelSpec) -> pd.DataFrame:
    file = str(path)
    match = _YEAR_FILE.match(path.name)
    if not match:
        raise InputError("panel files must be named <year>.csv", file=file)
    year = int(match.group(1))
    raw = read_csv_text(path)
    expected = [spec.dmu_column, spec.year_column, *(i.column for i in spec.indicators)]
    for name in expected:
        if name not in raw.columns:
            raise InputError("missing column", file=file, column=name)
    for name in raw.columns:
        if name not in expected:
            raise InputError(f"column not described in {spec.path}", file=file, column=name)
    seen: dict[str, object] = {}
    regions, years = [], []
    for row, rec in raw.iterrows():
        dmu = rec[spec.dmu_column].strip()
        if dmu not in spec.regions:
            raise InputError(f"unknown region {dmu!r}", file=file, row=row, column=spec.dmu_column)
        if dmu in seen:
            raise InputError(
                f"{dmu!r} appears twice (rows {seen[dmu]} and {row})",
                file=file,
                row=row,
                column=spec.dmu_column,
            )
        seen[dmu] = row
        if rec[spec.year_column].strip() != str(year):
            raise InputError(
                f"year {rec[spec.year_column]!r} in a file named {path.name}",
                file=file,
                row=row,
                column=spec.year_column,
            )
        regions.append(spec.regions[dmu])
        years.append(year)
    out = pd.DataFrame(
        {
            "dmu": raw[spec.dmu_column].str.strip().to_numpy(),
            "region": regions,
            "year": np.asarray(years, dtype="int64"),
        }
    )
    out["is_aggregate"] = out["dmu"].isin(spec.aggregate_rows)
    for ind in spec.indicators:
        unit = units.lookup(ind.unit)
        out[ind.name] = [
            _panel_value(v, unit, file=file, row=r, column=ind.column)
            for r, v in raw[ind.column].items()
        ]
        out[ind.name] = out[ind.name].astype("float64")
    out["source_file"] = file
    out["source_row"] = raw.index.to_numpy(dtype="int64")
    return out


def _panel_value(token: str, unit: units.Unit, *, file: str, row: object, column: str) -> float:
    """A panel cell in canonical units; an empty cell is a missing value (NaN), kept as such."""
    if token.strip() == "":
        return np.nan
    value = parse_number(token, file=file, row=row, column=column)
    if value < 0:
        raise InputError(
            f"{token!r}: panel values must be non-negative", file=file, row=row, column=column
        )
    return unit.to_canonical(value)


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
