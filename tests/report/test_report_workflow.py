"""The real report in a real browser, the quiet ``make results`` and the yearly ``make rerun``.

One scratch copy of the project is built with ``make results`` with the latest panel year held
back (its output is measured: under 100 lines); its report is loaded in Debian's chromium at
1280, 1400 and 1440 px. Then the year is put back and ``make rerun`` runs: its
results/changes.md must name the new year and its file, the new Malmquist periods, and the
numbers that moved most, as the two runs' result files show them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from browser import probe, screenshot

PARTS = ["Snakefile", "config", "workflow", "raw_data", "envs", "profiles", "Makefile"]
PANEL = Path("raw_data/panels/china_provinces")
WIDTHS = (1280, 1400, 1440)


def _make(work: Path, target: str, stamp: Path) -> subprocess.CompletedProcess[str]:
    """``make <target>`` in the copy, with this interpreter's environment as the venv."""
    bin_dir = Path(sys.executable).parent
    return subprocess.run(
        ["make", "--no-print-directory", target, f"BIN={bin_dir}", f"STAMP={stamp}"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory, request):
    """A built copy of the project (latest year held back) and what building it printed."""
    root = Path(request.config.rootpath)
    base = tmp_path_factory.mktemp("report")
    work = base / "project"
    work.mkdir()
    for part in PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, work / part)
        else:
            shutil.copy2(src, work / part)
    shutil.copy2(root / "pyproject.toml", work / "pyproject.toml")
    stamp = base / "installed-stamp"
    stamp.write_text("the test's interpreter is the environment\n")
    years = sorted(int(p.stem) for p in (work / PANEL).glob("*.csv"))
    held = base / f"{years[-1]}.csv"
    shutil.move(work / PANEL / held.name, held)
    run = _make(work, "results", stamp)
    (base / "make_results.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    return {"work": work, "stamp": stamp, "held": held, "first": run, "base": base}


@pytest.mark.workflow
def test_make_results_prints_progress_not_job_details(project):
    run = project["first"]
    lines = (run.stdout + run.stderr).splitlines()
    assert 0 < len(lines) < 100, len(lines)
    assert any(re.match(r"^\[\s*\d+/\d+ 100%\] finished", line) for line in lines)
    assert not any(line.strip().startswith("input:") for line in lines)


@pytest.mark.workflow
@pytest.mark.parametrize("width", WIDTHS)
def test_report_fits_the_window_and_explains_flagged_cells(project, width, tmp_path):
    report = project["work"] / "results" / "report.html"
    found = probe(report, width, tmp_path)
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= found["innerWidth"], found["scrollWidth"]
    assert found["bodyScrollWidth"] <= found["innerWidth"]
    assert not found["unboxed"]  # every table wider than the window scrolls in its own box
    assert len(found["toc"]) > 4 and not found["missing"]
    assert found["flagged"] > 0 and not found["hidden"]
    assert all(len(text) >= 20 for text in found["notes"])
    shots = tmp_path / "screenshots"
    shots.mkdir()
    top = screenshot(report, width, 1000, shots / f"top_{width}.png")
    assert top.stat().st_size > 20_000
    # One paper section with its tables, the text scrolled to it by hiding the others.
    page = report.read_text(encoding="utf-8")
    papers = re.findall(r'<section id="(paper-[^"]+)"', page)
    assert papers
    for anchor in papers:
        css = f"main>section:not(#{anchor}){{display:none}}"
        shot = screenshot(report, width, 3000, shots / f"{anchor}_{width}.png", css=css)
        assert shot.stat().st_size > 20_000


@pytest.mark.workflow
def test_rerun_with_a_new_year_says_what_changed(project):
    work, held = project["work"], project["held"]
    results = work / "results"
    before = {
        p.relative_to(results): pd.read_csv(p)
        for p in results.glob("efficiency/*/malmquist_*means.csv")
    }
    shutil.copy2(held, work / PANEL / held.name)
    run = _make(work, "rerun", project["stamp"])
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    text = (results / "changes.md").read_text(encoding="utf-8")
    year = held.stem
    assert f"New data years: {year} ({PANEL.name})" in text
    assert f"| {PANEL / held.name} | added |" in text
    assert "Nothing changed" not in text
    checked_periods = checked_moves = 0
    for rel, old in before.items():
        new = pd.read_csv(results / rel)
        if f"`{rel.as_posix()}`" not in text:  # not listed: the file must not have moved
            assert old.equals(new), rel
            continue
        section = text[text.index(f"### {rel.parent.name}") :]
        section = section[: section.find("\n### ")] if "\n### " in section else section
        if "period" in new.columns:
            gained = sorted(set(new["period"].astype(str)) - set(old["period"].astype(str)))
            if gained:
                assert f"new periods: {', '.join(gained)}" in section
                checked_periods += 1
        if "dmu" in new.columns and "period" not in new.columns:
            merged = old.merge(new, on="dmu", suffixes=("_old", "_new"))
            values = [c for c in new.columns if c != "dmu" and f"{c}_old" in merged]
            deltas = pd.concat(
                [
                    (merged[f"{c}_new"] - merged[f"{c}_old"]).abs().rename(c).to_frame()
                    for c in values
                ],
                axis=1,
            ).set_index(merged["dmu"])
            if deltas.to_numpy().max() > 1e-9:
                dmu, column = deltas.stack().idxmax()
                file_part = section[section.index(f"`{rel.as_posix()}`") :]
                first_row = file_part[file_part.index("Largest moves") :].splitlines()[4]
                assert first_row.startswith(f"| {dmu} | {column} |"), first_row
                checked_moves += 1
    assert checked_periods >= 1 and checked_moves >= 1
