"""The whole workflow, run in a temporary copy of the project: it builds, and a second run
has nothing to do."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

PROJECT_PARTS = ["Snakefile", "config", "workflow", "raw_data", "envs", "profiles"]


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in ``workdir`` with this interpreter; capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )


def copy_project(root: Path, target: Path) -> Path:
    """A copy of everything the workflow reads, without results."""
    target.mkdir()
    for part in PROJECT_PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        else:
            shutil.copy2(src, target / part)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory, request) -> Path:
    root = Path(request.config.rootpath)
    work = copy_project(root, tmp_path_factory.mktemp("wf") / "project")
    run = snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return work


@pytest.mark.workflow
def test_every_parquet_output_parses(built):
    outputs = sorted((built / "results").rglob("*.parquet"))
    papers = [p for p in (built / "raw_data" / "papers").iterdir() if p.is_dir()]
    tables = [t for p in papers for t in p.glob("table*.yaml")]
    assert len(outputs) >= len(tables) + 1  # every table + the panel years
    for path in outputs:
        frame = pd.read_parquet(path)
        assert len(frame) > 0, path
    for sidecar in tables:
        paper = sidecar.parent.name
        assert (built / "results" / "tables" / paper / f"{sidecar.stem}.parquet").exists()


@pytest.mark.workflow
def test_every_rule_logged(built):
    logs = list((built / "results" / "logs").rglob("*.log"))
    assert logs and all(log.stat().st_size > 0 for log in logs)


@pytest.mark.workflow
def test_second_run_has_nothing_to_do(built):
    again = snakemake(built, "--dry-run")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Nothing to be done" in again.stdout + again.stderr
