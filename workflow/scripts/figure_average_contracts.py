"""Glue: average contract amount per institution vs the national average
(rule figure_average_contracts)."""

import pandas as pd

from sciteff.figures import close, save_figure
from sciteff.figures_data import average_contracts
from sciteff.figures_plots import plot_average_contracts
from sciteff.runlog import logged

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
