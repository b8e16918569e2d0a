"""Glue: one configured DEA analysis (snakemake rule dea_analysis)."""

import pandas as pd

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import analysis_data, complete_rows, run_dea
from sciteff.ingest.corrections import cells_for

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    frame = read_parquets(snakemake.input)
    if "paper" in spec["source"]:  # corrected cells, or as printed with `cells: printed`
        frame = cells_for(frame, spec["source"])
    data, excluded = analysis_data(frame, spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, incomplete = complete_rows(data, variables, drop=drop, source=source)
    summary = run_dea(data, spec, source=source)
    write_csv(summary, snakemake.output.summary)
    write_csv(data, snakemake.output.data)
    write_csv(pd.concat([excluded, incomplete], ignore_index=True), snakemake.output.dropped)
    for warning in summary.attrs.get("warnings", []):
        log.warning(warning)
    log.info("%d DMU-periods scored, %d left out", len(summary), len(excluded) + len(incomplete))
