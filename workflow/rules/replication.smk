"""Replication: a configured DEA analysis beside the published table it tries to reproduce."""

TARGETS.extend(f"{RESULTS}/replication/{a}/replication.md" for a in REPLICATIONS)


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


rule replicate_dea:
    """Side-by-side, rank correlations (ties as printed, p-values), efficient-set overlap, RTS
    agreement, sensitivity, and the declared robustness variants."""
    input:
        published=published_table,
        data=f"{RESULTS}/efficiency/{{analysis}}/dea_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/dea_dropped.csv",
        robustness=replication_robustness,
        panel=replication_panel,
    output:
        comparison=f"{RESULTS}/replication/{{analysis}}/comparison.csv",
        agreement=f"{RESULTS}/replication/{{analysis}}/agreement.csv",
        sensitivity=f"{RESULTS}/replication/{{analysis}}/sensitivity.csv",
        robustness=f"{RESULTS}/replication/{{analysis}}/robustness.csv",
        note=f"{RESULTS}/replication/{{analysis}}/replication.md",
    log:
        f"{RESULTS}/logs/replicate_dea/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/replicate_dea/{{analysis}}.tsv"
    conda:
        ENV
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/replicate_dea.py"
