"""A bootstrap analysis split by replication writes exactly the unsharded files."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency.analyses import run_bootstrap
from sciteff.efficiency.bootstrap_shards import (
    gather_replications,
    job_mem_mb,
    job_runtime,
    largest_shard,
    replication_range,
    replication_shards,
    shard_files,
    shard_replications,
    write_outputs,
)


def panel() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = []
    for period in (2019, 2020):
        for j in range(12):
            x1, x2 = rng.uniform(1, 10, 2)
            eff = np.exp(-abs(rng.normal(0, 0.3)))
            rows.append(
                {"period": period, "dmu": f"D{j}", "x1": x1, "x2": x2,
                 "y": (x1 * x2) ** 0.4 * eff}
            )  # fmt: skip
    return pd.DataFrame(rows)


SPEC = {
    "inputs": ["x1", "x2"],
    "outputs": ["y"],
    "reps": 200,
    "alpha": 0.1,
    "seed": 9,
    "rts": "vrs",
}


def write(tmp, scores, test, data):
    tmp.mkdir()
    paths = {k: str(tmp / f"{k}.csv") for k in ("scores", "rts_test", "data", "dropped")}
    write_outputs(paths, scores, test, data, data.iloc[:0])
    return {k: (tmp / f"{k}.csv").read_bytes() for k in paths}


@pytest.mark.parametrize("shards", [3, 7])
def test_sharded_files_are_byte_identical(tmp_path, shards):
    data = panel()
    spec = {**SPEC, "shards": shards}
    whole = write(tmp_path / "whole", *run_bootstrap(data, SPEC, source="t.csv"), data)
    # Each shard as a separate job would see it: computed, pickled, read back, in any order.
    parts = [
        pickle.loads(pickle.dumps(shard_replications(data, spec, source="t.csv", shard=k)))
        for k in reversed(range(replication_shards(spec)))
    ]
    scores, test = run_bootstrap(
        data, spec, source="t.csv", replications=gather_replications(parts)
    )
    sharded = write(tmp_path / "sharded", scores, test, data)
    assert sharded == whole
    assert len(pd.read_csv(tmp_path / "whole" / "scores.csv")) == 24


def test_replication_ranges_cover_every_replication_once():
    for reps, shards in [(2000, 3), (10, 10), (7, 2)]:
        ranges = [replication_range(reps, shards, k) for k in range(shards)]
        covered = [b for a, stop in ranges for b in range(a, stop)]
        assert covered == list(range(reps))
        assert max(b - a for a, b in ranges) - min(b - a for a, b in ranges) <= 1
    assert replication_shards({"reps": 1000, "shard_size": 300}) == 4
    assert replication_shards({"reps": 5, "shards": 9}) == 5  # at most one per replication
    assert largest_shard({"reps": 1000, "shards": 3}) == 334
    with pytest.raises(ValueError, match="not one of"):
        replication_range(100, 4, 4)


def test_shards_of_other_periods_are_refused():
    data = panel()
    spec = {**SPEC, "shards": 2}
    one = shard_replications(data, spec, source="t.csv", shard=0)
    other = shard_replications(data[data["period"] == 2020], spec, source="t.csv", shard=1)
    with pytest.raises(ValueError, match="different periods"):
        gather_replications([one, other])


def test_job_resources_by_hand():
    # 1,000 replications in 4 shards: 250 per job; 1 MB of input = 10,000 DMU-periods.
    spec = {"reps": 1000, "shards": 4}
    # 1000 MB base + 30 x 1 MB + 2 x 3 x 8 bytes x 250 x 10,000 = 120 MB of arrays.
    assert job_mem_mb(spec, 1e6) == 1150
    # 10 min + 3 x 250 x 10,000 LPs at 1 ms = 7,500 s = 125 min.
    assert job_runtime(spec, 1e6) == 135
    assert job_runtime(spec, 1e12) == 24 * 60 and job_mem_mb(spec, 1e12) == 16000
    assert shard_files("r/a", {"reps": 10, "shards": 2}) == [
        "r/a/bootstrap_shard_0.pkl",
        "r/a/bootstrap_shard_1.pkl",
    ]
