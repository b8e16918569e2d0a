"""The committed transcriptions: complete, ingestible, faithful to the papers' text."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from sciteff.ingest.tables import (
    NUMERIC_KINDS,
    ingest_quotes,
    ingest_table,
    load_table_spec,
    wide,
)

EXPECTED_TABLES = {
    "seed000": {"table1", "table2", "table3", "table4"},
    "seed001": set(),
    "seed002": {"table1"},
    "seed003": {"table1", "table2", "table3", "table4", "table5", "table6"},
}


def _tables(root):
    for paper in sorted(EXPECTED_TABLES):
        for sidecar in sorted((root / "raw_data" / "papers" / paper).glob("table*.yaml")):
            yield paper, sidecar


def test_every_published_table_is_transcribed(root):
    for paper, expected in EXPECTED_TABLES.items():
        folder = root / "raw_data" / "papers" / paper
        assert {p.stem for p in folder.glob("table*.yaml")} == expected
        assert {p.stem for p in folder.glob("table*.csv")} == expected
        assert (folder / "quotes.csv").exists()
        assert (folder / "source.txt").exists()


def test_every_table_ingests_and_every_cell_traces_to_one_raw_cell(root):
    for _paper, sidecar in _tables(root):
        spec = load_table_spec(sidecar)
        csv_path = sidecar.with_suffix(".csv")
        cells = ingest_table(csv_path, spec)
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            raw = list(csv.DictReader(handle))
        assert len(cells) == len(raw) * len(spec.columns)
        lookup = cells.set_index(["row", "column"])["printed"]
        assert lookup.index.is_unique
        for r, record in enumerate(raw, start=1):
            for column, token in record.items():
                assert lookup[(r, column)] == token


def test_numbers_in_tables_are_printed_in_the_paper(root):
    """Each numeric token of a table occurs in the paper's text (catches typing slips)."""
    for paper, sidecar in _tables(root):
        text = (root / "raw_data" / "papers" / paper / "source.txt").read_text(encoding="utf-8")
        tokens = set(re.findall(r"-?[\d,]*\d(?:\.\d+)?%?", text))
        spec = load_table_spec(sidecar)
        cells = ingest_table(sidecar.with_suffix(".csv"), spec)
        printed = cells[cells["kind"].isin(NUMERIC_KINDS)]["printed"]
        missing = sorted({p for p in printed if p.strip() and p.strip() not in tokens})
        assert not missing, f"{sidecar.name}: {missing}"


def test_quotes_quote_the_paper_verbatim(root):
    total = 0
    for paper in EXPECTED_TABLES:
        folder = root / "raw_data" / "papers" / paper
        text = (folder / "source.txt").read_text(encoding="utf-8")
        figures = ingest_quotes(folder / "quotes.csv", paper=paper)
        total += len(figures)
        for rec in figures.itertuples():
            assert rec.quote in text, f"{rec.quote_id}: quote not in source.txt"
            assert rec.value_printed.replace("%", "") and rec.value_printed in rec.quote, (
                rec.quote_id
            )
    assert total >= 60


@pytest.mark.parametrize(
    ("paper", "table", "label", "column", "printed"),
    [
        # Read off the papers by hand (fixtures, not computations).
        ("seed000", "table2", "Liaoning", "vrste", "0.994"),
        ("seed000", "table2", "Xinjiang", "rts", "_"),
        ("seed000", "table2", "mean", "crste", "0.860"),
        ("seed000", "table4", "Panjin", "tfpch", "0.469"),
        ("seed002", "table1", "Jiangsu", "rd_personnel_2016", "117"),
        ("seed003", "table2", "Total", "contracts_2023", "9,146"),
        ("seed003", "table3", "Total", "amt_dalian_2023", "79044.7"),
    ],
)
def test_spot_checks_against_the_print(root, paper, table, label, column, printed):
    folder = root / "raw_data" / "papers" / paper
    spec = load_table_spec(folder / f"{table}.yaml")
    frame = wide(ingest_table(folder / f"{table}.csv", spec), values="printed")
    rows = frame[frame[spec.label] == label]
    assert len(rows) == 1
    assert rows.iloc[0][column] == printed


def test_duplicated_labels_are_kept_as_printed(root):
    folder = root / "raw_data" / "papers" / "seed003"
    spec = load_table_spec(folder / "table3.yaml")
    labels = pd.Series(wide(ingest_table(folder / "table3.csv", spec))["institution"])
    assert (labels == "Dalian Institute of Chemical Physics").sum() == 2
