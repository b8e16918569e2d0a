"""Sharded analyses (DEA, Malmquist): which are sharded, their shard files, and the
resources (threads, memory, runtime) every computing rule declares for a scheduler."""

import json


def is_sharded(analysis):
    """An analysis asks for shards: `shards: N` with N > 1, or a `shard_size:`."""
    spec = ANALYSES[analysis]
    return spec.get("shards", 1) > 1 or bool(spec.get("shard_size"))


SHARDED = [a for a in analyses_by("dea") if is_sharded(a)]
SHARDED_MALMQUIST = [a for a in analyses_by("malmquist") if is_sharded(a)]
SHARDS = f"{RESULTS}/shards"

# Threads of an unsharded analysis job: its library call forks one LP worker per CPU it
# may use (Snakemake lowers this to --cores locally; SLURM gets it as cpus-per-task).
ANALYSIS_THREADS = 2


def one_of(names):
    """A wildcard regex matching exactly these names (and nothing when there are none)."""
    return "|".join(re.escape(n) for n in names) if names else "(?!)"


def input_mb(input):
    """Megabytes of a job's input files (those that exist already)."""
    return sum(Path(f).stat().st_size for f in input if Path(f).exists()) / 1e6


def analysis_mem_mb(wildcards, input):
    """Memory for one analysis job (sharded or not): a few copies of the analysis' data in
    memory, from its input files' size (columnar, so about the in-memory size), at least
    1 GB, at most 16 GB."""
    return int(min(16000, 1000 + 30 * input_mb(input)))


def analysis_runtime(wildcards, input):
    """Minutes for one analysis job, from its input size (10 minutes at least, a day at
    most): the LP count grows with the DMU-periods, which the input size tracks."""
    return int(min(24 * 60, 10 + 5 * input_mb(input)))


# The sharded-DEA names of the same functions (one rule of thumb for every analysis job).
dea_mem_mb = analysis_mem_mb
dea_runtime = analysis_runtime


def planned_shards(method):
    """An input function: the scoring-shard files of a sharded `method` ("dea" or
    "malmquist") analysis, known once its frontier checkpoint has planned them."""

    def files(wildcards):
        frontier = getattr(checkpoints, f"{method}_frontier")
        plan = frontier.get(analysis=wildcards.analysis).output.plan
        count = json.loads(Path(plan).read_text(encoding="utf-8"))["shards"]
        return [
            f"{SHARDS}/{wildcards.analysis}/{method}_shard_{k}.pkl"
            for k in range(count)
        ]

    return files


dea_shard_files = planned_shards("dea")
malmquist_shard_files = planned_shards("malmquist")
