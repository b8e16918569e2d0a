"""The transfer rules read a paper's declaration from one place, its transfer.yaml (an input of
the rule, not a copy in the rule's params): editing the file reruns the paper's transfer jobs,
and the rerun computes what the edited file declares."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project
from conftest import run_snakemake as snakemake

RATES = "results/transfer/seed003/conversion_rates.csv"
TABLE = "results/transfer/seed003/table2_recomputed.csv"


def _tables(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["table"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (no results) with seed003's two kinds of transfer output built."""
    work = copy_project(tmp_path_factory.mktemp("transfer") / "project")
    run = snakemake(work, RATES, TABLE)
    assert run.returncode == 0, run.stderr[-3000:]
    return work


@pytest.mark.workflow
def test_the_rules_carry_no_copy_of_the_declaration():
    rules = (ROOT / "workflow" / "rules" / "transfer.smk").read_text(encoding="utf-8")
    assert "transfer_declaration" not in rules  # the parsed declaration is not a parameter
    assert "params:" not in rules


@pytest.mark.workflow
def test_editing_transfer_yaml_reruns_and_the_rerun_follows_the_file(project):
    assert _tables(project / RATES) == {"table3", "table5"}
    unchanged = snakemake(project, "--dry-run", RATES, TABLE)
    assert "Nothing to be done" in unchanged.stdout + unchanged.stderr

    path = project / "raw_data/papers/seed003/transfer.yaml"
    declaration = yaml.safe_load(path.read_text(encoding="utf-8"))
    declaration["conversion_rates"] = [
        entry for entry in declaration["conversion_rates"] if entry["table"] == "table3"
    ]
    path.write_text(yaml.safe_dump(declaration, sort_keys=False), encoding="utf-8")

    dry = snakemake(project, "--dry-run", RATES, TABLE)
    assert dry.returncode == 0, dry.stderr[-3000:]
    assert "rule transfer_metric:" in dry.stdout
    assert "rule transfer_recomputed_table:" in dry.stdout  # it reads the same file
    assert "rule ingest" not in dry.stdout  # the tables are untouched

    run = snakemake(project, RATES, TABLE)
    assert run.returncode == 0, run.stderr[-3000:]
    assert _tables(project / RATES) == {"table3"}
