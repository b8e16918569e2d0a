"""Efficiency: configured DEA and Malmquist analyses -> results/efficiency/<analysis>/."""

TARGETS.extend(
    [f"{RESULTS}/efficiency/{a}/dea.csv" for a in analyses_by("dea")]
    + [f"{RESULTS}/efficiency/{a}/malmquist.csv" for a in analyses_by("malmquist")]
    + [f"{RESULTS}/efficiency/{a}/sbm.csv" for a in analyses_by("sbm")]
    + [f"{RESULTS}/efficiency/{a}/window.csv" for a in analyses_by("window")]
    + [f"{RESULTS}/efficiency/{a}/bootstrap.csv" for a in analyses_by("bootstrap")]
    + [f"{RESULTS}/efficiency/{a}/cost.csv" for a in analyses_by("cost")]
)


# Resources (threads, mem_mb, runtime) of every rule below, and the sharded analyses' lists.
include: "sharding.smk"


rule dea_analysis:
    """DEAP-style VRS summary (with super-efficiency) for each period of an analysis."""
    input:
        analysis_source,
    output:
        summary=f"{RESULTS}/efficiency/{{analysis}}/dea.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/dea_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/dea_dropped.csv",
    log:
        f"{RESULTS}/logs/dea_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dea_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: ANALYSIS_THREADS
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/dea_analysis.py"


rule malmquist_analysis:
    """Adjacent-period Malmquist indices and DEAP's summary tables for an analysis."""
    input:
        analysis_source,
    output:
        indices=f"{RESULTS}/efficiency/{{analysis}}/malmquist.csv",
        pairs=f"{RESULTS}/efficiency/{{analysis}}/malmquist_pairs.csv",
        annual=f"{RESULTS}/efficiency/{{analysis}}/malmquist_annual_means.csv",
        firms=f"{RESULTS}/efficiency/{{analysis}}/malmquist_firm_means.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/malmquist_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/malmquist_dropped.csv",
    log:
        f"{RESULTS}/logs/malmquist_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/malmquist_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: ANALYSIS_THREADS
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/malmquist_analysis.py"


rule sbm_analysis:
    """Tone's slacks-based measure (and super-SBM) for each period of an analysis."""
    input:
        analysis_source,
    output:
        scores=f"{RESULTS}/efficiency/{{analysis}}/sbm.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/sbm_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/sbm_dropped.csv",
    log:
        f"{RESULTS}/logs/sbm_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/sbm_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: 1  # one process: the SBM LPs are solved in sequence
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/sbm_analysis.py"


rule window_analysis:
    """DEA window analysis (Charnes et al.): scores per window and the window table."""
    input:
        analysis_source,
    output:
        scores=f"{RESULTS}/efficiency/{{analysis}}/window.csv",
        table=f"{RESULTS}/efficiency/{{analysis}}/window_table.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/window_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/window_dropped.csv",
    log:
        f"{RESULTS}/logs/window_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/window_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: ANALYSIS_THREADS
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/window_analysis.py"


rule bootstrap_analysis:
    """Simar-Wilson bootstrap of DEA scores and the returns-to-scale test, per period."""
    input:
        analysis_source,
    output:
        scores=f"{RESULTS}/efficiency/{{analysis}}/bootstrap.csv",
        rts_test=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_rts_test.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/bootstrap_dropped.csv",
    log:
        f"{RESULTS}/logs/bootstrap_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bootstrap_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: ANALYSIS_THREADS
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/bootstrap_analysis.py"


rule cost_analysis:
    """Cost efficiency DEA (DEAP model 1: te, ae, ce, cost-minimising inputs) per period."""
    input:
        analysis_source,
    output:
        scores=f"{RESULTS}/efficiency/{{analysis}}/cost.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/cost_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/cost_dropped.csv",
    log:
        f"{RESULTS}/logs/cost_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/cost_analysis/{{analysis}}.tsv"
    conda:
        ENV
    threads: ANALYSIS_THREADS
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/cost_analysis.py"


# --- sharded DEA ----------------------------------------------------------------------------
# An analysis with `shards: N` (N > 1) or `shard_size:` runs as a frontier job, scoring jobs
# and a gather job that writes the same files as dea_analysis (which it takes precedence over).


ruleorder: dea_gather > dea_analysis


checkpoint dea_frontier:
    """Sharded DEA, step 1: each large period's frontier (CRS, VRS, NIRS) with the
    super-efficiency of its members, and the plan of the scoring shards."""
    input:
        analysis_source,
    output:
        frontier=f"{SHARDS}/{{analysis}}/dea_frontier.pkl",
        plan=f"{SHARDS}/{{analysis}}/dea_plan.json",
    log:
        f"{RESULTS}/logs/dea_frontier/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dea_frontier/{{analysis}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/dea_frontier.py"


rule dea_shard:
    """Sharded DEA, step 2: one shard's blocks of DMUs scored against the frontier, with
    slacks, targets, peers and super-efficiency."""
    input:
        source=analysis_source,
        frontier=f"{SHARDS}/{{analysis}}/dea_frontier.pkl",
    output:
        f"{SHARDS}/{{analysis}}/dea_shard_{{shard}}.pkl",
    log:
        f"{RESULTS}/logs/dea_shard/{{analysis}}/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dea_shard/{{analysis}}/{{shard}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED),
        shard=r"\d+",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/dea_shard.py"


rule dea_gather:
    """Sharded DEA, step 3: the shards joined into exactly the files dea_analysis writes."""
    input:
        source=analysis_source,
        frontier=f"{SHARDS}/{{analysis}}/dea_frontier.pkl",
        shards=planned_shards("dea"),
    output:
        summary=f"{RESULTS}/efficiency/{{analysis}}/dea.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/dea_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/dea_dropped.csv",
    log:
        f"{RESULTS}/logs/dea_gather/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dea_gather/{{analysis}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/dea_gather.py"


# --- end of sharded DEA -------------------------------------------------------------------

# --- sharded Malmquist ----------------------------------------------------------------------
# A Malmquist analysis with `shards: N` (N > 1) or `shard_size:` runs as a frontier job (every
# period's frontiers), scoring jobs (blocks of DMUs, all their distances) and a gather job
# writing the same files as malmquist_analysis (which it takes precedence over).


ruleorder: malmquist_gather > malmquist_analysis


checkpoint malmquist_frontier:
    """Sharded Malmquist, step 1: the frontier of every technology the index needs (CRS and
    VRS per period, plus the sequential or global ones), and the plan of the shards."""
    input:
        analysis_source,
    output:
        frontier=f"{SHARDS}/{{analysis}}/malmquist_frontier.pkl",
        plan=f"{SHARDS}/{{analysis}}/malmquist_plan.json",
    log:
        f"{RESULTS}/logs/malmquist_frontier/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/malmquist_frontier/{{analysis}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED_MALMQUIST),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/malmquist_frontier.py"


rule malmquist_shard:
    """Sharded Malmquist, step 2: one shard's blocks of DMUs, their own-period and
    cross-period distances against the stored frontiers."""
    input:
        source=analysis_source,
        frontier=f"{SHARDS}/{{analysis}}/malmquist_frontier.pkl",
    output:
        f"{SHARDS}/{{analysis}}/malmquist_shard_{{shard}}.pkl",
    log:
        f"{RESULTS}/logs/malmquist_shard/{{analysis}}/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/malmquist_shard/{{analysis}}/{{shard}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED_MALMQUIST),
        shard=r"\d+",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/malmquist_shard.py"


rule malmquist_gather:
    """Sharded Malmquist, step 3: the shards' distances into exactly the files
    malmquist_analysis writes."""
    input:
        source=analysis_source,
        frontier=f"{SHARDS}/{{analysis}}/malmquist_frontier.pkl",
        shards=planned_shards("malmquist"),
    output:
        indices=f"{RESULTS}/efficiency/{{analysis}}/malmquist.csv",
        pairs=f"{RESULTS}/efficiency/{{analysis}}/malmquist_pairs.csv",
        annual=f"{RESULTS}/efficiency/{{analysis}}/malmquist_annual_means.csv",
        firms=f"{RESULTS}/efficiency/{{analysis}}/malmquist_firm_means.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/malmquist_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/malmquist_dropped.csv",
    log:
        f"{RESULTS}/logs/malmquist_gather/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/malmquist_gather/{{analysis}}.tsv"
    wildcard_constraints:
        analysis=one_of(SHARDED_MALMQUIST),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=analysis_mem_mb,
        runtime=analysis_runtime,
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/malmquist_gather.py"


# --- end of sharded Malmquist -------------------------------------------------------------
