"""Audit: every published number against its recomputation, per paper, then one report."""

TARGETS.extend(
    [
        f"{AUDIT}/findings.csv",
        f"{AUDIT}/coverage.csv",
        f"{AUDIT}/errors.csv",
        f"{AUDIT}/audit.md",
    ]
)


rule audit_paper:
    """One paper's declared checks (on the cells as printed; declared corrections verified)
    -> findings, coverage, check detail, reconciliation, errors (root causes)."""
    input:
        unpack(audit_inputs),
    output:
        findings=f"{AUDIT}/{{paper}}/findings.csv",
        coverage=f"{AUDIT}/{{paper}}/coverage.csv",
        checks=f"{AUDIT}/{{paper}}/checks.csv",
        reconciliation=f"{AUDIT}/{{paper}}/reconciliation.csv",
        errors=f"{AUDIT}/{{paper}}/errors.csv",
    log:
        f"{RESULTS}/logs/audit/{{paper}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/audit/{{paper}}.tsv"
    conda:
        ENV
    params:
        paper="{paper}",
    script:
        "../scripts/audit_paper.py"


rule audit_report:
    """All papers' findings -> findings.csv, coverage.csv, errors.csv and the readable audit.md."""
    input:
        findings=expand(f"{AUDIT}/{{paper}}/findings.csv", paper=audited_papers()),
        coverage=expand(f"{AUDIT}/{{paper}}/coverage.csv", paper=audited_papers()),
        errors=expand(f"{AUDIT}/{{paper}}/errors.csv", paper=audited_papers()),
    output:
        findings=f"{AUDIT}/findings.csv",
        coverage=f"{AUDIT}/coverage.csv",
        errors=f"{AUDIT}/errors.csv",
        report=f"{AUDIT}/audit.md",
    log:
        f"{RESULTS}/logs/audit/report.log",
    benchmark:
        f"{RESULTS}/benchmarks/audit/report.tsv"
    conda:
        ENV
    script:
        "../scripts/audit_report.py"
