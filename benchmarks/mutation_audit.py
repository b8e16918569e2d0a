"""Mutation check of the audit: plant errors in transcribed cells, count how many it detects.

Each trial copies ``raw_data`` to a scratch folder (the project is never touched), changes one
randomly chosen printed number of one paper table beyond rounding, and audits that paper again:

- the cell is drawn uniformly from every numeric cell of every transcribed table;
- the change is drawn uniformly from three kinds: ``+-5%`` (times 1.05 or 0.95, sign at
  random), ``x10`` (a slipped decimal point) and ``swap`` (two adjacent, different digits
  exchanged), written with the token's own decimals, thousands separators and percent sign; a
  draw whose new token could round from the same value as the old one (intervals meet) is
  drawn again;
- the mutation is *detected* when some finding's verdict gets worse than in the unmutated
  audit (consistent or not checkable -> ambiguous, differs or inconsistent; or a declared
  correction's evidence stops holding), or when ingest rejects the cell.

For every miss the script says why no published number constrains the cell: its coverage in
the unmutated audit (declared not checkable, with the reason; or the checks that read it and
still agree). Usage::

    python benchmarks/mutation_audit.py [--trials 60] [--seed 20261201] [--csv out.csv]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from sciteff.audit.findings import VERDICT_ORDER, audit_paper, load_checks
from sciteff.core.errors import InputError
from sciteff.core.intervals import from_printed, is_number_token
from sciteff.ingest.corrections import load_corrections
from sciteff.ingest.panels import load_panel_spec, read_panel, year_files
from sciteff.ingest.papers import load_paper_sources
from sciteff.ingest.published import PaperNumbers

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("+-5%", "x10", "swap")
_TOKEN = re.compile(r"^(?P<sign>[+-]?)(?P<body>[\d,]*\.?\d+)(?P<pct>%?)$")


def render(value: float, like: str) -> str:
    """``value`` written as ``like`` is: same decimals, thousands separators, percent sign."""
    m = _TOKEN.match(like.strip())
    assert m, like
    body = m.group("body")
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    text = f"{abs(value):,.{decimals}f}" if "," in body else f"{abs(value):.{decimals}f}"
    sign = "-" if value < 0 else ("+" if m.group("sign") == "+" else "")
    return f"{sign}{text}{m.group('pct')}"


def mutate(token: str, kind: str, rng: random.Random) -> str | None:
    """The token changed by one kind of error, or None when that kind cannot change it."""
    m = _TOKEN.match(token.strip())
    if not m:
        return None
    value = float((m.group("sign") + m.group("body")).replace(",", ""))
    if kind == "+-5%":
        return render(value * rng.choice((1.05, 0.95)), token)
    if kind == "x10":
        return render(value * 10, token)
    digits = [i for i, ch in enumerate(token) if ch.isdigit()]
    pairs = [(a, b) for a, b in itertools.pairwise(digits) if b == a + 1 and token[a] != token[b]]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    chars = list(token)
    chars[a], chars[b] = chars[b], chars[a]
    out = "".join(chars)
    stripped = out.lstrip("+-")
    if len(stripped) > 1 and stripped[0] == "0" and stripped[1].isdigit():
        return None  # a leading zero ("05.3") is not a plausible print
    return out


def beyond_rounding(old: str, new: str) -> bool:
    """Whether no value could print as both tokens (their rounding intervals are disjoint)."""
    a = from_printed(old.rstrip("%"))
    b = from_printed(new.rstrip("%"))
    return not a.intersects(b)


def audit(folder: Path, panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One paper's findings, coverage and per-check rows."""
    tables, figures = load_paper_sources(folder)
    checks = load_checks(folder / "checks.yaml")
    result = audit_paper(
        folder.name, tables, figures, checks, panel, load_corrections(folder / "corrections.yaml")
    )
    return result.findings, result.coverage, result.checks


def numeric_cells(papers: Path) -> list[tuple[str, str, int, str, str]]:
    """(paper, table, CSV data row index, column, token) of every printed number."""
    cells = []
    for folder in sorted(p for p in papers.iterdir() if p.is_dir()):
        tables, _ = load_paper_sources(folder)
        nums = PaperNumbers(folder.name, tables)
        for table, row, column in nums.numeric_cells():
            token = str(nums.raw_cell(table, row, column)["printed"])
            if is_number_token(token):
                cells.append((folder.name, table, row, column, token))
    return cells


def worse(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """Findings whose verdict got worse (or that are new and not consistent)."""
    old = dict(zip(before["ref"], before["verdict"], strict=True))
    out = []
    for ref, verdict in zip(after["ref"], after["verdict"], strict=True):
        was = old.get(ref, "consistent")
        if VERDICT_ORDER[verdict] < min(VERDICT_ORDER[was], VERDICT_ORDER["consistent"]):
            out.append(f"{ref}: {was} -> {verdict}")
    return out


def why_missed(
    coverage: pd.DataFrame, checks: pd.DataFrame, table: str, row: int, column: str
) -> str:
    """Why no published number caught the change: declared not checkable (with the reason),
    masked by an error the checks reading the cell already flag, or still within rounding or
    the declared tolerance of every check that reads it."""
    hit = coverage[
        (coverage["table"] == table) & (coverage["row"] == row) & (coverage["column"] == column)
    ]
    if hit.empty:
        return "not in the coverage table"
    rec = hit.iloc[0]
    if rec["status"] == "not_checkable":
        return f"declared not checkable: {rec['reason']}"
    ids = [c for c in str(rec["checks"]).split(";") if c]
    failing = sorted(
        set(
            checks[checks["check_id"].isin(ids) & (checks["verdict"] == "inconsistent")]["check_id"]
        )
    )
    if failing:
        return (
            f"{rec['status']} of {', '.join(ids)}: masked - {', '.join(failing)} already fails "
            "before the change (the error it flags absorbs this one)"
        )
    return (
        f"{rec['status']} of {', '.join(ids)}: the change stays within rounding or the declared "
        "tolerance of every check that reads it"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--csv", type=Path, default=None, help="write one row per trial here")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    panel_dir = ROOT / "raw_data" / "panels" / "china_provinces"
    panel = read_panel(year_files(panel_dir), load_panel_spec(panel_dir / "dataset.yaml"))
    with tempfile.TemporaryDirectory(prefix="sciteff-mutation-") as scratch:
        papers = Path(scratch) / "papers"
        shutil.copytree(ROOT / "raw_data" / "papers", papers)
        baseline = {p.name: audit(p, panel) for p in sorted(papers.iterdir()) if p.is_dir()}
        cells = numeric_cells(papers)
        rows = []
        for trial in range(1, args.trials + 1):
            while True:
                paper, table, row, column, token = rng.choice(cells)
                kind = rng.choice(KINDS)
                new = mutate(token, kind, rng)
                if new is not None and new != token and beyond_rounding(token, new):
                    break
            csv = papers / paper / f"{table}.csv"
            original = csv.read_text(encoding="utf-8")
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            frame.loc[row - 1, column] = new
            frame.to_csv(csv, index=False)
            try:
                findings, _, _ = audit(papers / paper, panel)
                flagged = worse(baseline[paper][0], findings)
                how = "; ".join(flagged[:3])
            except InputError as exc:
                flagged, how = ["ingest"], f"ingest rejects it: {exc}"
            finally:
                csv.write_text(original, encoding="utf-8")
            detected = bool(flagged)
            why = (
                ""
                if detected
                else why_missed(baseline[paper][1], baseline[paper][2], table, row, column)
            )
            rows.append(
                {
                    "trial": trial,
                    "paper": paper,
                    "table": table,
                    "row": row,
                    "column": column,
                    "kind": kind,
                    "printed": token,
                    "planted": new,
                    "detected": detected,
                    "how": how,
                    "why_missed": why,
                }
            )
            print(
                f"{trial:3d} {paper}/{table} row {row} {column}: {token} -> {new} ({kind}) "
                + ("DETECTED" if detected else f"missed - {why}"),
                flush=True,
            )
    result = pd.DataFrame(rows)
    if args.csv:
        result.to_csv(args.csv, index=False)
    rate = result["detected"].mean()
    print(
        f"\nseed {args.seed}, {len(result)} trials: detected {int(result['detected'].sum())} "
        f"({rate:.0%}) in {time.perf_counter() - started:.0f} s"
    )
    print(result.groupby("kind")["detected"].agg(["sum", "count"]).to_string())
    missed = result[~result["detected"]]
    kinds = missed["why_missed"].map(
        lambda w: (
            "not checkable"
            if w.startswith("declared")
            else "masked"
            if "masked" in w
            else "within tolerance"
        )
    )
    print(f"misses: {len(missed)} {kinds.value_counts().to_dict()}")
    for why in missed["why_missed"]:
        print(f"  - {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
