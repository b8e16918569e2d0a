"""Cross-table reconciliation on a constructed example: rows matched by numbers, not labels."""

from __future__ import annotations

import pandas as pd

from sciteff.audit.reconcile import duplicate_labels, match_by_position, match_rows, normalise_label


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Left: labels shifted by one against right for rows B/C; "A" printed twice.
    left = pd.DataFrame(
        {
            "label": ["A", "B", "C", "A", "Total"],
            "n": ["10", "20", "30", "5", "65"],
            "amount": ["1.25", "2.5", "3.75", "0.4", "7.9"],
        }
    )
    right = pd.DataFrame(
        {
            "name": ["alpha univ", "C", "B", "D", "total"],
            "count": ["10", "20", "30", "5", "65"],
            "amt": ["1.3", "2.5", "3.75", "0.40", "7.9"],
        }
    )
    return left, right


def test_rows_are_matched_by_numbers_within_rounding_and_labels_classified():
    left, right = frames()
    m = match_rows(
        left,
        right,
        ["n", "amount"],
        ["count", "amt"],
        label="label",
        right_label="name",
        aliases={"alpha univ": "A"},
    ).set_index("left_row")
    # 1.25 (1.245..1.255) and 1.3 (1.25..1.35) meet at 1.25: same row, declared alias
    assert m.loc[0, "right_row"] == 0 and m.loc[0, "label_status"] == "alias"
    # B's numbers are printed under C on the right and vice versa: conflicts
    assert m.loc[1, "right_label"] == "C" and m.loc[1, "label_status"] == "conflict"
    assert m.loc[2, "right_label"] == "B" and m.loc[2, "label_status"] == "conflict"
    # the second "A" carries D's numbers
    assert m.loc[3, "right_label"] == "D" and m.loc[3, "label_status"] == "conflict"
    # case differences are not conflicts
    assert m.loc[4, "label_status"] == "same"


def test_numbers_that_differ_beyond_rounding_do_not_match():
    left = pd.DataFrame({"label": ["A"], "x": ["1.24"]})
    right = pd.DataFrame({"label": ["A"], "x": ["1.26"]})
    # [1.235, 1.245] and [1.255, 1.265] do not meet
    assert match_rows(left, right, ["x"], ["x"]).empty


def test_several_candidates_are_reported_as_ambiguous():
    left = pd.DataFrame({"label": ["A"], "x": ["7"]})
    right = pd.DataFrame({"label": ["A", "B"], "x": ["7", "7"]})
    m = match_rows(left, right, ["x"], ["x"])
    assert m.loc[0, "label_status"] == "ambiguous" and m.loc[0, "candidates"] == 2


def test_duplicate_labels_and_position_matching():
    left, _ = frames()
    dups = duplicate_labels(left)
    assert dups["row"].tolist() == [0, 3]
    assert dups["occurrence"].tolist() == [1, 2]
    other = pd.DataFrame({"label": ["a", "B", "X", "A", "TOTAL"]})
    pos = match_by_position(left, other).set_index("left_row")["label_status"]
    assert pos.tolist() == ["same", "same", "conflict", "same", "same"]
    assert normalise_label("Liaoning normal  University") == "liaoning normal university"
