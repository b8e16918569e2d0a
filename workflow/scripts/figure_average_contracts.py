"""Glue: average contract amount per institution vs the national average
(rule figure_average_contracts)."""

import pandas as pd

from sciteff.core.runlog import logged
from sciteff.figures.data import average_contracts
from sciteff.figures.plots import plot_average_contracts
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    frame, national = average_contracts(
        pd.read_parquet(snakemake.input.table),
        pd.read_parquet(snakemake.input.claims),
        spec["national_claim"],
    )
    fig = plot_average_contracts(
        frame,
        national,
        title=spec["title"],
        source=spec["source"],
        xlabel=spec["xlabel"],
        national_label=spec["national_label"].format(value=national),
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info("%d institutions; national average %s", len(frame), national)
