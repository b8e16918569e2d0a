"""Glue: one configured SBM analysis (snakemake rule sbm_analysis)."""

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import run_sbm, scored_rows

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    variables = [*spec["inputs"], *spec["outputs"], *spec.get("undesirable", [])]
    data, dropped = scored_rows(read_parquets(snakemake.input), spec, variables, source=source)
    scores = run_sbm(data, spec, source=source)
    write_csv(scores, snakemake.output.scores)
    write_csv(data, snakemake.output.data)
    write_csv(dropped, snakemake.output.dropped)
    log.info("%d DMU-periods scored, %d left out", len(scores), len(dropped))
