"""Glue: the replication shards of a bootstrap analysis joined into exactly the files
bootstrap_analysis writes (rule bootstrap_gather)."""

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.efficiency import shards
from sciteff.efficiency.analyses import run_bootstrap
from sciteff.efficiency.bootstrap_shards import analysis_input, gather_replications, write_outputs

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input.source)
    data, dropped = analysis_input(read_parquets(snakemake.input.source), spec, source=source)
    gathered = gather_replications([shards.load(p) for p in snakemake.input.shards])
    scores, test = run_bootstrap(data, spec, source=source, replications=gathered)
    write_outputs(dict(snakemake.output.items()), scores, test, data, dropped)
    for warning in scores.attrs.get("warnings", []):
        log.warning(warning)
    log.info(
        "%d DMU-periods bootstrapped from %d shards, %d left out",
        len(scores), len(snakemake.input.shards), len(dropped),
    )  # fmt: skip
