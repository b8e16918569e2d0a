"""Glue: compare a DEA analysis with the published table (snakemake rule replicate_dea)."""

import pandas as pd

from sciteff.core.io import write_csv, write_text
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import run_dea
from sciteff.efficiency.replication import agreement, replication_note, sensitivity, side_by_side
from sciteff.ingest.tables import wide

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    table = wide(pd.read_parquet(snakemake.input.published))
    label = spec["compare_to"].get("label", "area")
    published = table[table[label] != spec["compare_to"].get("mean_label", "mean")]
    data = pd.read_csv(snakemake.input.data)
    dropped = pd.read_csv(snakemake.input.dropped)

    def score(inputs, outputs):
        return run_dea(data, {**spec, "inputs": inputs, "outputs": outputs}, source="replication")

    ours = score(spec["inputs"], spec["outputs"])
    comparison = side_by_side(published, ours, label=label)
    summary = agreement(comparison)
    sens = sensitivity(published, score, spec["inputs"], spec["outputs"], label=label)
    write_csv(comparison, snakemake.output.comparison)
    write_csv(pd.DataFrame([summary]), snakemake.output.agreement)
    write_csv(sens, snakemake.output.sensitivity)
    title = f"Replication of {spec['compare_to']['paper']} {spec['compare_to']['table']}"
    write_text(replication_note(summary, sens, dropped, title=title), snakemake.output.note)
    log.info("Spearman crste %.3f over %d DMUs", summary["spearman_crste"], len(comparison))
