"""Cross-table reconciliation: find the same entity in two tables by its numbers, not its name.

When two tables of a paper print the same institutions, a row's numbers are a better key than
its label: labels get shifted, duplicated or translated differently, numbers copied from the
same source do not. :func:`match_rows` pairs rows whose printed numbers agree within rounding
in every compared column and classifies each pair's labels (``same``, ``alias``,
``conflict``); :func:`duplicate_labels` lists labels printed more than once in one table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from sciteff.core.intervals import from_printed, is_number_token

MATCH_COLUMNS = [
    "left_row",
    "left_label",
    "right_row",
    "right_label",
    "numbers",
    "label_status",
    "candidates",
]


def normalise_label(label: str) -> str:
    """Case-, space- and punctuation-insensitive form ("Liaoning normal University")."""
    return re.sub(r"[^a-z0-9]+", " ", str(label).casefold()).strip()


def _same_number(a: str, b: str) -> bool:
    if not (is_number_token(a) and is_number_token(b)):
        return a.strip() == b.strip()
    return from_printed(a).intersects(from_printed(b))


def _label_status(aliases: dict[str, str] | None) -> Callable[[str, str], str]:
    """How two labels of one entity relate: ``same`` (equal after :func:`normalise_label`),
    ``alias`` (equal through ``aliases``, name -> canonical name) or ``conflict``."""
    alias = {normalise_label(k): normalise_label(v) for k, v in (aliases or {}).items()}

    def canon(name: str) -> str:
        n = normalise_label(name)
        return alias.get(n, n)

    def status(a: str, b: str) -> str:
        if normalise_label(a) == normalise_label(b):
            return "same"
        return "alias" if canon(a) == canon(b) else "conflict"

    return status


def match_rows(
    left: pd.DataFrame,
    right: pd.DataFrame,
    left_columns: list[str],
    right_columns: list[str],
    *,
    label: str = "label",
    right_label: str | None = None,
    aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Pair rows of two tables (printed tokens, one row per printed row) whose numbers agree.

    A left row matches a right row when, for every i, ``left[left_columns[i]]`` and
    ``right[right_columns[i]]`` are the same printed number within rounding ("4151.14" and
    "4151.1" match). Returns one row per left row with at least one match: the row indexes,
    both labels, the matched numbers, ``label_status`` (``same``: equal after
    :func:`normalise_label`; ``alias``: equal through ``aliases`` (name -> canonical name);
    ``conflict``: different names for the same numbers; ``ambiguous``: several right rows
    match) and the number of candidate right rows.
    """
    if len(left_columns) != len(right_columns):
        raise ValueError("left_columns and right_columns must have the same length")
    right_label = right_label or label
    label_status = _label_status(aliases)
    records = []
    for li, lrow in left.iterrows():
        hits = [
            ri
            for ri, rrow in right.iterrows()
            if all(
                _same_number(str(lrow[lc]), str(rrow[rc]))
                for lc, rc in zip(left_columns, right_columns, strict=True)
            )
        ]
        if not hits:
            continue
        ri = hits[0]
        a, b = str(lrow[label]), str(right.loc[ri, right_label])
        status = "ambiguous" if len(hits) > 1 else label_status(a, b)
        numbers = " / ".join(str(lrow[c]) for c in left_columns)
        records.append([li, a, ri, b, numbers, status, len(hits)])
    return pd.DataFrame.from_records(records, columns=MATCH_COLUMNS)


def match_by_position(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    label: str = "label",
    aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Pair rows with the same index (two tables printing the same rows in the same order,
    whose numbers other checks tie together) and classify their labels as
    :func:`match_rows` does (``same``, ``alias``, ``conflict``)."""
    label_status = _label_status(aliases)
    records = []
    for idx in left.index.intersection(right.index):
        a, b = str(left.loc[idx, label]), str(right.loc[idx, label])
        records.append([idx, a, idx, b, "(same position)", label_status(a, b), 1])
    return pd.DataFrame.from_records(records, columns=MATCH_COLUMNS)


def duplicate_labels(frame: pd.DataFrame, label: str = "label") -> pd.DataFrame:
    """Rows whose label (normalised) is printed more than once: index, label, occurrence."""
    norm = frame[label].map(normalise_label)
    dup = frame[norm.duplicated(keep=False)]
    out = pd.DataFrame({"row": dup.index, "label": dup[label].astype(str).values})
    out["occurrence"] = out.groupby(out["label"].map(normalise_label)).cumcount() + 1
    return out.reset_index(drop=True)
