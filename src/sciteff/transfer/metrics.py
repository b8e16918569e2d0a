"""Technology-transfer metrics recomputed from the papers' own tables, with provenance.

- :func:`conversion_rates`: local conversion rate (local / total) by count and by amount, per
  institution and year; the total row from its own totals (never a mean of rates).
- :func:`per_contract_averages`: amount per project, total and local.
- :func:`field_composition`: each technical field's share of a year's total and its
  year-on-year growth (contract composition).
- :func:`implied_previous_levels`: the previous-year level a growth claim implies
  ("7,638 achievements, +56%" -> about 4,896 the year before).
- :func:`recomputed_table`: a printed table with recomputed columns beside the published ones.

Every output row names the table and ingest row (or quote) it comes from. Values are in
canonical units (yuan, items, fractions) unless a column says otherwise; each rate carries the
interval the printed inputs allow (``*_lo``/``*_hi``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from sciteff.core import units
from sciteff.core.intervals import Interval, from_quote
from sciteff.ingest.published import PaperNumbers, quote_value_text


def corrections_of(nums: PaperNumbers, table: str, row: int, columns: Iterable[str]) -> str:
    """The declared corrections (``corrections.yaml``) behind a result computed from these
    cells, or "" when it rests on printed numbers only: every corrected output says so."""
    notes: list[str] = []
    for column in columns:
        note = str(nums.raw_cell(table, row, column).get("correction", "") or "")
        notes += [n for n in note.split("; ") if n and n not in notes]
    return "; ".join(notes)


def _pair(nums: PaperNumbers, table: str, row: int, num: str, den: str) -> dict[str, float]:
    a, b = nums.cell(table, row, num), nums.cell(table, row, den)
    iv: Interval = a.interval / b.interval
    point = a.point / b.point if b.point else float("nan")
    return {"numerator": a.point, "denominator": b.point, "value": point, "lo": iv.lo, "hi": iv.hi}


def _ratio_rows(
    nums: PaperNumbers,
    specs: list[dict],
    variants: dict[str, tuple[str, str, str]],
    variant_column: str,
    names: tuple[str, str, str, str, str, str],
    *,
    published_unit: bool = False,
) -> pd.DataFrame:
    """Shared loop of the per-row ratio metrics: for every spec, period, row and variant,
    numerator / denominator with its rounding interval and the published value beside it.

    ``variants`` maps a variant name to the spec keys of (numerator, denominator, published);
    ``names`` are the output column names of (numerator, denominator, value, lo, hi, published).
    """
    num_name, den_name, value_name, lo_name, hi_name, pub_name = names
    records = []
    for spec in specs:
        table = spec["table"]
        for period, cols in spec["periods"].items():
            for row, label in nums.rows(table):
                for variant, (num_key, den_key, pub_key) in variants.items():
                    r = _pair(nums, table, row, cols[num_key], cols[den_key])
                    published = cols.get(pub_key)
                    pub = nums.cell(table, row, published) if published else None
                    record = {
                        "paper": nums.paper,
                        "table": table,
                        "row": row,
                        "institution": label,
                        "period": str(period),
                        variant_column: variant,
                        num_name: r["numerator"],
                        den_name: r["denominator"],
                        value_name: r["value"],
                        lo_name: r["lo"],
                        hi_name: r["hi"],
                        pub_name: pub.published if pub else "",
                    }
                    if published_unit:
                        record["published_unit"] = pub.unit if pub else ""
                    record["source"] = f"{table}:#{row}:{cols[num_key]}/{cols[den_key]}"
                    used = [cols[num_key], cols[den_key], *([published] if published else [])]
                    record["correction"] = corrections_of(nums, table, row, used)
                    records.append(record)
    return _one_per_unit(records, variant_column, value_name, pub_name)


def _one_per_unit(
    records: list[dict], variant_column: str, value_name: str, pub_name: str
) -> pd.DataFrame:
    """One row per institution, period and variant: where two tables print the same
    institution-year (one table restating another), the equal results are merged into the
    first declared row, which then lists every source, published value and correction. Results
    that differ stay separate rows: the audit reports the disagreement, not this stage."""
    kept: list[dict] = []
    first: dict[tuple[str, str, str], list[dict]] = {}
    for record in records:
        key = (record["institution"], record["period"], record[variant_column])
        twin = next(
            (
                r
                for r in first.get(key, [])
                if math.isclose(r[value_name], record[value_name], rel_tol=1e-12, abs_tol=0.0)
            ),
            None,
        )
        if twin is None:
            first.setdefault(key, []).append(record)
            kept.append(record)
            continue
        twin["source"] = f"{twin['source']}; {record['source']}"
        for name in (pub_name, "correction"):
            parts = [x for x in (twin[name], record[name]) if x]
            twin[name] = "; ".join(dict.fromkeys(parts))
    return pd.DataFrame.from_records(kept)


def conversion_rates(nums: PaperNumbers, specs: list[dict]) -> pd.DataFrame:
    """Local conversion rates per row, period and measure.

    Each spec names a table and, per period, the columns: ``{table, periods: {2022:
    {count_total, count_local, amount_total, amount_local, count_rate?, amount_rate?}}}``;
    ``*_rate`` columns, when given, are the published rates shown beside the recomputed ones.
    """
    variants = {m: (f"{m}_local", f"{m}_total", f"{m}_rate") for m in ("count", "amount")}
    names = ("local", "total", "rate", "rate_lo", "rate_hi", "published_rate")
    frame = _ratio_rows(nums, specs, variants, "measure", names)
    order = ["paper", "table", "row", "institution", "period", "measure", "total", "local"]
    return frame[[*order, *[c for c in frame.columns if c not in order]]]


def per_contract_averages(nums: PaperNumbers, specs: list[dict]) -> pd.DataFrame:
    """Amount per project (total and local) per row and period, in yuan per project.

    Spec: ``{table, periods: {2023: {count_total, count_local, amount_total, amount_local,
    avg_total?, avg_local?}}}``; ``avg_*`` are published averages shown beside.
    """
    variants = {s: (f"amount_{s}", f"count_{s}", f"avg_{s}") for s in ("total", "local")}
    names = (
        "amount_yuan",
        "projects",
        "average_yuan",
        "average_lo",
        "average_hi",
        "published_average",
    )
    return _ratio_rows(nums, specs, variants, "scope", names, published_unit=True)


def field_composition(nums: PaperNumbers, spec: dict) -> pd.DataFrame:
    """Share of each field in a year's total and growth over the previous year.

    Spec: ``{table, total_row, measures: {contracts: {2021: col, ...}, volume: {...}}}``. The
    share is given against the printed total row (``share_of_printed_total``) and against the
    sum of the field rows (``share_of_row_sum``): they differ where the total does not add up.
    """
    table = spec["table"]
    total_row = nums.row_number(table, spec["total_row"])
    rows = [(r, lab) for r, lab in nums.rows(table)]
    records = []
    for measure, by_year in spec["measures"].items():
        years = sorted(by_year)
        for year in years:
            col = by_year[year]
            field_rows = [r for r, _ in rows if r != total_row]
            row_sum = sum(nums.cell(table, r, col).point for r in field_rows)
            printed_total = nums.cell(table, total_row, col).point
            for row, label in rows:
                value = nums.cell(table, row, col).point
                prev_year = years[years.index(year) - 1] if years.index(year) else None
                prev = nums.cell(table, row, by_year[prev_year]).point if prev_year else None
                records.append(
                    {
                        "paper": nums.paper,
                        "table": table,
                        "row": row,
                        "field": label,
                        "measure": measure,
                        "year": str(year),
                        "value": value,
                        "share_of_printed_total": value / printed_total,
                        "share_of_row_sum": value / row_sum if row != total_row else 1.0,
                        "growth": value / prev - 1 if prev else float("nan"),
                        "source": f"{table}:#{row}:{col}",
                        "correction": corrections_of(nums, table, row, [col]),
                    }
                )
    return pd.DataFrame.from_records(records)


def implied_previous_levels(nums: PaperNumbers, claims: list[dict]) -> pd.DataFrame:
    """The previous-year level each growth claim implies: level / (1 + growth), with the
    interval the qualifiers allow ("about 56%" is 53.2%...58.8%)."""
    records = []
    for claim in claims:
        level, growth = nums.quoted(claim["level"]), nums.quoted(claim["growth"])
        row = nums.quote(claim["growth"])
        raw, half = quote_value_text(str(row["value_printed"]), float(row["value"]))
        g = from_quote(raw, str(row["qualifier"]), half=half).scale(0.01)
        implied = level.interval / (g + 1.0)
        point = level.point / (1 + growth.point)
        records.append(
            {
                "paper": nums.paper,
                "claim": claim["id"],
                "level_figure": level.ref,
                "level_published": level.published,
                "growth_figure": growth.ref,
                "growth_published": growth.published,
                "implied_previous": point,
                "implied_lo": implied.lo,
                "implied_hi": implied.hi,
                "unit": level.canonical_unit,
                "quote": f"{level.quote} / {growth.quote}",
            }
        )
    return pd.DataFrame.from_records(records)


def recomputed_table(nums: PaperNumbers, table: str, recomputed: dict[str, dict]) -> pd.DataFrame:
    """The table as printed (one row per printed row, printed tokens) with, after each
    recomputed column, ``<column>_recomputed`` in the column's declared unit.

    ``recomputed`` maps a column to ``{formula_kind: ratio|growth|share|sum, ...}`` specs:
    ``{kind: ratio, numerator, denominator, table?}`` (``table``: the other table, same row),
    ``{kind: growth, new, old}``, ``{kind: share, part, total_row}``, ``{kind: sum,
    total_row}`` (only the total row is recomputed).
    """
    rows = nums.rows(table)
    out = pd.DataFrame({"row": [r for r, _ in rows]})
    cells = nums.table(table)
    for column in dict.fromkeys(cells["column"]):
        printed = []
        for row, _ in rows:
            c = nums.raw_cell(table, row, column)
            printed.append(str(c["printed"]))
        out[column] = printed
        spec = recomputed.get(column)
        if spec is None:
            continue
        unit = units.lookup(nums.raw_cell(table, rows[0][0], column)["unit"])
        values = []
        for row, _ in rows:
            values.append(_recompute(nums, table, row, {"column": column, **spec}) / unit.factor)
        out[f"{column}_recomputed"] = [round(v, 4) if pd.notna(v) else v for v in values]
    out["correction"] = [
        corrections_of(nums, table, row, cells["column"].unique()) for row, _ in rows
    ]
    return out


def _recompute(nums: PaperNumbers, table: str, row: int, spec: dict) -> float:
    kind = spec["kind"]
    src = spec.get("table", table)
    if kind == "ratio":
        a = nums.cell(src, row, spec["numerator"]).point
        b = nums.cell(src, row, spec["denominator"]).point
        return a / b if b else float("nan")
    if kind == "growth":
        a, b = nums.cell(table, row, spec["new"]).point, nums.cell(table, row, spec["old"]).point
        return a / b - 1 if b else float("nan")
    if kind == "share":
        total = nums.row_number(table, spec["total_row"])
        return (
            nums.cell(table, row, spec["part"]).point / nums.cell(table, total, spec["part"]).point
        )
    if kind == "sum":
        total = nums.row_number(table, spec["total_row"])
        column = spec["column"]
        if row != total:
            return float("nan")
        return sum(nums.cell(table, r, column).point for r, _ in nums.rows(table) if r != total)
    raise ValueError(f"unknown recompute kind {kind!r}")


#: The metrics a paper's ``transfer.yaml`` may declare: name -> function(numbers, declaration).
#: Each writes ``results/transfer/<paper>/<name>.csv``.
METRICS: dict[str, Callable[[PaperNumbers, Any], pd.DataFrame]] = {
    "conversion_rates": conversion_rates,
    "per_contract_averages": per_contract_averages,
    "field_composition": field_composition,
    "growth_claims": implied_previous_levels,
}


def compute(nums: PaperNumbers, metric: str, declaration: Any) -> pd.DataFrame:
    """The declared ``metric`` of one paper (a key of :data:`METRICS`)."""
    if metric not in METRICS:
        raise ValueError(f"unknown transfer metric {metric!r}; known: {sorted(METRICS)}")
    return METRICS[metric](nums, declaration)
