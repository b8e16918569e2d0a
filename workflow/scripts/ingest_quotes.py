"""Glue: ingest a paper's quotes (snakemake rule ingest_quotes)."""

from sciteff.core.io import write_parquet
from sciteff.core.runlog import logged
from sciteff.ingest.tables import ingest_quotes

with logged(snakemake.log[0]) as log:
    figures = ingest_quotes(
        snakemake.input.quotes, paper=snakemake.params.paper, source=snakemake.input.source
    )
    write_parquet(figures, snakemake.output[0])
    log.info("%s: %d quotes", snakemake.params.paper, len(figures))
