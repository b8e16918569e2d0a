"""Glue: a sharded Malmquist analysis' shards joined into malmquist_analysis' files
(rule malmquist_gather)."""

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency import malmquist_jobs, shards

with logged(snakemake.log[0]) as log:
    source = ", ".join(snakemake.input.source)
    frame = read_parquets(snakemake.input.source)
    plan = shards.load(snakemake.input.frontier)
    parts = [part for path in snakemake.input.shards for part in shards.load(path)]
    result, tables, data = malmquist_jobs.gather_job(
        frame, snakemake.params.spec, plan, parts, source=source
    )
    for name, table in tables.items():
        write_csv(table, snakemake.output[name])
    write_csv(data, snakemake.output.data)
    log.info("periods %s, %d DMUs dropped", list(result.periods), len(tables["dropped"]))
