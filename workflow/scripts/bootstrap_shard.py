"""Glue: one replication shard of a sharded bootstrap analysis (rule bootstrap_shard)."""

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.efficiency import shards
from sciteff.efficiency.bootstrap_shards import analysis_input, shard_replications

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    data, _ = analysis_input(read_parquets(snakemake.input), spec, source=source)
    shard = int(snakemake.wildcards.shard)
    parts = shard_replications(data, spec, source=source, shard=shard, workers=snakemake.threads)
    shards.save(parts, snakemake.output[0])
    first = next(iter(parts.values()))[0] if parts else None
    span = f"{first.start}-{first.stop - 1}" if first is not None else "none"
    log.info("shard %d: replications %s of %d period(s)", shard, span, len(parts))
