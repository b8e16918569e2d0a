"""Glue: one scoring shard of a sharded DEA analysis (snakemake rule dea_shard)."""

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.efficiency import shards
from sciteff.efficiency.analyses import analysis_data, complete_rows

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input.source)
    data, _ = analysis_data(read_parquets(snakemake.input.source), spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, _ = complete_rows(data, variables, drop=drop, source=source)
    plan = shards.load(snakemake.input.frontier)
    run = plan["runs"][int(snakemake.wildcards.shard)]
    parts = shards.score_units(data, spec, run, plan["fronts"], source=source)
    shards.save(parts, snakemake.output[0])
    log.info("shard %s: %d units, %d DMU-periods", snakemake.wildcards.shard, len(run),
             sum(u.stop - u.start for u in run))  # fmt: skip
