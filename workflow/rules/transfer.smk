"""Transfer: technology-transfer metrics recomputed from the papers' tables and text."""

TRANSFER_DALIAN = f"{RESULTS}/transfer/seed003"
TRANSFER_LIAONING = f"{RESULTS}/transfer/seed001"

TARGETS.extend(
    [
        f"{TRANSFER_DALIAN}/conversion_rates.csv",
        f"{TRANSFER_DALIAN}/per_contract_averages.csv",
        f"{TRANSFER_DALIAN}/field_composition.csv",
        f"{TRANSFER_DALIAN}/table2_mirror.csv",
        f"{TRANSFER_DALIAN}/table3_mirror.csv",
        f"{TRANSFER_DALIAN}/table4_mirror.csv",
        f"{TRANSFER_DALIAN}/table5_mirror.csv",
        f"{TRANSFER_LIAONING}/growth_claims.csv",
    ]
)

# Which columns hold totals, local parts and published rates/averages in seed003's tables.
_T3 = {
    year: {
        "count_total": f"n_total_{year}",
        "count_local": f"n_dalian_{year}",
        "amount_total": f"amt_total_{year}",
        "amount_local": f"amt_dalian_{year}",
        "count_rate": f"n_rate_{year}",
        "amount_rate": f"amt_rate_{year}",
    }
    for year in ("2022", "2023")
}
_T5 = {
    "count_total": "n_projects",
    "count_local": "n_projects_local",
    "amount_total": "amount_total",
    "amount_local": "amount_local",
}


rule transfer_dalian:
    """seed003: conversion rates, per-contract averages, field composition, Tables 2-5 mirrored."""
    input:
        tables=expand(
            f"{RESULTS}/tables/seed003/{{table}}.parquet",
            table=["table2", "table3", "table4", "table5"],
        ),
    output:
        rates=f"{TRANSFER_DALIAN}/conversion_rates.csv",
        averages=f"{TRANSFER_DALIAN}/per_contract_averages.csv",
        fields=f"{TRANSFER_DALIAN}/field_composition.csv",
        table2=f"{TRANSFER_DALIAN}/table2_mirror.csv",
        table3=f"{TRANSFER_DALIAN}/table3_mirror.csv",
        table4=f"{TRANSFER_DALIAN}/table4_mirror.csv",
        table5=f"{TRANSFER_DALIAN}/table5_mirror.csv",
    log:
        f"{RESULTS}/logs/transfer/seed003.log",
    benchmark:
        f"{RESULTS}/benchmarks/transfer/seed003.tsv"
    conda:
        ENV
    params:
        paper="seed003",
        rates=[
            {"table": "table3", "periods": _T3},
            {"table": "table5", "periods": {"2023": _T5}},
        ],
        averages=[
            {
                "table": "table5",
                "periods": {
                    "2023": {
                        **_T5,
                        "avg_total": "avg_contract_amount",
                        "avg_local": "avg_contract_amount_local",
                    }
                },
            },
            {"table": "table3", "periods": _T3},
        ],
        fields={
            "table": "table2",
            "total_row": "Total",
            "measures": {
                "contracts": {y: f"contracts_{y}" for y in ("2021", "2022", "2023")},
                "volume": {y: f"volume_{y}" for y in ("2021", "2022", "2023")},
            },
        },
        mirrors={
            "table2": {
                "contracts_2021": {"kind": "sum", "total_row": "Total"},
                "contracts_2022": {"kind": "sum", "total_row": "Total"},
                "contracts_2023": {"kind": "sum", "total_row": "Total"},
                "volume_2021": {"kind": "sum", "total_row": "Total"},
                "volume_2022": {"kind": "sum", "total_row": "Total"},
                "volume_2023": {"kind": "sum", "total_row": "Total"},
                "volume_share_2023": {
                    "kind": "share",
                    "part": "volume_2023",
                    "total_row": "Total",
                },
                "volume_increase_2023": {
                    "kind": "growth",
                    "new": "volume_2023",
                    "old": "volume_2022",
                },
            },
            "table3": {
                f"{m}_rate_{y}": {
                    "kind": "ratio",
                    "numerator": f"{m}_dalian_{y}",
                    "denominator": f"{m}_total_{y}",
                }
                for m in ("n", "amt")
                for y in ("2022", "2023")
            },
            "table4": {
                "local_share_count_2023": {
                    "kind": "ratio",
                    "table": "table5",
                    "numerator": "n_projects_local",
                    "denominator": "n_projects",
                },
                "local_share_amount_2023": {
                    "kind": "ratio",
                    "table": "table5",
                    "numerator": "amount_local",
                    "denominator": "amount_total",
                },
            },
            "table5": {
                "avg_contract_amount": {
                    "kind": "ratio",
                    "numerator": "amount_total",
                    "denominator": "n_projects",
                },
                "avg_contract_amount_local": {
                    "kind": "ratio",
                    "numerator": "amount_local",
                    "denominator": "n_projects_local",
                },
            },
        },
    script:
        "../scripts/transfer_dalian.py"


rule transfer_growth_claims:
    """seed001: previous-year levels implied by the text's growth claims."""
    input:
        figures=f"{RESULTS}/tables/seed001/quotes.parquet",
        checks=f"{PAPERS}/seed001/checks.yaml",
    output:
        f"{TRANSFER_LIAONING}/growth_claims.csv",
    log:
        f"{RESULTS}/logs/transfer/seed001.log",
    benchmark:
        f"{RESULTS}/benchmarks/transfer/seed001.tsv"
    conda:
        ENV
    params:
        paper="seed001",
    script:
        "../scripts/transfer_growth_claims.py"
