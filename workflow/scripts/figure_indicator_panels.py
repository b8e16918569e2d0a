"""Glue: small multiples of a table printed wide by year (rule figure_indicator_panels)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import indicator_panels
from sciteff.figures.plots import plot_indicator_panels
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    frame = indicator_panels(pd.read_parquet(snakemake.input[0]))
    fig = plot_indicator_panels(
        frame, title=spec["title"], source=spec["source"], names=spec.get("names")
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d values from %s", len(frame), snakemake.input[0])
