"""The generic figure rule: a figure declared in a new paper folder is built, and listed in the
figures manifest, without any code or rule edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_project
from conftest import run_snakemake as snakemake
from test_figure_spec import paper_folder


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (no results) with a scratch paper folder ``scratch_demo``."""
    work = copy_project(tmp_path_factory.mktemp("figures") / "project")
    paper_folder(work / "raw_data" / "papers", "scratch_demo")
    return work


@pytest.mark.workflow
def test_a_declared_figure_of_a_new_paper_is_built(project):
    png = "results/figures/scratch_demo_volumes.png"
    svg = "results/figures/scratch_demo_volumes.svg"
    manifest = "results/figures/manifest.json"
    dry = snakemake(project, "--dry-run", png, svg, manifest)
    assert dry.returncode == 0, dry.stderr[-3000:]
    assert "rule figure:" in dry.stdout and "figure=volumes" in dry.stdout
    assert "paper=scratch_demo" in dry.stdout

    run = snakemake(project, png, svg, manifest)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (project / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (project / svg).read_text(encoding="utf-8")
    assert "Volumes of scratch_demo" in text  # the declared title, {paper} filled in
    assert "Source: demo (scratch_demo), Table 1" in text

    entries = json.loads((project / manifest).read_text(encoding="utf-8"))
    mine = [e for e in entries if e["paper"] == "scratch_demo"]
    assert [e["figure"] for e in mine] == ["volumes", "rates"]
    assert mine[0]["files"] == {"png": png, "svg": svg}
    assert mine[0]["caption"] == "Volumes by row."


@pytest.mark.workflow
def test_a_malformed_declaration_stops_the_run_before_any_job(project, tmp_path):
    work = tmp_path / "project"
    shutil.copytree(project, work, ignore=shutil.ignore_patterns("results", ".snakemake"))
    declaration = work / "raw_data" / "papers" / "scratch_demo" / "figures.yaml"
    text = declaration.read_text(encoding="utf-8").replace("label: name", "label: nme", 1)
    declaration.write_text(text, encoding="utf-8")
    run = snakemake(work, "--dry-run")
    said = run.stdout + run.stderr
    assert run.returncode != 0
    assert "scratch_demo/figures.yaml" in said and "figures.volumes.label" in said
    assert "line 5" in said and "no column 'nme'" in said
    assert not (work / "results").exists()  # stopped at start-up, before any job
