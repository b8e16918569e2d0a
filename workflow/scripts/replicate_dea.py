"""Glue: compare a DEA analysis with the published table (snakemake rule replicate_dea), with
the robustness variants declared beside the paper (raw_data/papers/<paper>/replication.yaml)."""

import pandas as pd
import yaml

from sciteff.core.io import read_parquets, write_csv, write_text
from sciteff.core.runlog import logged
from sciteff.efficiency.analyses import complete_rows, panel_data, run_dea
from sciteff.efficiency.replication import (
    agreement,
    replication_note,
    robustness,
    sensitivity,
    side_by_side,
)
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
    robust = pd.DataFrame()
    if snakemake.input.robustness:
        with open(snakemake.input.robustness[0], encoding="utf-8") as handle:
            declared = (yaml.safe_load(handle) or {}).get(spec["compare_to"]["table"])
        if declared:
            panel = read_parquets(snakemake.input.panel)
            source = ", ".join(snakemake.input.panel)

            def score_variant(fields):
                rename = dict(fields.get("replace") or {})
                variant = {k: v for k, v in fields.items() if k != "replace"}
                variant = {**spec, **variant}
                for side in ("inputs", "outputs"):
                    variant[side] = [rename.get(v, v) for v in variant[side]]
                rows, _ = panel_data(panel, variant, source=source)
                variables = [*variant["inputs"], *variant["outputs"]]
                rows, _ = complete_rows(rows, variables, drop=True, source=source)
                return run_dea(rows, variant, source=source)

            robust = robustness(published, score_variant, declared["factors"], label=label)
    write_csv(comparison, snakemake.output.comparison)
    write_csv(pd.DataFrame([summary]), snakemake.output.agreement)
    write_csv(sens, snakemake.output.sensitivity)
    write_csv(robust, snakemake.output.robustness)
    title = f"Replication of {spec['compare_to']['paper']} {spec['compare_to']['table']}"
    note = replication_note(summary, sens, dropped, title=title, robust=robust)
    write_text(note, snakemake.output.note)
    log.info(
        "Spearman crste %.3f (p %.3g) over %d DMUs; %d robustness variants",
        summary["spearman_crste"],
        summary["spearman_p_crste"],
        summary["n_crste"],
        len(robust),
    )
