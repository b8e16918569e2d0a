"""Glue: a region's panel series with the paper's text claims over it (rule figure_panel_series)."""

import pandas as pd

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.figures.data import compare_claims, region_series, select_claims
from sciteff.figures.plots import plot_series_with_claims
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    panel = read_parquets(snakemake.input.panel)
    series = region_series(panel, spec["region"], spec["column"], spec["years"], spec["unit"])
    claims = select_claims(pd.read_parquet(snakemake.input.claims), spec.get("claims", []))
    comparison = compare_claims(series, claims, spec["unit"])
    fig = plot_series_with_claims(
        series,
        comparison,
        title=spec["title"],
        ylabel=spec["ylabel"],
        unit=spec["unit"],
        source=spec["source"],
        decimals=spec.get("decimals", 1),
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%s %s: %s", spec["region"], spec["column"], series.to_dict("records"))
    for row in comparison.to_dict("records"):
        log.info("claim %s", row)
