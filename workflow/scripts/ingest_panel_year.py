"""Glue: ingest one year file of a panel (snakemake rule ingest_panel_year)."""

from sciteff.core.io import write_parquet
from sciteff.core.runlog import logged
from sciteff.ingest.panels import load_panel_spec, read_panel, units_table

with logged(snakemake.log[0]) as log:
    spec = load_panel_spec(snakemake.input.spec)
    panel = read_panel([snakemake.input.year], spec)
    units = units_table(spec).to_dict(orient="records")
    write_parquet(panel, snakemake.output[0], metadata={"dataset": spec.dataset, "units": units})
    log.info("%s %s: %d rows", spec.dataset, snakemake.wildcards.year, len(panel))
