"""Glue: mirror one paper table with its audit verdicts (snakemake rule mirror_table)."""

import pandas as pd

from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.report.mirror import mirror

with logged(snakemake.log[0]) as log:
    cells = pd.read_parquet(snakemake.input.cells)
    findings = pd.read_csv(snakemake.input.findings, keep_default_na=False)
    table = mirror(cells, findings)
    write_csv(table, snakemake.output[0])
    log.info("%d rows mirrored", len(table))
