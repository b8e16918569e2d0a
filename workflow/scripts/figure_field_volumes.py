"""Glue: transaction volume by technical field (rule figure_field_volumes)."""

import pandas as pd

from sciteff.figures import close, save_figure
from sciteff.figures_data import field_volumes
from sciteff.figures_plots import plot_field_volumes
from sciteff.runlog import logged

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    frame = field_volumes(pd.read_parquet(snakemake.input[0]))
    fig = plot_field_volumes(
        frame, title=spec["title"], source=spec["source"], xlabel=spec["xlabel"]
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d volumes from %s", len(frame), snakemake.input[0])
