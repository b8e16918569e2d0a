"""Clean failures: a step's data error, FAILED.md, the stale banner and located config errors."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import textwrap

import pytest
import yaml

from sciteff.core.errors import InputError
from sciteff.core.runlog import (
    BANNER_START,
    DATA_ERROR_MARK,
    DATA_ERROR_STATUS,
    add_stale_banner,
    check_config,
    data_error_message,
    record_failure,
    record_success,
)

REPORT = "<!DOCTYPE html><html><head><title>r</title></head><body id='x'><h1>ok</h1></body></html>"


def _step(tmp_path, body: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "step.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from sciteff.core.errors import InputError
            from sciteff.core.runlog import logged
            with logged({str(tmp_path / "job.log")!r}) as log:
                log.warning("dropped Tibet 2020: reason")
                {body}
            """
        ),
        encoding="utf-8",
    )
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True)


def test_data_error_is_one_line_and_an_exit_status(tmp_path):
    run = _step(tmp_path, "raise InputError('bad', file='a.csv', line=3, column='x')")
    assert run.returncode == DATA_ERROR_STATUS
    assert run.stderr.splitlines() == [
        "sciteff: warning: dropped Tibet 2020: reason",
        "error: file a.csv, line 3, column 'x': bad",
    ]
    log = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert f"\n{DATA_ERROR_MARK}file a.csv, line 3, column 'x': bad\n" in log
    assert "Traceback" in log  # the traceback is in the log, indented
    assert not any(line.startswith("Traceback") for line in log.splitlines())
    assert data_error_message(tmp_path / "job.log") == "file a.csv, line 3, column 'x': bad"


def test_a_bug_keeps_its_traceback(tmp_path):
    run = _step(tmp_path, "[][1]")
    assert run.returncode == 1
    assert "Traceback (most recent call last)" in run.stderr
    assert "IndexError" in run.stderr
    assert data_error_message(tmp_path / "job.log") is None


def test_failure_then_success_restores_the_report(tmp_path):
    report = tmp_path / "report.html"
    report.write_text(REPORT, encoding="utf-8")
    mtime = report.stat().st_mtime_ns
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    failed = record_failure(tmp_path, "sm.log", message="file a.csv: bad", now=lambda: when)
    text = failed.read_text(encoding="utf-8")
    assert "2026-01-02 03:04:05 UTC" in text and "file a.csv: bad" in text and "sm.log" in text
    html = report.read_text(encoding="utf-8")
    assert html.index(BANNER_START) == html.index("<body id='x'>") + len("<body id='x'>")
    assert "previous successful run" in html
    assert report.stat().st_mtime_ns == mtime
    add_stale_banner(report, "later")  # a second failure replaces the banner, no stacking
    assert report.read_text(encoding="utf-8").count(BANNER_START) == 1
    record_success(tmp_path)
    assert not failed.exists()
    assert report.read_text(encoding="utf-8") == REPORT


def test_failure_without_a_report_writes_failed_only(tmp_path):
    record_failure(tmp_path, message="m")
    assert [p.name for p in tmp_path.iterdir()] == ["FAILED.md"]
    record_success(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def config_files(tmp_path):
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "analyses": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"method": {"type": "string"}, "allow_zero": {"type": "boolean"}},
                },
            }
        },
    }
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(schema), encoding="utf-8")
    return tmp_path


def _check(folder, text):
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    check_config(yaml.safe_load(text), path, folder / "schema.yaml")


def test_mistyped_key_is_located(config_files):
    with pytest.raises(InputError) as err:
        _check(config_files, "analyses:\n  a:\n    method: dea\n    alow_zero: true\n")
    assert (err.value.line, err.value.column) == (4, "alow_zero")
    assert "did you mean 'allow_zero'" in str(err.value)


def test_mistyped_value_is_located(config_files):
    with pytest.raises(InputError, match="not of type 'boolean'") as err:
        _check(config_files, "analyses:\n  a:\n    method: dea\n    allow_zero: maybe\n")
    assert (err.value.line, err.value.column) == (4, "allow_zero")


def test_valid_config_passes(config_files):
    _check(config_files, "analyses:\n  a:\n    method: dea\n    allow_zero: true\n")


def test_snakemake_filter_drops_only_data_error_repeats():
    from sciteff.core.runlog import _FailureFilter

    f = _FailureFilter()
    notice = logging.LogRecord("snakemake.logging", logging.ERROR, "", 0, "x", None, None)
    repeat = logging.LogRecord(
        "snakemake.logging",
        logging.ERROR,
        "",
        0,
        f"RuleException:\nCalledProcessError ... returned non-zero exit status "
        f"{DATA_ERROR_STATUS}.",
        None,
        None,
    )
    repeat.event = "error"
    other = logging.LogRecord(
        "snakemake.logging", logging.ERROR, "", 0, "returned non-zero exit status 1.", None, None
    )
    other.event = "error"
    assert f.filter(notice) and not f.filter(repeat) and f.filter(other)


def test_dry_run_is_read_from_snakemakes_output_settings():
    from types import SimpleNamespace

    from sciteff.core.runlog import is_dry_run

    assert is_dry_run(SimpleNamespace(output_settings=SimpleNamespace(dryrun=True)))
    assert not is_dry_run(SimpleNamespace(output_settings=SimpleNamespace(dryrun=False)))
    assert not is_dry_run(SimpleNamespace())  # an older Snakemake: treated as a real run


def test_a_data_error_while_reading_a_dry_run_writes_nothing(tmp_path):
    """stop_on_data_error in a dry run: the message and the exit status, no FAILED.md."""
    code = textwrap.dedent(
        f"""
        from sciteff.core import runlog
        from sciteff.core.errors import InputError
        runlog.install_snakemake_filter({str(tmp_path / "results")!r}, dry_run=True)
        def bad():
            raise InputError("bad key", file="config/config.yaml", line=3)
        runlog.stop_on_data_error({str(tmp_path / "results")!r}, bad)
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == DATA_ERROR_STATUS
    assert run.stderr.strip() == "error: file config/config.yaml, line 3: bad key"
    assert not (tmp_path / "results").exists()
