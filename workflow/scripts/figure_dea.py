"""Glue: DEA scores by DMU, from a published table or an analysis (rule figure_dea)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import dea_from_analysis, dea_from_table
from sciteff.figures.plots import plot_dea
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    if spec["kind"] == "table":
        frame = dea_from_table(pd.read_parquet(snakemake.input[0]), label=spec["label"])
    else:
        frame = dea_from_analysis(pd.read_csv(snakemake.input[0]), spec.get("period"))
    fig = plot_dea(frame, title=spec["title"], source=spec["source"])
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d rows from %s", len(frame), snakemake.input[0])
