"""Transfer: the technology-transfer metrics each paper declares in its transfer.yaml.

The declaration has one source: the transfer.yaml input, which the scripts read (so an error
names its key and line); as an input, editing it reruns the paper's transfer jobs."""


rule transfer_metric:
    """One declared metric of a paper (conversion rates, per-contract averages, field
    composition, growth claims), recomputed from its ingested tables and quotes."""
    input:
        unpack(transfer_metric_inputs),
    output:
        f"{RESULTS}/transfer/{{paper}}/{{metric}}.csv",
    log:
        f"{RESULTS}/logs/transfer/{{paper}}/{{metric}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/transfer/{{paper}}/{{metric}}.tsv"
    wildcard_constraints:
        metric="|".join(TRANSFER_METRICS),
    conda:
        ENV
    script:
        "../scripts/transfer_metric.py"


rule transfer_recomputed_table:
    """A printed table with its declared recomputed columns beside the published ones."""
    input:
        unpack(transfer_table_inputs),
    output:
        f"{RESULTS}/transfer/{{paper}}/{{table}}_recomputed.csv",
    log:
        f"{RESULTS}/logs/transfer/{{paper}}/{{table}}_recomputed.log",
    benchmark:
        f"{RESULTS}/benchmarks/transfer/{{paper}}/{{table}}_recomputed.tsv"
    conda:
        ENV
    script:
        "../scripts/transfer_recomputed_table.py"


TARGETS.extend(transfer_targets())
