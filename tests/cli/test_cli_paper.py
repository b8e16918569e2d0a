"""``sciteff paper check``: a paper folder is validated before the pipeline runs, and every
problem is listed with its file and place (not only the first)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from sciteff.cli import main

ORIGIN = ROOT / "raw_data" / "papers" / "seed003"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of a complete paper folder under a new id."""
    return Path(shutil.copytree(ORIGIN, tmp_path / "newpaper"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copied_paper_folder_is_ready(folder, capsys):
    assert main(["paper", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "0 problems - ready for the pipeline" in out
    for name in ("table3.yaml", "table3.csv", "quotes.csv", "checks.yaml", "transfer.yaml"):
        assert f"ok       {folder / name}" in out


def _break_first_quote(folder: Path) -> None:
    """Make the first quote no longer verbatim in source.txt."""
    path = folder / "quotes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "quote"] = frame.loc[0, "quote"] + " (paraphrased)"
    frame.to_csv(path, index=False)


def test_every_problem_is_listed_with_its_place(folder, capsys):
    _edit(folder / "table2.yaml", "kind: number", "kind: numbr")
    _break_first_quote(folder)
    assert main(["paper", "check", str(folder)]) == 2
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if line.startswith("problem")]
    assert len(problems) == 2, out
    table, quote = problems
    assert "table2.yaml" in table and "key columns." in table and "'numbr'" in table
    assert "line " in table
    assert "quotes.csv" in quote and "line 2" in quote
    # the files that read the tables wait for them instead of echoing their problems
    assert f"skipped  {folder / 'checks.yaml'}" in out
    assert out.rstrip().endswith("2 problems")


def test_a_metric_naming_a_missing_column_is_a_problem(folder, capsys):
    _edit(folder / "transfer.yaml", "count_local: n_dalian_2022", "count_local: n_dalian_2O22")
    assert main(["paper", "check", str(folder)]) == 2
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if line.startswith("problem")]
    assert len(problems) == 1 and "transfer.yaml" in problems[0], out
    assert "n_dalian_2O22" in problems[0]
    # pointed at the declaration the user edits: its key and line
    assert "line 7: key conversion_rates: " in problems[0]


def test_a_stale_paper_id_in_a_copied_sidecar_is_a_problem(folder, capsys):
    _edit(folder / "table1.yaml", "number:", "paper: seed003\nnumber:")
    assert main(["paper", "check", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "says paper 'seed003' but its place says 'newpaper'" in out


def test_not_a_folder(tmp_path, capsys):
    assert main(["paper", "check", str(tmp_path / "absent")]) == 2
    assert "is not a folder" in capsys.readouterr().err
