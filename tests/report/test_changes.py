"""The rerun summary (results/changes.md) and the quiet terminal output, on small folders."""

from __future__ import annotations

import io
import json
import shutil

import pandas as pd

from sciteff.report.changes import SUMMARY, compare_file, main, summarize
from sciteff.report.terminal import condense


def _results(folder, *, year_files, scores, periods):
    """A small results folder: provenance naming the panel year files, one DEA file."""
    (folder / "efficiency" / "demo").mkdir(parents=True)
    prov = {
        "outputs": [
            {
                "path": "results/panels/x.parquet",
                "inputs": [
                    {"path": f"raw_data/panels/demo/{y}.csv", "sha256": digest}
                    for y, digest in year_files.items()
                ],
            }
        ]
    }
    (folder / "provenance.json").write_text(json.dumps(prov))
    rows = [
        {"period": p, "dmu": d, "crste": s, "crste_rank": r}
        for p in periods
        for d, (s, r) in scores.items()
    ]
    pd.DataFrame(rows).to_csv(folder / "efficiency" / "demo" / "dea.csv", index=False)
    (folder / "logs").mkdir()
    (folder / "logs" / "run.log").write_text(str(folder))  # differs, never compared
    return folder


def test_unchanged_rerun_says_nothing_changed(tmp_path):
    scores = {"A": (1.0, 1), "B": (0.5, 2)}
    before = _results(tmp_path / "prev", year_files={2020: "aa"}, scores=scores, periods=[2020])
    after = tmp_path / "now"
    shutil.copytree(before, after)
    (after / "logs" / "run.log").write_text("another run")
    text = summarize(before, after)
    assert "Nothing changed" in text


def test_new_year_and_moved_scores_are_named(tmp_path):
    before = _results(
        tmp_path / "prev",
        year_files={2020: "a" * 64},
        scores={"A": (1.0, 1), "B": (0.5, 2), "C": (0.4, 3)},
        periods=[2020],
    )
    after = _results(
        tmp_path / "now",
        year_files={2020: "b" * 64, 2021: "c" * 64},
        scores={"A": (0.6, 2), "B": (0.9, 1), "C": (0.4, 3)},
        periods=[2020, 2021],
    )
    assert main([str(before), str(after)]) == 0
    text = (after / SUMMARY).read_text()
    assert "New data years: 2021 (demo)" in text
    assert "| raw_data/panels/demo/2020.csv | changed | aaaaaaaaaaaa | bbbbbbbbbbbb |" in text
    assert "raw_data/panels/demo/2021.csv | added" in text
    assert "`efficiency/demo/dea.csv` (changed)" in text
    assert "new periods: 2021" in text
    # The largest move first: B's score rose by 0.4, A's fell by 0.4 (ties by dmu), C none.
    table = text[text.index("Largest moves") :]
    assert table.index("| 2020 | A | crste |") < table.index("| 2020 | B | crste |")
    assert "| 2020 | C |" not in table
    assert "Rank changes (2 in all" in text


def test_compare_file_reports_every_rank_change():
    before = pd.DataFrame({"dmu": ["A", "B"], "score_rank": [1, 2], "score": [1.0, 0.5]})
    after = pd.DataFrame({"dmu": ["A", "B"], "score_rank": [2, 1], "score": [0.5, 1.0]})
    moves = compare_file(before, after, "x.csv")
    assert set(moves.ranks["dmu"]) == {"A", "B"}
    assert list(moves.largest["change"].abs()) == [0.5, 0.5]
    assert not moves.new_periods


def test_no_previous_results(tmp_path):
    (tmp_path / "now").mkdir()
    assert "No previous results" in summarize(tmp_path / "missing", tmp_path / "now")


SNAKEMAKE_OUTPUT = """Building DAG of jobs...
Job stats:
job      count
-----  -------
make        20
all          1
total       21

Select jobs to execute...
{jobs}
Complete log(s): /x/.snakemake/log/run.log
"""


def _jobs(n, total):
    blocks = []
    for i in range(1, n + 1):
        blocks.append(
            f"[Mon Jan  1 00:00:00 2024]\nlocalrule make:\n    input: raw_data/a.csv, raw_data/"
            f"b.csv\n    output: results/{i}.csv\n    jobid: {i}\n    reason: Missing output\n"
            f"    resources: tmpdir=/tmp\n\nFinished jobid: {i} (Rule: make)\n"
            f"{i} of {total} steps ({round(100 * i / total)}%) done"
        )
    return "\n".join(blocks)


def test_terminal_output_is_progress_and_errors():
    full = SNAKEMAKE_OUTPUT.format(jobs=_jobs(21, 21))
    out = io.StringIO()
    failed = condense(full.splitlines(keepends=True), out, live=False)
    lines = out.getvalue().splitlines()
    assert not failed
    assert len(full.splitlines()) > 10 * len(lines)
    assert "sciteff: 21 jobs to run" in lines
    assert "[21/21 100%] finished make" in lines
    assert not any("input:" in line for line in lines)
    assert lines[-1].startswith("Complete log")


def test_terminal_passes_errors_through_in_full():
    error = "Error in rule make:\n    jobid: 3\n    log: results/logs/3.log\nRuleException: boom\n"
    full = SNAKEMAKE_OUTPUT.format(jobs=_jobs(2, 21) + "\n" + error)
    out = io.StringIO()
    assert condense(full.splitlines(keepends=True), out, live=False)
    assert error.strip() in out.getvalue()


def test_terminal_rewrites_one_line_when_live():
    full = SNAKEMAKE_OUTPUT.format(jobs=_jobs(21, 21))
    out = io.StringIO()
    condense(full.splitlines(keepends=True), out, live=True)
    text = out.getvalue()
    assert text.count("\r") == 21 and "[ 7/21  33%] finished make" in text
