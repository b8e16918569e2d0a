"""Helpers of the pipeline cases (not a conftest.py: other folders import tests/conftest.py
as ``conftest``). One scratch copy of the project with its results, built once per session.

Each pipeline case copies it, breaks one raw file and runs only the affected target, so the
whole table of cases costs one small build plus one short Snakemake run per case. The cases
run two at a time (the machine has two cores and Snakemake spends most of a short run
reading the workflow, on one core).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PARTS = ["Snakefile", "config", "workflow", "raw_data", "envs", "profiles"]
PANEL = "raw_data/panels/china_provinces"

#: Lines that must never start a line on the terminal for a data error.
FORBIDDEN_STARTS = ("Traceback", "RuleException", "CalledProcessError", "WorkflowError")

#: A previous run's report, standing in for the real one (built by tests/workflow): the banner
#: logic only needs a previous report.html to mark stale and restore.
PREVIOUS_REPORT = (
    "<!DOCTYPE html>\n<html><head><title>sciteff report</title></head>\n"
    "<body class='report'>\n<h1>Results of the previous successful run</h1>\n</body></html>\n"
)


def snakemake(workdir: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in ``workdir`` on ``targets``; capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", *targets],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def analyses(project: Path) -> dict[str, dict]:
    """The configured analyses of a project copy."""
    config = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
    return config.get("analyses", {})


def panel_dea_analysis(project: Path) -> str:
    """A configured DEA analysis of the province panel on the single year 2020."""
    return next(
        name
        for name, spec in analyses(project).items()
        if spec["method"] == "dea"
        and "panel" in spec["source"]
        and spec.get("years") == [2020]
        and not spec.get("shards")
    )


def table_malmquist_analysis(project: Path) -> tuple[str, dict]:
    """A configured Malmquist analysis of a paper table (its name and spec)."""
    return next(
        (name, spec)
        for name, spec in analyses(project).items()
        if spec["method"] == "malmquist"
        and "paper" in spec["source"]
        and spec["source"].get("cells", "printed") == "printed"
    )


def prebuilt_targets(project: Path) -> list[str]:
    """What the cases break: a paper table and its quotes, the 2020 panel year, one DEA
    analysis of it and one Malmquist analysis of a paper table."""
    dea = panel_dea_analysis(project)
    malm, spec = table_malmquist_analysis(project)
    paper, table = spec["source"]["paper"], spec["source"]["table"]
    return [
        f"results/tables/{paper}/{table}.parquet",
        f"results/tables/{paper}/quotes.parquet",
        "results/panels/china_provinces/2020.parquet",
        f"results/efficiency/{dea}/dea.csv",
        f"results/efficiency/{malm}/malmquist.csv",
    ]


def copy_project(source: Path, target: Path, *, with_results: bool) -> Path:
    """A copy of the project (and, from a built copy, its results and Snakemake metadata)."""
    target.mkdir(parents=True)
    parts = PROJECT_PARTS + ([".snakemake", "results"] if with_results else [])
    for part in parts:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, target / part, symlinks=True)
        elif src.exists():
            shutil.copy2(src, target / part)
    return target


def snapshot(results: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every result file (logs and benchmarks aside: every run writes them)."""
    out = {}
    for path in sorted(results.rglob("*")):
        rel = path.relative_to(results).as_posix()
        if path.is_file() and not rel.startswith(("logs/", "benchmarks/")):
            out[rel] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def build_project(tmp_path_factory) -> Path:
    """The project copy with the cases' targets built and a previous report in place."""
    work = copy_project(ROOT, tmp_path_factory.mktemp("bad_inputs") / "built", with_results=False)
    run = snakemake(work, *prebuilt_targets(work))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (work / "results" / "report.html").write_text(PREVIOUS_REPORT, encoding="utf-8")
    return work


@dataclass
class Outcome:
    """One broken copy after its Snakemake run."""

    project: Path
    before: dict[str, tuple[bytes, int]]
    run: subprocess.CompletedProcess[str]
    expected: dict = field(default_factory=dict)

    @property
    def terminal(self) -> str:
        return self.run.stdout + self.run.stderr


def run_cases(built: Path, base: Path, cases: list) -> dict[str, Outcome]:
    """Copy, break and run every case (two at a time); outcomes by case id."""

    def one(case) -> tuple[str, Outcome]:
        project = copy_project(built, base / case.id, with_results=True)
        before = snapshot(project / "results")
        expected = case.breaks(project)
        target = case.target(project)
        return case.id, Outcome(project, before, snakemake(project, target), expected)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, cases))


def line_of(path: Path, prefix: str) -> int:
    """The editor line (header = 1) of the first line of ``path`` starting with ``prefix``."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(prefix))


def edit(path: Path, old: str, new: str, *, encoding: str = "utf-8") -> None:
    """Replace the first ``old`` by ``new`` in a text file (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_bytes(text.replace(old, new, 1).encode(encoding))
