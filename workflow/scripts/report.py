"""Glue: the self-contained HTML report (snakemake rule report)."""

import json
from pathlib import Path

import pandas as pd
import yaml

from sciteff.core.io import write_text
from sciteff.core.runlog import logged
from sciteff.report.captions import place_figures
from sciteff.report.html import AnalysisInputs, PaperInputs, build_report

with logged(snakemake.log[0]) as log:
    figures = sorted(Path(p) for p in snakemake.input if Path(p).suffix == ".png")
    metas = sorted(Path(p) for p in snakemake.input.papers)
    names = [m.parent.name for m in metas]
    by_paper, other_figures, captions = place_figures(figures, snakemake.params.figures, names)
    papers = []
    for meta_file, paper in zip(metas, names, strict=True):
        text = [Path(p) for p in snakemake.input.quotes if Path(p).parent.name == paper]
        papers.append(
            PaperInputs(
                paper=paper,
                meta=yaml.safe_load(meta_file.read_text(encoding="utf-8")),
                tables=sorted(
                    Path(p) for p in snakemake.input.tables if Path(p).parent.name == paper
                ),
                quotes=text[0] if text else None,
                figures=by_paper[paper],
            )
        )
    analyses = [
        AnalysisInputs(name, a["spec"], {k: Path(v) for k, v in a["files"].items()})
        for name, a in snakemake.params.analyses.items()
    ]
    findings = pd.read_csv(snakemake.input.findings, keep_default_na=False)
    prov = json.loads(Path(snakemake.input.provenance).read_text(encoding="utf-8"))
    page = build_report(
        papers, analyses, findings, prov, extra_figures=other_figures, captions=captions
    )
    write_text(page, snakemake.output[0])
    log.info("report: %d papers, %d analyses, %d figures", len(papers), len(analyses), len(figures))
