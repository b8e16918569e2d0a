"""Glue: transaction volume by technical field (rule figure_field_volumes)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import field_volumes
from sciteff.figures.plots import plot_field_volumes
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    frame = field_volumes(pd.read_parquet(snakemake.input[0]))
    fig = plot_field_volumes(
        frame, title=spec["title"], source=spec["source"], xlabel=spec["xlabel"]
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d volumes from %s", len(frame), snakemake.input[0])
