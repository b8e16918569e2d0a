"""Glue: audit one paper (snakemake rule audit_paper)."""

from pathlib import Path

import pandas as pd

from sciteff.audit.findings import audit_paper, load_checks
from sciteff.core.io import read_parquets, write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.corrections import load_corrections

with logged(snakemake.log[0]) as log:
    paper = snakemake.params.paper
    tables = {Path(p).stem: pd.read_parquet(p) for p in snakemake.input.tables}
    figures = pd.read_parquet(snakemake.input.figures[0]) if snakemake.input.figures else None
    panel = read_parquets(snakemake.input.panel) if snakemake.input.panel else None
    corrections = [c for p in snakemake.input.corrections for c in load_corrections(p)]
    checks = load_checks(snakemake.input.checks)
    result = audit_paper(paper, tables, figures, checks, panel, corrections)
    write_csv(result.findings, snakemake.output.findings)
    write_csv(result.coverage, snakemake.output.coverage)
    write_csv(result.checks, snakemake.output.checks)
    write_csv(result.reconciliation, snakemake.output.reconciliation)
    write_csv(result.errors, snakemake.output.errors)
    log.info(
        "%s: %d findings %s, %d errors",
        paper,
        len(result.findings),
        result.findings["verdict"].value_counts().to_dict(),
        len(result.errors),
    )
