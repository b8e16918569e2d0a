"""Data preparation for the figures: tidy frames selected from panels, tables and analyses.

Each function takes what the pipeline already wrote (an ingested panel, a "cells" table, an
analysis CSV, the quotes) and returns the small tidy frame one plot needs, in a stated
unit. Selection lives here, not in the plotting code, so it can be tested against hand-picked
values; a missing region, year, claim or column is an error, never an empty plot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def select_claims(quotes: pd.DataFrame, figure_ids: Sequence[str]) -> pd.DataFrame:
    """The quotes ``figure_ids`` in the given order, with their years parsed.

    Adds ``year_start`` and ``year_end`` (nullable integers) from the ``year`` column. A missing
    id is a ``KeyError``: a figure spec naming a claim the paper's transcription lacks is wrong.
    """
    known = quotes.set_index("figure_id")
    absent = [f for f in figure_ids if f not in known.index]
    if absent:
        raise KeyError(f"quotes not found: {absent}")
    out = known.loc[list(figure_ids)].reset_index()
    periods = [parse_period(y) for y in out["year"]]
    out["year_start"] = pd.array([p[0] if p else None for p in periods], dtype="Int64")
    out["year_end"] = pd.array([p[1] if p else None for p in periods], dtype="Int64")
    return out


def compare_claims(series: pd.DataFrame, claims: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Each claim beside the official series, both in ``unit``.

    Columns: ``figure_id``, ``quote``, ``qualifier``, ``year_start``, ``year_end``,
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
            raise ValueError(f"claim {claim['figure_id']} names no year to compare with")
        years = range(int(claim["year_start"]), int(claim["year_end"]) + 1)
        absent = [y for y in years if y not in by_year.index]
        if absent:
            raise ValueError(f"claim {claim['figure_id']}: the series lacks years {absent}")
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
                "figure_id": claim["figure_id"],
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
            "figure_id",
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


def dea_from_table(cells: pd.DataFrame, label: str = "area") -> pd.DataFrame:
    """A published DEA table (ingested cells) as ``dmu, crste, vrste, scale, rts, is_mean``,
    rows in print order (the transcription's row order), RTS marks as printed."""
    table = wide(cells, values="declared").sort_index()
    frame = table[[label, *DEA_SCORES, "rts"]].rename(columns={label: "dmu"})
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


def malmquist_from_table(cells: pd.DataFrame, label: str = "area") -> pd.DataFrame:
    """A published Malmquist table as ``dmu, effch, techch, pech, sech, tfpch, is_mean``,
    rows in print order."""
    table = wide(cells, values="declared").sort_index()
    frame = table[[label, *MALMQUIST_INDICES]].rename(columns={label: "dmu"})
    return _with_mean_flag(frame)


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


def indicator_panels(cells: pd.DataFrame) -> pd.DataFrame:
    """A table printed wide by year (``<indicator>_<year>`` columns, as seed002 Table 1) in
    long form: ``row_label, indicator, period, value, unit, printed_unit, header_printed``.

    Values are as printed, in the declared unit (the figure says which); rows keep print
    order, indicators their column order.
    """
    numbers = cells[cells["kind"] == "number"].copy()
    numbers["indicator"] = numbers["column"].str.replace(r"_\d{4}$", "", regex=True)
    out = numbers[
        ["row", "row_label", "indicator", "period", "value", "unit", "printed_unit"]
    ].copy()
    out["header_printed"] = numbers["header_printed"].str.split(" / ").str[-1]
    order = list(dict.fromkeys(out["indicator"]))
    out["_order"] = out["indicator"].map(order.index)
    out = out.sort_values(["row", "_order", "period"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def numbered_labels(labels: Sequence[str], rows: Sequence[object]) -> list[str]:
    """Row labels as printed, prefixed with their print row ("12. Dalian ..."), so that a label
    printed twice stays two distinguishable rows without changing the printed text."""
    return [f"{int(float(r))}. {label}" for label, r in zip(labels, rows, strict=True)]


def conversion_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """seed003 Table 3 style local conversion rates in long form: ``print_row, institution,
    measure`` (``by count`` / ``by amount``), ``year`` and ``rate`` (%, as printed)."""
    table = wide(cells, values="declared").sort_index()
    records = []
    for _, row in table.iterrows():
        for column in table.columns:
            match = re.fullmatch(r"(n|amt)_rate_(\d{4})", column)
            if match:
                records.append(
                    {
                        "print_row": int(float(row["print_row"])),
                        "institution": row["institution"],
                        "measure": "by count" if match.group(1) == "n" else "by amount",
                        "year": int(match.group(2)),
                        "rate": float(row[column]),
                    }
                )
    if not records:
        raise ValueError("the table has no n_rate_<year> / amt_rate_<year> columns")
    return pd.DataFrame.from_records(records)


def field_volumes(cells: pd.DataFrame, total_label: str = "Total") -> pd.DataFrame:
    """seed003 Table 2 style transaction volume by technical field in long form:
    ``field, year, volume`` (declared unit, as printed), print order, without the total row."""
    table = wide(cells, values="declared").sort_index()
    table = table[table["technical_field"].str.strip() != total_label]
    records = [
        {
            "field": row["technical_field"],
            "year": int(column.rsplit("_", 1)[1]),
            "volume": row[column],
        }
        for _, row in table.iterrows()
        for column in table.columns
        if re.fullmatch(r"volume_\d{4}", column)
    ]
    return pd.DataFrame.from_records(records)


def average_contracts(
    cells: pd.DataFrame, quotes: pd.DataFrame, national_id: str
) -> tuple[pd.DataFrame, float]:
    """seed003 Table 5 averages per institution (as printed, in the table's printed unit) and
    the national average claimed in the text, checked to be in the same declared unit.

    Returns (``print_row, institution, avg_contract_amount, avg_contract_amount_local``,
    national value). Why the check: the figure plots both on one axis in the printed unit,
    which is only meaningful if the text and the table declare the same unit.
    """
    table = wide(cells, values="declared").sort_index()
    frame = table[
        ["print_row", "institution", "avg_contract_amount", "avg_contract_amount_local"]
    ].copy()
    frame["print_row"] = frame["print_row"].astype(float).astype(int)
    national = select_claims(quotes, [national_id]).iloc[0]
    table_units = set(
        cells.loc[cells["column"].isin(["avg_contract_amount"]), "unit"].dropna().unique()
    )
    if table_units != {national["unit"]}:
        raise ValueError(
            f"claim {national_id} is in {national['unit']!r}, the table in {sorted(table_units)}"
        )
    return frame.reset_index(drop=True), float(national["value"])
