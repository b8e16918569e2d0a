"""Data preparation for the figures: tidy frames selected from panels, tables and analyses.

Each function takes what the pipeline already wrote (an ingested panel, a "cells" table, an
analysis CSV, the quotes) and returns the small tidy frame one plot needs, in a stated
unit. Selection lives here, not in the plotting code, so it can be tested against hand-picked
values; a missing region, year, claim or column is an error, never an empty plot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from sciteff.core import units
from sciteff.ingest.tables import wide

#: The DEA columns a figure shows, in the order DEAP prints them.
DEA_SCORES = ("crste", "vrste", "scale")
#: The Malmquist components, in DEAP's order.
MALMQUIST_INDICES = ("effch", "techch", "pech", "sech", "tfpch")
#: Row labels that DEAP-style tables use for their summary row.
MEAN_LABELS = frozenset({"mean"})


def unit_factor(unit: str) -> float:
    """How many canonical units one ``unit`` is (``billion yuan`` -> 1e9)."""
    return units.lookup(unit).factor


def parse_period(text: object) -> tuple[int, int] | None:
    """``"2020"`` -> (2020, 2020); ``"2016-2020"`` -> (2016, 2020); empty -> None."""
    token = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    token = token.strip()
    if not token:
        return None
    match = re.fullmatch(r"(\d{4})(?:\s*[-\u2013]\s*(\d{4}))?", token)
    if not match:
        raise ValueError(f"cannot read {token!r} as a year or a span of years")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise ValueError(f"span {token!r} ends before it starts")
    return start, end


def region_series(
    panel: pd.DataFrame, region: str, column: str, years: Sequence[int], unit: str
) -> pd.DataFrame:
    """One region's indicator over ``years``, converted from canonical to ``unit``.

    Returns columns ``year`` and ``value`` (in ``unit``), one row per requested year, sorted.
    Raises ``KeyError`` for an unknown region or column and ``ValueError`` for a year the panel
    does not hold or holds empty: a figure must never silently skip a year.
    """
    if column not in panel.columns:
        raise KeyError(f"the panel has no column {column!r}")
    rows = panel[panel["region"] == region]
    if rows.empty:
        raise KeyError(f"the panel has no region {region!r}")
    by_year = rows.set_index("year")[column]
    if by_year.index.duplicated().any():
        raise ValueError(f"{region} appears twice in a year of the panel")
    missing = [y for y in years if y not in by_year.index or pd.isna(by_year.get(y))]
    if missing:
        raise ValueError(f"{region} {column}: no value for {missing}")
    factor = unit_factor(unit)
    values = [float(by_year[y]) / factor for y in sorted(years)]
    return pd.DataFrame({"year": sorted(int(y) for y in years), "value": values})


def select_claims(quotes: pd.DataFrame, quote_ids: Sequence[str]) -> pd.DataFrame:
    """The quotes ``quote_ids`` in the given order, with their years parsed.

    Adds ``year_start`` and ``year_end`` (nullable integers) from the ``year`` column. A missing
    id is a ``KeyError``: a figure spec naming a claim the paper's transcription lacks is wrong.
    """
    known = quotes.set_index("quote_id")
    absent = [f for f in quote_ids if f not in known.index]
    if absent:
        raise KeyError(f"quotes not found: {absent}")
    out = known.loc[list(quote_ids)].reset_index()
    periods = [parse_period(y) for y in out["year"]]
    out["year_start"] = pd.array([p[0] if p else None for p in periods], dtype="Int64")
    out["year_end"] = pd.array([p[1] if p else None for p in periods], dtype="Int64")
    return out


def compare_claims(series: pd.DataFrame, claims: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Each claim beside the official series, both in ``unit``.

    Columns: ``quote_id``, ``quote``, ``qualifier``, ``year_start``, ``year_end``,
    ``claimed`` (the claim in ``unit``), ``official_min`` and ``official_max`` (the official
    series over the claim's years; equal for a one-year claim), ``official_at`` (the official
    value for a one-year claim, else NaN) and ``holds`` (whether the official series bears the
    claim out, read with its qualifier: ``more_than``/``over``/``at_least`` need every year
    above, ``below`` every year below, anything else within 1 % of the claim).
    """
    factor = unit_factor(unit)
    by_year = series.set_index("year")["value"]
    records = []
    for _, claim in claims.iterrows():
        if pd.isna(claim["year_start"]):
            raise ValueError(f"claim {claim['quote_id']} names no year to compare with")
        years = range(int(claim["year_start"]), int(claim["year_end"]) + 1)
        absent = [y for y in years if y not in by_year.index]
        if absent:
            raise ValueError(f"claim {claim['quote_id']}: the series lacks years {absent}")
        official = by_year.loc[list(years)]
        claimed = float(claim["canonical_value"]) / factor
        qualifier = claim["qualifier"]
        if qualifier in ("more_than", "over"):
            holds = bool((official > claimed).all())
        elif qualifier == "at_least":
            holds = bool((official >= claimed).all())
        elif qualifier == "below":
            holds = bool((official < claimed).all())
        else:
            holds = bool(((official - claimed).abs() <= 0.01 * abs(claimed)).all())
        records.append(
            {
                "quote_id": claim["quote_id"],
                "quote": claim["quote"],
                "qualifier": qualifier,
                "year_start": int(claim["year_start"]),
                "year_end": int(claim["year_end"]),
                "claimed": claimed,
                "official_min": float(official.min()),
                "official_max": float(official.max()),
                "official_at": float(official.iloc[0]) if len(official) == 1 else float("nan"),
                "holds": holds,
            }
        )
    return pd.DataFrame.from_records(
        records,
        columns=[
            "quote_id",
            "quote",
            "qualifier",
            "year_start",
            "year_end",
            "claimed",
            "official_min",
            "official_max",
            "official_at",
            "holds",
        ],
    )


def _with_mean_flag(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame["is_mean"] = frame["dmu"].str.strip().str.lower().isin(MEAN_LABELS)
    return frame


def _printed_table(cells: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The table as printed (declared units), rows in print order, with ``columns`` present."""
    table = wide(cells, values="declared").sort_index()
    missing = [c for c in dict.fromkeys(columns) if c not in table.columns]
    if missing:
        raise KeyError(f"the table has no column(s) {missing}")
    return table


def _renamed(
    cells: pd.DataFrame, label: str, names: Sequence[str], columns: Mapping[str, str] | None
) -> pd.DataFrame:
    """``label`` and the standard ``names`` columns (each read from ``columns[name]`` where the
    table calls it something else), renamed to ``dmu`` and the standard names."""
    chosen = {name: (columns or {}).get(name, name) for name in names}
    table = _printed_table(cells, [label, *chosen.values()])
    frame = table[[label, *chosen.values()]]
    frame.columns = ["dmu", *chosen]
    return frame


def dea_from_table(
    cells: pd.DataFrame, label: str = "area", columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A published DEA table (ingested cells) as ``dmu, crste, vrste, scale, rts, is_mean``,
    rows in print order (the transcription's row order), RTS marks as printed.

    ``columns`` maps a DEAP name (``crste`` ...) to the table's column where they differ."""
    frame = _renamed(cells, label, (*DEA_SCORES, "rts"), columns)
    frame["rts"] = frame["rts"].fillna("").astype(str)
    return _with_mean_flag(frame)


def dea_from_analysis(dea: pd.DataFrame, period: object | None = None) -> pd.DataFrame:
    """One period of an analysis's ``dea.csv`` as ``dmu, crste, vrste, scale, rts, is_mean``,
    in the file's row order (the panel's order). ``period`` may be omitted if there is one."""
    periods = dea["period"].astype(str).unique()
    if period is None:
        if len(periods) != 1:
            raise ValueError(f"dea.csv holds periods {list(periods)}: say which one to plot")
        period = periods[0]
    rows = dea[dea["period"].astype(str) == str(period)]
    if rows.empty:
        raise ValueError(f"dea.csv has no period {period!r}")
    frame = rows[["dmu", *DEA_SCORES, "rts"]].copy()
    frame["rts"] = frame["rts"].fillna("").astype(str)
    return _with_mean_flag(frame)


def malmquist_from_table(
    cells: pd.DataFrame, label: str = "area", columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A published Malmquist table as ``dmu, effch, techch, pech, sech, tfpch, is_mean``,
    rows in print order; ``columns`` as in :func:`dea_from_table`."""
    return _with_mean_flag(_renamed(cells, label, MALMQUIST_INDICES, columns))


def malmquist_periods(annual_means: pd.DataFrame) -> pd.DataFrame:
    """DEAP's annual means without the summary row: ``period`` (int, the later year) and the
    five indices, sorted by period."""
    rows = annual_means[annual_means["period"].astype(str).str.fullmatch(r"\d{4}")].copy()
    rows["period"] = rows["period"].astype(int)
    return rows[["period", *MALMQUIST_INDICES]].sort_values("period").reset_index(drop=True)


def malmquist_of(malmquist: pd.DataFrame, dmu: str) -> pd.DataFrame:
    """One DMU's adjacent-period indices from ``malmquist.csv``: ``period`` and the five
    indices, sorted by period."""
    rows = malmquist[malmquist["dmu"] == dmu]
    if rows.empty:
        raise KeyError(f"malmquist.csv has no DMU {dmu!r}")
    out = rows[["period", *MALMQUIST_INDICES]].copy()
    out["period"] = out["period"].astype(int)
    return out.sort_values("period").reset_index(drop=True)


def indicator_panels(cells: pd.DataFrame, panels: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The columns of a table printed wide by period, grouped into indicators (``panels``:
    indicator -> its columns, one per period), in long form: ``row_label, indicator, period,
    value, unit, printed_unit, header_printed``.

    Values are as printed, in the declared unit (the figure says which); rows keep print
    order, indicators the declared order, periods each column's declared period.
    """
    indicator_of = {column: name for name, columns in panels.items() for column in columns}
    numbers = cells[cells["column"].isin(indicator_of) & (cells["kind"] == "number")].copy()
    missing = sorted(set(indicator_of) - set(numbers["column"]))
    if missing:
        raise KeyError(f"the table has no number column(s) {missing}")
    numbers["indicator"] = numbers["column"].map(indicator_of)
    out = numbers[
        ["row", "row_label", "indicator", "period", "value", "unit", "printed_unit"]
    ].copy()
    out["header_printed"] = numbers["header_printed"].str.split(" / ").str[-1]
    order = list(panels)
    out["_order"] = out["indicator"].map(order.index)
    out = out.sort_values(["row", "_order", "period"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def numbered_labels(labels: Sequence[str], rows: Sequence[object]) -> list[str]:
    """Row labels as printed, prefixed with their print row ("12. Dalian ..."), so that a label
    printed twice stays two distinguishable rows without changing the printed text."""
    return [f"{int(float(r))}. {label}" for label, r in zip(labels, rows, strict=True)]


def row_values(
    cells: pd.DataFrame,
    label: str,
    series: Mapping[str, str],
    *,
    number_by: str | None = None,
    exclude_rows: Sequence[str] = (),
) -> pd.DataFrame:
    """Bar values per table row: ``row`` (0-based place in print order), ``label`` (as printed,
    numbered by the ``number_by`` column if given), ``series`` (the name in ``series``, which
    maps name -> column) and ``value`` (as printed, declared unit).

    Rows whose label is in ``exclude_rows`` (a printed total) are left out; why numbered: a
    label printed twice must stay two rows.
    """
    wanted = [label, *series.values(), *([number_by] if number_by else [])]
    table = _printed_table(cells, wanted)
    table = table[~table[label].astype(str).str.strip().isin(set(exclude_rows))]
    labels = list(table[label])
    if number_by:
        labels = numbered_labels(labels, list(table[number_by]))
    records = [
        {"row": i, "label": text, "series": name, "value": float(row[column])}
        for i, (text, (_, row)) in enumerate(zip(labels, table.iterrows(), strict=True))
        for name, column in series.items()
    ]
    if not records:
        raise ValueError("no table rows to draw")
    return pd.DataFrame.from_records(records, columns=["row", "label", "series", "value"])


def reference_value(
    cells: pd.DataFrame, quotes: pd.DataFrame, quote_id: str, columns: Sequence[str]
) -> float:
    """The value of quote ``quote_id``, checked to be in the declared unit of ``columns``.

    Why the check: a figure drawing a quoted value on the same axis as table columns is only
    meaningful if the text and the table declare the same unit.
    """
    quote = select_claims(quotes, [quote_id]).iloc[0]
    table_units = set(cells.loc[cells["column"].isin(list(columns)), "unit"].dropna().unique())
    if table_units != {quote["unit"]}:
        raise ValueError(
            f"quote {quote_id} is in {quote['unit']!r}, the table in {sorted(table_units)}"
        )
    return float(quote["value"])
