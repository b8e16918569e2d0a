"""The audit's rules on constructed tables, with hand-worked numbers: the rounding boundary,
the declared word tolerances, readings and the ambiguous verdict, order claims, Malmquist
means against DEA levels, root-cause errors, and declared corrections verified by the audit."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml
from conftest import write_table

from sciteff.audit import vocabulary
from sciteff.audit.checks import run_check
from sciteff.audit.findings import audit_paper, error_summary, render_markdown
from sciteff.audit.sources import AuditNumbers
from sciteff.ingest.corrections import Correction
from sciteff.ingest.papers import load_paper_sources

ROOT = Path(__file__).resolve().parents[2]
QUOTE_HEADER = (
    "quote_id,section,quote,value_printed,value,unit,qualifier,claim_kind,year,region,"
    "subject,refers_to_table,notes"
)


def score_col() -> dict:
    return {"printed": "", "kind": "number", "unit": "score", "printed_unit": None}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """demo: table1 DEA levels of 3 DMUs, table2 Malmquist means over 5 periods."""
    folder = tmp_path / "demo"
    folder.mkdir()
    spec = {
        "paper": "demo",
        "number": "Table",
        "title": "demo",
        "key": ["dmu"],
        "label": "dmu",
    }
    write_table(
        folder,
        "table1",
        ["dmu", "crste"],
        [["A", "1.000"], ["B", "0.500"], ["C", "1.000"]],
        {
            **spec,
            "table": "table1",
            "columns": {"dmu": {"printed": "", "kind": "label"}, "crste": score_col()},
        },
    )
    write_table(
        folder,
        "table2",
        ["dmu", "effch", "sech"],
        [["A", "0.573", "1.000"], ["B", "1.100", "0.999"], ["C", "1.000", "1.200"]],
        {
            **spec,
            "table": "table2",
            "columns": {
                "dmu": {"printed": "", "kind": "label"},
                "effch": score_col(),
                "sech": score_col(),
            },
        },
    )
    rows = [
        "t001,s,accounting for approximately 30%,30%,30,%,about,share,,,x,,",
        "t002,s,about 77%,77%,77,%,about,share,,,x,,",
        "t003,s,nearly 3.847 billion yuan,3.847 billion yuan,3.847,billion yuan,nearly,level,,,x,,",
        "t004,s,more than 7 billion,7 billion,7,billion yuan,more_than,level,,,x,,",
        "t005,s,about 90%,90%,90,%,about,share,,,x,,",
    ]
    (folder / "quotes.csv").write_text(QUOTE_HEADER + "\n" + "\n".join(rows) + "\n")
    return folder


@pytest.fixture
def nums(folder: Path) -> AuditNumbers:
    tables, figures = load_paper_sources(folder)
    return AuditNumbers("demo", tables, figures)


# --- declared word tolerances ------------------------------------------------------------


def test_approximate_words_take_the_declared_tolerance(nums):
    # "approximately 30%": max(5% of 30, half of the last significant digit 5) = 5 -> 25-35%
    t = nums.quoted("demo-t001")
    assert (t.interval.lo, t.interval.hi) == pytest.approx((0.25, 0.35))
    assert t.extra["word"] == "approximately"
    # "about 77%": max(3.85, 0.5) -> 73.15-80.85%
    t = nums.quoted("demo-t002")
    assert (t.interval.lo, t.interval.hi) == pytest.approx((0.7315, 0.8085))
    # "nearly 3.847 billion": [3.847 - 0.19235, 3.847 + 0.0005] billion
    t = nums.quoted("demo-t003")
    assert (t.interval.lo, t.interval.hi) == pytest.approx((3.65465e9, 3.8475e9))
    # "more than 7 billion": [7 billion, inf)
    t = nums.quoted("demo-t004")
    assert t.interval.lo == pytest.approx(7e9) and math.isinf(t.interval.hi)


def test_docs_carry_the_vocabulary_table():
    docs = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    assert vocabulary.table_markdown() in docs


def test_unknown_word_is_an_error():
    with pytest.raises(ValueError, match="unknown approximate word"):
        vocabulary.word_in("roughly 5", "roughly-ish")


# --- rounding boundary -------------------------------------------------------------------


def claim(ref: str, published: str = "1") -> dict:
    return {"ref": ref, "published": published, "quote": "q", "unit": "score"}


def test_threshold_at_the_rounding_boundary_holds_with_a_note(nums):
    base = {"kind": "threshold_claim", "table": "table2", "relation": "gt", "threshold": 1}
    # C's sech 1.000 covers [0.9995, 1.0005): "above 1" holds if it lies in (1, 1.0005)
    ok = run_check(
        {**base, "id": "a", "target": claim("text:a"), "column": "effch", "rows": ["C"]}, nums
    )[0]
    assert ok.verdict == "consistent"
    assert "(1, 1.0005)" in ok.explanation
    # B's sech 0.999 covers [0.9985, 0.9995): nothing in it is above 1
    bad = run_check(
        {**base, "id": "b", "target": claim("text:b"), "column": "sech", "rows": ["B"]}, nums
    )[0]
    assert bad.verdict == "inconsistent"
    # a printed 1.200 is certainly above 1: no boundary note
    sure = run_check(
        {**base, "id": "c", "target": claim("text:c"), "column": "sech", "rows": ["C"]}, nums
    )[0]
    assert sure.verdict == "consistent" and "boundary" not in sure.explanation


# --- readings and the ambiguous verdict ---------------------------------------------------


def test_readings_give_ambiguous_inconsistent_or_consistent(nums):
    base = {"kind": "threshold_claim", "table": "table2", "rows": ["B"], "target": claim("text:r")}
    mixed = {
        **base,
        "id": "mixed",
        "relation": "lt",
        "threshold": 1,
        "readings": [{"name": "sech", "column": "sech"}, {"name": "effch", "column": "effch"}],
    }
    # sech 0.999 < 1 holds; effch 1.100 < 1 does not
    res = run_check(mixed, nums)
    assert len(res) == 1 and res[0].verdict == "ambiguous"
    assert res[0].extra["readings"] == {"sech": "consistent", "effch": "inconsistent"}
    assert "(1) sech" in res[0].explanation and "(2) effch" in res[0].explanation
    none = {**mixed, "id": "none", "relation": "gt", "threshold": 1.2}
    assert run_check(none, nums)[0].verdict == "inconsistent"  # 0.999 and 1.100 <= 1.2
    both = {**mixed, "id": "both", "relation": "gt", "threshold": 0.9}
    assert run_check(both, nums)[0].verdict == "consistent"  # 0.999 and 1.100 > 0.9


def test_a_reading_with_all_of_fails_when_one_part_fails(nums):
    check = {
        "id": "allof",
        "kind": "equation",
        "target": "demo-t005",  # about 90% = 85-95%
        "readings": [
            {"name": "one", "formula": "{table2:A:effch} + 0.33"},  # 0.903: holds
            {
                "name": "each",
                "all_of": [
                    {"formula": "{table2:A:effch} + 0.33"},  # 0.903
                    {"formula": "{table2:B:effch} - 0.5"},  # 0.600: fails
                ],
            },
        ],
    }
    res = run_check(check, nums)[0]
    assert res.verdict == "ambiguous"
    assert res.extra["readings"] == {"one": "consistent", "each": "inconsistent"}


# --- order claims ------------------------------------------------------------------------


def test_order_claim_equal_prints_only_at_the_boundary(nums):
    base = {
        "kind": "order_claim",
        "target": claim("text:o"),
        "table": "table1",
        "column": "crste",
        "bound": 1,
    }
    # A 1.000 < C 1.000: possible only within [0.9995, 1]: consistent, with the boundary said
    tie = run_check({**base, "id": "tie", "lower": ["A"], "higher": ["C"]}, nums)[0]
    assert tie.verdict == "consistent" and "rounding boundary" in tie.explanation
    # B 0.500 < A 1.000 certainly; A 1.000 < B 0.500 never
    assert (
        run_check({**base, "id": "ok", "lower": ["B"], "higher": ["A"]}, nums)[0].verdict
        == "consistent"
    )
    wrong = run_check({**base, "id": "no", "lower": ["A"], "higher": ["B"]}, nums)[0]
    assert wrong.verdict == "inconsistent" and "A 1.000 < B 0.500" in wrong.explanation


# --- Malmquist means against DEA levels --------------------------------------------------


def levels_check(**extra) -> dict:
    return {
        "id": "lv",
        "kind": "malmquist_levels",
        "index": {"table": "table2", "column": "effch"},
        "levels": {"table": "table1", "column": "crste"},
        "periods": 5,
        "floor": 0.4,
        **extra,
    }


def test_malmquist_levels_by_hand(nums):
    res = {r.target.ref: r for r in run_check(levels_check(), nums)}
    a = res["table2:A:effch"]
    # A: effch 0.573, crste 1.000. r = 0.573^5 = 0.06177 (0.5725^5 = 0.06150 ... 0.5735^5)
    assert a.recomputed.lo == pytest.approx(0.5725**5)
    assert a.recomputed.hi == pytest.approx(0.5735**5)
    # 'first': 2020 = 1.000 x 0.06177 < floor 0.4 -> implausible; 'last': 2015 = 1/0.06177 =
    # 16.19 > 1 -> impossible; 'mean': largest mean (5 + 0.0620)/6 = 0.8437 < 0.9995 -> impossible
    assert a.extra["readings"] == {
        "first": "implausible",
        "last": "impossible",
        "mean": "impossible",
    }
    assert a.verdict == "inconsistent"
    assert "16.19" in a.explanation and "0.8437" in a.explanation
    # B: effch 1.100, crste 0.500: r = 1.61051; 'first': 0.5 x 1.61 = 0.805 <= 1 possible
    b = res["table2:B:effch"]
    assert b.extra["readings"]["first"] == "ok" and b.verdict == "consistent"
    # 'last': 2015 = 0.5 / 1.61 = 0.3105 < 0.4 -> implausible
    assert b.extra["readings"]["last"] == "implausible"
    # C: effch 1.000, crste 1.000: every reading possible
    assert res["table2:C:effch"].extra["readings"] == {"first": "ok", "last": "ok", "mean": "ok"}
    # the column: 'last' and 'mean' are ruled out by A, 'first' by no DMU -> some reading agrees
    column = res["table2:column:effch"]
    assert column.verdict == "consistent"
    assert "'first' ruled out by no DMU" in column.explanation


def test_span_plausibility_without_levels(nums):
    check = {
        "id": "span",
        "kind": "malmquist_span",
        "index": {"table": "table2", "column": "effch"},
        "periods": 5,
        "floor": 0.4,
    }
    res = {r.target.ref: r.verdict for r in run_check(check, nums)}
    # A: 0.573^5 = 0.0618 < 0.4 -> one end below every printed score; B: 1.1^5 = 1.61 within
    # [0.4, 1/0.4 = 2.5]; C: 1
    assert res == {
        "table2:A:effch": "inconsistent",
        "table2:B:effch": "consistent",
        "table2:C:effch": "consistent",
    }


# --- root causes and corrections ---------------------------------------------------------


@pytest.fixture
def unit_folder(tmp_path: Path) -> Path:
    """Table 1 in ten thousand yuan; Table 2 prints the same amounts labelled thousand yuan,
    with averages per project; Table 3 a second, separate slip."""
    folder = tmp_path / "unit"
    folder.mkdir()
    label = {"printed": "", "kind": "label"}

    def num(unit: str) -> dict:
        return {"printed": "", "kind": "number", "unit": unit, "printed_unit": None}

    base = {"paper": "unit", "number": "T", "title": "t", "key": ["inst"], "label": "inst"}
    write_table(
        folder,
        "table1",
        ["inst", "amount", "n"],
        [["X", "120.0", "4"], ["Y", "300.0", "10"], ["Z", "50.0", "5"]],
        {
            **base,
            "table": "table1",
            "columns": {"inst": label, "amount": num("ten thousand yuan"), "n": num("items")},
        },
    )
    write_table(
        folder,
        "table2",
        ["inst", "amount", "n"],
        [["Y", "120.0", "4"], ["X", "300.0", "10"], ["Z", "50.0", "5"]],
        {
            **base,
            "table": "table2",
            "columns": {"inst": label, "amount": num("thousand yuan"), "n": num("items")},
        },
    )
    rows = [
        "t001,s,the average is 30 thousand yuan,30 thousand yuan,30,thousand yuan,exact,level,,,x,,"
    ]
    (folder / "quotes.csv").write_text(QUOTE_HEADER + "\n" + "\n".join(rows) + "\n")
    checks = {
        "paper": "unit",
        "checks": [
            {
                "id": "unit",
                "kind": "unit_consistency",
                "a": {"table": "table1", "column": "amount"},
                "b": {"table": "table2", "column": "amount"},
            },
            # 120.0 ten thousand yuan / 4 = 300,000 yuan, ten times the quoted 30 thousand
            {
                "id": "avg",
                "kind": "equation",
                "target": "unit-t001",
                "formula": "{table1:X:amount} / {table1:X:n}",
            },
        ],
        "reconcile": [
            {
                "id": "rec",
                "left": {"table": "table2", "columns": ["amount", "n"]},
                "right": {"table": "table1", "columns": ["amount", "n"]},
            }
        ],
    }
    (folder / "checks.yaml").write_text(yaml.safe_dump(checks, sort_keys=False))
    return folder


def run_audit(folder: Path, corrections: list[Correction] | None = None, **extra):
    tables, figures = load_paper_sources(folder)
    checks = yaml.safe_load((folder / "checks.yaml").read_text()) | extra
    return audit_paper(folder.name, tables, figures, checks, None, corrections)


def test_one_error_per_root_cause_by_unit_factor_and_label_block(unit_folder):
    audit = run_audit(unit_folder)
    f = audit.findings.set_index("ref")
    bad = f[f["verdict"] == "inconsistent"]
    # the unit header, the tenfold average (300000 / 30000 = 10), and two swapped labels
    assert set(bad.index) == {
        "table2:header:amount",
        "unit-t001",
        "table2:#1:label",
        "table2:#2:label",
    }
    assert f.loc["table2:header:amount", "error_id"] == f.loc["unit-t001", "error_id"]
    assert f.loc["table2:#1:label", "error_id"] == f.loc["table2:#2:label", "error_id"]
    assert f.loc["table2:#1:label", "error_id"] != f.loc["unit-t001", "error_id"]
    errors = audit.errors.set_index("error_id")
    assert len(errors) == 2
    assert set(errors["grouping"]) == {"unit factor", "label block"}
    assert errors["n_findings"].tolist() == [2, 2]


def test_a_declared_grouping_overrides_with_its_evidence(unit_folder):
    declared = [
        {
            "id": "all",
            "title": "one slip",
            "refs": ["table2:*", "unit-t001"],
            "evidence": "the same typist",
        }
    ]
    audit = run_audit(unit_folder, errors=declared)
    assert len(audit.errors) == 1
    err = audit.errors.iloc[0]
    assert (err["grouping"], err["title"], err["evidence"], err["n_findings"]) == (
        "declared",
        "one slip",
        "the same typist",
        4,
    )


def test_summary_counts_errors_by_severity_then_cells(unit_folder):
    audit = run_audit(unit_folder)
    table = error_summary(audit.findings, audit.errors).set_index("paper")
    assert table.loc["unit", "errors"] == 2 and table.loc["unit", "major errors"] == 2
    assert table.loc["unit", "inconsistent cells"] == 4
    text = render_markdown(audit.findings, audit.coverage, audit.errors)
    assert "### Errors (2)" in text and "unit-E01" in text


def test_corrections_are_verified_and_stale_ones_reported(unit_folder):
    unit = Correction(
        id="c-unit",
        table="table2",
        what="unit",
        evidence="same numbers as Table 1",
        supported_by=("unit",),
        columns=("amount",),
        unit="ten thousand yuan",
    )
    labels = Correction(
        id="c-labels",
        table="table2",
        what="label",
        evidence="numbers match Table 1",
        supported_by=("rec",),
        labels=(("#1", "X"), ("#2", "Y")),
    )
    audit = run_audit(unit_folder, [unit, labels])
    f = audit.findings.set_index("ref")
    assert f.loc["correction:c-unit", "verdict"] == "consistent"
    assert f.loc["correction:c-labels", "verdict"] == "consistent"
    assert f.loc["table2:#1:label", "correction"] == "c-labels"
    # once the transcription itself agrees, the same declared correction is stale
    text = (unit_folder / "table2.csv").read_text()
    text = text.replace("Y,120.0", "X,120.0").replace("X,300.0", "Y,300.0")
    (unit_folder / "table2.csv").write_text(text)
    stale_now = run_audit(unit_folder, [unit, labels]).findings.set_index("ref")
    assert stale_now.loc["correction:c-labels", "verdict"] == "inconsistent"
    assert "NO LONGER holds" in stale_now.loc["correction:c-labels", "explanation"]
    assert re.search(r"rec no longer fails", stale_now.loc["correction:c-labels", "explanation"])


def test_value_correction_moves_the_blame(unit_folder):
    # declare Table 1's X amount 12.0 (not 120.0): 12.0 ten thousand yuan / 4 = 30,000 yuan
    value = Correction(
        id="c-x",
        table="table1",
        what="value",
        evidence="source says 12.0",
        supported_by=("avg",),
        cells=(("X", "amount", 12.0),),
    )
    f = run_audit(unit_folder, [value]).findings.set_index("ref")
    assert f.loc["unit-t001", "verdict"] == "consistent"
    assert "holds with the declared corrections" in f.loc["unit-t001", "explanation"]
    assert f.loc["correction:c-x", "verdict"] == "consistent"
    assert f.loc["table1:X:amount", "correction"] == "c-x"


def test_blame_follows_the_cell_not_its_reference(unit_folder):
    # amount = 30 x n (thousand yuan) holds for both rows of Table 2 (120.0 = 30 x 4, 300.0 =
    # 30 x 10). Plant 310.0 in row 2 (printed 'X'): 310 != 300. The label correction renames
    # row 1 'X', so a match by reference would compare with row 1's 120.0 = 30 x 4 and wrongly
    # excuse it (a bug the mutation benchmark found).
    text = (unit_folder / "table2.csv").read_text().replace("X,300.0", "X,310.0")
    (unit_folder / "table2.csv").write_text(text)
    labels = Correction(
        id="c-labels",
        table="table2",
        what="label",
        evidence="numbers match Table 1",
        supported_by=("rec",),
        labels=(("#1", "X"), ("#2", "Y")),
    )
    formula = {
        "id": "thirty",
        "kind": "formula",
        "table": "table2",
        "target": "amount",
        "formula": "{n} * 30000",  # yuan: the amounts are in thousand yuan
        "exclude": ["Z"],
    }
    checks = yaml.safe_load((unit_folder / "checks.yaml").read_text())
    checks["checks"].append(formula)
    (unit_folder / "checks.yaml").write_text(yaml.safe_dump(checks, sort_keys=False))
    f = run_audit(unit_folder, [labels]).findings.set_index("ref")
    assert f.loc["table2:X:amount", "verdict"] == "inconsistent"
    assert f.loc["table2:Y:amount", "verdict"] == "consistent", f.loc[
        "table2:Y:amount", "explanation"
    ]


def test_declared_aliases_hold_everywhere(unit_folder):
    # Table 2 row 1 'Y' prints Table 1's 'X' numbers (120.0 / 4) and row 2 'X' prints 'Y''s.
    # Declaring 'Y' another name of 'X' makes both reconciliations consistent (one
    # institution), and the duplicate-label check then sees 'X' printed twice in Table 2.
    plain = run_audit(unit_folder).findings.set_index("ref")
    assert plain.loc["table2:#1:label", "verdict"] == "inconsistent"
    aliased = run_audit(unit_folder, aliases={"Y": "X"}).findings.set_index("ref")
    assert aliased.loc["table2:#1:label", "verdict"] == "consistent"
    assert "declared alias" in aliased.loc["table2:#1:label", "explanation"]
    assert aliased.loc["table2:#2:label", "verdict"] == "inconsistent"
    assert "printed 2 times" in aliased.loc["table2:#2:label", "explanation"]


def test_a_declared_match_that_is_lost_is_a_finding(unit_folder):
    # Table 2 row 3 'Z' prints Table 1's Z numbers (50.0 / 5). Declared `expect: all`, a
    # planted 5 -> 8 in Table 2 breaks the match: row 3 is flagged, rows 1-2 still match.
    checks = yaml.safe_load((unit_folder / "checks.yaml").read_text())
    checks["reconcile"][0]["expect"] = "all"
    (unit_folder / "checks.yaml").write_text(yaml.safe_dump(checks, sort_keys=False))
    assert run_audit(unit_folder).findings.set_index("ref").loc["table2:#3:label", "verdict"] == (
        "consistent"
    )
    text = (unit_folder / "table2.csv").read_text().replace("Z,50.0,5", "Z,50.0,8")
    (unit_folder / "table2.csv").write_text(text)
    f = run_audit(unit_folder).findings.set_index("ref")
    assert f.loc["table2:#3:label", "verdict"] == "inconsistent", f.loc[
        "table2:#3:label", "explanation"
    ]
    assert "no row there matches its 50.0 / 8" in f.loc["table2:#3:label", "explanation"]
