"""Bad inputs in the pipeline: one broken raw file per case, only the affected target run.

For every case: a non-zero exit; the one expected message, naming the raw file, the line an
editor shows (header = line 1) and the column; no line on the terminal starting with
Traceback, RuleException, CalledProcessError or WorkflowError; no output of the failed job
left behind; results/FAILED.md written; and every other previous result unchanged (bytes and
mtime) apart from the report's stale banner and what the case's upstream jobs rebuilt.
A dry run (``snakemake -n``) of broken and clean copies writes, changes or removes nothing
under results/.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pipeline_helpers import (
    FORBIDDEN_STARTS,
    PANEL,
    PREVIOUS_REPORT,
    Outcome,
    build_project,
    edit,
    line_of,
    panel_dea_analysis,
    run_cases,
    snakemake,
    snapshot,
    table_malmquist_analysis,
)

from sciteff.core.runlog import BANNER_START, remove_stale_banner

YEAR = f"{PANEL}/2020.csv"
PANEL_PARQUET = "results/panels/china_provinces/2020.parquet"
TABLE = "raw_data/papers/seed002/table1.csv"
SIDECAR = "raw_data/papers/seed002/table1.yaml"
QUOTES = "raw_data/papers/seed002/quotes.csv"
TABLE_PARQUET = "results/tables/seed002/table1.parquet"
QUOTES_PARQUET = "results/tables/seed002/quotes.parquet"
CONFIG = "config/config.yaml"


@dataclass(frozen=True)
class Case:
    """A broken file: ``breaks`` edits a project copy and returns the expected place
    (file, line, column) and a fragment of the message; ``target`` is what is run."""

    id: str
    breaks: Callable[[Path], dict]
    target: Callable[[Path], str]
    rebuilt: Callable[[Path], list[str]] = field(default=lambda p: [])
    #: Found while Snakemake reads the workflow (config, input discovery): no job runs.
    at_parse: bool = False
    #: The output of the job that fails (default: the target itself).
    fails: Callable[[Path], str] | None = None


def _rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline="")))


def _write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, first: str, column: str, value: str) -> dict:
    """Set one cell of the row whose first cell is ``first``; return its place."""
    rows = _rows(path)
    j = rows[0].index(column)
    i = next(i for i, r in enumerate(rows) if r and r[0] == first)
    rows[i][j] = value
    _write_rows(path, rows)
    return {"line": i + 1, "column": column}


def _panel_cell(dmu: str, column: str, value: str, text: str) -> Callable[[Path], dict]:
    def breaks(p: Path) -> dict:
        return {"file": YEAR, "text": text, **set_cell(p / YEAR, dmu, column, value)}

    return breaks


def _table_cell(label: str, column: str, value: str, text: str) -> Callable[[Path], dict]:
    def breaks(p: Path) -> dict:
        return {"file": TABLE, "text": text, **set_cell(p / TABLE, label, column, value)}

    return breaks


def _quote_cell(fid: str, column: str, value: str, text: str) -> Callable[[Path], dict]:
    def breaks(p: Path) -> dict:
        return {"file": QUOTES, "text": text, **set_cell(p / QUOTES, fid, column, value)}

    return breaks


def _drop_row(p: Path) -> dict:
    path = p / YEAR
    rows = [r for r in _rows(path) if not (r and r[0] == "辽宁")]
    _write_rows(path, rows)
    return {"file": YEAR, "line": len(rows) + 1, "column": "province", "text": "has no row"}


def _extra_row(p: Path) -> dict:
    path = p / YEAR
    rows = _rows(path)
    rows.append(["台湾", *rows[1][1:]])
    _write_rows(path, rows)
    return {"file": YEAR, "line": len(rows), "column": "province", "text": "not a DMU"}


def _duplicate_row(p: Path) -> dict:
    path = p / YEAR
    rows = _rows(path)
    rows.append(rows[3])
    _write_rows(path, rows)
    text = f"appears twice (lines 4 and {len(rows)}); delete or correct one of the two rows"
    return {"file": YEAR, "line": len(rows), "column": "province", "text": text}


def _duplicate_row_declared_droppable(p: Path) -> dict:
    """The DEA analysis of 2020 declares the duplicated DMU droppable: still the same error
    (which row to drop would be a guess), now from the analysis' run."""
    expected = _duplicate_row(p)
    dmu = _rows(p / YEAR)[3][0]
    name = panel_dea_analysis(p)
    path = p / CONFIG
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(lines.index(f"  {name}:") + 1, f"    may_drop: {{{dmu}: a test}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {**expected, "text": "a may_drop entry for it does not apply"}


def _ragged(p: Path) -> dict:
    path = p / YEAR
    rows = _rows(path)
    rows[5] = rows[5][:4]
    _write_rows(path, rows)
    return {"file": YEAR, "line": 6, "column": None, "text": "has 4 fields, the header has 12"}


def _semicolons(p: Path) -> dict:
    path = p / YEAR
    _write_rows(path, _rows(path), delimiter=";")
    return {"file": YEAR, "line": 1, "column": "province", "text": "separated by semicolons"}


def _encoded(encoding: str, line: int, text: str) -> Callable[[Path], dict]:
    def breaks(p: Path) -> dict:
        path = p / YEAR
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        return {"file": YEAR, "line": line, "column": None, "text": text}

    return breaks


def _empty(p: Path) -> dict:
    (p / YEAR).write_text("", encoding="utf-8")
    return {"file": YEAR, "line": 1, "column": None, "text": "empty file"}


def _header_only(p: Path) -> dict:
    path = p / YEAR
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return {"file": YEAR, "line": 1, "column": None, "text": "no data rows"}


def _misnamed_year_file(p: Path) -> dict:
    shutil.copy2(p / YEAR, p / PANEL / "2020 (copy).csv")
    return {
        "file": f"{PANEL}/2020 (copy).csv",
        "line": None,
        "column": None,
        "text": "must be named <year>.csv",
    }


def _sidecar_unit(p: Path) -> dict:
    path = p / SIDECAR
    text = path.read_text(encoding="utf-8")
    edit(path, "    unit: items\n", "    unit: pieces\n")
    line = text.splitlines().index("    unit: items") + 1
    return {"file": SIDECAR, "line": line, "column": "patents_granted_2015", "text": "'pieces'"}


def _sidecar_kind(p: Path) -> dict:
    path = p / SIDECAR
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("  rd_expenditure_2015:") + 2  # its "kind: number" line
    assert lines[at].strip() == "kind: number"
    lines[at] = "    kind: percent"  # a percent column in 100 million yuan
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unit = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("unit:"))
    # The message is about the unit a percent column needs, so it points at the unit line.
    return {"file": SIDECAR, "line": unit + 1, "column": "rd_expenditure_2015", "text": "'%'"}


def _config_typo(p: Path) -> dict:
    name = panel_dea_analysis(p)
    path = p / CONFIG
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {name}:")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    orientation:"))
    lines[at] = lines[at].replace("orientation:", "orientaton:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"file": CONFIG, "line": at + 1, "column": "orientaton", "text": "'orientation'"}


def _config_type(p: Path) -> dict:
    name = panel_dea_analysis(p)
    path = p / CONFIG
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {name}:")
    lines.insert(start + 1, "    allow_zero: yes please")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"file": CONFIG, "line": start + 2, "column": "allow_zero", "text": "not of type"}


def _malmquist_zero(p: Path) -> dict:
    _, spec = table_malmquist_analysis(p)
    column = f"{spec['inputs'][0]}_2016"
    return {"file": TABLE, "text": "zero input", **set_cell(p / TABLE, "Henan", column, "0")}


def _dea(p: Path) -> str:
    return f"results/efficiency/{panel_dea_analysis(p)}/dea.csv"


def _malmquist(p: Path) -> str:
    return f"results/efficiency/{table_malmquist_analysis(p)[0]}/malmquist.csv"


def _panel(p: Path) -> str:
    return PANEL_PARQUET


def _table(p: Path) -> str:
    return TABLE_PARQUET


def _quotes(p: Path) -> str:
    return QUOTES_PARQUET


def _rebuilt_panel(p: Path) -> list[str]:
    return [PANEL_PARQUET.removeprefix("results/")]


def _rebuilt_table(p: Path) -> list[str]:
    return [TABLE_PARQUET.removeprefix("results/")]


FISCAL = "fiscal_st_exp_100m_yuan"
RD = "rd_internal_exp_10k_yuan"

CASES = [
    Case(
        "panel-decimal-comma", _panel_cell("上海", FISCAL, "406,2", "'406,2' is ambiguous"), _panel
    ),
    Case("panel-bad-grouping", _panel_cell("云南", RD, "2,45,9862", "ambiguous"), _panel),
    Case("panel-nan-token", _panel_cell("上海", RD, "NaN", "non-finite"), _panel),
    Case("panel-inf-token", _panel_cell("北京", RD, "inf", "non-finite"), _panel),
    Case("panel-negative", _panel_cell("上海", RD, "-16156905", "non-negative"), _panel),
    Case("panel-text-token", _panel_cell("上海", RD, "n/a", "cannot parse 'n/a'"), _panel),
    Case("panel-wrong-year", _panel_cell("上海", "year", "2019", "year '2019'"), _panel),
    Case("panel-duplicate-dmu", _duplicate_row, _panel),
    Case(
        "panel-duplicate-dmu-declared-droppable",
        _duplicate_row_declared_droppable,
        _dea,
        fails=_panel,  # the ingest of the year file fails; the analysis never runs
    ),
    Case("panel-ragged-row", _ragged, _panel),
    Case("panel-semicolons", _semicolons, _panel),
    Case("panel-utf16", _encoded("utf-16", 1, "UTF-16"), _panel),
    Case("panel-gbk-undeclared", _encoded("gbk", 2, "declare encoding: gbk"), _panel),
    Case("panel-empty-file", _empty, _panel),
    Case("panel-header-only", _header_only, _panel),
    Case("panel-year-file-misnamed", _misnamed_year_file, _panel, at_parse=True),
    Case("panel-missing-row", _drop_row, _dea, _rebuilt_panel),
    Case("panel-extra-row", _extra_row, _dea, _rebuilt_panel),
    Case(
        "panel-zero-input-dea",
        _panel_cell("上海", RD, "0", "zero input"),
        _dea,
        _rebuilt_panel,
    ),
    Case("table-decimal-comma", _table_cell("Henan", "rd_personnel_2015", "24,12", "2412"), _table),
    Case(
        "table-inf-token", _table_cell("Henan", "patents_granted_2015", "inf", "non-finite"), _table
    ),
    # Sidecars are read while Snakemake reads the workflow: no job runs.
    Case("sidecar-unknown-unit", _sidecar_unit, _table, at_parse=True),
    Case("sidecar-unit-kind-mismatch", _sidecar_kind, _table, at_parse=True),
    Case(
        "quote-not-verbatim",
        _quote_cell("t001", "quote", "Henan province is located at 16th of the 31", "verbatim"),
        _quotes,
    ),
    Case(
        "quote-token-not-in-quote",
        _quote_cell("t001", "value_printed", "16th", "'16th' does not occur"),
        _quotes,
    ),
    Case("quote-unknown-unit", _quote_cell("t001", "unit", "place", "unknown unit"), _quotes),
    Case("config-key-mistyped", _config_typo, _panel, at_parse=True),
    Case("config-value-mistyped", _config_type, _panel, at_parse=True),
    Case("malmquist-zero-input", _malmquist_zero, _malmquist, _rebuilt_table),
]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One build of the cases' targets per session (the slow part, done once)."""
    return build_project(tmp_path_factory)


@pytest.fixture(scope="module")
def outcomes(built, tmp_path_factory) -> dict[str, Outcome]:
    return run_cases(built, tmp_path_factory.mktemp("cases"), CASES)


def _place(expected: dict) -> str:
    parts = [f"file {expected['file']}"]
    if expected["line"] is not None:
        parts.append(f"line {expected['line']}")
    if expected["column"] is not None:
        parts.append(f"column {expected['column']!r}")
    return ", ".join(parts)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_fails_cleanly(outcomes, case):
    out = outcomes[case.id]
    expected = out.expected
    terminal = out.terminal
    assert out.run.returncode != 0, terminal[-3000:]
    # The one expected message, naming file, line and column.
    messages = [line for line in terminal.splitlines() if line.startswith("error: ")]
    assert len(messages) == 1, terminal[-4000:]
    assert messages[0].startswith(f"error: {_place(expected)}: "), messages[0]
    assert expected["text"] in messages[0]
    assert "np.float64" not in terminal and "np.int64" not in terminal
    for line in terminal.splitlines():
        assert not line.startswith(FORBIDDEN_STARTS), terminal[-4000:]
    # No output of the failed job left behind (a workflow that cannot be read runs no job).
    target = out.project / (case.fails or case.target)(out.project)
    assert target.exists() == case.at_parse
    assert not list((out.project / "results").rglob("*.tmp"))
    # FAILED.md says what failed; the report is marked stale, otherwise unchanged.
    failed = (out.project / "results" / "FAILED.md").read_text(encoding="utf-8")
    assert expected["text"] in failed and expected["file"] in failed
    report = out.project / "results" / "report.html"
    assert BANNER_START in report.read_text(encoding="utf-8")
    assert remove_stale_banner(report)
    assert report.read_text(encoding="utf-8") == PREVIOUS_REPORT
    # Every other previous result unchanged, bytes and mtime.
    after = snapshot(out.project / "results")
    allowed = {"FAILED.md", "report.html", *case.rebuilt(out.project)}
    job_outputs = _failed_outputs(terminal)
    for name in job_outputs:
        assert not (out.project / name).exists(), f"{name} of the failed job left behind"
    for name, (data, mtime) in out.before.items():
        if name in allowed or f"results/{name}" in job_outputs:
            continue
        assert name in after, f"{name} disappeared"
        assert after[name] == (data, mtime), f"{name} changed"
    assert set(after) - set(out.before) <= {"FAILED.md"}


def _failed_outputs(terminal: str) -> set[str]:
    """The outputs Snakemake lists for the failed job ("Error in rule ...: output: a, b")."""
    lines = terminal.splitlines()
    outputs: set[str] = set()
    for i, line in enumerate(lines):
        if line.startswith("Error in rule "):
            for detail in lines[i + 1 : i + 8]:
                if detail.strip().startswith("output: "):
                    outputs |= {o.strip() for o in detail.split(":", 1)[1].split(",")}
    return outputs


def test_next_success_removes_failed_and_banner(outcomes):
    """After a failed run, restoring the file and rerunning clears FAILED.md and the banner."""
    out = outcomes["panel-decimal-comma"]
    project = out.project
    original = Path(__file__).resolve().parents[2] / YEAR
    shutil.copy(original, project / YEAR)
    again = snakemake(project, PANEL_PARQUET)
    assert again.returncode == 0, again.stderr[-3000:]
    assert not (project / "results" / "FAILED.md").exists()
    report = project / "results" / "report.html"
    assert report.read_text(encoding="utf-8") == PREVIOUS_REPORT
    assert (project / PANEL_PARQUET).exists()


def test_a_genuine_bug_keeps_its_traceback(built, tmp_path):
    """Only data errors are shortened: a bug in a step still shows Python's traceback."""
    from pipeline_helpers import copy_project

    project = copy_project(built, tmp_path / "bug", with_results=True)
    script = project / "workflow" / "scripts" / "ingest_quotes.py"
    script.write_text(
        script.read_text(encoding="utf-8").replace(
            "with logged(snakemake.log[0]) as log:",
            "with logged(snakemake.log[0]) as log:\n    {}['not a data error']",
        ),
        encoding="utf-8",
    )
    (project / QUOTES).touch()
    run = snakemake(project, QUOTES_PARQUET)
    assert run.returncode != 0
    assert "Traceback (most recent call last)" in run.stderr
    assert "KeyError: 'not a data error'" in run.stderr
    failed = (project / "results" / "FAILED.md").read_text(encoding="utf-8")
    assert "ingest_quotes" in failed and "bug?" in failed


def test_line_helper_counts_like_an_editor(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("h\na\nb\n", encoding="utf-8")
    assert line_of(path, "b") == 3


def _whole_tree(root: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file (bytes, mtime) and folder (None) under ``root``, logs included."""
    out: dict[str, tuple[bytes, int] | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else None
    return out


def _previous_failure(p: Path) -> dict:
    """A clean project whose previous run failed: FAILED.md and the banner are in place."""
    from sciteff.core.runlog import record_failure

    record_failure(p / "results", message="an earlier failure")
    return {}


DRY_RUNS = {
    # broken file -> (what it does to the copy, exit status zero?, message on the terminal)
    "config-key-mistyped": (_config_typo, False, "unknown key 'orientaton'"),
    "panel-year-file-misnamed": (_misnamed_year_file, False, "must be named <year>.csv"),
    "panel-decimal-comma": (_panel_cell("上海", RD, "161569,05", "ambiguous"), True, None),
    "previous-failure-then-clean": (_previous_failure, True, None),
}


@pytest.mark.parametrize("name", sorted(DRY_RUNS))
def test_dry_run_writes_nothing_under_results(built, tmp_path, name):
    """``snakemake -n`` only shows what it would do: whatever the inputs, nothing under
    results/ is written, changed or removed (no FAILED.md, no banner, no log), while an error
    found reading the workflow is still reported once with its place."""
    from pipeline_helpers import copy_project

    breaks, succeeds, text = DRY_RUNS[name]
    project = copy_project(built, tmp_path / name, with_results=True)
    breaks(project)
    before = _whole_tree(project / "results")
    run = snakemake(project, "-n", PANEL_PARQUET)
    assert (run.returncode == 0) == succeeds, run.stdout[-2000:] + run.stderr[-2000:]
    if text is not None:
        messages = [line for line in (run.stdout + run.stderr).splitlines() if "error: " in line]
        assert len(messages) == 1 and text in messages[0], messages
    for line in (run.stdout + run.stderr).splitlines():
        assert not line.startswith(FORBIDDEN_STARTS)
    assert _whole_tree(project / "results") == before
