"""A bootstrap analysis sharded by replication, run by Snakemake in a copy of the project,
writes exactly (byte for byte) the files of the same analysis unsharded."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_workflow import copy_project

from sciteff.efficiency.bootstrap_shards import replication_range

PLAIN = "boot_plain"
SHARDED = "boot_sharded"
SHARDS = 3
FILES = ["bootstrap.csv", "bootstrap_dropped.csv", "bootstrap_input.csv", "bootstrap_rts_test.csv"]


def write_config(project: Path) -> None:
    """Two copies of the configured province bootstrap (two years, fewer replications),
    one of them with ``shards``."""
    config = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
    base = dict(config["analyses"]["provinces_bootstrap_2020"])
    base.pop("description", None)
    base.update(years=[2019, 2020], reps=400, seed=7)
    analyses = {PLAIN: base, SHARDED: {**base, "shards": SHARDS}}
    text = yaml.safe_dump({"analyses": analyses})
    (project / "boot.yaml").write_text(text, encoding="utf-8")


def run_snakemake(project: Path, *args: str):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", "boot.yaml", "--cores", "2", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )


@pytest.mark.workflow
def test_sharded_bootstrap_writes_the_unsharded_files(tmp_path, request):
    project = copy_project(Path(request.config.rootpath), tmp_path / "project")
    write_config(project)
    targets = [f"results/efficiency/{a}/{f}" for a in (PLAIN, SHARDED) for f in FILES]
    run = run_snakemake(project, *targets)
    assert run.returncode == 0, run.stderr[-4000:]
    plain = project / "results" / "efficiency" / PLAIN
    sharded = project / "results" / "efficiency" / SHARDED
    assert sorted(p.name for p in sharded.iterdir()) == FILES
    for name in FILES:
        assert (plain / name).read_bytes() == (sharded / name).read_bytes(), name
    logs = project / "results" / "logs"
    shard_logs = sorted((logs / "bootstrap_shard" / SHARDED).glob("*.log"))
    assert [p.stem for p in shard_logs] == [str(k) for k in range(SHARDS)]
    for k, log in enumerate(shard_logs):
        start, stop = replication_range(400, SHARDS, k)
        assert f"replications {start}-{stop - 1} of 2 period(s)" in log.read_text()
    assert (logs / "bootstrap_gather" / f"{SHARDED}.log").exists()
    assert not (logs / "bootstrap_analysis" / f"{SHARDED}.log").exists()
    assert (logs / "bootstrap_analysis" / f"{PLAIN}.log").exists()
