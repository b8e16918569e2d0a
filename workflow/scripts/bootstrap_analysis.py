"""Glue: one configured bootstrap analysis (snakemake rule bootstrap_analysis)."""

import pandas as pd

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import analysis_data, complete_rows, run_bootstrap

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    data, excluded = analysis_data(read_parquets(snakemake.input), spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, incomplete = complete_rows(data, variables, drop=drop, source=source)
    scores, test = run_bootstrap(data, spec, source=source)
    write_csv(scores, snakemake.output.scores)
    write_csv(test, snakemake.output.rts_test)
    write_csv(data, snakemake.output.data)
    write_csv(pd.concat([excluded, incomplete], ignore_index=True), snakemake.output.dropped)
    for warning in scores.attrs.get("warnings", []):
        log.warning(warning)
    log.info(
        "%d DMU-periods bootstrapped, %d left out", len(scores), len(excluded) + len(incomplete)
    )
