"""Glue: a printed table with recomputed columns (snakemake rule transfer_recomputed_table)."""

from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.published import load_paper_numbers
from sciteff.transfer.declared import recompute_declared

with logged(snakemake.log[0]) as log:
    nums = load_paper_numbers(snakemake.wildcards.paper, snakemake.input.tables, [])
    frame = recompute_declared(nums, snakemake.input.declaration, snakemake.wildcards.table)
    write_csv(frame, snakemake.output[0])
    log.info("%s %s: %d rows", snakemake.wildcards.paper, snakemake.wildcards.table, len(frame))
