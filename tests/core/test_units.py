"""Unit conversions, checked against hand-computed values."""

from __future__ import annotations

import pytest

from sciteff.core.units import UNITS, lookup


@pytest.mark.parametrize(
    ("unit", "value", "expected", "canonical"),
    [
        ("ten thousand yuan", 22280.36, 222_803_600.0, "yuan"),  # 22280.36 * 10^4
        ("100 million yuan", 78.93, 7_893_000_000.0, "yuan"),  # 78.93 * 10^8, exactly
        ("billion yuan", 4.026, 4_026_000_000.0, "yuan"),
        ("thousand yuan", 40.15, 40_150.0, "yuan"),
        ("ten thousand persons", 24.12, 241_200.0, "persons"),
        ("%", 31.82, 0.3182, "fraction"),
        ("items", 4740, 4740.0, "items"),
        ("score", 0.469, 0.469, "score"),
    ],
)
def test_hand_computed_conversions(unit, value, expected, canonical):
    u = lookup(unit)
    assert u.canonical == canonical
    assert u.to_canonical(value) == expected  # exact: conversions are decimal-rounded


def test_unknown_unit_names_the_vocabulary():
    with pytest.raises(KeyError, match=r"unknown unit 'RMB 10,000'.*ten thousand yuan"):
        lookup("RMB 10,000")


def test_vocabulary_factors_are_positive():
    assert all(u.factor > 0 for u in UNITS.values())
