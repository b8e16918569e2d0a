"""``sciteff paper check FOLDER``: validate a paper folder before the pipeline runs.

A researcher adding a paper (docs/adding-a-paper.md) writes only data: tables with sidecars,
quotes, checks, transfer metrics, figures, corrections. This command reads every one of those
files the way the pipeline will, and lists each problem with the file, line, column or key it
is in, instead of stopping at the first. Exit status 0 when the folder is ready, 2 when not.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sciteff.core.errors import SciteffError

if TYPE_CHECKING:
    from sciteff.ingest.published import PaperNumbers


@dataclass(frozen=True)
class Finding:
    """The outcome of checking one file of a paper folder: ``problem`` is empty when fine."""

    file: str
    what: str
    problem: str = ""
    skipped: bool = False


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``paper`` subcommand (``paper check FOLDER``)."""
    p = subparsers.add_parser(
        "paper",
        help="check a paper folder (tables, quotes, checks, transfer, figures) before a run",
        description="Tools for the paper folders under raw_data/papers/.",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="validate every file of a paper folder and list each problem",
        description=(
            "Read every file of FOLDER as the pipeline will (table sidecars and CSVs, "
            "quotes.csv against source.txt, checks.yaml, transfer.yaml, figures.yaml, "
            "corrections.yaml) and list each problem with its file and place. "
            "Exit status 0 when the folder is ready, 2 when not."
        ),
    )
    check.add_argument("folder", metavar="FOLDER", help="a paper folder, raw_data/papers/<id>")
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the folder; print one line per file; return the exit status."""
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"sciteff paper check: error: {folder} is not a folder", file=sys.stderr)
        return 2
    findings = check_paper(folder)
    for f in findings:
        if f.problem:
            print(f"problem  {f.file}: {f.what}: {f.problem}")
        elif f.skipped:
            print(f"skipped  {f.file}: {f.what}: not checked until the tables and quotes read")
        else:
            print(f"ok       {f.file}: {f.what}")
    bad = sum(1 for f in findings if f.problem)
    good = sum(1 for f in findings if not f.problem and not f.skipped)
    print(
        f"{folder}: {good} ok, {bad} problem{'s' * (bad != 1)}"
        + ("" if bad else " - ready for the pipeline")
    )
    return 2 if bad else 0


def _attempt(file: Path, what: str, step: Callable[[], object]) -> tuple[Finding, object]:
    """Run one check; a deliberate sciteff error becomes a problem (bugs still raise)."""
    try:
        return Finding(str(file), what), step()
    except SciteffError as exc:
        return Finding(str(file), what, " ".join(str(exc).split())), None


def check_paper(folder: str | Path) -> list[Finding]:
    """Every check of one paper folder, in the order the pipeline reads the files."""
    from sciteff.figures.spec import FIGURES_FILE, load_figures
    from sciteff.ingest.corrections import load_corrections
    from sciteff.ingest.published import PaperNumbers
    from sciteff.ingest.tables import ingest_quotes, ingest_table, load_table_spec

    folder = Path(folder)
    paper = folder.name
    found: list[Finding] = []
    tables = {}
    sidecars = sorted(folder.glob("table*.yaml"))
    for csv in sorted(folder.glob("table*.csv")):
        if not csv.with_suffix(".yaml").exists():
            found.append(Finding(str(csv), "table", "has no sidecar " + csv.stem + ".yaml"))
    for sidecar in sidecars:
        result, spec = _attempt(sidecar, "table sidecar", lambda s=sidecar: load_table_spec(s))
        found.append(result)
        if spec is None:
            continue
        csv = sidecar.with_suffix(".csv")
        result, cells = _attempt(csv, "table", lambda c=csv, s=spec: ingest_table(c, s))
        found.append(result)
        if cells is not None:
            tables[spec.table] = cells
    quotes = None
    quotes_csv = folder / "quotes.csv"
    if quotes_csv.exists():
        source = folder / "source.txt"
        result, quotes = _attempt(
            quotes_csv, "quotes", lambda: ingest_quotes(quotes_csv, paper, source=source)
        )
        found.append(result)
    nums = PaperNumbers(paper, tables, quotes)
    readable = not any(f.problem for f in found)
    for name, what, step in (
        ("corrections.yaml", "corrections", load_corrections),
        ("checks.yaml", "audit checks", lambda p: _run_checks(paper, tables, quotes, p)),
        ("transfer.yaml", "transfer metrics", lambda p: _run_transfer(nums, p)),
        (FIGURES_FILE, "figures", load_figures),
    ):
        path = folder / name
        if not path.exists():
            continue
        if readable or name == "corrections.yaml":
            found.append(_attempt(path, what, lambda s=step, p=path: s(p))[0])
        else:  # these read the tables and quotes: their problems would only echo those
            found.append(Finding(str(path), what, skipped=True))
    return found


def _run_checks(paper: str, tables: dict, quotes: object, path: Path) -> object:
    """Load the checks and run them on the transcriptions (official-statistics checks need
    the panel and are left to the pipeline)."""
    from sciteff.audit.findings import audit_paper, load_checks

    checks = load_checks(path)
    return audit_paper(paper, tables, quotes, checks)


def _run_transfer(nums: PaperNumbers, path: Path) -> None:
    """Load the declaration and compute every metric and recomputed table it declares."""
    from sciteff.transfer.declared import (
        compute_declared,
        load_transfer,
        metrics,
        recompute_declared,
        recomputed_tables,
    )

    declaration = load_transfer(path)
    for metric in metrics(declaration):
        compute_declared(nums, path, metric)
    for table in recomputed_tables(declaration):
        recompute_declared(nums, path, table)
