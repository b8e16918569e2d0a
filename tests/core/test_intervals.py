"""Interval arithmetic for rounding-aware checks: every expected bound is a hand computation."""

from __future__ import annotations

import math

import pytest

from sciteff.core.intervals import (
    Interval,
    arithmetic_mean,
    from_printed,
    from_quote,
    geometric_mean,
    interval_sum,
    significant_half_unit,
)


def approx(iv: Interval, lo: float, hi: float) -> bool:
    return math.isclose(iv.lo, lo, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(
        iv.hi, hi, rel_tol=1e-9, abs_tol=1e-12
    )


def test_printed_token_stands_for_half_a_unit_in_the_last_place():
    assert approx(from_printed("0.469"), 0.4685, 0.4695)
    assert approx(from_printed("1508"), 1507.5, 1508.5)
    assert approx(from_printed("4,685"), 4684.5, 4685.5)
    # "31.82%" as a fraction: [31.815, 31.825] / 100
    assert approx(from_printed("31.82%", factor=0.01), 0.31815, 0.31825)
    # a printed count is exact
    assert from_printed("2724", exact_integer=True) == Interval.point(2724)
    # but a decimal token is rounded even in a count column: "3.6" averages
    assert approx(from_printed("3.6", exact_integer=True), 3.55, 3.65)


def test_arithmetic_takes_the_extreme_combinations():
    a, b = Interval(1, 2), Interval(-3, 4)
    assert (a + b) == Interval(-2, 6)
    assert (a - b) == Interval(-3, 5)  # 1 - 4 = -3, 2 - (-3) = 5
    assert (a * b) == Interval(-6, 8)  # 2 * -3, 2 * 4
    assert approx(Interval(1, 2) / Interval(4, 5), 0.2, 0.5)  # 1/5, 2/4
    assert (1 - Interval(0.35, 0.36)) == Interval(1 - 0.36, 1 - 0.35)


def test_division_by_an_interval_holding_zero_is_unbounded():
    iv = Interval(1, 2) / from_printed("0")  # "0" printed: [-0.5, 0.5]
    assert not iv.bounded


def test_dea_identity_of_liaoning_within_rounding():
    # 0.994 x 0.987: [0.9935 * 0.9865, 0.9945 * 0.9875] = [0.98008775, 0.98206875]
    iv = from_printed("0.994") * from_printed("0.987")
    assert approx(iv, 0.98008775, 0.98206875)
    assert iv.intersects(from_printed("0.981"))
    # the text's 0.984 x 0.987 = [0.97048..., 0.97218...] cannot give 0.981
    assert not (from_printed("0.984") * from_printed("0.987")).intersects(from_printed("0.981"))


def test_intersection_at_the_edges_and_a_score_capped_at_one():
    assert Interval(0, 1).intersects(Interval(1, 2))
    assert not Interval(0, 1).intersects(Interval(1.0001, 2))
    # a printed 1.000 is [0.9995, 1.0005]; an efficiency score cannot exceed 1, but the
    # recomputed [0.99, 1.0] still meets it.
    assert from_printed("1.000").intersects(Interval(0.99, 1.0))
    assert Interval(0, 1).distance(Interval(3, 4)) == 2


def test_means_of_intervals():
    xs = [Interval(1, 2), Interval(3, 4)]
    assert arithmetic_mean(xs) == Interval(2, 3)
    # geometric mean of [1, 2] and [4, 8]: sqrt(1*4) = 2, sqrt(2*8) = 4
    assert approx(geometric_mean([Interval(1, 2), Interval(4, 8)]), 2, 4)
    assert interval_sum(xs) == Interval(4, 6)
    with pytest.raises(ValueError):
        arithmetic_mean([])


def test_text_qualifiers():
    # exact "46 billion": half a unit of the last significant digit
    assert approx(from_quote("46", "exact"), 45.5, 46.5)
    # about 90: +/- max(5% of 90 = 4.5, half of the tens digit = 5) = 5
    assert approx(from_quote("90", "about"), 85, 95)
    # about 77: +/- max(3.85, 0.5)
    assert approx(from_quote("77", "about"), 73.15, 80.85)
    # about five times: +/- max(0.25, 0.5)
    assert approx(from_quote("5", "about"), 4.5, 5.5)
    assert from_quote("7", "more_than", factor=1e9) == Interval(7e9, math.inf)
    assert from_quote("0.9", "below").hi == 0.9
    # nearly 50 (tens digit): [50 - 5, 50 + 5]
    assert approx(from_quote("50", "nearly"), 45, 55)
    assert from_quote("4016", "exact", exact_integer=True) == Interval.point(4016)


def test_significant_half_unit():
    assert significant_half_unit("4.026") == 0.0005
    assert significant_half_unit("1660000") == 5000
    assert significant_half_unit("56") == 0.5


def test_an_interval_must_be_ordered():
    with pytest.raises(ValueError):
        Interval(2, 1)


def test_tokens_go_through_the_number_grammar():
    """A misplaced thousands separator is not a number here either (never a silent 4685)."""
    import pytest

    from sciteff.core.intervals import from_printed, from_quote, is_number_token

    assert is_number_token("4,685") and is_number_token("\u22121.5%") and is_number_token("0.02")
    assert not is_number_token("46,85") and not is_number_token("-") and not is_number_token("nan")
    assert from_printed("4,685", exact_integer=True).lo == 4685.0
    with pytest.raises(ValueError, match="ambiguous"):
        from_printed("46,85")
    with pytest.raises(ValueError, match="ambiguous"):
        from_quote("1,23,4", "exact")
