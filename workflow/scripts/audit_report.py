"""Glue: combine the papers' audits into one findings table and report (rule audit_report)."""

import pandas as pd

from sciteff.audit.findings import render_markdown
from sciteff.core.io import write_csv, write_text
from sciteff.core.runlog import logged

with logged(snakemake.log[0]) as log:
    findings = pd.concat([pd.read_csv(p, dtype=str) for p in snakemake.input.findings])
    coverage = pd.concat([pd.read_csv(p, dtype=str) for p in snakemake.input.coverage])
    errors = pd.concat([pd.read_csv(p, dtype=str) for p in snakemake.input.errors])
    findings = findings.fillna("")
    coverage = coverage.fillna("")
    errors = errors.fillna("")
    write_csv(findings, snakemake.output.findings)
    write_csv(coverage, snakemake.output.coverage)
    write_csv(errors, snakemake.output.errors)
    write_text(render_markdown(findings, coverage, errors), snakemake.output.report)
    log.info(
        "audit: %d findings %s, %d errors %s",
        len(findings),
        findings["verdict"].value_counts().to_dict(),
        len(errors),
        errors["severity"].value_counts().to_dict(),
    )
