"""Discovery of inputs: what raw_data holds decides what the workflow builds."""

import re

import yaml
from pathlib import Path

from sciteff.core.codeversion import code_version, library_root
from sciteff.ingest.panels import year_files
from sciteff.ingest.tables import load_table_spec
from sciteff.transfer import declared
from sciteff.transfer.metrics import METRICS as TRANSFER_METRICS

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


# The ingest stage's outputs, spelled once: by the ingest rules (workflow/rules/ingest.smk).
# These are called when the DAG is built, after every rule is defined.


def table_parquet(paper, table):
    """The ingested cells of one paper table (rule ingest_table)."""
    return expand(rules.ingest_table.output[0], paper=paper, table=table)[0]


def quotes_parquet(paper):
    """The ingested quotes of one paper (rule ingest_quotes)."""
    return expand(rules.ingest_quotes.output[0], paper=paper)[0]


def panel_parquet(dataset, year):
    """One ingested panel year (rule ingest_panel_year)."""
    return expand(rules.ingest_panel_year.output[0], dataset=dataset, year=year)[0]


def paper_tables():
    """(paper, table) for every transcribed table that has a sidecar."""
    found = glob_wildcards(f"{PAPERS}/{{paper}}/{{table}}.yaml")
    return [
        (p, t)
        for p, t in zip(found.paper, found.table)
        if re.fullmatch(r"table\d+", t) and "/" not in p
    ]


def validate_table_sidecars():
    """Stop at start-up on a malformed table sidecar (file, key and line named by its JSON
    Schema), before any job runs; the ingest jobs read the same files again."""
    for paper, table in paper_tables():
        load_table_spec(f"{PAPERS}/{paper}/{table}.yaml")


validate_table_sidecars()


def paper_corrections(paper):
    """A paper's declared corrections file, if it has one (a list: empty or one path)."""
    path = Path(PAPERS) / paper / "corrections.yaml"
    return [str(path)] if path.exists() else []


def papers_with_quotes():
    """Papers that have a quotes.csv."""
    return sorted(p.parent.name for p in Path(PAPERS).glob("*/quotes.csv"))


def panel_datasets():
    """Datasets under the panels folder (each has a dataset.yaml)."""
    return sorted(p.parent.name for p in Path(PANELS).glob("*/dataset.yaml"))


def panel_years(dataset):
    """The data years of a panel, from its <year>.csv file names."""
    return [int(p.stem) for p in year_files(f"{PANELS}/{dataset}")]


def panel_parquets(dataset, years=None):
    """The ingested year files of a panel (all years, or the given ones)."""
    chosen = panel_years(dataset) if years in (None, "auto") else years
    return [panel_parquet(dataset, y) for y in chosen]


def ingest_targets():
    """Every Parquet file the ingest stage produces."""
    tables = [table_parquet(p, t) for p, t in paper_tables()]
    figures = [quotes_parquet(p) for p in papers_with_quotes()]
    panels = [p for d in panel_datasets() for p in panel_parquets(d)]
    return tables + figures + panels


# --- efficiency analyses, replications, audit, report ---------------------------------

ANALYSES = config.get("analyses", {})


def analyses_by(method):
    """Names of the configured analyses that use ``method``."""
    return [name for name, spec in ANALYSES.items() if spec["method"] == method]


def analysis_source(wildcards):
    """The ingested Parquet files an analysis reads: the panel years it may use (every year
    for `years: auto`, so a new year's file reruns it), or one paper table."""
    spec = ANALYSES[wildcards.analysis]
    source = spec["source"]
    if "panel" in source:
        return panel_parquets(source["panel"], spec.get("years", "auto"))
    return [table_parquet(source["paper"], source["table"])]


REPLICATIONS = [
    a for a in analyses_by("dea") if ANALYSES[a].get("compare_to", {}).get("paper")
]


def published_table(wildcards):
    """The ingested paper table an analysis compares itself with."""
    target = ANALYSES[wildcards.analysis]["compare_to"]
    return table_parquet(target["paper"], target["table"])


def replication_robustness(wildcards):
    """The robustness variants declared beside the compared paper (replication.yaml), if any."""
    paper = ANALYSES[wildcards.analysis]["compare_to"]["paper"]
    path = Path(PAPERS) / paper / "replication.yaml"
    return [str(path)] if path.exists() else []


def replication_panel(wildcards):
    """The panel year files the declared robustness variants use (only those years)."""
    files = replication_robustness(wildcards)
    if not files:
        return []
    with open(files[0], encoding="utf-8") as handle:
        declared = yaml.safe_load(handle) or {}
    spec = declared.get(ANALYSES[wildcards.analysis]["compare_to"]["table"])
    if not spec:
        return []
    years = sorted(
        {
            y
            for level in spec["factors"].get("data year", {}).values()
            for y in level["years"]
        }
    )
    return panel_parquets(spec["dataset"], years or None)


AUDIT = f"{RESULTS}/audit"
FINDINGS = f"{AUDIT}/findings.csv"


def audited_papers():
    """Papers that declare their checks (raw_data/papers/<paper>/checks.yaml)."""
    return sorted(p.parent.name for p in Path(PAPERS).glob("*/checks.yaml"))


def audit_inputs(wildcards):
    """A paper's ingested tables and quotes, its checks file and the panel's years."""
    tables = [table_parquet(p, t) for p, t in paper_tables() if p == wildcards.paper]
    figures = [quotes_parquet(p) for p in papers_with_quotes() if p == wildcards.paper]
    return {
        "tables": tables,
        "figures": figures,
        "checks": f"{PAPERS}/{wildcards.paper}/checks.yaml",
        "corrections": paper_corrections(wildcards.paper),
        "panel": official_panel_years(wildcards.paper),
    }


def official_panel_years(paper):
    """The panel year files a paper's official-statistics checks need, as its checks.yaml
    declares them (`official_panel: {dataset, years}`): a new data year reruns no audit.
    """
    with open(f"{PAPERS}/{paper}/checks.yaml", encoding="utf-8") as handle:
        declared = yaml.safe_load(handle).get("official_panel")
    if not declared:
        return []
    return panel_parquets(declared["dataset"], declared["years"])


def analysis_files(name):
    """The result files the report shows for one analysis, by role."""
    base = f"{RESULTS}/efficiency/{name}"
    if ANALYSES[name]["method"] == "dea":
        files = {"summary": f"{base}/dea.csv", "dropped": f"{base}/dea_dropped.csv"}
    elif ANALYSES[name]["method"] == "cost":
        files = {"scores": f"{base}/cost.csv", "dropped": f"{base}/cost_dropped.csv"}
    elif ANALYSES[name]["method"] == "sbm":
        files = {"scores": f"{base}/sbm.csv", "dropped": f"{base}/sbm_dropped.csv"}
    elif ANALYSES[name]["method"] == "window":
        files = {
            "scores": f"{base}/window.csv",
            "table": f"{base}/window_table.csv",
            "dropped": f"{base}/window_dropped.csv",
        }
    elif ANALYSES[name]["method"] == "bootstrap":
        files = {
            "scores": f"{base}/bootstrap.csv",
            "rts_test": f"{base}/bootstrap_rts_test.csv",
            "dropped": f"{base}/bootstrap_dropped.csv",
        }
    else:
        files = {
            "annual": f"{base}/malmquist_annual_means.csv",
            "firms": f"{base}/malmquist_firm_means.csv",
            "dropped": f"{base}/malmquist_dropped.csv",
        }
    if name in REPLICATIONS:
        rep = f"{RESULTS}/replication/{name}"
        files |= {
            "agreement": f"{rep}/agreement.csv",
            "sensitivity": f"{rep}/sensitivity.csv",
            "comparison": f"{rep}/comparison.csv",
        }
    return files


# --- transfer metrics, as each paper declares them in its transfer.yaml ---------------------


def transfer_papers():
    """Papers that declare transfer metrics."""
    return sorted(p.parent.name for p in Path(PAPERS).glob("*/transfer.yaml"))


_TRANSFER = {}


def transfer_declaration(paper):
    """A paper's validated transfer.yaml (read once per run)."""
    if paper not in _TRANSFER:
        _TRANSFER[paper] = declared.load_transfer(f"{PAPERS}/{paper}/transfer.yaml")
    return _TRANSFER[paper]


def transfer_targets():
    """Every output the declared transfer metrics and recomputed tables produce."""
    out = []
    for paper in transfer_papers():
        spec = transfer_declaration(paper)
        base = f"{RESULTS}/transfer/{paper}"
        out += [f"{base}/{m}.csv" for m in declared.metrics(spec)]
        out += [f"{base}/{t}_recomputed.csv" for t in declared.recomputed_tables(spec)]
    return out


def _paper_inputs(paper, tables, quotes):
    return {
        "declaration": f"{PAPERS}/{paper}/transfer.yaml",
        "tables": [table_parquet(paper, t) for t in tables],
        "quotes": [quotes_parquet(paper)] if quotes else [],
    }


def transfer_metric_inputs(wildcards):
    """The tables and quotes one declared metric reads."""
    spec = transfer_declaration(wildcards.paper)
    tables, quotes = declared.metric_reads(spec, wildcards.metric)
    return _paper_inputs(wildcards.paper, tables, quotes)


def transfer_table_inputs(wildcards):
    """The tables one recomputed table reads."""
    spec = transfer_declaration(wildcards.paper)
    return _paper_inputs(
        wildcards.paper, declared.table_reads(spec, wildcards.table), False
    )


# --- editing the library reruns what it affects ---------------------------------------------


def track_library_code(all_rules):
    """Give every scripted rule a ``code`` parameter, the hash of the sciteff modules its
    script imports (sciteff.core.codeversion). Snakemake reruns a job whose parameters
    changed, so an edit of a module reruns exactly the jobs whose script reaches it, and
    their descendants. Called once, after every rule file is included."""
    src = Path(workflow.basedir) / "src"
    if not (
        src / "sciteff"
    ).is_dir():  # a copy of the workflow without the library's source
        src = library_root()
    for scripted in all_rules:
        if scripted.script:
            script = Path(str(scripted.basedir)) / scripted.script
            scripted.set_params(code=code_version(script, src))
