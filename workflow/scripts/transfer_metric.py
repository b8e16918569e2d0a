"""Glue: one declared transfer metric of a paper (snakemake rule transfer_metric)."""

from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.published import load_paper_numbers
from sciteff.transfer.declared import compute_declared

with logged(snakemake.log[0]) as log:
    nums = load_paper_numbers(
        snakemake.wildcards.paper, snakemake.input.tables, snakemake.input.quotes
    )
    frame = compute_declared(nums, snakemake.input.declaration, snakemake.wildcards.metric)
    write_csv(frame, snakemake.output[0])
    log.info("%s %s: %d rows", snakemake.wildcards.paper, snakemake.wildcards.metric, len(frame))
