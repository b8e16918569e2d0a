"""A paper's table in the report as the paper printed it, with the audit beside each number.

- Headers are the printed ones from the table's sidecar; a header printed over two lines
  (``2015(year) / R & D Personnel``) becomes a two-level header with the shared upper line
  spanning its columns; a printed unit not already in the header is added under it.
- Layout columns (kind ``position``: ``print_block``, ``print_row``) are not shown: a table
  printed in left and right blocks is put back side by side, row by row, as printed; a
  ``full`` row (a total or mean printed across both blocks) keeps its label in the first
  block and its numbers under the last block, as the transcription notes describe.
- Each audited cell carries its verdict as a colour and a marker; each flagged cell gets a
  numbered note with the audit's arithmetic as a sentence: directly under its row, or, in a
  table with many flagged cells, right below the table (so its rows stay together).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sciteff.ingest.tables import NUMERIC_KINDS
from sciteff.report.fmt import esc
from sciteff.report.plain import plain_sentences
from sciteff.report.verdicts import is_flagged, style

#: Column id the audit uses for a finding about a row's label.
ROW_LABEL = "(row label)"

#: Up to this many flagged cells, each note sits directly under its row; a table with more
#: keeps its rows together and lists the numbered notes right below it.
NOTES_UNDER_ROWS = 6


@dataclass(frozen=True)
class Column:
    """One shown column: its id, printed header split into levels, kind and unit line."""

    name: str
    levels: tuple[str, ...]
    kind: str
    unit: str


def header_levels(printed: object) -> tuple[str, ...]:
    """The lines of a printed header: ``"2015(year) / R & D"`` → ``("2015(year)", "R & D")``."""
    if printed is None or (isinstance(printed, float) and pd.isna(printed)):
        return ("",)
    return tuple(part.strip() for part in str(printed).split(" / ")) or ("",)


def shown_columns(cells: pd.DataFrame, meta: dict) -> list[Column]:
    """The table's columns as printed, without layout (``position``) columns."""
    declared = meta.get("columns", {}) or {}
    out = []
    for name in dict.fromkeys(cells["column"]):
        info = declared.get(name, {})
        kind = info.get("kind") or str(cells.loc[cells["column"] == name, "kind"].iloc[0])
        if kind == "position":
            continue
        printed = info.get("printed", name)
        levels = header_levels(printed)
        unit = info.get("printed_unit") or ""
        header_text = " ".join(levels).lower()
        if unit and unit.lower() in header_text:
            unit = ""
        out.append(Column(name, levels, kind, unit))
    return out


def header_html(columns: list[Column], blocks: int = 1) -> str:
    """``<thead>`` rows: multi-level where the printed headers have several lines."""
    cols = columns * blocks
    depth = max(len(c.levels) for c in cols)
    rows = []
    for level in range(depth):
        cells, i = [], 0
        while i < len(cols):
            parts = cols[i].levels
            if level >= len(parts):
                i += 1
                continue
            if level == len(parts) - 1:
                unit = f'<span class="unit">({esc(cols[i].unit)})</span>' if cols[i].unit else ""
                span = f' rowspan="{depth - level}"' if depth - level > 1 else ""
                cells.append(f'<th scope="col"{span}>{esc(parts[level])}{unit}</th>')
                i += 1
                continue
            j = i + 1
            while (
                j < len(cols)
                and len(cols[j].levels) > level + 1
                and cols[j].levels[: level + 1] == parts[: level + 1]
                and (j % len(columns)) != 0
            ):
                j += 1
            span = f' colspan="{j - i}"' if j - i > 1 else ""
            cells.append(f'<th scope="colgroup"{span}>{esc(parts[level])}</th>')
            i = j
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<thead>" + "".join(rows) + "</thead>"


def layout(cells: pd.DataFrame, columns: list[Column]) -> tuple[int, list[list[int | None]]]:
    """The printed layout: number of side-by-side blocks, and per printed line the row of
    each block (None where a block has no row on that line).

    A ``full`` row is returned as a line of its own whose entries are all that row: it is
    drawn with its label in the first block and its numbers in the last one.
    """
    rows = sorted(int(r) for r in cells["row"].unique())
    positions = cells[cells["column"].isin(["print_block", "print_row"])]
    if positions.empty or "print_block" not in set(positions["column"]):
        return 1, [[r] for r in rows]
    place = positions.pivot(index="row", columns="column", values="text")
    blocks = [b for b in dict.fromkeys(place["print_block"]) if b not in ("full", "", None)]
    if len(blocks) < 2:
        return 1, [[r] for r in rows]
    line = pd.to_numeric(place.get("print_row"), errors="coerce")
    lines: dict[tuple[float, int], list[int | None]] = {}
    for row in rows:
        block = place.at[row, "print_block"]
        number = float(line.get(row, float("nan")))
        if block in blocks:
            entry = lines.setdefault((number, 0), [None] * len(blocks))
            if entry[blocks.index(block)] is None:
                entry[blocks.index(block)] = row
                continue
        lines[(number, 1 + row)] = [row] * len(blocks)  # full row (or a clash): own line
    return len(blocks), [lines[k] for k in sorted(lines)]


def _cell_findings(findings: pd.DataFrame, label_column: str) -> pd.DataFrame:
    """Findings about one cell, keyed by (row, column); a row-label finding sits on the
    label column."""
    rows = findings.copy()
    rows["row"] = pd.to_numeric(rows["row"], errors="coerce")
    rows = rows[rows["row"].notna()]
    rows["row"] = rows["row"].astype("int64")
    rows["column"] = rows["column"].replace(ROW_LABEL, label_column)
    rows["_rank"] = rows["verdict"].map(lambda v: style(v).rank)
    return rows.sort_values(["row", "column", "_rank"], kind="stable")


def _scale(cells: pd.DataFrame) -> dict[tuple[int, str], float]:
    """Printed value / canonical value per numeric cell (to speak in the printed unit)."""
    numeric = cells[cells["kind"].isin(NUMERIC_KINDS)]
    out = {}
    for rec in numeric.itertuples():
        value, canonical = rec.value, rec.canonical_value
        if pd.notna(value) and pd.notna(canonical) and canonical != 0:
            out[(int(rec.row), str(rec.column))] = float(value) / float(canonical)
    return out


def paper_table_html(
    cells: pd.DataFrame,
    meta: dict,
    findings: pd.DataFrame,
    *,
    anchor: str,
    names: dict[str, str] | None = None,
) -> str:
    """One paper table as printed, with verdict colours, markers and notes under flagged rows.

    ``findings`` are the paper's findings (other tables' are ignored); ``anchor`` prefixes the
    ids of the notes; ``names`` maps internal ids to printed names in the sentences.
    """
    table = str(cells["table"].iloc[0])
    mine = findings[findings["table"] == table] if not findings.empty else findings
    columns = shown_columns(cells, meta)
    label_column = next((c.name for c in columns if c.kind == "label"), columns[0].name)
    printed = cells.pivot(index="row", columns="column", values="printed")
    labels = cells[cells["column"] == label_column].set_index("row")["printed"]
    by_cell = (
        _cell_findings(mine, label_column)
        if not mine.empty
        else pd.DataFrame(columns=["row", "column"])
    )
    grouped = {key: group for key, group in by_cell.groupby(["row", "column"], sort=False)}
    scale = _scale(cells)
    header_of = {c.name: " / ".join(p for p in c.levels if p) or c.name for c in columns}
    blocks, lines = layout(cells, columns)
    width = len(columns) * blocks
    body, counter = [], 0
    for line in lines:
        full = blocks > 1 and line[0] is not None and line.count(line[0]) == len(line)
        tds, notes = [], []
        for b in range(blocks):
            row = line[b]
            for column in columns:
                if row is None or (full and ((b == 0) != (column.name == label_column))):
                    tds.append("<td></td>")
                    continue
                token = printed.at[row, column.name] if column.name in printed.columns else None
                css = ["num"] if column.kind in NUMERIC_KINDS else ["txt"]
                if column.name == label_column:
                    css.append("label")
                mark = ""
                group = grouped.get((row, column.name))
                if group is not None and not group.empty:
                    lead = group.iloc[0]
                    look = style(str(lead["verdict"]))
                    css.append(look.css)
                    if is_flagged(str(lead["verdict"])):
                        counter += 1
                        note_id = f"{anchor}-n{counter}"
                        mark = (
                            f'<span class="mk" title="{esc(look.words)}">{look.marker}</span>'
                            f'<a class="ref" href="#{note_id}">{counter}</a>'
                        )
                        label = str(labels.get(row, f"row {row}"))
                        where = (
                            f"row label “{label}”"
                            if column.name == label_column
                            else f"{label}, {header_of[column.name]}"
                        )
                        sentences = []
                        for rec in group.itertuples():
                            if is_flagged(str(rec.verdict)):
                                sentences += plain_sentences(
                                    str(rec.explanation),
                                    scale=scale.get((row, column.name)),
                                    names=names,
                                )
                        notes.append(
                            f'<p class="why {look.css}" id="{note_id}">'
                            f'<span class="mk">{look.marker}</span><b>{counter}</b> '
                            f"<i>{esc(where)}</i> ({esc(look.words)}): "
                            + " ".join(esc(s) for s in sentences)
                            + "</p>"
                        )
                    else:
                        mark = f'<span class="mk q" title="{esc(look.words)}">{look.marker}</span>'
                tds.append(f'<td class="{" ".join(css)}">{esc(token)}{mark}</td>')
        body.append(("<tr>" + "".join(tds) + "</tr>", notes))
    under_rows = counter <= NOTES_UNDER_ROWS
    rows_html = []
    for row_html, notes in body:
        rows_html.append(row_html)
        if notes and under_rows:
            rows_html.append(f'<tr class="notes"><td colspan="{width}">{"".join(notes)}</td></tr>')
    table_html = (
        f'<div class="tablebox"><table class="paper">{header_html(columns, blocks)}'
        f"<tbody>{''.join(rows_html)}</tbody></table></div>"
    )
    if not under_rows:
        table_html += '<div class="tablenotes">' + "".join(n for _, ns in body for n in ns)
        table_html += "</div>"
    return _table_level(mine, anchor, names) + table_html + _quiet_reasons(by_cell)


def _table_level(findings: pd.DataFrame, anchor: str, names: dict[str, str] | None) -> str:
    """Findings about the table as a whole (its title, a column's unit), as sentences."""
    if findings.empty:
        return ""
    whole = findings[pd.to_numeric(findings["row"], errors="coerce").isna()]
    items = []
    for rec in whole.itertuples():
        if not is_flagged(str(rec.verdict)):
            continue
        look = style(str(rec.verdict))
        what = f"{rec.row_label} {rec.column}".strip() if rec.row_label else str(rec.column)
        if names and str(rec.column) in names:
            what = f"{rec.row_label}: {names[str(rec.column)]}"
        text = " ".join(plain_sentences(str(rec.explanation), names=names))
        items.append(
            f'<p class="why {look.css}"><span class="mk">{look.marker}</span>'
            f"<i>{esc(what)}</i> ({esc(look.words)}): {esc(text)}</p>"
        )
    return f'<div class="tablenotes">{"".join(items)}</div>' if items else ""


def _quiet_reasons(by_cell: pd.DataFrame) -> str:
    """Why the cells marked ○ could not be checked, each reason once."""
    if by_cell.empty or "verdict" not in by_cell:
        return ""
    quiet = by_cell[by_cell["verdict"] == "not_checkable"]
    if quiet.empty:
        return ""
    reasons = list(dict.fromkeys(str(e) for e in quiet["explanation"] if str(e)))
    items = "".join(f"<li>{esc(r)}</li>" for r in reasons)
    return (
        f"<details><summary>○ Not checkable: {len(quiet)} cells, "
        f"{len(reasons)} reason{'s' if len(reasons) != 1 else ''}</summary><ul>{items}</ul>"
        "</details>"
    )
