"""Report: mirrored tables, provenance of every output, and the self-contained HTML report.

Included last: it gathers the final outputs every other stage registered in TARGETS.
"""

from sciteff.report.captions import declarations

MIRRORS = [f"{RESULTS}/tables/{p}/{t}.csv" for p, t in paper_tables()]
BUILT_BEFORE_REPORT = list(TARGETS) + MIRRORS

TARGETS.extend(MIRRORS + [f"{RESULTS}/provenance.json", f"{RESULTS}/report.html"])


rule mirror_table:
    """A paper table as printed, with recomputed values and audit verdicts beside each cell."""
    input:
        cells=f"{RESULTS}/tables/{{paper}}/{{table}}.parquet",
        findings=FINDINGS,
    output:
        f"{RESULTS}/tables/{{paper}}/{{table}}.csv",
    log:
        f"{RESULTS}/logs/mirror_table/{{paper}}/{{table}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/mirror_table/{{paper}}/{{table}}.tsv"
    conda:
        ENV
    script:
        "../scripts/mirror_table.py"


rule provenance:
    """For every output: the rule, inputs with SHA-256, git commit and package versions."""
    input:
        BUILT_BEFORE_REPORT,
    output:
        f"{RESULTS}/provenance.json",
    log:
        f"{RESULTS}/logs/provenance.log",
    benchmark:
        f"{RESULTS}/benchmarks/provenance.tsv"
    conda:
        ENV
    script:
        "../scripts/provenance.py"


rule report:
    """One self-contained HTML page walking through each paper, the analyses and provenance."""
    input:
        BUILT_BEFORE_REPORT,
        provenance=f"{RESULTS}/provenance.json",
        findings=FINDINGS,
        papers=[str(p) for p in sorted(Path(PAPERS).glob("*/paper.yaml"))],
        tables=[table_parquet(p, t) for p, t in paper_tables()],
        quotes=[quotes_parquet(p) for p in papers_with_quotes()],
    output:
        report(
            f"{RESULTS}/report.html",
            caption="../report/html_report.rst",
            category="Report",
        ),
    log:
        f"{RESULTS}/logs/report.log",
    benchmark:
        f"{RESULTS}/benchmarks/report.tsv"
    conda:
        ENV
    params:
        figures=declarations(globals()),
        analyses=lambda wildcards: {
            name: {"spec": ANALYSES[name], "files": analysis_files(name)}
            for name in ANALYSES
        },
    script:
        "../scripts/report.py"
