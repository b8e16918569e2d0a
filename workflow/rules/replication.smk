"""Replication: a configured DEA analysis beside the published table it tries to reproduce."""

TARGETS.extend(f"{RESULTS}/replication/{a}/replication.md" for a in REPLICATIONS)


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
