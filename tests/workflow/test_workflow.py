"""The whole workflow, run in a temporary copy of the project: it builds, and a second run
has nothing to do."""

from __future__ import annotations

import base64
import os
import re
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


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (make test installs it)")
        pytest.skip("chromium not installed (make test installs it)")
    return found


@pytest.mark.workflow
def test_report_loads_in_headless_chromium(built, tmp_path):
    report = built / "results" / "report.html"
    page = report.read_text(encoding="utf-8")
    # No broken images or links: every image is embedded, every link an anchor on the page.
    srcs = re.findall(r'<img[^>]* src="([^"]+)"', page)
    assert srcs, "the report has no figures"
    for src in srcs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:4] == b"\x89PNG"
    ids = set(re.findall(r'id="([^"]+)"', page))
    for link in re.findall(r'href="([^"]+)"', page):
        if link == "changes.md":  # the rerun summary written beside the report
            continue
        assert link.startswith("#") and link[1:] in ids, link
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = report.as_uri()
    dom = subprocess.run(
        [_chromium(), *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Provenance" in dom.stdout and "<table>" in dom.stdout
    shot = tmp_path / "report.png"
    run = subprocess.run(
        [_chromium(), *flags, f"--screenshot={shot}", "--window-size=1280,2400", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 20_000
    shutil.copy(shot, built / "results" / "report_screenshot.png")


@pytest.mark.workflow
def test_snakemake_report_builds_with_captions(built):
    target = built / "results" / "snakemake_report.html"
    run = snakemake(built, "--report", str(target))
    assert run.returncode == 0, run.stderr[-2000:]
    text = target.read_text(encoding="utf-8", errors="replace")
    assert "seed000_fig1_fiscal_st_exp" in text  # a figure registered with its caption
