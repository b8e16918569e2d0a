"""The declared tolerances of approximate words, one table for every check.

A number in running text is often hedged ("about 90%", "nearly 3.847 billion", "more than 7
billion"). What interval the hedge stands for is declared here, once, and documented in
``docs/audit.md`` (a test keeps the two in step); no check widens or narrows it on its own.

Each word has a relative tolerance (a share of the stated value) and a side:

- ``both``: [v - tol, v + tol], tol = max(relative x |v|, half a unit of the last
  significant digit) - "about", "approximately", "around", "roughly";
- ``below``: [v - tol, v + half a unit] - "nearly", "almost" (just short of the value);
- ``above_open`` / ``above``: [v, inf) - "more than", "over" / "at least";
- ``below_open``: (-inf, v] - "below", "less than";
- ``exact``: +/- half a unit of the last significant digit (no hedge).

Open and closed ends are not distinguished at this precision (``more than 7`` is [7, inf)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sciteff.core.intervals import Interval


@dataclass(frozen=True)
class Tolerance:
    """How one approximate word widens the number it qualifies."""

    word: str
    relative: float
    side: str
    meaning: str


#: Every approximate word the audit knows, with its tolerance (documented in docs/audit.md).
WORDS: dict[str, Tolerance] = {
    t.word: t
    for t in (
        Tolerance("exact", 0.0, "exact", "half a unit of the last significant digit"),
        Tolerance("about", 0.05, "both", "+/- max(5 % of the value, half a unit)"),
        Tolerance("approximately", 0.05, "both", "as 'about'"),
        Tolerance("around", 0.05, "both", "as 'about'"),
        Tolerance("roughly", 0.05, "both", "as 'about'"),
        Tolerance("nearly", 0.05, "below", "[value - max(5 %, half a unit), value + half a unit]"),
        Tolerance("almost", 0.05, "below", "as 'nearly'"),
        Tolerance("more_than", 0.0, "above_open", "[value, inf)"),
        Tolerance("over", 0.0, "above_open", "[value, inf)"),
        Tolerance("at_least", 0.0, "above", "[value, inf)"),
        Tolerance("below", 0.0, "below_open", "(-inf, value]"),
        Tolerance("less_than", 0.0, "below_open", "(-inf, value]"),
    )
}

#: The words as they appear in running text (longest first), mapped to their entry.
_TEXT_FORMS = sorted(
    ((w.replace("_", " "), w) for w in WORDS if w != "exact"), key=lambda p: -len(p[0])
)


def word_in(quote: str, qualifier: str) -> str:
    """The vocabulary word a quote uses: the declared qualifier, refined by the quote's own
    wording when it names a word of the same side ("approximately 30%" declared ``about``)."""
    if qualifier not in WORDS:
        raise ValueError(f"unknown approximate word {qualifier!r} (see docs/audit.md)")
    text = f" {quote.casefold()} "
    side = WORDS[qualifier].side
    for form, word in _TEXT_FORMS:
        if f" {form} " in text and WORDS[word].side == side:
            return word
    return qualifier


def interval_for(value: float, half: float, word: str, *, exact: bool = False) -> Interval:
    """The interval a hedged number stands for (value and half unit in the paper's unit).

    ``exact`` marks an exact count (an integer of items): no rounding interval when unhedged.
    """
    tol = WORDS[word]
    if tol.side == "exact":
        return Interval.point(value) if exact else Interval(value - half, value + half)
    spread = max(tol.relative * abs(value), half)
    if tol.side == "both":
        return Interval(value - spread, value + spread)
    if tol.side == "below":
        return Interval(value - spread, value + half)
    if tol.side in ("above", "above_open"):
        return Interval(value, math.inf)
    return Interval(-math.inf, value)


def table_markdown() -> str:
    """The vocabulary as a Markdown table (docs/audit.md carries exactly this table)."""
    lines = ["| word | relative tolerance | interval |", "|---|---|---|"]
    for t in WORDS.values():
        rel = f"{t.relative:.0%}" if t.relative else "-"
        lines.append(f"| `{t.word}` | {rel} | {t.meaning} |")
    return "\n".join(lines)
