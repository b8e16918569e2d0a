"""Discovery of inputs: what raw_data holds decides what the workflow builds."""

import re
from pathlib import Path

from sciteff.panels import year_files

PAPERS = config["papers_dir"]
PANELS = config["panels_dir"]
RESULTS = config["results_dir"]
ENV = "../../envs/sciteff.yaml"

# Final outputs of every stage; each rule file extends it, `rule all` builds it.
TARGETS = []


wildcard_constraints:
    paper=r"[A-Za-z0-9_]+",
    table=r"table\d+",
    dataset=r"[A-Za-z0-9_]+",
    year=r"\d{4}",


def paper_tables():
    """(paper, table) for every transcribed table that has a sidecar."""
    found = glob_wildcards(f"{PAPERS}/{{paper}}/{{table}}.yaml")
    return [
        (p, t)
        for p, t in zip(found.paper, found.table)
        if re.fullmatch(r"table\d+", t) and "/" not in p
    ]


def papers_with_text_figures():
    """Papers that have a text_figures.csv."""
    return sorted(p.parent.name for p in Path(PAPERS).glob("*/text_figures.csv"))


def panel_datasets():
    """Datasets under the panels folder (each has a dataset.yaml)."""
    return sorted(p.parent.name for p in Path(PANELS).glob("*/dataset.yaml"))


def panel_years(dataset):
    """The data years of a panel, from its <year>.csv file names."""
    return [int(p.stem) for p in year_files(f"{PANELS}/{dataset}")]


def panel_parquets(dataset, years=None):
    """The ingested year files of a panel (all years, or the given ones)."""
    chosen = panel_years(dataset) if years in (None, "auto") else years
    return [f"{RESULTS}/panels/{dataset}/{y}.parquet" for y in chosen]


def ingest_targets():
    """Every Parquet file the ingest stage produces."""
    tables = [f"{RESULTS}/tables/{p}/{t}.parquet" for p, t in paper_tables()]
    figures = [
        f"{RESULTS}/tables/{p}/text_figures.parquet" for p in papers_with_text_figures()
    ]
    panels = [p for d in panel_datasets() for p in panel_parquets(d)]
    return tables + figures + panels
