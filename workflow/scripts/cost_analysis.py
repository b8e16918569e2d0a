"""Glue: one configured cost-DEA analysis (snakemake rule cost_analysis)."""

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import run_cost, scored_rows

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    variables = [*spec["inputs"], *spec["outputs"], *spec.get("prices", [])]
    data, dropped = scored_rows(read_parquets(snakemake.input), spec, variables, source=source)
    scores = run_cost(data, spec, source=source)
    write_csv(scores, snakemake.output.scores)
    write_csv(data, snakemake.output.data)
    write_csv(dropped, snakemake.output.dropped)
    for warning in scores.attrs.get("warnings", []):
        log.warning(warning)
    log.info("%d DMU-periods scored, %d left out", len(scores), len(dropped))
