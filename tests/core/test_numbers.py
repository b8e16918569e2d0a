"""The one number grammar: what it reads, what it refuses, and what the refusal says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciteff.core.errors import InputError
from sciteff.core.numbers import (
    NumberError,
    NumberFormat,
    column_values,
    parse_cell,
    parse_number,
)

COMMA = NumberFormat(decimal=",")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("4,740", 4740.0),
        ("3,467,372.0", 3467372.0),
        ("  528.05 ", 528.05),
        ("\u22123.5", -3.5),  # Unicode minus, as typeset papers print it
        ("+2", 2.0),
        (".5", 0.5),
        ("1.5e-3", 0.0015),
        ("2E6", 2e6),
        ("123", 123.0),
        ("999,999", 999999.0),
        ("\uff11\uff12.5", 12.5),  # full-width digits, as Chinese input methods type them
        ("\uff11,\uff12\uff13\uff14", 1234.0),
        ("\u0663", 3.0),  # ARABIC-INDIC DIGIT THREE: a decimal digit with one value
    ],
)
def test_reads_unambiguous_tokens(token, expected):
    assert parse_number(token) == expected


@pytest.mark.parametrize(
    ("token", "readings"),
    [
        ("20,5", ("205", "20.5")),
        ("528,05", ("52805", "528.05")),
        ("1,23,4", ("1234", "not a number")),
        ("46,85", ("4685", "46.85")),
        ("1,2345", ("12345", "1.2345")),
        ("12,34.5", ("1234.5", "not a number")),
    ],
)
def test_misplaced_comma_is_an_error_with_both_readings(token, readings):
    with pytest.raises(NumberError) as err:
        parse_number(token, file="data.csv", line=7, column="x1")
    message = str(err.value)
    assert message.startswith("file data.csv, line 7, column 'x1': ")
    assert repr(token) in message
    for reading in readings:
        assert reading in message
    assert "decimal: ','" in message  # tells the user how to declare a decimal comma
    assert err.value.token == token and err.value.line == 7


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("nan", "non-finite"),
        ("NaN", "non-finite"),
        ("inf", "non-finite"),
        ("-Infinity", "non-finite"),
        ("1e999", "overflows"),
        ("", "empty cell"),
        ("abc", "cannot parse 'abc'"),
        ("1.2.3", "cannot parse"),
        ("1 234", "spaces"),
        ("12%", "percent sign"),
        ("--3", "cannot parse"),
        ("0x10", "cannot parse"),
        ("1_000", "cannot parse"),
        ("1,234e3", "cannot parse"),
    ],
)
def test_refuses_everything_else(token, message):
    with pytest.raises(NumberError, match=message):
        parse_number(token, file="f.csv", line=2, column="c")


def test_percent_only_where_declared():
    assert parse_number("41.6%", percent=True) == 41.6
    assert parse_number("\u22122.25 %", percent=True) == -2.25


def test_missing_value_tokens_only_as_declared():
    fmt = NumberFormat.declared(na=["", "NA", "-"])
    assert parse_number("NA", fmt) is None
    assert parse_number("", fmt) is None
    assert parse_number(" - ", fmt) is None
    with pytest.raises(NumberError):
        parse_number("NA")
    with pytest.raises(NumberError):
        parse_number("n/a", fmt)


@pytest.mark.parametrize(
    ("token", "expected"),
    [("20,5", 20.5), ("528,05", 528.05), ("1.234,5", 1234.5), ("4.740", 4740.0), ("7", 7.0)],
)
def test_declared_decimal_comma(token, expected):
    assert parse_number(token, COMMA) == expected


@pytest.mark.parametrize("token", ["3.5", "1.23.4", "1,2,3"])
def test_declared_decimal_comma_refuses_misplaced_points(token):
    with pytest.raises(NumberError, match=r"ambiguous|cannot parse"):
        parse_number(token, COMMA)


def test_a_number_error_is_an_input_error():
    with pytest.raises(InputError):
        parse_number("x")


def test_bad_decimal_declaration():
    with pytest.raises(ValueError, match="decimal must be"):
        NumberFormat.declared(decimal=";")


def test_spreadsheet_cells():
    assert parse_cell(3) == 3.0
    assert parse_cell(2.5) == 2.5
    assert parse_cell("4,740") == 4740.0
    with pytest.raises(NumberError, match="true/false"):
        parse_cell(True)
    with pytest.raises(NumberError, match="non-finite"):
        parse_cell(float("nan"))
    with pytest.raises(NumberError, match="ambiguous"):
        parse_cell("20,5")


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_grouped_and_plain_forms_read_alike(value):
    """Any number written plainly, with grouping, or with a declared decimal comma reads the
    same (what Excel exports in each locale)."""
    plain = f"{value:.2f}"
    grouped = f"{value:,.2f}"
    european = grouped.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_number(plain) == parse_number(grouped) == parse_number(european, COMMA)


TOKENS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.decimals(-(10**20), 10**20, places=4).map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(
        [
            *["", " 1", "1 ", "1,5", "1.234,5", "NA", "n/a", "1e3", "\u22122", "+.5", "1\n2"],
            *["\uff11\uff12", "2.\uff15", "\u0663", "\uff11\uff0e5", "\u00b2"],  # non-ASCII
        ]
    ),
)


@given(st.lists(TOKENS, min_size=1, max_size=30), st.sampled_from([".", ","]))
def test_column_values_read_every_token_as_the_grammar_does(tokens, decimal):
    """The whole-column fast path gives each cell exactly what the cell-by-cell reading
    gives (a plain token's float, anything else through the caller's reading)."""
    fmt = NumberFormat(decimal=decimal, na=frozenset({"NA"}))

    def one(token: str) -> object:
        try:
            value = parse_number(token, fmt)
        except NumberError as exc:
            return ("error", exc.reason)
        return "missing" if value is None else value

    def slow(row: int, token: object) -> object:
        assert tokens[row] == token
        return one(token)

    got = column_values(list(enumerate(tokens)), fmt, slow)
    assert got == [one(t) for t in tokens]


@pytest.mark.parametrize("token", ["\uff11\uff0e5", "\u00b2", "\uff11\uff0c5"])
def test_full_width_marks_and_superscripts_are_not_read(token):
    """Only the digits have one reading: a full-width point or comma, or a superscript
    (not a decimal digit), is refused."""
    with pytest.raises(NumberError):
        parse_number(token)
