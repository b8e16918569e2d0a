"""Numbers and names as a reader expects them in the report.

Computed numbers are rounded for reading, never shown as ``-0.000``, and large ones are
grouped in thousands (41,096,000,000). Printed numbers of the papers are not formatted here:
they are shown as printed, token for token.
"""

from __future__ import annotations

import html
import math
import numbers
import re

import pandas as pd

#: The typographic minus sign (U+2212), used for negative numbers.
MINUS = "\u2212"


def esc(value: object) -> str:
    """HTML-escaped text; NaN and None print as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value))


def is_number(value: object) -> bool:
    """True for real numbers (not booleans, not NaN-like text)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def format_number(value: object, digits: int = 3, *, percent: bool = False) -> str:
    """A computed number for reading.

    Integers and numbers of 1,000 or more print with thousands separators and no decimals;
    others with ``digits`` decimals; a value that rounds to zero prints without a sign (no
    ``-0.000``). ``percent`` prints a fraction (0.353) as a percentage (35.3%).
    """
    if not is_number(value):
        return esc(value)
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return ""
    if math.isinf(number):
        return "\u221e" if number > 0 else "\u2212\u221e"
    if percent:
        return format_number(number * 100, 1) + "%"
    if abs(number) >= 1000 or isinstance(value, numbers.Integral):
        text = f"{number:,.0f}"
    else:
        text = f"{number:.{digits}f}"
    if set(text.lstrip("-")) <= set("0.,"):
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def readable_name(identifier: object) -> str:
    """A column id as words: ``mean_abs_diff_crste`` → ``mean abs diff crste``."""
    return re.sub(r"_+", " ", str(identifier)).strip()


def ordinal(n: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
