"""Bootstrap analyses sharded by replication: an analysis with `method: bootstrap` and
`shards: N` (N > 1) or `shard_size: S` (replications per job) runs N replication jobs and a
gather job writing exactly the files of bootstrap_analysis (which it takes precedence over).
The shard count is known from the config (no checkpoint): replications, not DMUs, are split.
Shard files, memory and runtime come from sciteff.efficiency.bootstrap_shards."""

from sciteff.efficiency import bootstrap_shards as boot_shards

SHARDED_BOOTSTRAP = [
    a
    for a in analyses_by("bootstrap")
    if boot_shards.replication_shards(ANALYSES[a]) > 1
]


ruleorder: bootstrap_gather > bootstrap_analysis


rule bootstrap_shard:
    """Sharded bootstrap, step 1: one shard's range of replications (scores and the
    returns-to-scale test) for every period of the analysis."""
    input:
        analysis_source,
    output:
        f"{SHARDS}/{{analysis}}/bootstrap_shard_{{shard}}.pkl",
    log:
        f"{RESULTS}/logs/bootstrap_shard/{{analysis}}/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bootstrap_shard/{{analysis}}/{{shard}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED_BOOTSTRAP),
        shard=r"\d+",
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=lambda w, input: boot_shards.job_mem_mb(
            ANALYSES[w.analysis], 1e6 * input_mb(input)
        ),
        runtime=lambda w, input: boot_shards.job_runtime(
            ANALYSES[w.analysis], 1e6 * input_mb(input)
        ),
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/bootstrap_shard.py"


rule bootstrap_gather:
    """Sharded bootstrap, step 2: the shards' replications joined into exactly the files
    bootstrap_analysis writes."""
    input:
        source=analysis_source,
        shards=lambda w: boot_shards.shard_files(
            f"{SHARDS}/{w.analysis}", ANALYSES[w.analysis]
        ),
    output:
        scores=f"{RESULTS}/efficiency/{{analysis}}/bootstrap.csv",
        rts_test=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_rts_test.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_dropped.csv",
    log:
        f"{RESULTS}/logs/bootstrap_gather/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bootstrap_gather/{{analysis}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED_BOOTSTRAP),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=lambda w, input: boot_shards.job_mem_mb(
            ANALYSES[w.analysis], 1e6 * input_mb(input.source)
        ),
        runtime=10,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/bootstrap_gather.py"
