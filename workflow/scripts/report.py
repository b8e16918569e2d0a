"""Glue: the self-contained HTML report (snakemake rule report)."""

import json
from pathlib import Path

import pandas as pd
import yaml

from sciteff.core.io import write_text
from sciteff.core.runlog import logged
from sciteff.report.html import AnalysisInputs, PaperInputs, build_report

with logged(snakemake.log[0]) as log:
    built = [Path(p) for p in snakemake.input]
    figures = sorted(p for p in built if p.suffix == ".png")
    papers = []
    for meta_file in sorted(Path(p) for p in snakemake.input.papers):
        folder = meta_file.parent
        paper = folder.name
        text = [Path(p) for p in snakemake.input.quotes if Path(p).parent.name == paper]
        papers.append(
            PaperInputs(
                paper=paper,
                meta=yaml.safe_load(meta_file.read_text(encoding="utf-8")),
                tables=sorted(
                    Path(p) for p in snakemake.input.tables if Path(p).parent.name == paper
                ),
                quotes=text[0] if text else None,
                figures=[f for f in figures if f.name.startswith(paper)],
            )
        )
    analyses = [
        AnalysisInputs(name, a["spec"], {k: Path(v) for k, v in a["files"].items()})
        for name, a in snakemake.params.analyses.items()
    ]
    other_figures = [f for f in figures if not f.name.startswith("seed")]
    findings = pd.read_csv(snakemake.input.findings, keep_default_na=False)
    prov = json.loads(Path(snakemake.input.provenance).read_text(encoding="utf-8"))
    page = build_report(papers, analyses, findings, prov, extra_figures=other_figures)
    write_text(page, snakemake.output[0])
    log.info("report: %d papers, %d analyses, %d figures", len(papers), len(analyses), len(figures))
