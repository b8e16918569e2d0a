"""Each check kind on constructed tables, in both directions: a number that holds within
rounding is never flagged, one that cannot hold is. Expected values are hand computations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import write_table

from sciteff.audit.checks import run_check
from sciteff.audit.findings import audit_paper
from sciteff.core.errors import InputError
from sciteff.ingest.papers import load_paper_sources
from sciteff.ingest.published import PaperNumbers

FIGURE_HEADER = (
    "quote_id,section,quote,value_printed,value,unit,qualifier,claim_kind,year,region,"
    "subject,refers_to_table,notes"
)


def col(kind: str, unit: str | None = None) -> dict:
    body: dict = {"printed": "", "kind": kind}
    if unit:
        body.update(unit=unit, printed_unit=None, period="2020")
    return body


@pytest.fixture
def nums(tmp_path: Path) -> PaperNumbers:
    folder = tmp_path / "demo"
    folder.mkdir()
    # DEA-like: crste = vrste * scale; row B's crste is a slip (0.900 vs 0.8 * 0.9 = 0.72)
    write_table(
        folder,
        "table1",
        ["area", "crste", "vrste", "scale", "rts"],
        [
            ["A", "0.981", "0.994", "0.987", "drs"],
            ["B", "0.900", "0.800", "0.900", "irs"],
            ["C", "1.000", "1.000", "1.000", "-"],
            ["mean", "0.960", "0.931", "0.962", ""],
        ],
        {
            "paper": "demo",
            "table": "table1",
            "number": "Table 1",
            "title": "demo",
            "key": ["area"],
            "label": "area",
            "columns": {
                "area": col("label"),
                "crste": col("number", "score"),
                "vrste": col("number", "score"),
                "scale": col("number", "score"),
                "rts": {"printed": "", "kind": "category", "allowed": ["drs", "irs", "-", ""]},
            },
        },
    )
    # transfer-like: total, local, rate, growth; Total row sums (35 = 10 + 25 is right;
    # 7.0 printed where 2.0 + 4.5 = 6.5)
    write_table(
        folder,
        "table2",
        ["inst", "total", "local", "rate", "amount_2022", "amount_2023", "increase"],
        [
            ["X", "10", "4", "40.0%", "2.0", "3.0", "50.00%"],
            ["Y", "25", "5", "21.0%", "4.5", "4.4", "-2.22%"],
            ["Total", "35", "9", "25.7%", "7.0", "7.4", "5.71%"],
        ],
        {
            "paper": "demo",
            "table": "table2",
            "number": "Table 2",
            "title": "demo",
            "key": ["inst"],
            "label": "inst",
            "columns": {
                "inst": col("label"),
                "total": col("number", "items"),
                "local": col("number", "items"),
                "rate": col("percent", "%"),
                "amount_2022": col("number", "100 million yuan"),
                "amount_2023": col("number", "100 million yuan"),
                "increase": col("growth", "%"),
            },
        },
    )
    rows = [
        "t001,s,there are 1 drs areas,1,1,items,exact,count,2020,,drs,table1,",
        "t002,s,2 areas are efficient,2,2,items,exact,count,2020,,eff,table1,",
        "t003,s,A ranks first,first,1,rank,exact,rank,2020,,crste,table1,",
        "t004,s,B ranks first,first,1,rank,exact,rank,2020,,crste,table1,",
        "t005,s,X is about twice Y,twice,2,times,about,ratio,2020,,local,table2,",
        "t006,s,X is about four times Y,four times,4,times,about,ratio,2020,,local,table2,",
        "t007,s,above 0.95,0.95,0.95,score,over,score,2020,,crste,table1,",
        "t008,s,over 0.7 bn,0.7 billion,0.7,billion yuan,more_than,level,2022,Liaoning,x,,",
        "t009,s,total of 2 billion,2 billion,2,billion yuan,exact,level,2022,Liaoning,x,,",
    ]
    (folder / "quotes.csv").write_text(FIGURE_HEADER + "\n" + "\n".join(rows) + "\n")
    tables, figures = load_paper_sources(folder)
    return PaperNumbers("demo", tables, figures)


def verdicts(results) -> dict[str, str]:
    return {r.target.ref: r.verdict for r in results}


def test_product_flags_only_the_row_that_cannot_hold(nums):
    check = {"id": "p", "kind": "product", "table": "table1", "target": "crste"}
    out = verdicts(run_check({**check, "factors": ["vrste", "scale"], "exclude": ["mean"]}, nums))
    # A: 0.994 x 0.987 = 0.981 within rounding; B: 0.8 x 0.9 = 0.72 (0.7196..0.7204) != 0.900
    assert out == {
        "table1:A:crste": "consistent",
        "table1:B:crste": "inconsistent",
        "table1:C:crste": "consistent",
    }


def test_mean_arithmetic_and_geometric(nums):
    # arithmetic crste: (0.981 + 0.900 + 1.000) / 3 = 0.960333 -> prints 0.960
    ok = run_check(
        {"id": "m", "kind": "mean", "table": "table1", "mean_row": "mean", "columns": ["crste"]},
        nums,
    )
    assert ok[0].verdict == "consistent"
    # geometric vrste: (0.994 * 0.8 * 1)^(1/3) = 0.92659 -> 0.927, not the printed 0.931
    # (the arithmetic mean 0.93133 would print 0.931)
    geo = run_check(
        {
            "id": "g",
            "kind": "mean",
            "method": "geometric",
            "table": "table1",
            "mean_row": "mean",
            "columns": ["vrste"],
        },
        nums,
    )
    assert geo[0].verdict == "inconsistent"


def test_rate_and_sum_both_directions(nums):
    rate = verdicts(
        run_check(
            {
                "id": "r",
                "kind": "rate",
                "table": "table2",
                "target": "rate",
                "numerator": "local",
                "denominator": "total",
            },
            nums,
        )
    )
    # X: 4/10 = 40.0%; Y: 5/25 = 20.0% printed 21.0%; Total: 9/35 = 25.714% -> 25.7%
    assert rate == {
        "table2:X:rate": "consistent",
        "table2:Y:rate": "inconsistent",
        "table2:Total:rate": "consistent",
    }
    sums = verdicts(
        run_check(
            {
                "id": "s",
                "kind": "sum",
                "table": "table2",
                "total_row": "Total",
                "columns": ["total", "amount_2022", "amount_2023"],
            },
            nums,
        )
    )
    # 10 + 25 = 35 exactly; 2.0 + 4.5 = 6.5 (6.4..6.6) vs 7.0; 3.0 + 4.4 = 7.4
    assert sums == {
        "table2:Total:total": "consistent",
        "table2:Total:amount_2022": "inconsistent",
        "table2:Total:amount_2023": "consistent",
    }


def test_growth_within_rounding_is_not_flagged(nums):
    out = verdicts(
        run_check(
            {
                "id": "g",
                "kind": "growth",
                "table": "table2",
                "target": "increase",
                "new": "amount_2023",
                "old": "amount_2022",
            },
            nums,
        )
    )
    # X: 3.0/2.0 - 1 = 50%; Y: 4.4/4.5 - 1 = -2.22%; Total: 7.4/7.0 - 1 = 5.714% -> 5.71%
    assert set(out.values()) == {"consistent"}


def test_share_both_directions(nums):
    out = verdicts(
        run_check(
            {
                "id": "sh",
                "kind": "formula",
                "table": "table2",
                "target": "rate",
                "formula": "{local} / {table2:Total:local}",
                "rows": ["X"],
            },
            nums,
        )
    )
    # 4 / 9 = 44.4% is not the printed 40.0%
    assert out == {"table2:X:rate": "inconsistent"}


def test_count_claim_both_directions(nums):
    drs = run_check(
        {
            "id": "c",
            "kind": "count_claim",
            "target": "demo-t001",
            "table": "table1",
            "exclude": ["mean"],
            "where": [{"column": "rts", "in": ["drs"]}],
        },
        nums,
    )
    assert drs[0].verdict == "consistent"  # A only
    efficient = run_check(
        {
            "id": "e",
            "kind": "count_claim",
            "target": "demo-t002",
            "table": "table1",
            "exclude": ["mean"],
            "where": [{"column": "crste", "eq": 1}],
        },
        nums,
    )
    assert efficient[0].verdict == "inconsistent"  # only C prints 1.000, the text says 2


def test_rank_claim_both_directions(nums):
    base = {"kind": "rank_claim", "table": "table1", "column": "crste", "exclude": ["mean"]}
    # C 1.000 > A 0.981 > B 0.900: A is not first, C is
    first_a = run_check({**base, "id": "a", "target": "demo-t003", "row": "A"}, nums)
    assert first_a[0].verdict == "inconsistent"
    first_c = run_check({**base, "id": "c", "target": "demo-t003", "row": "C"}, nums)
    assert first_c[0].verdict == "consistent"
    lowest_b = run_check(
        {**base, "id": "b", "target": "demo-t004", "row": "B", "order": "asc"}, nums
    )
    assert lowest_b[0].verdict == "consistent"


def test_ratio_claim_about_both_directions(nums):
    # local X / Y = 4 / 5 = 0.8; totals X / Y = 10 / 25 = 0.4; amounts 2023 Y / X = 4.4/3.0
    # = 1.4667 (about twice is 1.5..2.5: not); amount 2022 Y / X = 4.5 / 2.0 = 2.25 (is)
    twice = run_check(
        {
            "id": "t",
            "kind": "ratio_claim",
            "target": "demo-t005",
            "formula": "{table2:Y:amount_2022} / {table2:X:amount_2022}",
        },
        nums,
    )
    assert twice[0].verdict == "consistent"
    four = run_check(
        {
            "id": "f",
            "kind": "ratio_claim",
            "target": "demo-t006",
            "formula": "{table2:Y:amount_2023} / {table2:X:amount_2023}",
        },
        nums,
    )
    assert four[0].verdict == "inconsistent"


def test_threshold_claim_judged_on_printed_values(nums):
    base = {"kind": "threshold_claim", "target": "demo-t007", "table": "table1", "column": "crste"}
    assert run_check({**base, "id": "a", "rows": ["A", "C"]}, nums)[0].verdict == "consistent"
    assert run_check({**base, "id": "b", "rows": ["A", "B"]}, nums)[0].verdict == "inconsistent"


def test_same_value_and_unit_conversion(nums):
    # 0.7 billion yuan (more than) vs 7.0 hundred million yuan = 0.7 billion: consistent
    ok = run_check(
        {
            "id": "v",
            "kind": "same_value",
            "target": "demo-t008",
            "value_of": "table2:Total:amount_2022",
        },
        nums,
    )
    assert ok[0].verdict == "consistent"
    # 2 billion (1.5..2.5 billion) vs 7.4 hundred million = 0.74 billion
    bad = run_check(
        {
            "id": "w",
            "kind": "same_value",
            "target": "demo-t009",
            "value_of": "table2:Total:amount_2023",
        },
        nums,
    )
    assert bad[0].verdict == "inconsistent"


def test_official_claims_against_a_panel(nums):
    panel = pd.DataFrame({"region": ["Liaoning"], "year": [2022], "x": [0.74e9]})
    more = run_check(
        {
            "id": "o",
            "kind": "official",
            "target": "demo-t008",
            "region": "Liaoning",
            "indicator": "x",
        },
        nums,
        panel,
    )
    assert more[0].verdict == "consistent" and more[0].severity == "info"
    level = run_check(
        {
            "id": "p",
            "kind": "official",
            "target": "demo-t009",
            "region": "Liaoning",
            "indicator": "x",
        },
        nums,
        panel,
    )
    assert level[0].verdict == "differs"


def test_unit_consistency_both_directions(nums):
    same = run_check(
        {
            "id": "u",
            "kind": "unit_consistency",
            "a": {"table": "table2", "column": "amount_2022"},
            "b": {"table": "table2", "column": "amount_2022"},
        },
        nums,
    )
    # 2022 (2.0, 4.5, 7.0) and 2023 (3.0, 4.4, 7.4) share no printed number: nothing to
    # compare; declare 2023 against itself to share numbers in the same unit
    assert same[0].verdict == "consistent"
    other = dict(nums.tables)
    cells = other["table2"].copy()
    cells.loc[cells["column"] == "amount_2023", "unit"] = "thousand yuan"
    other["table2"] = cells
    cells = cells[cells["column"] != "amount_2022"]
    copy = cells[cells["column"] == "amount_2023"].assign(
        column="amount_2022", unit="100 million yuan"
    )
    other["table2"] = pd.concat([cells, copy])
    changed = PaperNumbers("demo", other, None)
    bad = run_check(
        {
            "id": "u2",
            "kind": "unit_consistency",
            "a": {"table": "table2", "column": "amount_2022"},
            "b": {"table": "table2", "column": "amount_2023"},
        },
        changed,
    )
    assert bad[0].verdict == "inconsistent"


def test_audit_paper_coverage_and_not_checkable(nums):
    checks = {
        "paper": "demo",
        "checks": [
            {
                "id": "p",
                "kind": "product",
                "table": "table1",
                "target": "crste",
                "factors": ["vrste", "scale"],
                "exclude": ["mean"],
            }
        ],
        "not_checkable": [{"reason": "demo", "cells": ["table2:*:*"]}],
    }
    result = audit_paper("demo", nums.tables, None, checks)
    status = result.coverage.set_index("ref")["status"]
    assert status["table1:B:crste"] == "target"
    assert status["table1:B:vrste"] == "operand"
    assert status["table2:X:rate"] == "not_checkable"
    assert status["table1:mean:crste"] == "uncovered"  # nobody checks the mean row here
    f = result.findings.set_index("ref")
    assert f.loc["table1:B:crste", "verdict"] == "inconsistent"
    # the arithmetic is shown with the printed tokens: 0.800 x 0.900 = 0.72
    assert "0.800 * 0.900 = 0.72" in f.loc["table1:B:crste", "explanation"]


def test_unknown_kind_and_bad_reference_are_input_errors(nums):
    with pytest.raises(InputError):
        run_check({"id": "x", "kind": "nonsense"}, nums)
    with pytest.raises(InputError):
        run_check(
            {"id": "y", "kind": "same_value", "target": "demo-t001", "value_of": "table9:A:x"}, nums
        )
