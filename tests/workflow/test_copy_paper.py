"""A fifth paper needs no Python: a copy of a paper folder under a new id gets the same ingest,
transfer metrics, figures, audit findings and report section as the original, from data alone.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_workflow import copy_project, snakemake

ORIGIN, COPY = "seed003", "dalian_copy"


def _without_ids(frame: pd.DataFrame, paper: str) -> pd.DataFrame:
    """The frame with the paper id blanked out of every text cell (ids, paths, refs)."""
    return frame.replace(to_replace=re.escape(paper), value="<paper>", regex=True)


@pytest.fixture(scope="module")
def copied(tmp_path_factory, request) -> Path:
    root = Path(request.config.rootpath)
    work = copy_project(root, tmp_path_factory.mktemp("copy") / "project")
    shutil.copytree(work / "raw_data/papers" / ORIGIN, work / "raw_data/papers" / COPY)
    run = snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return work / "results"


@pytest.mark.workflow
def test_the_copy_is_ingested_like_the_original(copied):
    origin = sorted(p.name for p in (copied / "tables" / ORIGIN).glob("*.parquet"))
    assert origin == sorted(p.name for p in (copied / "tables" / COPY).glob("*.parquet"))
    for name in origin:
        a = pd.read_parquet(copied / "tables" / ORIGIN / name)
        b = pd.read_parquet(copied / "tables" / COPY / name)
        pd.testing.assert_frame_equal(_without_ids(a, ORIGIN), _without_ids(b, COPY))


@pytest.mark.workflow
def test_the_copy_gets_the_same_transfer_metrics(copied):
    origin = sorted(p.name for p in (copied / "transfer" / ORIGIN).glob("*.csv"))
    assert origin, "the original paper declares transfer metrics"
    assert origin == sorted(p.name for p in (copied / "transfer" / COPY).glob("*.csv"))
    for name in origin:
        a = pd.read_csv(copied / "transfer" / ORIGIN / name, keep_default_na=False)
        b = pd.read_csv(copied / "transfer" / COPY / name, keep_default_na=False)
        pd.testing.assert_frame_equal(_without_ids(a, ORIGIN), _without_ids(b, COPY))


@pytest.mark.workflow
def test_the_copy_gets_the_same_audit_findings(copied):
    findings = pd.read_csv(copied / "audit" / "findings.csv", keep_default_na=False)
    a = findings[findings["paper"] == ORIGIN].reset_index(drop=True)
    b = findings[findings["paper"] == COPY].reset_index(drop=True)
    assert len(a) > 0
    pd.testing.assert_frame_equal(_without_ids(a, ORIGIN), _without_ids(b, COPY))
    for name in sorted(p.name for p in (copied / "audit" / ORIGIN).glob("*.csv")):
        x = pd.read_csv(copied / "audit" / ORIGIN / name, keep_default_na=False)
        y = pd.read_csv(copied / "audit" / COPY / name, keep_default_na=False)
        pd.testing.assert_frame_equal(_without_ids(x, ORIGIN), _without_ids(y, COPY))


@pytest.mark.workflow
def test_the_copy_gets_the_same_figures_and_a_report_section(copied):
    figures = copied / "figures"
    origin = sorted(p.name for p in figures.glob(f"{ORIGIN}_*.svg"))
    assert origin, "the original paper declares figures"
    for name in origin:
        twin = figures / name.replace(ORIGIN, COPY, 1)
        assert twin.exists(), twin.name
        # same drawing: the SVGs differ at most where the paper id is printed
        a = re.sub(re.escape(ORIGIN), "<paper>", (figures / name).read_text(encoding="utf-8"))
        b = re.sub(re.escape(COPY), "<paper>", twin.read_text(encoding="utf-8"))
        assert _strip_svg_ids(a) == _strip_svg_ids(b), name
    report = (copied / "report.html").read_text(encoding="utf-8")
    anchors = re.findall(r"""id=["']?([^"' >]+)""", report)
    origin = sorted(a for a in anchors if ORIGIN in a)
    copy = sorted(a.replace(COPY, ORIGIN) for a in anchors if COPY in a)
    assert origin, "the original paper has a report section"
    assert copy == origin  # the same section, tables, quotes and figures, under the new id
    links = set(re.findall(r"""href=["']?#([^"' >]+)""", report))
    assert {a for a in anchors if COPY in a} & links  # and the contents link to it


def _strip_svg_ids(svg: str) -> str:
    """Matplotlib's SVG element ids and clip paths are hashes of the file name; drop them."""
    svg = re.sub(r'id="[^"]*"', "", svg)
    return re.sub(r'url\(#[^)]*\)|xlink:href="#[^"]*"|href="#[^"]*"', "", svg)
