"""Glue: one configured bootstrap analysis (snakemake rule bootstrap_analysis)."""

from sciteff.core.io import read_parquets
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import run_bootstrap
from sciteff.efficiency.bootstrap_shards import analysis_input, write_outputs

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    data, dropped = analysis_input(read_parquets(snakemake.input), spec, source=source)
    scores, test = run_bootstrap(data, spec, source=source)
    write_outputs(dict(snakemake.output.items()), scores, test, data, dropped)
    for warning in scores.attrs.get("warnings", []):
        log.warning(warning)
    log.info("%d DMU-periods bootstrapped, %d left out", len(scores), len(dropped))
