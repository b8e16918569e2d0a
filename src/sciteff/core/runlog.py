"""Clean failures: a pipeline step's log, its one-line data error, and what a failed run leaves.

Why: a data error (an :class:`~sciteff.core.errors.InputError`: a bad number, a missing
province, a zero input) is the user's to fix, and they should read exactly one line naming the
raw file, line and column, not a hundred lines of tracebacks. A genuine bug keeps its
traceback. And a failed run must not leave a stale success looking current.

- :func:`logged` wraps a step's script (``with logged(snakemake.log[0]) as log: ...``): log
  messages and warnings go to the job's log, warnings also to the terminal (every dropped DMU
  is printed there); a data error's traceback goes to the log only, its message once to
  standard error, and the step exits with :data:`DATA_ERROR_STATUS`; any other exception is
  logged and re-raised (its traceback stays visible).
- :func:`install_snakemake_filter` (called from the Snakefile) keeps Snakemake's short
  failure notice with the log path but drops what it would repeat for a data error: the
  ``RuleException``/``CalledProcessError`` block, the dump of the job's log and the closing
  ``WorkflowError``. Measured on Snakemake 9.27: nothing else it prints starts with
  ``Traceback``, ``RuleException``, ``CalledProcessError`` or ``WorkflowError``.
- :func:`record_failure` / :func:`record_success` (the Snakefile's ``onerror``/``onsuccess``)
  write or remove ``results/FAILED.md`` and the stale banner of ``results/report.html``.
- :func:`stop_on_data_error` does the same for errors found while the workflow is being read
  (a mistyped config key, a year file named wrongly): one message, FAILED.md, exit status.
- A dry run (``snakemake -n``, :func:`is_dry_run`) writes and removes nothing under
  ``results/``: its data errors are printed the same way, but FAILED.md and the banner are
  left as they are (Snakemake runs neither ``onerror`` nor ``onsuccess`` for a dry run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

from sciteff.core.errors import InputError

#: Exit status of a step stopped by a data error (EX_DATAERR of sysexits.h).
DATA_ERROR_STATUS = 65

#: Start of the line a job log gets for a data error; the Snakemake filter looks for it.
DATA_ERROR_MARK = "sciteff data error: "

FAILED_NAME = "FAILED.md"
BANNER_START = "<!-- sciteff:stale-banner -->"
BANNER_END = "<!-- /sciteff:stale-banner -->"

_WARNING_FORMAT = "sciteff: warning: %(message)s"


def one_line(exc: BaseException) -> str:
    """An error message on one line (a user's terminal and FAILED.md show it whole)."""
    return " ".join(str(exc).split())


@contextlib.contextmanager
def logged(log_path: str | Path, name: str = "sciteff") -> Iterator[logging.Logger]:
    """Log to ``log_path`` (overwritten) for the duration of the block; warnings are also
    printed on standard error. A data error ends the process with :data:`DATA_ERROR_STATUS`
    after writing its traceback to the log and its message once to standard error; any other
    error is logged and re-raised."""
    path = Path(log_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(logging.WARNING)
    terminal.setFormatter(logging.Formatter(_WARNING_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.addHandler(terminal)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    logger = logging.getLogger(name)
    failure: InputError | None = None
    try:
        yield logger
    except InputError as exc:
        failure = exc
        root.removeHandler(terminal)
        handler.stream.write(f"{DATA_ERROR_MARK}{one_line(exc)}\n")
        logger.error("the traceback, for developers:\n%s", _indented(traceback.format_exc()))
    except BaseException as exc:
        logger.error("failed: %s\n%s", exc, traceback.format_exc())
        print(f"error: {one_line(exc)} (details in {path})", file=sys.stderr)
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.removeHandler(terminal)
        handler.close()
    if failure is not None:
        print(f"error: {one_line(failure)}", file=sys.stderr)
        sys.stderr.flush()
        sys.exit(DATA_ERROR_STATUS)


def _indented(text: str) -> str:
    """A traceback indented, so no log line starts with 'Traceback' (the log may be shown)."""
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def data_error_message(log_path: str | Path) -> str | None:
    """The data-error message a step wrote to its log, or None (no log, or not a data error)."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith(DATA_ERROR_MARK):
                    return line[len(DATA_ERROR_MARK) :].strip()
    except OSError:
        return None
    return None


# --- Snakemake's terminal output ------------------------------------------------------------


class _FailureFilter(logging.Filter):
    """Drops Snakemake's repetitions of a data error (see the module docstring) and remembers
    every failed job for FAILED.md."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[dict[str, object]] = []
        self.other_errors = 0
        self.results_dir: str | None = None
        self.dry_run = False

    def filter(self, record: logging.LogRecord) -> bool:
        event = str(getattr(record, "event", "") or "")
        if event == "job_error":
            return self._job_error(record)
        if event == "error" or record.levelno >= logging.ERROR:
            text = str(record.msg) if isinstance(record.msg, str) else ""
            if f"non-zero exit status {DATA_ERROR_STATUS}." in text:
                return False  # the RuleException/CalledProcessError of a data error
            if "At least one job did not complete successfully" in text:
                data_only = self.failures and not self.other_errors
                return not (data_only and all(f["data_error"] for f in self.failures))
            if event == "error" and getattr(record, "exception", "") in DATA_ERROR_CLASSES:
                return self._reading_error(record, text)
            if event == "error":
                self.other_errors += 1
        return True

    def _reading_error(self, record: logging.LogRecord, text: str) -> bool:
        """A data error raised while Snakemake reads the workflow (an input function, input
        discovery): show only its message, as a failed job's would be, and record it."""
        lines = text.splitlines()[1:]
        message = " ".join(
            line.strip() for line in lines if line.strip() and not line.startswith("  File ")
        )
        if message:
            record.msg, record.args = f"error: {message}", ()
            if self.results_dir is not None:
                record_failure(self.results_dir, message=message)
        return True

    def _job_error(self, record: logging.LogRecord) -> bool:
        logs = [str(p) for p in (getattr(record, "log", None) or [])]
        messages = [m for m in (data_error_message(p) for p in logs) if m]
        self.failures.append(
            {
                "rule": getattr(record, "rule_name", "?"),
                "logs": logs,
                "output": list(getattr(record, "output", None) or []),
                "message": messages[0] if messages else None,
                "data_error": bool(messages),
            }
        )
        if messages:
            # Keep the notice and the log path; do not dump the log (its message was printed).
            aux = dict(getattr(record, "aux", None) or {})
            aux["log"] = f"{', '.join(logs)} (the data error above; the traceback is there)"
            record.aux = aux
            record.log = []
        return True


_FILTER = _FailureFilter()


#: Names of the exception classes that are data errors (Snakemake's log records carry names).
DATA_ERROR_CLASSES = frozenset({"InputError", "NumberError"})


def is_dry_run(workflow: object) -> bool:
    """True when Snakemake was asked only to show what it would do (``-n``/``--dry-run``);
    known while the Snakefile is read (Snakemake 9: ``workflow.output_settings.dryrun``)."""
    return bool(getattr(getattr(workflow, "output_settings", None), "dryrun", False))


def install_snakemake_filter(
    results_dir: str | Path | None = None, *, dry_run: bool = False
) -> None:
    """Install the filter on Snakemake's logger once per process (the Snakefile calls it);
    ``results_dir`` receives FAILED.md for a data error found while reading the workflow,
    unless this is a ``dry_run`` (which leaves ``results/`` untouched)."""
    _FILTER.dry_run = dry_run
    _FILTER.results_dir = None if results_dir is None or dry_run else str(results_dir)
    logger = logging.getLogger("snakemake.logging")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def failed_jobs() -> list[dict[str, object]]:
    """The jobs that failed in this Snakemake process (rule, logs, outputs, data error)."""
    return list(_FILTER.failures)


# --- what a failed run leaves behind ---------------------------------------------------------


def record_failure(
    results_dir: str | Path,
    snakemake_log: str | Path | list[str] | None = None,
    *,
    message: str | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> Path:
    """Write ``results/FAILED.md`` (what failed, the message, when) and put the stale banner
    into ``results/report.html`` if there is one. Nothing else in ``results`` changes."""
    results = Path(results_dir)
    when = (now or (lambda: dt.datetime.now(dt.UTC)))().strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = ["# The last run failed", "", f"When: {when}", ""]
    jobs = failed_jobs()
    if message is not None:
        lines += ["The workflow stopped before running any job:", "", f"    {message}", ""]
    for job in jobs:
        kind = "data error" if job["data_error"] else "error (a bug? see the log)"
        lines.append(f"- rule `{job['rule']}`: {kind}")
        if job["message"]:
            lines.append(f"  - message: {job['message']}")
        for log in job["logs"]:
            lines.append(f"  - log: {log}")
        for out in job["output"]:
            lines.append(f"  - not written: {out}")
    if message is None and not jobs:
        lines.append("The workflow failed outside any job.")
    if snakemake_log:
        logs = [snakemake_log] if isinstance(snakemake_log, str | Path) else list(snakemake_log)
        lines += ["", "Snakemake's log of the run: " + ", ".join(map(str, logs))]
    lines += [
        "",
        "Everything else under results/ is from the previous successful run. This file and the",
        "report's banner disappear when a run succeeds.",
        "",
    ]
    target = results / FAILED_NAME
    _write(target, "\n".join(lines))
    add_stale_banner(results / "report.html", when)
    return target


def record_success(results_dir: str | Path) -> None:
    """A run succeeded: remove ``results/FAILED.md`` and the report's stale banner."""
    results = Path(results_dir)
    with contextlib.suppress(FileNotFoundError):
        (results / FAILED_NAME).unlink()
    remove_stale_banner(results / "report.html")


def _banner(when: str) -> str:
    return (
        f'{BANNER_START}<div role="alert" id="sciteff-stale" style="background:#b00020;'
        'color:#fff;padding:12px 16px;font:bold 16px sans-serif">This report belongs to the '
        f"previous successful run: the run of {when} failed (see results/{FAILED_NAME}).</div>"
        f"{BANNER_END}"
    )


_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
_OLD_BANNER = re.compile(re.escape(BANNER_START) + r".*?" + re.escape(BANNER_END), re.DOTALL)


def _report_text(path: Path) -> str | None:
    """The report's HTML, or None when there is no report (a first run that failed)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def add_stale_banner(report: str | Path, when: str) -> bool:
    """Insert (or replace) the stale banner right after ``<body>``; False if no report."""
    path = Path(report)
    html = _report_text(path)
    if html is None:
        return False
    html = _OLD_BANNER.sub("", html)
    match = _BODY.search(html)
    at = match.end() if match else 0
    _write(path, html[:at] + _banner(when) + html[at:], keep_mtime=True)
    return True


def remove_stale_banner(report: str | Path) -> bool:
    """Remove the stale banner, restoring the report's bytes; False if there was none."""
    path = Path(report)
    html = _report_text(path)
    if html is None:
        return False
    cleaned = _OLD_BANNER.sub("", html)
    if cleaned == html:
        return False
    _write(path, cleaned, keep_mtime=True)
    return True


def _write(path: Path, text: str, *, keep_mtime: bool = False) -> None:
    from sciteff.core.io import write_text  # io imports errors only; no cycle at call time

    stat = path.stat() if keep_mtime and path.exists() else None
    write_text(text, path)
    if stat is not None:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def stop_on_data_error(results_dir: str | Path, step: Callable[[], object]) -> object:
    """Run ``step`` (reading the workflow: config, input discovery); on a data error print its
    message once, record the failure and exit with :data:`DATA_ERROR_STATUS`."""
    try:
        return step()
    except InputError as exc:
        fail_now(results_dir, exc)


def fail_now(results_dir: str | Path, exc: InputError) -> NoReturn:
    """Stop the workflow on a data error found while reading it (see :func:`stop_on_data_error`)."""
    message = one_line(exc)
    print(f"error: {message}", file=sys.stderr)
    if not _FILTER.dry_run:  # a dry run writes nothing under results/
        record_failure(results_dir, message=message)
    sys.stderr.flush()
    os._exit(DATA_ERROR_STATUS)  # Snakemake would print SystemExit as a WorkflowError


# --- the workflow's configuration -----------------------------------------------------------


def check_config(
    config: dict[str, object], config_file: str | Path, schema_file: str | Path
) -> None:
    """Validate the configuration against its JSON Schema, with an error that names the config
    file, the line and the key (a mistyped key gets the known keys and the nearest one).

    Snakemake's own ``validate`` reports the first problem without a place; this runs first so
    the user is sent to the line to edit.
    """
    import difflib

    import jsonschema
    import yaml

    from sciteff.core.io import yaml_position

    file = str(config_file)
    schema = yaml.safe_load(Path(schema_file).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (len(e.path), list(e.path)))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors) or errors[0]
    path = [str(p) for p in error.absolute_path]
    where = yaml_position(file, path)
    key = path[-1] if path else None
    message = error.message
    if error.validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        if extra:
            key = extra[0]
            where = yaml_position(file, [*path, key])
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            message = f"unknown key {key!r} (known keys here: {', '.join(allowed)}){hint}"
    elif error.validator == "oneOf" and isinstance(error.instance, dict | list | str):
        message = f"{error.instance!r} is not a valid value: {error.schema.get('description', '')}"
    location = ".".join(path) or "the top level"
    line, col = where
    raise InputError(
        f"{message} (at {location}, character {col})" if col else f"{message} (at {location})",
        file=file,
        line=line,
        column=key,
    )
