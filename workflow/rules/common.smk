"""Discovery of inputs: what raw_data holds decides what the workflow builds."""

import re
from pathlib import Path

from sciteff.panels import year_files

PAPERS = config["papers_dir"]
PANELS = config["panels_dir"]
RESULTS = config["results_dir"]
ENV = "../../envs/sciteff.yaml"


wildcard_constraints:
    paper=r"[A-Za-z0-9_]+",
    table=r"table\d+",
    dataset=r"[A-Za-z0-9_]+",


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


def panel_year_files(wildcards):
    """Every <year>.csv of a panel: a new year's file is a new input."""
    return [str(p) for p in year_files(f"{PANELS}/{wildcards.dataset}")]


def ingest_targets():
    """Every Parquet file the ingest stage produces."""
    tables = [f"{RESULTS}/tables/{p}/{t}.parquet" for p, t in paper_tables()]
    figures = [
        f"{RESULTS}/tables/{p}/text_figures.parquet" for p in papers_with_text_figures()
    ]
    panels = [f"{RESULTS}/panels/{d}.parquet" for d in panel_datasets()]
    return tables + figures + panels
