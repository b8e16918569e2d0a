"""Glue: local conversion rates by institution (rule figure_conversion_rates)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import conversion_rates
from sciteff.figures.plots import plot_conversion_rates
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    frame = conversion_rates(pd.read_parquet(snakemake.input[0]))
    fig = plot_conversion_rates(frame, title=spec["title"], source=spec["source"])
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d rates from %s", len(frame), snakemake.input[0])
