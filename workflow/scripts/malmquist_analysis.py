"""Glue: one configured Malmquist analysis (snakemake rule malmquist_analysis)."""

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import analysis_data, malmquist_tables, run_malmquist
from sciteff.ingest.corrections import cells_for

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    frame = read_parquets(snakemake.input)
    if "paper" in spec["source"]:  # corrected cells, or as printed with `cells: printed`
        frame = cells_for(frame, spec["source"])
    data, excluded = analysis_data(frame, spec, source=source)
    result = run_malmquist(data, spec, source=source)
    tables = malmquist_tables(result, excluded)
    for name, frame in tables.items():
        write_csv(frame, snakemake.output[name])
    write_csv(data, snakemake.output.data)
    log.info("periods %s, %d DMUs dropped", list(result.periods), len(tables["dropped"]))
