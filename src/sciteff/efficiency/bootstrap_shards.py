"""Bootstrap analyses sharded by replication: N jobs of replications, one gather.

Why by replication. A bootstrap analysis' work is B replications per period, each
independent of the others and seeded by its own SeedSequence child (replication b always
uses child b of the analysis' seed, see :mod:`sciteff.efficiency.bootstrap`). A shard computes
a contiguous range of replications for every period; the gather joins the ranges in order and
finishes the statistics from them with the unsharded code path
(:func:`~sciteff.efficiency.analyses.run_bootstrap` with ``replications=``), so the files it
writes are byte-identical to the unsharded run's, whatever the number of shards.

``shards: N`` asks for N replication jobs; ``shard_size: S`` for jobs of S replications each
(:func:`sciteff.efficiency.shards.shard_count`, with replications as the unit). The library
knows nothing of Snakemake: the workflow's glue scripts call :func:`analysis_input`,
:func:`shard_replications`, :func:`gather_replications` and :func:`write_outputs`, passing
the shards along as pickles (:func:`sciteff.efficiency.shards.save` / ``load``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sciteff.core.io import write_csv
from sciteff.efficiency.analyses import analysis_data, bootstrap_settings, complete_rows
from sciteff.efficiency.bootstrap import Replications, bootstrap_replications, join_replications
from sciteff.efficiency.shards import shard_count
from sciteff.efficiency.validate import allowing_zeros

#: Per period: (replications of the scores, replications of the returns-to-scale test).
PeriodReplications = dict[object, tuple[Replications, Replications]]


def replication_shards(spec: Mapping[str, object]) -> int:
    """Replication jobs of a bootstrap analysis (at most one per replication)."""
    reps = int(bootstrap_settings(spec)[1]["reps"])
    return max(1, min(reps, shard_count(spec, reps)))


def largest_shard(spec: Mapping[str, object]) -> int:
    """Replications of the largest shard of a bootstrap analysis (for resource estimates)."""
    reps = int(bootstrap_settings(spec)[1]["reps"])
    return -(-reps // replication_shards(spec))


#: Bytes per DMU-period in the ingested Parquet input (rough, for resource estimates).
BYTES_PER_DMU = 100


def job_mem_mb(spec: Mapping[str, object], input_bytes: float) -> int:
    """Memory (MB) of one bootstrap job of an analysis whose input files hold
    ``input_bytes``: the data a few times (1 GB at least) plus the replication arrays of its
    largest shard (scores and the CRS and VRS test: 3 x reps x DMU-periods doubles, twice),
    at most 16 GB."""
    dmus = input_bytes / BYTES_PER_DMU
    arrays_mb = 2 * 3 * 8 * largest_shard(spec) * dmus / 1e6
    return int(min(16000, 1000 + 30 * input_bytes / 1e6 + arrays_mb))


def job_runtime(spec: Mapping[str, object], input_bytes: float) -> int:
    """Minutes of one bootstrap job: 10 at least, plus 3 LPs per replication and DMU-period
    at a conservative 1 ms each (measured: ~0.1 ms), at most a day."""
    lps = 3 * largest_shard(spec) * input_bytes / BYTES_PER_DMU
    return int(min(24 * 60, 10 + lps * 1e-3 / 60))


def shard_files(folder: str, spec: Mapping[str, object]) -> list[str]:
    """The replication-shard files of a sharded bootstrap analysis, in ``folder``."""
    return [f"{folder}/bootstrap_shard_{k}.pkl" for k in range(replication_shards(spec))]


def replication_range(reps: int, shards: int, shard: int) -> tuple[int, int]:
    """Replications ``start..stop-1`` of shard ``shard`` of ``shards`` (contiguous, sizes
    differing by at most one, together 0..reps-1)."""
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} is not one of 0..{shards - 1}")
    return shard * reps // shards, (shard + 1) * reps // shards


def analysis_input(
    frame: pd.DataFrame, spec: Mapping[str, object], *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis' DMU-periods (complete rows) from its ingested source, and the rows left
    out (excluded, incomplete), as every bootstrap job of the analysis reads them."""
    data, excluded = analysis_data(frame, spec, source=source)
    variables = [*spec["inputs"], *spec["outputs"]]
    drop = bool(spec.get("drop_incomplete", False))
    data, incomplete = complete_rows(data, variables, drop=drop, source=source)
    return data, pd.concat([excluded, incomplete], ignore_index=True)


def shard_replications(
    data: pd.DataFrame,
    spec: Mapping[str, object],
    *,
    source: str,
    shard: int,
    workers: int | None = None,
) -> PeriodReplications:
    """Shard ``shard``'s range of replications, for every period of the analysis (the
    periods, their order and their error locations as in ``run_bootstrap``)."""
    scores_kw, test_kw = bootstrap_settings(spec)
    start, stop = replication_range(int(test_kw["reps"]), replication_shards(spec), shard)
    out: PeriodReplications = {}
    with allowing_zeros(bool(spec.get("allow_zero", False))):
        for period, group in data.groupby("period", sort=True):
            args = (group.reset_index(drop=True), spec["inputs"], spec["outputs"])
            where = f"{source} (period {period})"
            common = {"dmu": "dmu", "file": where, "start": start, "stop": stop}
            boot = bootstrap_replications(*args, workers=workers, **common, **scores_kw)
            test = bootstrap_replications(*args, test=True, workers=workers, **common, **test_kw)
            out[period] = (boot, test)
    return out


def gather_replications(parts: Sequence[PeriodReplications]) -> PeriodReplications:
    """The shards' replications joined per period (every shard must cover the same periods)."""
    periods = list(parts[0]) if parts else []
    for part in parts:
        if list(part) != periods:
            raise ValueError(f"bootstrap shards cover different periods: {list(part)} vs {periods}")
    return {
        p: (
            join_replications([part[p][0] for part in parts]),
            join_replications([part[p][1] for part in parts]),
        )
        for p in periods
    }


def write_outputs(
    paths: Mapping[str, str],
    scores: pd.DataFrame,
    test: pd.DataFrame,
    data: pd.DataFrame,
    dropped: pd.DataFrame,
) -> None:
    """The bootstrap analysis' four files (``scores``, ``rts_test``, ``data``, ``dropped``),
    each written atomically: one writer for the unsharded and the gathered run."""
    write_csv(scores, paths["scores"])
    write_csv(test, paths["rts_test"])
    write_csv(data, paths["data"])
    write_csv(dropped, paths["dropped"])
