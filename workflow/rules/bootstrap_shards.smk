"""Bootstrap analyses sharded by replication: an analysis with `method: bootstrap` and
`shards: N` (N > 1) or `shard_size: S` (replications per job) runs N replication jobs and a
gather job writing exactly the files of bootstrap_analysis (which it takes precedence over).
The shard count is known from the config (no checkpoint): replications, not DMUs, are split.
"""

from sciteff.efficiency.bootstrap_shards import largest_shard, replication_shards

SHARDED_BOOTSTRAP = [
    a for a in analyses_by("bootstrap") if replication_shards(ANALYSES[a]) > 1
]


def bootstrap_shard_files(wildcards):
    """The replication-shard files of a sharded bootstrap analysis."""
    count = replication_shards(ANALYSES[wildcards.analysis])
    return [
        f"{SHARDS}/{wildcards.analysis}/bootstrap_shard_{k}.pkl" for k in range(count)
    ]


def bootstrap_mem_mb(wildcards, input):
    """Memory of one bootstrap job: the data a few times (1 GB at least) plus its replication
    arrays (scores and the CRS and VRS test: 3 x reps x DMU-periods doubles; DMU-periods
    estimated from the input size at 100 bytes each), at most 16 GB."""
    size_mb = sum(Path(f).stat().st_size for f in input if Path(f).exists()) / 1e6
    dmus = size_mb * 1e6 / 100
    arrays_mb = 3 * 8 * largest_shard(ANALYSES[wildcards.analysis]) * dmus / 1e6
    return int(min(16000, 1000 + 30 * size_mb + 2 * arrays_mb))


def bootstrap_runtime(wildcards, input):
    """Minutes of one bootstrap job: 10 at least, plus 3 LPs per replication and DMU-period
    at a conservative 1 ms each (measured: ~0.1 ms), at most a day."""
    size_mb = sum(Path(f).stat().st_size for f in input if Path(f).exists()) / 1e6
    lps = 3 * largest_shard(ANALYSES[wildcards.analysis]) * size_mb * 1e6 / 100
    return int(min(24 * 60, 10 + lps * 1e-3 / 60))


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
        mem_mb=bootstrap_mem_mb,
        runtime=bootstrap_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/bootstrap_shard.py"


rule bootstrap_gather:
    """Sharded bootstrap, step 2: the shards' replications joined into exactly the files
    bootstrap_analysis writes."""
    input:
        source=analysis_source,
        shards=bootstrap_shard_files,
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
        mem_mb=bootstrap_mem_mb,
        runtime=10,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/bootstrap_gather.py"
