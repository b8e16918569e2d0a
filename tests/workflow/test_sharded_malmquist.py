"""Sharded Malmquist through Snakemake: frontier job, scoring shards and gather write exactly
the files of the unsharded malmquist_analysis, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from test_slurm import DATASET, run_snakemake, write_firm_panel

from sciteff.efficiency.malmquist_shards import BLOCK_SIZE

PLAIN, SHARDED = "firms_malmquist", "firms_malmquist_sharded"
FIRMS = 2 * BLOCK_SIZE + 100  # three blocks of DMUs, the last one short
YEARS = (2021, 2022, 2023)
SHARDS = 2
FILES = [
    "malmquist.csv",
    "malmquist_annual_means.csv",
    "malmquist_dropped.csv",
    "malmquist_firm_means.csv",
    "malmquist_input.csv",
    "malmquist_pairs.csv",
]


def write_malmquist_config(project: Path) -> None:
    """The firm panel's Malmquist analysis twice: unsharded, and in ``SHARDS`` shards."""
    analysis = {
        "method": "malmquist",
        "source": {"panel": DATASET},
        "years": list(YEARS),
        "inputs": ["x1", "x2", "x3"],
        "outputs": ["y1", "y2"],
        "orientation": "in",
    }
    config = {"analyses": {PLAIN: analysis, SHARDED: {**analysis, "shards": SHARDS}}}
    (project / "firms.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.mark.workflow
def test_sharded_malmquist_writes_the_unsharded_files(tmp_path):
    project = copy_project(tmp_path / "project")
    write_firm_panel(project, firms=FIRMS, years=YEARS)
    write_malmquist_config(project)
    targets = [f"results/efficiency/{a}/{f}" for a in (PLAIN, SHARDED) for f in FILES]
    run = run_snakemake(project, "--cores", "2", *targets)
    assert run.returncode == 0, run.stderr[-4000:]
    plain = project / "results/efficiency" / PLAIN
    sharded = project / "results/efficiency" / SHARDED
    assert sorted(p.name for p in plain.iterdir()) == FILES
    assert sorted(p.name for p in sharded.iterdir()) == FILES
    for name in FILES:
        assert (plain / name).read_bytes() == (sharded / name).read_bytes(), name
    # It really ran as frontier, shards and gather, and the plain one did not.
    logs = project / "results/logs"
    assert (logs / "malmquist_frontier" / f"{SHARDED}.log").exists()
    shard_logs = sorted((logs / "malmquist_shard" / SHARDED).glob("*.log"))
    assert [p.stem for p in shard_logs] == [str(k) for k in range(SHARDS)]
    assert (logs / "malmquist_gather" / f"{SHARDED}.log").exists()
    assert (logs / "malmquist_analysis" / f"{PLAIN}.log").exists()
    assert not (logs / "malmquist_analysis" / f"{SHARDED}.log").exists()
    rows = (plain / "malmquist.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + FIRMS * (len(YEARS) - 1)
