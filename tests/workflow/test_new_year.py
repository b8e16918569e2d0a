"""A new year of panel data is one new file: exactly the dependent jobs rerun, the Malmquist
tables gain the new period, and nothing else changes."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_workflow import copy_project, snakemake

PANEL = Path("raw_data/panels/china_provinces")


def _auto_year_analyses(root: Path) -> set[tuple[str, str]]:
    """(rule, analysis) of every configured analysis of this panel with ``years: auto``
    (the default): exactly these take up a new year."""
    config = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    return {
        (f"{spec['method']}_analysis", name)
        for name, spec in config["analyses"].items()
        if spec["source"].get("panel") == PANEL.name and spec.get("years", "auto") == "auto"
    }


#: Rules downstream of those analyses (their figures, provenance, the report) rerun too.
DOWNSTREAM_RULES = {"all", "report", "provenance", "analysis_figure"}


def _scheduled(dry_run_output: str) -> dict[tuple[str, str], list[str]]:
    """(rule, first output) -> all outputs, for every job a dry run lists."""
    jobs = {}
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", dry_run_output):
        head = re.match(r"(?:local)?rule (\w+):", block.strip())
        if not head:
            continue
        output = re.search(r"^\s+output: (.*)$", block, flags=re.M)
        outputs = output.group(1).split(", ") if output else [""]
        jobs[(head.group(1), outputs[0])] = outputs
    return jobs


def _digests(results: Path) -> dict[str, tuple[str, float]]:
    return {
        str(p.relative_to(results)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in results.rglob("*")
        if p.is_file() and "logs" not in p.parts and "benchmarks" not in p.parts
    }


@pytest.mark.workflow
def test_adding_the_latest_year_reruns_exactly_the_dependent_jobs(tmp_path, request):
    root = Path(request.config.rootpath)
    work = copy_project(root, tmp_path / "project")
    years = sorted(int(p.stem) for p in (work / PANEL).glob("*.csv"))
    latest = years[-1]
    held_back = tmp_path / f"{latest}.csv"
    shutil.move(work / PANEL / f"{latest}.csv", held_back)
    first = snakemake(work)
    assert first.returncode == 0, first.stderr[-3000:]
    before = _digests(work / "results")
    old_annual = pd.read_csv(
        work / "results/efficiency/provinces_malmquist_5ind/malmquist_annual_means.csv"
    )
    old_indices = pd.read_csv(work / "results/efficiency/provinces_malmquist_5ind/malmquist.csv")

    shutil.copy(held_back, work / PANEL / f"{latest}.csv")
    plan = snakemake(work, "--dry-run")
    assert plan.returncode == 0, plan.stderr[-3000:]
    jobs = _scheduled(plan.stdout)
    assert ("ingest_panel_year", f"results/panels/china_provinces/{latest}.parquet") in jobs
    expected = _auto_year_analyses(root)
    assert ("dea_analysis", "provinces_dea_by_year") in expected  # the config still has one
    analysis_rules = {rule for rule, _ in expected}
    analyses = {(r, o.split("/")[2]) for r, o in jobs if r.endswith("_analysis")}
    assert analyses == expected
    others = {r for r, _ in jobs} - {"ingest_panel_year", *analysis_rules}
    assert others <= DOWNSTREAM_RULES, others
    assert len([j for j in jobs if j[0] == "ingest_panel_year"]) == 1

    second = snakemake(work)
    assert second.returncode == 0, second.stderr[-3000:]
    after = _digests(work / "results")
    rewritten = {o.removeprefix("results/") for outputs in jobs.values() for o in outputs}
    unchanged = [path for path in before if path not in rewritten]
    assert len(unchanged) > 100  # the papers' tables, audit, fixed-year analyses, ...
    for path in unchanged:
        assert after[path] == before[path], f"{path} changed but no scheduled job writes it"

    annual = pd.read_csv(
        work / "results/efficiency/provinces_malmquist_5ind/malmquist_annual_means.csv"
    )
    periods = [p for p in annual["period"] if p != "mean"]
    old_periods = [p for p in old_annual["period"] if p != "mean"]
    assert periods == [*old_periods, str(latest)]
    keep = annual[annual["period"].isin(old_periods)].reset_index(drop=True)
    pd.testing.assert_frame_equal(keep, old_annual[old_annual["period"] != "mean"])
    indices = pd.read_csv(work / "results/efficiency/provinces_malmquist_5ind/malmquist.csv")
    assert set(indices["period"]) == set(old_indices["period"]) | {latest}
    pd.testing.assert_frame_equal(
        indices[indices["period"] != latest].reset_index(drop=True), old_indices
    )
