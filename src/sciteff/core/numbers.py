"""The one number grammar every reader uses: CSV cells, panel year files, CLI files, Excel text.

Why one grammar: a European-locale export writes ``20,5`` for twenty and a half; a reader that
"helpfully" strips commas turns it into 205 and the result is silently wrong. Here a token is
read only when it has exactly one meaning, and anything else is an :class:`NumberError` that
names the place (file, line, column), the token and, for a comma, both possible readings.

The grammar (whitespace around the token is ignored):

- an optional sign: ``+``, ``-`` or the Unicode minus ``\u2212``;
- digits, with an optional fraction after the decimal mark (``.`` by default, ``,`` when the
  file or dataset declares ``decimal: ","``); a leading ``.5`` is accepted. A digit is ASCII
  or any other Unicode decimal digit, such as the full-width digits (U+FF10-U+FF19) that
  Chinese input methods type: each has one value, which ``float`` reads;
- thousands grouping only in the exact pattern ``d{1,3}(,ddd)+`` (``4,740``, ``3,467,372.0``);
  with a decimal comma the grouping mark is ``.`` (``1.234,5``). Any other use of the grouping
  mark (``20,5``, ``528,05``, ``1,23,4``) is an error, never a guess;
- scientific notation ``1.5e-3`` (without grouping);
- a trailing ``%`` only where the column is a percentage (``percent=True``); the value is the
  number before the sign (``41.6%`` -> 41.6);
- missing-value tokens only as declared (``na``); an empty cell is missing only if ``""`` is
  among them. ``nan``, ``inf`` and friends are never numbers.

Excel: call :func:`parse_number` on a cell's text (or :func:`parse_cell` on its value).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sciteff.core.errors import InputError

#: The minus signs accepted besides ASCII "-" (U+2212 MINUS SIGN, as typeset papers print it).
UNICODE_MINUS = "\u2212"

_NON_FINITE = re.compile(r"^[+-]?(nan|inf|infinity|-?1\.#(inf|ind|qnan))$", re.IGNORECASE)


def _grammar(decimal: str) -> re.Pattern[str]:
    group = "," if decimal == "." else r"\."
    dec = re.escape(decimal)
    integer = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)"
    plain = rf"(?:{integer}(?:{dec}\d+)?|{dec}\d+)"
    scientific = rf"(?:(?:\d+(?:{dec}\d*)?|{dec}\d+)[eE][+-]?\d+)"
    return re.compile(rf"^(?P<sign>[+-]?)(?P<body>{scientific}|{plain})$")


_GRAMMARS = {".": _grammar("."), ",": _grammar(",")}

#: The commonest tokens: digits with at most one decimal mark, nothing else (no grouping, no
#: exponent, no spaces). The grammar reads them as ``float`` does, so :func:`plain_value`
#: takes them without the full classification (about ten times faster per cell).
_PLAIN = {
    ".": re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"),
    ",": re.compile(r"[+-]?(?:\d+(?:,\d+)?|,\d+)"),
}

#: A whole column of plain tokens, one per line (see :func:`column_values`).
_PLAIN_LINES = {mark: re.compile(f"(?:{rx.pattern}\n)*{rx.pattern}") for mark, rx in _PLAIN.items()}


@dataclass(frozen=True)
class NumberFormat:
    """How a file writes its numbers: the decimal mark and its missing-value tokens."""

    decimal: str = "."
    na: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.decimal not in _GRAMMARS:
            raise ValueError(f"decimal must be '.' or ',', not {self.decimal!r}")

    @classmethod
    def declared(cls, decimal: object = None, na: Iterable[object] | None = None) -> NumberFormat:
        """The format a sidecar or dataset.yaml declares (``decimal:``, ``na:``); defaults
        ``"."`` and no missing-value token."""
        return cls(
            decimal="." if decimal is None else str(decimal),
            na=frozenset("" if t is None else str(t).strip() for t in (na or ())),
        )


DEFAULT = NumberFormat()


class NumberError(InputError):
    """A token that is not a number under the grammar; ``token`` is kept verbatim."""

    def __init__(self, message: str, *, token: str, **where: object) -> None:
        super().__init__(message, token=token, **where)  # type: ignore[arg-type]


def _readings(text: str, fmt: NumberFormat) -> str:
    """Both readings of a token whose grouping mark is misplaced, for the error message."""
    mark = "," if fmt.decimal == "." else "."
    as_group = text.replace(mark, "")
    as_group = as_group.replace(fmt.decimal, ".")
    one_mark = text.count(mark) == 1 and fmt.decimal not in text
    as_decimal = text.replace(mark, ".") if one_mark else None
    first = f"with {mark!r} as a thousands separator it would read {as_group}"
    if as_decimal is not None and re.fullmatch(r"[+-]?\d*\.?\d+", as_decimal):
        second = f"with {mark!r} as the decimal mark {as_decimal}"
    else:
        second = f"with {mark!r} as the decimal mark it is not a number either"
    return f"{first}, {second}"


def classify(token: object, fmt: NumberFormat = DEFAULT, *, percent: bool = False) -> float | None:
    """The value of ``token`` under ``fmt`` (None for a declared missing-value token).

    Raises ``ValueError`` with the reason, quoting the token (no location; :func:`parse_number`
    adds it).
    """
    raw = "" if token is None else str(token)
    text = raw.strip()
    try:
        return _classify(text, fmt, percent)
    except _WholeReasonError:
        raise
    except ValueError as exc:
        if text == "":
            raise
        raise ValueError(f"{text!r} {exc}") from None


class _WholeReasonError(ValueError):
    """A reason that already quotes the token."""


def _classify(text: str, fmt: NumberFormat, percent: bool) -> float | None:
    if text in fmt.na:
        return None
    if text == "":
        raise ValueError("empty cell where a number is required")
    body = text.replace(UNICODE_MINUS, "-")
    if body.endswith("%"):
        if not percent:
            raise ValueError("carries a percent sign but the column's unit is not '%'")
        body = body[:-1].rstrip()
    if _NON_FINITE.match(body):
        raise ValueError("is non-finite (NaN and infinity are not data)")
    match = _GRAMMARS[fmt.decimal].match(body)
    if match is None:
        mark = "," if fmt.decimal == "." else "."
        digits_and_marks = re.fullmatch(r"[+-]?[\d.,]+", body)
        if digits_and_marks and mark in body:
            hint = (
                " (declare decimal: ',' if the file uses decimal commas)"
                if fmt.decimal == "."
                else ""
            )
            raise ValueError(
                f"is ambiguous: {mark!r} groups thousands only as d{mark}ddd{mark}ddd; "
                f"{_readings(body, fmt)}{hint}"
            )
        if fmt.decimal == "." and re.fullmatch(r"[+-]?\d+(\s\d{3})+([.,]\d+)?", body):
            raise ValueError("uses spaces to group digits; write the number without them")
        raise _WholeReasonError(f"cannot parse {text!r} as a number")
    sign, number = match.group("sign"), match.group("body")
    mark = "," if fmt.decimal == "." else "."
    number = number.replace(mark, "").replace(fmt.decimal, ".")
    value = float(sign + number)
    if not math.isfinite(value):
        raise ValueError("is not a finite number (it overflows)")
    return value


def plain_value(token: object, fmt: NumberFormat = DEFAULT) -> float | None:
    """The value of a plain decimal token (see ``_PLAIN``), exactly as :func:`classify` reads
    it, or None for every other token (which then goes through :func:`parse_number`)."""
    if type(token) is not str or token in fmt.na or not _PLAIN[fmt.decimal].fullmatch(token):
        return None
    return float(token if fmt.decimal == "." else token.replace(",", "."))


def column_values(
    cells: Sequence[tuple[Any, object]],
    fmt: NumberFormat,
    slow: Callable[[Any, object], float],
) -> list[float]:
    """The values of a column of ``(row, token)`` cells: plain decimal tokens read at once
    (one regular-expression match over the whole column, then ``float``), every other token by
    ``slow(row, token)`` (the caller's full reading, whose errors name file, line and column).

    Why: a 30,000-cell panel took 0.09 s cell by cell through :func:`plain_value`; a column of
    plain numbers, the common case, is one match. The values are exactly :func:`plain_value`'s.
    """
    tokens = [t for _, t in cells]
    if tokens and all(type(t) is str for t in tokens) and not fmt.na.intersection(tokens):
        text = "\n".join(tokens)
        if _PLAIN_LINES[fmt.decimal].fullmatch(text):
            parts = (text if fmt.decimal == "." else text.replace(",", ".")).split("\n")
            if len(parts) == len(tokens):  # no token held a line break of its own
                return list(map(float, parts))
    return [fast if (fast := plain_value(t, fmt)) is not None else slow(r, t) for r, t in cells]


def parse_number(
    token: object,
    fmt: NumberFormat = DEFAULT,
    *,
    percent: bool = False,
    file: str | None = None,
    line: int | None = None,
    column: str | None = None,
    row: int | str | None = None,
) -> float | None:
    """The number ``token`` stands for, or None for a declared missing-value token.

    Anything the grammar does not read raises :class:`NumberError` naming ``file``, ``line``
    (as an editor shows it, header = line 1), ``column`` and the token verbatim.
    """
    try:
        return classify(token, fmt, percent=percent)
    except ValueError as exc:
        raise NumberError(
            str(exc),
            token="" if token is None else str(token),
            file=file,
            line=line,
            row=row,
            column=column,
        ) from None


def parse_cell(value: object, fmt: NumberFormat = DEFAULT, **where: object) -> float | None:
    """A spreadsheet cell: real numbers (int/float, not bool) are taken as they are if finite;
    text goes through :func:`parse_number`."""
    if isinstance(value, bool):
        raise NumberError("a true/false cell is not a number", token=str(value), **where)
    if isinstance(value, int | float):
        if not math.isfinite(float(value)):
            raise NumberError(
                f"{float(value)!r} is non-finite (NaN and infinity are not data)",
                token=repr(float(value)),
                **where,  # type: ignore[arg-type]
            )
        return float(value)
    return parse_number(value, fmt, **where)  # type: ignore[arg-type]
