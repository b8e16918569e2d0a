"""Glue: one configured DEA window analysis (snakemake rule window_analysis)."""

from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import analysis_data, run_window, window_dropped

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    source = ", ".join(snakemake.input)
    data, excluded = analysis_data(read_parquets(snakemake.input), spec, source=source)
    result = run_window(data, spec, source=source)
    write_csv(result.scores, snakemake.output.scores)
    write_csv(result.table, snakemake.output.table)
    write_csv(data, snakemake.output.data)
    dropped = window_dropped(result, excluded)
    write_csv(dropped, snakemake.output.dropped)
    log.info("periods %s, width %d, %d left out", list(result.periods), result.width, len(dropped))
