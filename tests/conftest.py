"""Shared test helpers: the project root, a writer for small transcription fixtures, and a
copy of the project to run Snakemake in."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Everything the workflow reads (the library comes from the installed package).
PROJECT_PARTS = ["Snakefile", "config", "workflow", "raw_data", "envs", "profiles"]


@pytest.fixture
def root() -> Path:
    """The project's root folder."""
    return ROOT


def write_table(
    folder: Path, name: str, header: list[str], rows: list[list[str]], spec: dict
) -> tuple[Path, Path]:
    """Write ``name``.csv and ``name``.yaml into the paper folder; return both paths.

    A paper's id is its folder's name, so a spec naming a ``paper`` other than ``folder``'s
    name is written into ``folder/<paper>/`` (and the key is left out of the sidecar).
    """
    spec = dict(spec)
    paper = spec.pop("paper", None)
    if paper is not None and paper != folder.name:
        folder = folder / str(paper)
        folder.mkdir(exist_ok=True)
    csv_path = folder / f"{name}.csv"
    lines = [",".join(header)] + [",".join(_quote(c) for c in r) for r in rows]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yaml_path = folder / f"{name}.yaml"
    yaml_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return csv_path, yaml_path


def _quote(cell: str) -> str:
    return f'"{cell}"' if ("," in cell or '"' in cell) else cell


def copy_project(target: Path) -> Path:
    """A copy of everything the workflow reads into ``target`` (created), without results."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def run_snakemake(workdir: Path, *args: str, cores: int = 1) -> subprocess.CompletedProcess[str]:
    """Snakemake in ``workdir`` with this interpreter; its output captured, never raising."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
