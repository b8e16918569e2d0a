"""Glue: Malmquist indices per DMU or per period (rule figure_malmquist)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import malmquist_from_table, malmquist_of, malmquist_periods
from sciteff.figures.plots import plot_malmquist_dmu, plot_malmquist_periods
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    kind = spec["kind"]
    if kind == "table":
        frame = malmquist_from_table(pd.read_parquet(snakemake.input[0]), label=spec["label"])
        fig = plot_malmquist_dmu(frame, title=spec["title"], source=spec["source"])
    elif kind == "annual_means":
        frame = malmquist_periods(pd.read_csv(snakemake.input[0]))
        fig = plot_malmquist_periods(frame, title=spec["title"], source=spec["source"])
    elif kind == "dmu":
        frame = malmquist_of(pd.read_csv(snakemake.input[0]), spec["dmu"])
        fig = plot_malmquist_periods(frame, title=spec["title"], source=spec["source"])
    else:
        raise ValueError(f"unknown Malmquist figure kind {kind!r}")
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%s: %d rows from %s", kind, len(frame), snakemake.input[0])
