"""Transfer metrics: conversion rates, averages, composition, implied levels, mirrors.

Expected values are hand computations from numbers printed in seed003/seed001.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sciteff.ingest.papers import load_paper_sources
from sciteff.ingest.published import PaperNumbers
from sciteff.transfer.declared import load_transfer
from sciteff.transfer.metrics import (
    conversion_rates,
    field_composition,
    implied_previous_levels,
    per_contract_averages,
    recomputed_table,
)

ROOT = Path(__file__).resolve().parents[2]
T3 = {
    "2023": {
        "count_total": "n_total_2023",
        "count_local": "n_dalian_2023",
        "amount_total": "amt_total_2023",
        "amount_local": "amt_dalian_2023",
        "count_rate": "n_rate_2023",
    }
}


@pytest.fixture(scope="module")
def dalian() -> PaperNumbers:
    tables, figures = load_paper_sources(ROOT / "raw_data" / "papers" / "seed003")
    return PaperNumbers("seed003", tables, figures)


def test_conversion_rate_of_the_total_row_is_from_its_own_totals(dalian):
    rates = conversion_rates(dalian, [{"table": "table3", "periods": T3}])
    total = rates[(rates["institution"] == "Total") & (rates["measure"] == "count")].iloc[0]
    assert math.isclose(total["rate"], 1206 / 2724)  # 44.27%, printed 44.3%
    assert total["published_rate"] == "44.3%"
    amount = rates[(rates["institution"] == "Total") & (rates["measure"] == "amount")].iloc[0]
    # 79044.7 / 221259.8 = 0.35725; interval from the printed one-decimal amounts
    assert math.isclose(amount["rate"], 79044.7 / 221259.8)
    assert amount["rate_lo"] <= 79044.7 / 221259.8 <= amount["rate_hi"]
    # not the mean of the institutions' rates
    rows = rates[(rates["measure"] == "count") & (rates["institution"] != "Total")]
    assert not math.isclose(rows["rate"].mean(), total["rate"], rel_tol=1e-3)


def test_per_contract_average(dalian):
    spec = {
        "table": "table5",
        "periods": {
            "2023": {
                "count_total": "n_projects",
                "count_local": "n_projects_local",
                "amount_total": "amount_total",
                "amount_local": "amount_local",
                "avg_total": "avg_contract_amount",
            }
        },
    }
    avg = per_contract_averages(dalian, [spec])
    dicp = avg[(avg["row"] == 1) & (avg["scope"] == "total")].iloc[0]
    # 101753.0 in ten thousand yuan (the declared correction of Table 5's printed "thousand
    # RMB", corrections.yaml c-t5-unit) / 348 = 2,923,937 yuan per contract
    assert math.isclose(dicp["average_yuan"], 101753.0e4 / 348)
    assert dicp["published_average"] == "292.4"  # the printed token stays as printed


def test_field_composition_shares_and_growth(dalian):
    comp = field_composition(
        dalian,
        {
            "table": "table2",
            "total_row": "Total",
            "measures": {"volume": {"2022": "volume_2022", "2023": "volume_2023"}},
        },
    )
    am = comp[(comp["field"] == "Advanced manufacturing") & (comp["year"] == "2023")].iloc[0]
    assert math.isclose(am["share_of_printed_total"], 160.9 / 505.8)  # 31.81%
    assert math.isclose(am["growth"], 160.9 / 128.1 - 1)  # 25.6%
    # shares of the row sum add to 1 for the field rows
    fields = comp[(comp["year"] == "2023") & (comp["field"] != "Total")]
    assert math.isclose(fields["share_of_row_sum"].sum(), 1.0)


def test_implied_previous_level_of_a_growth_claim():
    tables, figures = load_paper_sources(ROOT / "raw_data" / "papers" / "seed001")
    nums = PaperNumbers("seed001", tables, figures)
    claims = load_transfer(ROOT / "raw_data" / "papers" / "seed001" / "transfer.yaml")[
        "growth_claims"
    ]
    out = implied_previous_levels(nums, claims).set_index("claim")
    # 7,638 / 1.56 = 4896.2; "about 56%" is 53.2%..58.8%: 7638/1.588 .. 7638/1.532
    row = out.loc["achievements-2022"]
    assert math.isclose(row["implied_previous"], 7638 / 1.56)
    assert math.isclose(row["implied_lo"], 7638 / 1.588)
    assert math.isclose(row["implied_hi"], 7638 / 1.532)
    # 4.026 billion / 1.90 = 2.119 billion
    assert math.isclose(out.loc["amount-2022-from-90", "implied_previous"], 4.026e9 / 1.9)


def test_recomputed_table_puts_recomputed_beside_published(dalian):
    spec = {
        "avg_contract_amount": {
            "kind": "ratio",
            "numerator": "amount_total",
            "denominator": "n_projects",
        }
    }
    m = recomputed_table(dalian, "table5", spec)
    cols = list(m.columns)
    assert cols.index("avg_contract_amount_recomputed") == cols.index("avg_contract_amount") + 1
    # Total: 221259.8 / 2724 = 81.2261 (in the column's declared unit)
    assert math.isclose(m["avg_contract_amount_recomputed"].iloc[-1], 81.2261, abs_tol=1e-4)
    assert m["avg_contract_amount"].iloc[-1] == "81.2"
    t2 = recomputed_table(dalian, "table2", {"volume_2021": {"kind": "sum", "total_row": "Total"}})
    # the rows of 2021 sum to 321.6 where 336.2 is printed
    assert math.isclose(t2["volume_2021_recomputed"].iloc[-1], 321.6, abs_tol=1e-6)


def test_one_average_per_institution_year_in_the_reconciled_unit(dalian):
    """Table 5 restates Table 3's 2023 block: DICP 2023 is one row citing both sources and the
    unit correction, 101,753.0 (ten thousand yuan) / 348 = 2,923,937 yuan per contract."""
    declaration = load_transfer(ROOT / "raw_data" / "papers" / "seed003" / "transfer.yaml")
    avg = per_contract_averages(dalian, declaration["per_contract_averages"])
    assert avg.groupby(["institution", "period", "scope"]).size().max() == 1
    (dicp,) = avg[
        (avg["institution"] == "Dalian Institute of Chemical Physics")
        & (avg["period"] == "2023")
        & (avg["scope"] == "total")
    ].itertuples()
    assert math.isclose(dicp.average_yuan, 101753.0e4 / 348)
    assert round(dicp.average_yuan) == 2923937
    assert "table5:#1" in dicp.source and "table3:#1" in dicp.source
    assert "c-t5-unit" in dicp.correction
    # 2022 is printed in Table 3 only and rests on printed numbers: no correction cited
    (old,) = avg[
        (avg["institution"] == "Dalian Institute of Chemical Physics")
        & (avg["period"] == "2022")
        & (avg["scope"] == "total")
    ].itertuples()
    assert math.isclose(old.average_yuan, 64272.1e4 / 299) and old.correction == ""


def test_conversion_rates_carry_the_reconciled_institution_names(dalian):
    """Table 3's second printed row holds Liaoning Ocean's numbers under DUT's label
    (corrections.yaml c-t3-labels): its 2023 amount rate 2,640.2 / 4,151.1 = 63.6% is
    Liaoning Ocean's, and says so."""
    declaration = load_transfer(ROOT / "raw_data" / "papers" / "seed003" / "transfer.yaml")
    rates = conversion_rates(dalian, declaration["conversion_rates"])
    t3 = rates[(rates["table"] == "table3") & (rates["period"] == "2023")]
    row2 = t3[(t3["row"] == 2) & (t3["measure"] == "amount")].iloc[0]
    assert row2["institution"] == "Liaoning Ocean and Fisheries Science Research Institute"
    assert math.isclose(row2["rate"], 2640.2 / 4151.1)
    assert "c-t3-labels" in row2["correction"]
    dut = t3[(t3["institution"] == "Dalian University of Technology") & (t3["measure"] == "amount")]
    assert len(dut) == 1 and dut.iloc[0]["row"] == 3
