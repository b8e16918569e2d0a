"""Glue: a sharded DEA analysis' frontier step and shard plan (snakemake rule dea_frontier)."""

import json

from sciteff.core.io import read_parquets, write_text
from sciteff.core.runlog import logged
from sciteff.efficiency import shards
from sciteff.efficiency.analyses import analysis_data, complete_rows

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    data, _ = analysis_data(read_parquets(snakemake.input), spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, _ = complete_rows(data, variables, drop=drop, source=source)
    units = shards.plan_units(data)
    runs = shards.shard_units(units, shards.shard_count(spec, len(data)))
    fronts = shards.frontiers(data, spec, source=source)
    shards.save({"units": units, "runs": runs, "fronts": fronts}, snakemake.output.frontier)
    write_text(json.dumps({"shards": len(runs), "units": len(units)}) + "\n", snakemake.output.plan)
    for period, front in fronts.items():
        sizes = {rts: int(idx.size) for rts, idx in front.frontier.items()}
        log.info("period %s: %d DMUs, frontier sizes %s", period, front.n, sizes)
    log.info("%d units in %d shards", len(units), len(runs))
