"""Figures: results/figures/<name>.png and .svg, one rule per kind of figure.

The specs below (what to plot, which claims, titles, units, source lines) are plain values so
they can move to a `figures:` section of config/config.yaml unchanged.
"""

FIGURES = f"{RESULTS}/figures"
TF = f"{RESULTS}/tables/{{paper}}/quotes.parquet"

PANEL_SOURCE = (
    "Source: China Statistical Yearbook (on S&T) via huhuaping/techme, panel china_provinces;"
    " sciteff"
)
CLAIMS_SOURCE = (
    f"{PANEL_SOURCE}.\nClaims: text of Bai (seed000), section 3.2, via quotes.csv"
)

# seed000 Figures 1-4 (images lost): Liaoning's official series with the text's claims.
PANEL_SERIES_FIGURES = {
    "seed000_fig1_fiscal_st_exp": {
        "paper": "seed000",
        "region": "Liaoning",
        "column": "fiscal_st_exp",
        "years": [2016, 2017, 2018, 2019, 2020],
        "unit": "billion yuan",
        "decimals": 2,
        "claims": ["seed000-t001"],
        "title": "Liaoning: fiscal expenditure on S&T, 2016-2020 (rebuilds seed000 Figure 1)",
        "ylabel": "Fiscal S&T expenditure (billion yuan)",
        "source": CLAIMS_SOURCE,
    },
    "seed000_fig2_rd_internal_exp": {
        "paper": "seed000",
        "region": "Liaoning",
        "column": "rd_internal_exp",
        "years": [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020],
        "unit": "billion yuan",
        "decimals": 1,
        "claims": ["seed000-t003"],
        "title": "Liaoning: internal expenditure on R&D, 2013-2020 (rebuilds seed000 Figure 2)",
        "ylabel": "R&D internal expenditure (billion yuan)",
        "source": CLAIMS_SOURCE,
    },
    "seed000_fig3_patents_granted": {
        "paper": "seed000",
        "region": "Liaoning",
        "column": "patents_granted",
        "years": [2015, 2016, 2017, 2018, 2019, 2020],
        "unit": "items",
        "decimals": 0,
        "claims": [],
        "title": "Liaoning: domestic patents granted, 2015-2020 (rebuilds seed000 Figure 3)",
        "ylabel": "Patents granted (items)",
        "source": f"{PANEL_SOURCE}.\nThe paper's Figure 3 also showed applications, which the"
        " panel does not hold; the text quotes no number for this figure.",
    },
    "seed000_fig4_tech_market_turnover": {
        "paper": "seed000",
        "region": "Liaoning",
        "column": "tech_market_turnover_outflow",
        "years": [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020],
        "unit": "billion yuan",
        "decimals": 1,
        "claims": ["seed000-t009"],
        "title": "Liaoning: technology market turnover, 2013-2020 (rebuilds seed000 Figure 4)",
        "ylabel": "Turnover, by region of origin (billion yuan)",
        "source": CLAIMS_SOURCE,
    },
}

DEA_FIGURES = {
    "seed000_table2_dea": {
        "kind": "table",
        "input": f"{RESULTS}/tables/seed000/table2.parquet",
        "label": "area",
        "title": "DEA efficiency of the 31 provinces, 2020 (seed000 Table 2, as published)",
        "source": "Source: Bai (seed000), Table 2, values and RTS marks as printed; sciteff",
    },
    "seed000_table3_dea": {
        "kind": "table",
        "input": f"{RESULTS}/tables/seed000/table3.parquet",
        "label": "area",
        "title": "DEA efficiency of 14 Liaoning cities, 2015-2020 (seed000 Table 3, as published)",
        "source": "Source: Bai (seed000), Table 3, values and RTS marks as printed; sciteff",
    },
    "provinces_2020_dea": {
        "kind": "analysis",
        "input": f"{RESULTS}/efficiency/provinces_2020/dea.csv",
        "period": "2020",
        "title": "DEA efficiency of the provinces, 2020 (sciteff analysis provinces_2020)",
        "source": "Source: sciteff input-oriented DEA on panel china_provinces (China Statistical"
        " Yearbook on S&T via huhuaping/techme);\nDMUs left out are listed in"
        " efficiency/provinces_2020/dea_dropped.csv",
    },
}

MALMQUIST_FIGURES = {
    "seed000_table4_malmquist": {
        "kind": "table",
        "input": f"{RESULTS}/tables/seed000/table4.parquet",
        "label": "area",
        "title": "Malmquist decomposition by city, Liaoning 2015-2020 (seed000 Table 4)",
        "source": "Source: Bai (seed000), Table 4, as printed (mean row: geometric mean,"
        " DEAP convention); sciteff",
    },
    "malmquist_provinces_5ind_annual": {
        "kind": "annual_means",
        "input": f"{RESULTS}/efficiency/provinces_malmquist_5ind/malmquist_annual_means.csv",
        "title": "Malmquist indices per period, mean of the provinces (provinces_malmquist_5ind)",
        "source": "Source: sciteff Malmquist analysis provinces_malmquist_5ind (geometric means"
        " over provinces) on panel china_provinces via huhuaping/techme",
    },
    "malmquist_provinces_5ind_liaoning": {
        "kind": "dmu",
        "dmu": "Liaoning",
        "input": f"{RESULTS}/efficiency/provinces_malmquist_5ind/malmquist.csv",
        "title": "Liaoning's Malmquist indices per period (provinces_malmquist_5ind)",
        "source": "Source: sciteff Malmquist analysis provinces_malmquist_5ind on panel"
        " china_provinces via huhuaping/techme",
    },
}

TABLE_FIGURES = {
    "seed002_table1_four_provinces": {
        "rule": "indicator_panels",
        "input": f"{RESULTS}/tables/seed002/table1.parquet",
        "title": "R&D personnel, R&D expenditure and patents granted, 2015 vs 2016"
        " (seed002 Table 1)",
        "names": {
            "rd_personnel": "R&D personnel",
            "rd_expenditure": "Internal expenditure on R&D",
            "patents_granted": "Patents granted",
        },
        "source": "Source: Guo (seed002), Table 1, values as printed; sciteff",
    },
    "seed003_table3_conversion_rates": {
        "rule": "conversion_rates",
        "input": f"{RESULTS}/tables/seed003/table3.parquet",
        "title": "Local conversion rates in Dalian, 2022 vs 2023 (labels as printed in Table 3)",
        "source": "Source: Liu et al. (seed003), Table 3, as printed (Dalian Municipal S&T"
        " Bureau); sciteff.\nTable 3's row labels disagree with Tables 4 and 5 for the same"
        " numbers (see raw_data/papers/seed003/table3.yaml).",
    },
    "seed003_table2_fields": {
        "rule": "field_volumes",
        "input": f"{RESULTS}/tables/seed003/table2.parquet",
        "title": "Dalian technology contracts: transaction volume by field, 2021-2023"
        " (seed003 Table 2)",
        "xlabel": "Transaction volume (100 million yuan; unit not printed, inferred from the text)",
        "source": "Source: Liu et al. (seed003), Table 2, as printed (Dalian National Technology"
        " Contract Management and Service System); sciteff.\nThe printed Total row is not drawn (its 2021 value"
        " exceeds the sum of the fields; see raw_data/papers/seed003/table2.yaml).",
    },
    "seed003_table5_average_contracts": {
        "rule": "average_contracts",
        "input": f"{RESULTS}/tables/seed003/table5.parquet",
        "claims": f"{RESULTS}/tables/seed003/quotes.parquet",
        "national_claim": "seed003-t028",
        "national_label": "National average in the text: {value:g} (as printed)",
        "title": "Average contract amount per institution vs the national average, 2023"
        " (seed003 Table 5)",
        "xlabel": "Average contract amount (thousand RMB, the unit printed in Table 5)\n"
        "Table 3 prints the same amounts in RMB 10,000: probably a factor-10 unit error",
        "source": "Source: Liu et al. (seed003), Table 5 (Dalian S&T Bureau) and text"
        " section 3.2, as printed; sciteff",
    },
}


# Wildcard constraints: each rule matches exactly the figure names in its spec dictionary.
FIGURE_NAMES = {
    "panel_series": "|".join(PANEL_SERIES_FIGURES),
    "dea": "|".join(DEA_FIGURES),
    "malmquist": "|".join(MALMQUIST_FIGURES),
    **{
        kind: "|".join(n for n, spec in TABLE_FIGURES.items() if spec["rule"] == kind)
        for kind in (
            "indicator_panels",
            "conversion_rates",
            "field_volumes",
            "average_contracts",
        )
    },
}

TARGETS.extend(
    f"{FIGURES}/{name}.{ext}"
    for name in [
        *PANEL_SERIES_FIGURES,
        *DEA_FIGURES,
        *MALMQUIST_FIGURES,
        *TABLE_FIGURES,
    ]
    for ext in ("png", "svg")
)


rule figure_panel_series:
    """A region's official panel series with the paper's text claims drawn over it."""
    input:
        panel=lambda w: panel_parquets(
            "china_provinces", PANEL_SERIES_FIGURES[w.name]["years"]
        ),
        claims=lambda w: TF.format(paper=PANEL_SERIES_FIGURES[w.name]["paper"]),
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["panel_series"],
    conda:
        ENV
    params:
        spec=lambda w: PANEL_SERIES_FIGURES[w.name],
    script:
        "../scripts/figure_panel_series.py"


rule figure_dea:
    """crste / vrste / scale by DMU with RTS marks, from a published table or an analysis."""
    input:
        lambda w: DEA_FIGURES[w.name]["input"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["dea"],
    conda:
        ENV
    params:
        spec=lambda w: DEA_FIGURES[w.name],
    script:
        "../scripts/figure_dea.py"


rule figure_malmquist:
    """Malmquist indices per DMU (published table) or per period (analysis means, one DMU)."""
    input:
        lambda w: MALMQUIST_FIGURES[w.name]["input"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["malmquist"],
    conda:
        ENV
    params:
        spec=lambda w: MALMQUIST_FIGURES[w.name],
    script:
        "../scripts/figure_malmquist.py"


rule figure_indicator_panels:
    """Small multiples of a table printed wide by year, one panel per indicator."""
    input:
        lambda w: TABLE_FIGURES[w.name]["input"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["indicator_panels"],
    conda:
        ENV
    params:
        spec=lambda w: TABLE_FIGURES[w.name],
    script:
        "../scripts/figure_indicator_panels.py"


rule figure_conversion_rates:
    """Local conversion rates by institution, by count and by amount, per year."""
    input:
        lambda w: TABLE_FIGURES[w.name]["input"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["conversion_rates"],
    conda:
        ENV
    params:
        spec=lambda w: TABLE_FIGURES[w.name],
    script:
        "../scripts/figure_conversion_rates.py"


rule figure_field_volumes:
    """Technology-contract transaction volume by technical field, per year."""
    input:
        lambda w: TABLE_FIGURES[w.name]["input"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["field_volumes"],
    conda:
        ENV
    params:
        spec=lambda w: TABLE_FIGURES[w.name],
    script:
        "../scripts/figure_field_volumes.py"


rule figure_average_contracts:
    """Average contract amount per institution against the national average in the text."""
    input:
        table=lambda w: TABLE_FIGURES[w.name]["input"],
        claims=lambda w: TABLE_FIGURES[w.name]["claims"],
    output:
        png=report(
            f"{FIGURES}/{{name}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{name}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{name}}.tsv"
    wildcard_constraints:
        name=FIGURE_NAMES["average_contracts"],
    conda:
        ENV
    params:
        spec=lambda w: TABLE_FIGURES[w.name],
    script:
        "../scripts/figure_average_contracts.py"
