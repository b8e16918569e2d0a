"""Glue: seed003's transfer metrics and mirrored tables (snakemake rule transfer_dalian)."""

from pathlib import Path

import pandas as pd

from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.published import PaperNumbers
from sciteff.transfer.metrics import (
    conversion_rates,
    field_composition,
    mirror,
    per_contract_averages,
)

with logged(snakemake.log[0]) as log:
    tables = {Path(p).stem: pd.read_parquet(p) for p in snakemake.input.tables}
    nums = PaperNumbers(snakemake.params.paper, tables)
    write_csv(conversion_rates(nums, snakemake.params.rates), snakemake.output.rates)
    write_csv(per_contract_averages(nums, snakemake.params.averages), snakemake.output.averages)
    write_csv(field_composition(nums, snakemake.params.fields), snakemake.output.fields)
    for table, spec in snakemake.params.mirrors.items():
        write_csv(mirror(nums, table, spec), snakemake.output[table])
    log.info("%s: transfer metrics for %s", snakemake.params.paper, sorted(tables))
