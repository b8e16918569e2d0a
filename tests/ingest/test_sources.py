"""Ingest of transcribed tables: typing, units, provenance, and one located error per defect."""

from __future__ import annotations

import copy
import string

import pandas as pd
import pytest
import yaml
from conftest import write_table
from hypothesis import given, settings
from hypothesis import strategies as st

from sciteff.core.errors import InputError
from sciteff.ingest.tables import (
    ingest_quotes,
    ingest_table,
    load_table_spec,
    parse_printed_number,
    wide,
)

SPEC = {
    "paper": "demo",
    "table": "table1",
    "number": "Table 1",
    "title": "Demo",
    "key": ["name"],
    "label": "name",
    "columns": {
        "name": {"printed": "Institution", "kind": "label"},
        "contracts": {"printed": "Contracts", "kind": "number", "unit": "items"},
        "amount": {
            "printed": "Amount",
            "kind": "number",
            "unit": "ten thousand yuan",
            "printed_unit": "RMB 10,000",
            "period": "2023",
        },
        "rate": {"printed": "Rate", "kind": "percent", "unit": "%"},
        "growth": {"printed": "Increase", "kind": "growth", "unit": "%"},
        "rts": {"printed": "", "kind": "category", "allowed": ["irs", "drs", "-"]},
    },
}
HEADER = ["name", "contracts", "amount", "rate", "growth", "rts"]
ROWS = [
    ["Alpha", "1,952", "149884.4", "41.6%", "-2.25%", "irs"],
    ["Beta", "813", "27319.7", "18.2", "232.47%", "-"],
]


def _ingest(tmp_path, rows=ROWS, spec=SPEC, header=HEADER):
    csv_path, yaml_path = write_table(tmp_path, "table1", header, rows, spec)
    return ingest_table(csv_path, load_table_spec(yaml_path))


def test_cells_are_typed_converted_and_traceable(tmp_path):
    cells = _ingest(tmp_path)
    assert len(cells) == len(ROWS) * len(HEADER)  # one row per raw cell, none dropped
    amount = cells[(cells.row == 1) & (cells.column == "amount")].iloc[0]
    assert amount.printed == "149884.4"
    assert amount.value == 149884.4
    assert amount.canonical_value == 1_498_844_000.0  # 149884.4 * 10^4 yuan
    assert amount.canonical_unit == "yuan"
    assert amount.printed_unit == "RMB 10,000"
    assert amount.period == "2023"
    assert (amount.paper, amount.table, amount.row_label) == ("demo", "table1", "Alpha")
    contracts = cells[(cells.row == 1) & (cells.column == "contracts")].iloc[0]
    assert contracts.value == 1952.0  # thousands separator
    rates = cells[cells.column == "rate"].set_index("row")["canonical_value"]
    assert rates.to_dict() == {1: 0.416, 2: 0.182}  # with and without the printed '%'
    growth = cells[cells.column == "growth"].set_index("row")["canonical_value"]
    assert growth.to_dict() == pytest.approx({1: -0.0225, 2: 2.3247})


def test_every_value_traces_back_to_exactly_one_raw_cell(tmp_path):
    cells = _ingest(tmp_path)
    for r, row in enumerate(ROWS, start=1):
        for name, token in zip(HEADER, row, strict=True):
            match = cells[(cells.row == r) & (cells.column == name)]
            assert len(match) == 1
            assert match.iloc[0].printed == token


def test_wide_restores_rows(tmp_path):
    frame = wide(_ingest(tmp_path))
    assert list(frame.columns) == HEADER
    assert frame.loc[2, "name"] == "Beta"
    assert frame.loc[2, "amount"] == 273_197_000.0
    assert wide(_ingest(tmp_path), values="printed").loc[1, "contracts"] == "1,952"
    assert wide(_ingest(tmp_path), values="declared").loc[1, "rate"] == 41.6


@pytest.mark.parametrize(
    ("row", "column", "token", "message"),
    [
        (2, "amount", "27,31.7", "'27,31.7' is ambiguous"),
        (1, "contracts", "", "empty cell in a numeric column"),
        (2, "rate", "118.2%", "percentage '118.2%' outside 0-100"),
        (1, "growth", "-100%", "at or below -100%"),
        (2, "rts", "crs", "not one of the allowed values"),
        (1, "amount", "12.5%", "percent sign but the column's unit is not '%'"),
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path, row, column, token, message):
    rows = copy.deepcopy(ROWS)
    rows[row - 1][HEADER.index(column)] = token
    with pytest.raises(InputError, match=message) as err:
        _ingest(tmp_path, rows=rows)
    assert err.value.file.endswith("table1.csv")
    assert (err.value.row, err.value.column) == (row, column)
    assert err.value.line == row + 1  # the line an editor shows: the header is line 1
    assert f"line {row + 1}, column {column!r}" in str(err.value)


def test_missing_column(tmp_path):
    rows = [r[:-1] for r in ROWS]
    with pytest.raises(InputError, match="missing column") as err:
        _ingest(tmp_path, rows=rows, header=HEADER[:-1])
    assert err.value.column == "rts"


def test_column_not_in_sidecar(tmp_path):
    rows = [[*r, "x"] for r in ROWS]
    with pytest.raises(InputError, match="not described in the sidecar") as err:
        _ingest(tmp_path, rows=rows, header=[*HEADER, "extra"])
    assert err.value.column == "extra"


def test_duplicate_key_names_both_rows(tmp_path):
    rows = copy.deepcopy(ROWS)
    rows[1][0] = "Alpha"
    with pytest.raises(InputError, match="rows 1 and 2") as err:
        _ingest(tmp_path, rows=rows)
    assert err.value.row == 2


def test_ragged_row(tmp_path):
    csv_path, yaml_path = write_table(tmp_path, "table1", HEADER, ROWS, SPEC)
    csv_path.write_text(csv_path.read_text() + "Gamma,1,2\n")
    with pytest.raises(InputError, match="has 3 fields, the header has 6") as err:
        ingest_table(csv_path, load_table_spec(yaml_path))
    assert err.value.row == 3


def test_unknown_unit_in_sidecar(tmp_path):
    spec = copy.deepcopy(SPEC)
    spec["columns"]["amount"]["unit"] = "RMB 10,000"
    _, yaml_path = write_table(tmp_path, "table1", HEADER, ROWS, spec)
    with pytest.raises(InputError, match="unknown unit 'RMB 10,000'") as err:
        load_table_spec(yaml_path)
    assert err.value.column == "amount"


def test_percent_column_must_declare_percent_unit(tmp_path):
    spec = copy.deepcopy(SPEC)
    spec["columns"]["rate"]["unit"] = "items"
    _, yaml_path = write_table(tmp_path, "table1", HEADER, ROWS, spec)
    with pytest.raises(InputError, match="must have unit '%'"):
        load_table_spec(yaml_path)


@pytest.mark.parametrize(
    ("token", "expected"),
    [("4,685", 4685.0), ("-76.38%", -76.38), ("0.02", 0.02), ("1808", 1808.0), ("\u22121.5", -1.5)],
)
def test_parse_printed_number(token, expected):
    assert parse_printed_number(token, percent_sign=True) == expected


@pytest.mark.parametrize("token", ["46,85", "1.2.3", "-", "_", "abc", "1,000.5.1", ""])
def test_parse_printed_number_rejects(token):
    with pytest.raises(ValueError):
        parse_printed_number(token, percent_sign=True)


_labels = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12).map(str.strip)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(_labels.filter(bool), st.integers(0, 10**7), st.integers(0, 10000)),
        min_size=1,
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_round_trip_random_tables(tmp_path_factory, records):
    """Random tables survive transcription -> ingest -> wide with exact values."""
    folder = tmp_path_factory.mktemp("rt")
    spec = {
        "paper": "rt",
        "table": "table1",
        "number": "Table 1",
        "title": "Round trip",
        "key": ["name"],
        "label": "name",
        "columns": {
            "name": {"kind": "label"},
            "amount": {"kind": "number", "unit": "ten thousand yuan"},
            "rate": {"kind": "percent", "unit": "%"},
        },
    }
    rows = [[name, f"{amount:,}", f"{bp / 100:.2f}%"] for name, amount, bp in records]
    csv_path, yaml_path = write_table(folder, "table1", ["name", "amount", "rate"], rows, spec)
    frame = wide(ingest_table(csv_path, load_table_spec(yaml_path)))
    assert list(frame["name"]) == [r[0] for r in records]
    assert list(frame["amount"]) == [a * 10_000.0 for _, a, _ in records]
    assert frame["rate"].tolist() == pytest.approx([bp / 10_000 for *_, bp in records], abs=0)


FIGURE_HEADER = [
    "quote_id", "section", "quote", "value_printed", "value", "unit", "qualifier",
    "claim_kind", "year", "region", "subject", "refers_to_table", "notes",
]  # fmt: skip


def _figures(tmp_path, rows):
    path = tmp_path / "quotes.csv"
    pd.DataFrame(rows, columns=FIGURE_HEADER).to_csv(path, index=False)
    return path


GOOD_FIGURE = [
    "t001", "3.2", "a total transformation amount of 4.026 billion yuan", "4.026 billion",
    "4.026", "billion yuan", "exact", "level", "2023", "Liaoning", "universities", "", "",
]  # fmt: skip


def test_quotes_are_typed(tmp_path):
    out = ingest_quotes(_figures(tmp_path, [GOOD_FIGURE]), paper="p")
    rec = out.iloc[0]
    assert (rec.paper, rec.row, rec.value, rec.canonical_value) == ("p", 1, 4.026, 4.026e9)
    assert rec.canonical_unit == "yuan"
    # ids are local in quotes.csv and qualified by the paper (the folder) once ingested
    assert rec.quote_id == "p-t001"


def test_quote_ids_must_be_local(tmp_path):
    row = list(GOOD_FIGURE)
    row[0] = "other-t001"
    with pytest.raises(InputError, match="local to the paper folder") as err:
        ingest_quotes(_figures(tmp_path, [row]), paper="p")
    assert (err.value.row, err.value.column) == (1, "quote_id")


def test_table_sidecar_place_decides_paper_and_table(tmp_path):
    folder = tmp_path / "copied"
    folder.mkdir()
    _, yaml_path = write_table(folder, "table1", HEADER, ROWS, SPEC | {"paper": "copied"})
    spec = load_table_spec(yaml_path)
    assert (spec.paper, spec.table) == ("copied", "table1")
    stale = SPEC | {"table": "table1"}
    yaml_path.write_text(yaml.safe_dump(stale | {"paper": "origin"}), encoding="utf-8")
    with pytest.raises(InputError, match="says paper 'origin' but its place says 'copied'"):
        load_table_spec(yaml_path)


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("unit", "billion RMB", "unknown unit"),
        ("value", "four", "cannot parse"),
        ("qualifier", "roughly", "is not one of"),
        ("claim_kind", "vibe", "is not one of"),
        ("quote", "", "empty quote"),
    ],
)
def test_quote_errors(tmp_path, column, bad, message):
    row = list(GOOD_FIGURE)
    row[0] = "t002"
    row[FIGURE_HEADER.index(column)] = bad
    with pytest.raises(InputError, match=message) as err:
        ingest_quotes(_figures(tmp_path, [GOOD_FIGURE, row]), paper="p")
    assert (err.value.row, err.value.column) == (2, column)


def test_quote_share_outside_0_100(tmp_path):
    row = list(GOOD_FIGURE)
    row[FIGURE_HEADER.index("unit")] = "%"
    row[FIGURE_HEADER.index("claim_kind")] = "share"
    row[FIGURE_HEADER.index("value")] = "140"
    with pytest.raises(InputError, match="outside 0-100"):
        ingest_quotes(_figures(tmp_path, [row]), paper="p")
