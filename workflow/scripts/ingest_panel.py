"""Glue: ingest every year file of a panel (snakemake rule ingest_panel)."""

from sciteff.io import write_parquet
from sciteff.panels import load_panel_spec, read_panel, units_table
from sciteff.runlog import logged

with logged(snakemake.log[0]) as log:
    spec = load_panel_spec(snakemake.input.spec)
    panel = read_panel(list(snakemake.input.years), spec)
    units = units_table(spec).to_dict(orient="records")
    write_parquet(panel, snakemake.output[0], metadata={"dataset": spec.dataset, "units": units})
    log.info("%s: %d rows, years %s", spec.dataset, len(panel), sorted(set(panel["year"])))
