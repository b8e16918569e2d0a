"""Ingest: transcriptions and panels -> typed Parquet with units and provenance."""


rule ingest_table:
    """One transcribed paper table -> one row per printed cell, canonical units, with the
    paper's declared corrections (corrections.yaml) applied beside the printed values.
    """
    input:
        csv=f"{PAPERS}/{{paper}}/{{table}}.csv",
        sidecar=f"{PAPERS}/{{paper}}/{{table}}.yaml",
        corrections=lambda wildcards: paper_corrections(wildcards.paper),
    output:
        f"{RESULTS}/tables/{{paper}}/{{table}}.parquet",
    log:
        f"{RESULTS}/logs/ingest_table/{{paper}}/{{table}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/ingest_table/{{paper}}/{{table}}.tsv"
    conda:
        ENV
    script:
        "../scripts/ingest_table.py"


rule ingest_quotes:
    """Key figures quoted in a paper's running text -> typed Parquet; every quote verified
    verbatim against the paper's text."""
    input:
        quotes=f"{PAPERS}/{{paper}}/quotes.csv",
        source=f"{PAPERS}/{{paper}}/source.txt",
    output:
        f"{RESULTS}/tables/{{paper}}/quotes.parquet",
    log:
        f"{RESULTS}/logs/ingest_quotes/{{paper}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/ingest_quotes/{{paper}}.tsv"
    conda:
        ENV
    params:
        paper="{paper}",
    script:
        "../scripts/ingest_quotes.py"


rule ingest_panel_year:
    """One year file of an input-output panel -> canonical units; a new year is a new job."""
    input:
        spec=f"{PANELS}/{{dataset}}/dataset.yaml",
        year=f"{PANELS}/{{dataset}}/{{year}}.csv",
    output:
        f"{RESULTS}/panels/{{dataset}}/{{year}}.parquet",
    log:
        f"{RESULTS}/logs/ingest_panel_year/{{dataset}}/{{year}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/ingest_panel_year/{{dataset}}/{{year}}.tsv"
    conda:
        ENV
    script:
        "../scripts/ingest_panel_year.py"


TARGETS.extend(ingest_targets())
