"""Glue: a sharded Malmquist analysis' frontiers and shard plan (rule malmquist_frontier)."""

import json

from sciteff.core.io import read_parquets, write_text
from sciteff.core.runlog import logged
from sciteff.efficiency import malmquist_jobs, shards

with logged(snakemake.log[0]) as log:
    source = ", ".join(snakemake.input)
    frame = read_parquets(snakemake.input)
    plan = malmquist_jobs.frontier_job(frame, snakemake.params.spec, source=source)
    shards.save(plan, snakemake.output.frontier)
    counts = {"shards": len(plan["runs"]), "blocks": len(plan["blocks"])}
    write_text(json.dumps(counts) + "\n", snakemake.output.plan)
    log.info("%d DMUs x %d periods, frontier sizes %s", len(plan["dmus"]),
             len(plan["periods"]), malmquist_jobs.frontier_sizes(plan))  # fmt: skip
    log.info("%d blocks in %d shards", counts["blocks"], counts["shards"])
