"""Glue: one scoring shard of a sharded Malmquist analysis (rule malmquist_shard)."""

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.efficiency import malmquist_jobs, shards

with logged(snakemake.log[0]) as log:
    source = ", ".join(snakemake.input.source)
    frame = read_parquets(snakemake.input.source)
    plan = shards.load(snakemake.input.frontier)
    shard = int(snakemake.wildcards.shard)
    parts = malmquist_jobs.shard_job(frame, snakemake.params.spec, plan, shard, source=source)
    shards.save(parts, snakemake.output[0])
    log.info("shard %d: %d blocks, %d DMUs", shard, len(parts),
             sum(b.stop - b.start for b, _ in parts))  # fmt: skip
