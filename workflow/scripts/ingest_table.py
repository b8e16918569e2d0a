"""Glue: ingest one transcribed table (snakemake rule ingest_table)."""

from sciteff.core.io import write_parquet
from sciteff.core.runlog import logged
from sciteff.ingest.tables import ingest_table, load_table_spec, table_metadata

with logged(snakemake.log[0]) as log:
    spec = load_table_spec(snakemake.input.sidecar)
    cells = ingest_table(snakemake.input.csv, spec)
    write_parquet(cells, snakemake.output[0], metadata=table_metadata(spec))
    log.info("%s %s: %d cells from %s", spec.paper, spec.table, len(cells), snakemake.input.csv)
