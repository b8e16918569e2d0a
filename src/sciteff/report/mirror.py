"""Paper tables mirrored as printed, with the recomputed value and audit verdict beside each cell.

A reader holds the mirrored CSV beside the paper: same rows, same labels, same printed tokens,
and for every number the audit could recompute, the recomputed value (or interval) and the
verdict. Where several checks concern one cell, the worst verdict is shown.
"""

from __future__ import annotations

import pandas as pd

from sciteff.ingest.tables import NUMERIC_KINDS, wide

#: Worst first: the verdict shown for a cell with several findings.
VERDICT_RANK = {"inconsistent": 0, "differs": 1, "consistent": 2, "not_checkable": 3}


def cell_verdicts(findings: pd.DataFrame, paper: str, table: str) -> pd.DataFrame:
    """The worst finding per (row, column) of one table: verdict, recomputed, explanation."""
    rows = findings[(findings["paper"] == paper) & (findings["table"] == table)].copy()
    rows["row"] = pd.to_numeric(rows["row"], errors="coerce")
    rows = rows[rows["row"].notna()]  # table-level findings (a title, a unit) have no cell
    if rows.empty:
        return pd.DataFrame(columns=["row", "column", "verdict", "recomputed", "explanation"])
    rows["_rank"] = rows["verdict"].map(VERDICT_RANK).fillna(len(VERDICT_RANK))
    rows = rows.sort_values(["row", "column", "_rank"], kind="stable")
    worst = rows.groupby(["row", "column"], as_index=False, sort=False).first()
    worst["row"] = worst["row"].astype("int64")
    return worst[["row", "column", "verdict", "recomputed", "explanation"]]


def mirror(cells: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per printed row: every column as printed, and after each numeric column its
    ``<column>_recomputed`` and ``<column>_verdict`` from the audit (empty where none)."""
    paper, table = str(cells["paper"].iloc[0]), str(cells["table"].iloc[0])
    printed = wide(cells, values="printed")
    verdicts = cell_verdicts(findings, paper, table).set_index(["row", "column"])
    numeric = set(cells.loc[cells["kind"].isin(NUMERIC_KINDS), "column"])
    out = pd.DataFrame(index=printed.index)
    for column in printed.columns:
        out[column] = printed[column]
        if column not in numeric:
            continue
        recomputed, verdict = [], []
        for row in printed.index:
            key = (int(row), column)
            found = key in verdicts.index
            recomputed.append(verdicts.at[key, "recomputed"] if found else "")
            verdict.append(verdicts.at[key, "verdict"] if found else "")
        out[f"{column}_recomputed"] = recomputed
        out[f"{column}_verdict"] = verdict
    out.index.name = "row"
    return out.reset_index()
