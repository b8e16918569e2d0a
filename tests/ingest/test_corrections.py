"""Declared corrections applied at ingest: corrected values downstream, printed ones beside."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import write_table

from sciteff.core.errors import InputError
from sciteff.ingest.corrections import (
    Correction,
    apply_corrections,
    as_printed,
    cells_for,
    load_corrections,
)
from sciteff.ingest.tables import ingest_table, load_table_spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cells(tmp_path: Path):
    folder = tmp_path / "demo"
    folder.mkdir()
    num = {"printed": "", "kind": "number", "unit": "thousand yuan", "printed_unit": "thousand RMB"}
    csv, sidecar = write_table(
        folder,
        "table1",
        ["inst", "amount", "n"],
        [["A", "292.4", "348"], ["B", "45.1", "92"]],
        {
            "paper": "demo",
            "table": "table1",
            "number": "Table 1",
            "title": "t",
            "key": ["inst"],
            "label": "inst",
            "columns": {
                "inst": {"printed": "", "kind": "label"},
                "amount": num,
                "n": {"printed": "", "kind": "number", "unit": "items", "printed_unit": None},
            },
        },
    )
    return ingest_table(csv, load_table_spec(sidecar))


def cell(frame, row, column):
    return frame[(frame["row"] == row) & (frame["column"] == column)].iloc[0]


def test_unit_value_and_label_corrections(cells):
    fixes = [
        Correction(
            "u", "table1", "unit", "e", ("c1",), columns=("amount",), unit="ten thousand yuan"
        ),
        Correction("v", "table1", "value", "e", ("c2",), cells=(("B", "n", 93.0),)),
        Correction("l", "table1", "label", "e", ("c3",), labels=(("#2", "Bee"),)),
    ]
    out = apply_corrections(cells, fixes)
    a = cell(out, 1, "amount")
    # 292.4 ten thousand yuan = 2,924,000 yuan (printed as thousand: 292,400 yuan)
    assert a["canonical_value"] == 2_924_000.0
    assert a["printed_canonical_value"] == 292_400.0
    assert (a["unit"], a["transcribed_unit"], a["printed_unit"]) == (
        "ten thousand yuan",
        "thousand yuan",
        "thousand RMB",
    )
    assert a["correction"] == "u: unit thousand yuan -> ten thousand yuan"
    n = cell(out, 2, "n")
    assert (n["value"], n["printed_value"], n["printed"]) == (93.0, 92.0, "92")
    assert "v: value 92 -> 93" in n["correction"] and "l: label 'B' -> 'Bee'" in n["correction"]
    assert set(out[out["row"] == 2]["row_label"]) == {"Bee"}
    assert cell(out, 2, "inst")["text"] == "Bee"
    # an uncorrected cell is unchanged, with an empty correction
    untouched = cell(out, 1, "n")
    assert (untouched["value"], untouched["printed_value"], untouched["correction"]) == (
        348.0,
        348.0,
        "",
    )


def test_as_printed_undoes_every_correction(cells):
    fixes = [
        Correction(
            "u", "table1", "unit", "e", ("c",), columns=("amount",), unit="ten thousand yuan"
        ),
        Correction("l", "table1", "label", "e", ("c",), labels=(("A", "Ay"),)),
    ]
    back = as_printed(apply_corrections(cells, fixes))
    for column in ("row_label", "value", "unit", "canonical_value", "canonical_unit", "text"):
        shown = [[None if pd.isna(v) else v for v in f[column]] for f in (back, cells)]
        assert shown[0] == shown[1], column


def test_bad_corrections_are_input_errors(cells, tmp_path):
    with pytest.raises(InputError, match="no column"):
        apply_corrections(
            cells, [Correction("u", "table1", "unit", "e", ("c",), columns=("x",), unit="yuan")]
        )
    with pytest.raises(InputError, match="matches 0 rows"):
        apply_corrections(
            cells, [Correction("l", "table1", "label", "e", ("c",), labels=(("Z", "z"),))]
        )
    path = tmp_path / "corrections.yaml"
    path.write_text(
        "corrections:\n  - {id: a, table: table1, what: colour, evidence: e, supported_by: [x]}\n"
    )
    with pytest.raises(InputError, match=r"line 2: key corrections\.0\.what: 'colour' is not one"):
        load_corrections(path)
    path.write_text(
        "corrections:\n  - {id: a, table: table1, what: unit, unit: furlongs, columns: [n],"
        " evidence: e, supported_by: [x]}\n"
    )
    with pytest.raises(InputError, match="unknown unit"):
        load_corrections(path)
    assert load_corrections(tmp_path / "missing.yaml") == []


def test_the_papers_corrections_load_and_apply():
    # seed003 Table 5 in ten thousand yuan: DICP 101753.0 -> 1,017,530,000 yuan;
    # per contract 292.4 -> 2,924,000 yuan (101753.0 / 348 = 292.39 ten thousand yuan)
    folder = ROOT / "raw_data" / "papers" / "seed003"
    fixes = load_corrections(folder / "corrections.yaml")
    t5 = apply_corrections(
        ingest_table(folder / "table5.csv", load_table_spec(folder / "table5.yaml")), fixes
    )
    assert cell(t5, 1, "amount_total")["canonical_value"] == 1_017_530_000.0
    assert cell(t5, 1, "avg_contract_amount")["canonical_value"] == 2_924_000.0
    assert set(t5[t5["row"] == 9]["row_label"]) == {"Dalian Polytechnic University"}
    t3 = apply_corrections(
        ingest_table(folder / "table3.csv", load_table_spec(folder / "table3.yaml")), fixes
    )
    # DUT's 2023 amount rate 63.6% is Liaoning Ocean and Fisheries' (row 2), as Tables 4 and 5 say
    assert set(t3[t3["row"] == 2]["row_label"]) == {
        "Liaoning Ocean and Fisheries Science Research Institute"
    }
    assert t3["row_label"].nunique() == 13  # no institution twice once corrected


def test_analyses_read_corrected_or_printed_cells():
    # seed002 Table 1: Henan's patents printed 4740 (2015); corrected to the official 47766
    folder = ROOT / "raw_data" / "papers" / "seed002"
    fixes = load_corrections(folder / "corrections.yaml")
    cells = apply_corrections(
        ingest_table(folder / "table1.csv", load_table_spec(folder / "table1.yaml")), fixes
    )
    henan = cells[cells["row_label"] == "Henan"].set_index("column")
    assert henan.loc["patents_granted_2015", "canonical_value"] == 47766.0
    printed = cells_for(cells, {"paper": "seed002", "table": "table1", "cells": "printed"})
    henan = printed[printed["row_label"] == "Henan"].set_index("column")
    assert henan.loc["patents_granted_2015", "canonical_value"] == 4740.0
    assert cells_for(cells, {"paper": "seed002", "table": "table1"}) is cells
    with pytest.raises(InputError, match="'corrected' or 'printed'"):
        cells_for(cells, {"cells": "raw"})
