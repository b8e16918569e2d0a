"""Glue: ingest one transcribed table (snakemake rule ingest_table), with the paper's declared
corrections (corrections.yaml beside the transcription) applied."""

from sciteff.core.io import write_parquet
from sciteff.core.runlog import logged
from sciteff.ingest.corrections import apply_corrections, load_corrections
from sciteff.ingest.tables import ingest_table, load_table_spec, table_metadata

with logged(snakemake.log[0]) as log:
    spec = load_table_spec(snakemake.input.sidecar)
    cells = ingest_table(snakemake.input.csv, spec)
    declared = [c for p in getattr(snakemake.input, "corrections", []) for c in load_corrections(p)]
    cells = apply_corrections(cells, declared)
    write_parquet(cells, snakemake.output[0], metadata=table_metadata(spec))
    n_corrected = int((cells["correction"] != "").sum())
    log.info(
        "%s %s: %d cells from %s (%d corrected)",
        spec.paper,
        spec.table,
        len(cells),
        snakemake.input.csv,
        n_corrected,
    )
