"""Sharded DEA: which analyses are sharded, their shard files and per-job resources."""

import json

SHARDED = [
    a
    for a in analyses_by("dea")
    if ANALYSES[a].get("shards", 1) > 1 or ANALYSES[a].get("shard_size")
]
SHARDS = f"{RESULTS}/shards"


def one_of(names):
    """A wildcard regex matching exactly these names (and nothing when there are none)."""
    return "|".join(re.escape(n) for n in names) if names else "(?!)"


def input_mb(input):
    """Megabytes of a job's input files (those that exist already)."""
    return sum(Path(f).stat().st_size for f in input if Path(f).exists()) / 1e6


def dea_mem_mb(wildcards, input):
    """Memory for one sharded-DEA job: a few copies of the analysis' data, at least 1 GB."""
    return int(min(16000, 1000 + 30 * input_mb(input)))


def dea_runtime(wildcards, input):
    """Minutes for one sharded-DEA job, from its input size (10 minutes at least)."""
    return int(min(24 * 60, 10 + 5 * input_mb(input)))


def dea_shard_files(wildcards):
    """The scoring shards of an analysis, known once its frontier job has planned them."""
    plan = checkpoints.dea_frontier.get(analysis=wildcards.analysis).output.plan
    count = json.loads(Path(plan).read_text(encoding="utf-8"))["shards"]
    return [f"{SHARDS}/{wildcards.analysis}/dea_shard_{k}.pkl" for k in range(count)]
