"""Comparison of published DEA scores with ours: statistics checked by hand on tiny tables."""

from __future__ import annotations

import pandas as pd
import pytest

from sciteff.efficiency.replication import (
    agreement,
    normalise_rts,
    robustness,
    sensitivity,
    side_by_side,
)

PUBLISHED = pd.DataFrame(
    {
        "area": ["A", "B", "C", "D"],
        "crste": [1.000, 0.800, 0.600, 0.400],
        "vrste": [1.000, 0.900, 0.700, 0.500],
        "scale": [1.000, 0.889, 0.857, 0.800],
        "rts": ["-", "drs", "irs", "_"],
    }
)


def _ours(crste, rts, dmus=("A", "B", "C", "D")):
    return pd.DataFrame(
        {"dmu": list(dmus), "crste": crste, "vrste": crste, "scale": [1.0] * len(dmus), "rts": rts}
    )


def test_printed_underscore_reads_as_dash():
    assert [normalise_rts(m) for m in ["-", "_", "", None, "drs"]] == ["-", "-", "-", "-", "drs"]


def test_side_by_side_keeps_every_published_row_and_says_why_not_scored():
    table = side_by_side(PUBLISHED, _ours([1.0, 0.7, 0.6], ["-", "drs", "-"], "ABC"), label="area")
    assert list(table["dmu"]) == ["A", "B", "C", "D"]
    assert table.loc[1, "diff_crste"] == pytest.approx(-0.1)  # 0.7 - 0.8
    assert table.loc[3, "status"].startswith("not scored")
    assert list(table["rts_agree"]) == [True, True, False, False]


def test_agreement_statistics_by_hand():
    # Ours ranks A > C > B > D; published A > B > C > D. Ranks (desc): published 1,2,3,4,
    # ours 1,3,2,4: d = 0,1,1,0 -> Spearman = 1 - 6*2/(4*15) = 0.8.
    # Kendall: 6 pairs, one discordant (B,C) -> (5 - 1)/6 = 0.6667.
    ours = _ours([1.0, 0.5, 0.7, 0.2], ["-", "drs", "drs", "irs"])
    stats = agreement(side_by_side(PUBLISHED, ours, label="area"))
    assert stats["spearman_crste"] == pytest.approx(0.8)
    assert stats["kendall_crste"] == pytest.approx(4 / 6)
    # |diffs| = 0, 0.3, 0.1, 0.2 -> mean 0.15
    assert stats["mean_abs_diff_crste"] == pytest.approx(0.15)
    assert (stats["efficient_published"], stats["efficient_ours"], stats["efficient_both"]) == (
        1,
        1,
        1,
    )
    assert stats["rts_agreement"] == pytest.approx(0.5)  # A and B agree; C, D do not


def test_efficient_sets_use_the_printed_rounding():
    # 0.9996 prints as 1.000 (efficient); 0.9994 prints as 0.999 (not).
    ours = _ours([0.9996, 0.9994, 0.5, 0.4], ["-"] * 4)
    stats = agreement(side_by_side(PUBLISHED, ours, label="area"))
    assert stats["efficient_ours"] == 1
    assert stats["efficient_only_ours"] == ""


def test_sensitivity_leaves_each_indicator_out_once():
    calls = []

    def score(inputs, outputs):
        calls.append((tuple(inputs), tuple(outputs)))
        return _ours([1.0, 0.8, 0.6, 0.4], ["-", "drs", "irs", "-"])

    table = sensitivity(PUBLISHED, score, ["x1", "x2"], ["y"], label="area")
    assert list(table["variant"]) == ["all indicators", "without x1", "without x2"]
    assert calls == [(("x1", "x2"), ("y",)), (("x2",), ("y",)), (("x1",), ("y",))]
    assert table["spearman_crste"].tolist() == pytest.approx([1.0, 1.0, 1.0])


TIED = pd.DataFrame(
    {
        "area": ["A", "B", "C", "D"],
        "crste": [1.000, 1.000, 0.600, 0.400],
        "vrste": [1.000, 1.000, 0.700, 0.500],
        "scale": [1.000, 1.000, 0.857, 0.800],
        "rts": ["-", "-", "irs", "drs"],
    }
)


def test_ranks_respect_ties_as_printed():
    # Ours: B is 0.9999999 (prints 1.000). Unrounded, ranks would be A 4, B 3, C 2, D 1
    # against the published 3.5, 3.5, 2, 1: rho = 4.5 / sqrt(4.5 * 5) = 0.9487. Rounded to
    # the printed 3 decimals both sides tie A and B: rho = tau-b = 1.
    ours = _ours([1.0, 0.9999999, 0.7, 0.2], ["-", "-", "irs", "drs"])
    stats = agreement(side_by_side(TIED, ours, label="area"))
    assert stats["spearman_crste"] == pytest.approx(1.0)
    assert stats["kendall_crste"] == pytest.approx(1.0)
    assert stats["n_crste"] == 4


def test_p_values_and_n_compared():
    # Four DMUs in the same order, no ties: tau = 1; the exact two-sided p-value is
    # 2 / 4! = 0.0833 (only the identity permutation is as extreme in each direction).
    ours = _ours([0.9, 0.7, 0.5, 0.3], ["-", "drs", "irs", "-"])
    stats = agreement(side_by_side(PUBLISHED, ours, label="area"))
    assert stats["kendall_crste"] == pytest.approx(1.0)
    assert stats["kendall_p_crste"] == pytest.approx(2 / 24)
    # D left out of our run: 3 DMUs compared
    three = agreement(
        side_by_side(PUBLISHED, _ours([0.9, 0.7, 0.5], ["-"] * 3, "ABC"), label="area")
    )
    assert three["n_crste"] == 3 and three["dmus_published"] == 4


def test_robustness_runs_every_declared_combination():
    calls = []

    def score(fields):
        calls.append(dict(fields))
        # year 2021 with output orientation reverses B and C: Spearman 0.8 (by hand above)
        if fields == {"years": [2021], "orientation": "out"}:
            return _ours([1.0, 0.5, 0.7, 0.2], ["-"] * 4)
        return _ours([0.9, 0.7, 0.5, 0.3], ["-"] * 4)

    factors = {
        "year": {"2020": {"years": [2020]}, "2021": {"years": [2021]}},
        "orientation": {"in": {"orientation": "in"}, "out": {"orientation": "out"}},
    }
    table = robustness(PUBLISHED, score, factors, label="area")
    assert len(calls) == 4 and len(table) == 4
    assert table[["year", "orientation"]].values.tolist() == [
        ["2020", "in"],
        ["2020", "out"],
        ["2021", "in"],
        ["2021", "out"],
    ]
    assert table["spearman_crste"].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.8])
    assert table["best_fit"].tolist() == [True, True, True, False]
