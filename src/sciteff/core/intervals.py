"""Interval arithmetic for rounding-aware checks of printed numbers.

A printed number stands for every value that rounds to it: ``0.469`` for [0.4685, 0.4695],
``31.82%`` for [0.31815, 0.31825] (as a fraction). Recomputing a published number from other
published numbers therefore gives an interval, not a point; a published number is
*inconsistent* only when its own interval and the recomputed interval do not intersect, i.e.
when no choice of unrounded values could have printed what the paper printed. Anything else
would flag honest rounding as an error.

Words in running text widen or one-side the interval (see :func:`from_quote`); the rules
are documented in ``docs/audit.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sciteff.core import numbers

INF = math.inf

#: Relative tolerance of "about"/"approximately"/"nearly" (at least half a unit of the last
#: significant digit): "about 90%" is [85, 95], "about five times" is [4.5, 5.5].
ABOUT_RELATIVE = 0.05


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of real numbers; ``lo`` may be -inf and ``hi`` inf."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if math.isnan(self.lo) or math.isnan(self.hi) or self.lo > self.hi:
            raise ValueError(f"not an interval: [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, value: float) -> Interval:
        """The degenerate interval [value, value] (an exact number such as a count)."""
        return cls(float(value), float(value))

    @property
    def bounded(self) -> bool:
        """True when both ends are finite (a recomputation that can be compared)."""
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    @property
    def mid(self) -> float:
        """The centre of a bounded interval."""
        return (self.lo + self.hi) / 2

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval (ends included)."""
        return self.lo <= value <= self.hi

    def intersects(self, other: Interval, *, rel_tol: float = 1e-12) -> bool:
        """Whether some value lies in both intervals (a hair of float slack at the ends)."""
        slack = rel_tol * max(1.0, abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi))
        if not (self.bounded and other.bounded):
            slack = 0.0
        return self.lo <= other.hi + slack and other.lo <= self.hi + slack

    def distance(self, other: Interval) -> float:
        """The gap between two intervals (0 when they intersect)."""
        if self.intersects(other):
            return 0.0
        return other.lo - self.hi if self.hi < other.lo else self.lo - other.hi

    def scale(self, factor: float) -> Interval:
        """Every value multiplied by a constant (e.g. a unit conversion)."""
        return _hull([self.lo * factor, self.hi * factor])

    def __add__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: Interval | float) -> Interval:
        return self + (-_as_interval(other))

    def __rsub__(self, other: Interval | float) -> Interval:
        return _as_interval(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        return _hull(
            [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)],
        )

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        if o.lo <= 0.0 <= o.hi:
            # Division by something that may be zero: any value is possible.
            return Interval(-INF, INF)
        return self * Interval(1.0 / o.hi, 1.0 / o.lo)

    def __rtruediv__(self, other: Interval | float) -> Interval:
        return _as_interval(other) / self

    def __str__(self) -> str:
        return f"[{fmt(self.lo)}, {fmt(self.hi)}]"


def _mul(a: float, b: float) -> float:
    # 0 * inf is 0 here: the bound is reached by the finite factor.
    if a == 0.0 or b == 0.0:
        return 0.0
    return a * b


def _hull(values: Iterable[float]) -> Interval:
    vals = list(values)
    return Interval(min(vals), max(vals))


def _as_interval(value: Interval | float) -> Interval:
    return value if isinstance(value, Interval) else Interval.point(float(value))


def fmt(value: float, digits: int = 6) -> str:
    """A short human form of a bound: significant digits, no float noise, inf as such."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def decimals(token: str) -> int:
    """Digits after the decimal point of a printed number ("0.469" -> 3, "4,685" -> 0)."""
    text = token.strip().rstrip("%").strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def half_unit(token: str) -> float:
    """Half a unit in the last printed place: "0.469" -> 0.0005, "1508" -> 0.5."""
    return 0.5 * 10.0 ** (-decimals(token))


def from_printed(token: str, *, factor: float = 1.0, exact_integer: bool = False) -> Interval:
    """The interval a printed table token stands for, times ``factor`` (unit conversion).

    ``exact_integer`` makes an integer token exact (a printed count of contracts is a count,
    not a rounded measurement). A trailing "%" is ignored here: pass ``factor=0.01`` to get a
    fraction, as the canonical unit of percentages is.
    """
    value = _number(token)
    text = token.strip().rstrip("%").strip().replace(",", "").replace("\u2212", "-")
    if exact_integer and "." not in text:
        return Interval.point(value * factor)
    half = half_unit(text)
    return Interval(value - half, value + half).scale(factor)


def significant_half_unit(value_text: str) -> float:
    """Half a unit of the last significant digit of a plain number written in text.

    "4.026" -> 0.0005, "56" -> 0.5, "90" -> 5 ("about 90%" is given to the nearest ten),
    "1660000" -> 5000 (printed "1.66 million").
    """
    text = value_text.strip().replace(",", "")
    if "." in text:
        return half_unit(text)
    digits = text.lstrip("+-")
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return 0.5 * 10.0**zeros


def from_quote(
    value_text: str,
    qualifier: str,
    *,
    factor: float = 1.0,
    exact_integer: bool = False,
    half: float | None = None,
) -> Interval:
    """The interval a number quoted in running text stands for, given its qualifier.

    - ``exact``: half a unit of the last significant digit ("46 billion" is [45.5, 46.5]
      billion); an integer count is exact when ``exact_integer``.
    - ``about``: +/- the larger of 5 % of the value and half a unit of its last significant
      digit ("about 90%" is [85, 95], "about 77%" is [73.15, 80.85]).
    - ``nearly``: just below the value: [value - that tolerance, value + half a unit].
    - ``more_than``/``over``: [value, inf); ``at_least``: [value, inf);
      ``below``: (-inf, value] (open and closed ends are not distinguished at this precision).

    ``half`` overrides the half unit read off ``value_text`` (when the printed mantissa, e.g.
    "0.860", carries more digits than the plain value).
    """
    value = _number(value_text)
    if half is None:
        half = significant_half_unit(value_text)
    if qualifier == "exact":
        if exact_integer and "." not in value_text:
            base = Interval.point(value)
        else:
            base = Interval(value - half, value + half)
    elif qualifier == "about":
        tol = max(ABOUT_RELATIVE * abs(value), half)
        base = Interval(value - tol, value + tol)
    elif qualifier == "nearly":
        tol = max(ABOUT_RELATIVE * abs(value), half)
        base = Interval(value - tol, value + half)
    elif qualifier in ("more_than", "over", "at_least"):
        base = Interval(value, INF)
    elif qualifier == "below":
        base = Interval(-INF, value)
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    return base.scale(factor)


def arithmetic_mean(items: Iterable[Interval]) -> Interval:
    """The interval of the arithmetic mean of values taken from each interval (monotone)."""
    vals = list(items)
    if not vals:
        raise ValueError("mean of no intervals")
    n = len(vals)
    return Interval(sum(v.lo for v in vals) / n, sum(v.hi for v in vals) / n)


def geometric_mean(items: Iterable[Interval]) -> Interval:
    """The interval of the geometric mean (as DEAP prints Malmquist means); needs values >= 0.

    The geometric mean is increasing in every argument, so its bounds are the geometric means
    of the lower and of the upper ends (a lower end below 0 is clamped to 0).
    """
    vals = list(items)
    if not vals:
        raise ValueError("mean of no intervals")
    if any(v.hi < 0 for v in vals):
        raise ValueError("geometric mean of negative values")

    def gm(xs: list[float]) -> float:
        if any(x <= 0 for x in xs):
            return 0.0
        return math.exp(sum(math.log(x) for x in xs) / len(xs))

    return Interval(gm([max(v.lo, 0.0) for v in vals]), gm([v.hi for v in vals]))


def interval_sum(items: Iterable[Interval]) -> Interval:
    """The interval of a sum of values taken from each interval."""
    total = Interval.point(0.0)
    for item in items:
        total = total + item
    return total


def _number(token: str) -> float:
    """A printed number under the project's one grammar (:mod:`sciteff.core.numbers`): a
    misplaced thousands separator ("46,85") is a ``ValueError``, never a silent 4685."""
    value = numbers.classify(token, percent=True)
    if value is None:  # no missing-value token is declared here, so this cannot happen
        raise ValueError(f"{token!r} is not a number")
    return value


def is_number_token(token: str) -> bool:
    """Whether a printed cell is a number under the grammar (not '-', '_', empty or '46,85')."""
    try:
        _number(token)
    except ValueError:
        return False
    return True
