"""Glue: a sharded DEA analysis' shards joined into dea_analysis' files (rule dea_gather)."""

import pandas as pd

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency import shards
from sciteff.efficiency.analyses import analysis_data, complete_rows, dea_table

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input.source)
    data, excluded = analysis_data(read_parquets(snakemake.input.source), spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, incomplete = complete_rows(data, variables, drop=drop, source=source)
    plan = shards.load(snakemake.input.frontier)
    parts = [part for path in snakemake.input.shards for part in shards.load(path)]
    scored = shards.gather_units(parts, plan["units"])
    summary = dea_table(scored)
    write_csv(summary, snakemake.output.summary)
    write_csv(data, snakemake.output.data)
    write_csv(pd.concat([excluded, incomplete], ignore_index=True), snakemake.output.dropped)
    for _, period_summary, _ in scored:
        for warning in period_summary.attrs.get("warnings", []):
            log.warning(warning)
    log.info("%d DMU-periods scored, %d left out", len(summary), len(excluded) + len(incomplete))
