"""Glue: ingest a paper's text figures (snakemake rule ingest_text_figures)."""

from sciteff.io import write_parquet
from sciteff.runlog import logged
from sciteff.sources import ingest_text_figures

with logged(snakemake.log[0]) as log:
    figures = ingest_text_figures(snakemake.input[0], paper=snakemake.params.paper)
    write_parquet(figures, snakemake.output[0])
    log.info("%s: %d text figures", snakemake.params.paper, len(figures))
