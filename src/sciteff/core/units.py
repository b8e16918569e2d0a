"""The unit vocabulary: every unit a transcription may declare, and its canonical form.

Papers print amounts in "ten thousand yuan", "100 million yuan", "thousand RMB"; inside the
pipeline every amount is in yuan, every headcount in persons, every rate a fraction. Keeping the
vocabulary in one table makes an unknown or misspelt unit an error instead of a silent
factor-of-ten-thousand mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    """A declared unit and how to express its values in the canonical unit."""

    name: str
    canonical: str
    factor: float

    def to_canonical(self, value: float) -> float:
        """The value expressed in the canonical unit, correctly rounded.

        The product is formed in decimal from the shortest repr of ``value``, so 78.93 hundred
        million yuan becomes exactly 7893000000.0 yuan rather than 7893000000.000001.
        """
        return float(Decimal(repr(float(value))) * Decimal(str(self.factor)))


_VOCABULARY = [
    Unit("yuan", "yuan", 1.0),
    Unit("thousand yuan", "yuan", 1e3),
    Unit("ten thousand yuan", "yuan", 1e4),
    Unit("million yuan", "yuan", 1e6),
    Unit("100 million yuan", "yuan", 1e8),
    Unit("billion yuan", "yuan", 1e9),
    Unit("persons", "persons", 1.0),
    Unit("ten thousand persons", "persons", 1e4),
    Unit("items", "items", 1.0),
    Unit("%", "fraction", 0.01),
    Unit("percentage points", "fraction", 0.01),
    Unit("score", "score", 1.0),
    Unit("times", "ratio", 1.0),
    Unit("square meters", "square meters", 1.0),
    Unit("rank", "rank", 1.0),
    Unit("year", "year", 1.0),
]

UNITS: dict[str, Unit] = {unit.name: unit for unit in _VOCABULARY}


def lookup(name: object) -> Unit:
    """The vocabulary entry for ``name``; ``KeyError`` naming the known units if absent."""
    try:
        return UNITS[str(name)]
    except KeyError:
        known = ", ".join(repr(u) for u in UNITS)
        raise KeyError(f"unknown unit {name!r} (known units: {known})") from None
