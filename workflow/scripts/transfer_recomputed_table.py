"""Glue: a printed table with recomputed columns (snakemake rule transfer_recomputed_table)."""

from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.published import load_paper_numbers
from sciteff.transfer.metrics import recomputed_table

with logged(snakemake.log[0]) as log:
    nums = load_paper_numbers(snakemake.wildcards.paper, snakemake.input.tables, [])
    frame = recomputed_table(nums, snakemake.wildcards.table, snakemake.params.formulas)
    write_csv(frame, snakemake.output[0])
    log.info("%s %s: %d rows", snakemake.wildcards.paper, snakemake.wildcards.table, len(frame))
