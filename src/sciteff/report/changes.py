"""What a rerun changed: results.previous/ against results/, as results/changes.md.

``make rerun`` keeps the previous results and, after Snakemake has finished, writes this
summary: which raw inputs changed (files, data years, SHA-256 from each run's
provenance.json), which outputs changed (every file's bytes, logs and benchmarks aside), and
per analysis the numbers that moved most (the DMUs whose scores or ranks changed, by how
much) and the periods that are new (a new Malmquist pair after a new data year). It reads
only the two folders, so it is no part of the workflow's DAG and the report's bytes stay a
function of the inputs.

Run: ``python -m sciteff.report.changes results.previous results``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sciteff.core.io import write_text
from sciteff.report.fmt import format_number
from sciteff.report.provenance import sha256

#: Folders of results/ whose files change on every run (timings, logs): not compared.
VOLATILE = ("logs", "benchmarks", ".snakemake")

#: The summary's own file name (inside results/); never compared with itself.
SUMMARY = "changes.md"

#: Where the per-analysis result files live, one folder per analysis.
ANALYSIS_FOLDERS = ("efficiency", "replication")

#: Result files that only repeat the analysis's input data (compared as outputs, not as
#: moved numbers).
INPUT_FILE = re.compile(r"_input\.csv$")

#: Key columns of a result file, in the order they identify a row.
KEY_COLUMNS = ("period", "dmu", "variant")

#: Columns holding intermediate quantities, not results a reader follows.
SKIP_PREFIXES = ("slack_", "target_", "d_crs_", "d_vrs_")

#: Number of largest moves listed per result file.
TOP = 5

#: Moves smaller than this are solver noise, not change.
NOISE = 1e-9


@dataclass
class Moves:
    """What changed in one result file of one analysis."""

    file: str
    new_periods: list[str] = field(default_factory=list)
    gone_periods: list[str] = field(default_factory=list)
    new_rows: int = 0
    gone_rows: int = 0
    largest: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranks: pd.DataFrame = field(default_factory=pd.DataFrame)

    def empty(self) -> bool:
        """True when nothing in the file moved."""
        return not (
            self.new_periods
            or self.gone_periods
            or self.new_rows
            or self.gone_rows
            or len(self.largest)
            or len(self.ranks)
        )


def output_hashes(results: Path) -> dict[str, str]:
    """SHA-256 of every file below ``results`` (relative paths), volatile folders aside."""
    out = {}
    if not results.is_dir():
        return out
    for path in sorted(results.rglob("*")):
        rel = path.relative_to(results)
        if not path.is_file() or rel.parts[0] in VOLATILE or rel.as_posix() == SUMMARY:
            continue
        out[rel.as_posix()] = sha256(path)
    return out


def input_hashes(results: Path) -> dict[str, str]:
    """SHA-256 of every raw input file a run read, from its provenance.json."""
    path = results / "provenance.json"
    if not path.is_file():
        return {}
    record = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for output in record.get("outputs", []):
        for item in output.get("inputs", []):
            if str(item.get("path", "")).startswith("raw_data/") and item.get("sha256"):
                out[item["path"]] = item["sha256"]
    return dict(sorted(out.items()))


def diff_hashes(before: dict[str, str], after: dict[str, str]) -> pd.DataFrame:
    """Files added, removed or changed between two {path: sha256} maps."""
    rows = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        rows.append({"path": path, "change": change, "previous": old or "", "current": new or ""})
    return pd.DataFrame(rows, columns=["path", "change", "previous", "current"])


def data_years(paths: Sequence[str]) -> list[str]:
    """The data years named by panel year files: ``raw_data/panels/<set>/<year>.csv``."""
    out = []
    for path in paths:
        match = re.search(r"panels/([^/]+)/(\d{4})\.csv$", path)
        if match:
            out.append(f"{match.group(2)} ({match.group(1)})")
    return out


def _keys(frame: pd.DataFrame) -> list[str]:
    keys = [c for c in KEY_COLUMNS if c in frame.columns]
    if not keys and len(frame.columns) and frame[frame.columns[0]].dtype == object:
        keys = [frame.columns[0]]
    return keys


def _values(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    return [
        c
        for c in frame.columns
        if c not in keys
        and not str(c).startswith(SKIP_PREFIXES)
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def compare_file(before: pd.DataFrame, after: pd.DataFrame, name: str) -> Moves:
    """Periods new or gone, rows new or gone, the largest moves of numbers and every rank
    change between two versions of one result file (matched on period/dmu/variant)."""
    moves = Moves(name)
    keys = _keys(after)
    if not keys or any(k not in before.columns for k in keys):
        return moves
    if "period" in keys:
        old_p = set(before["period"].astype(str))
        new_p = set(after["period"].astype(str))
        moves.new_periods = sorted(new_p - old_p)
        moves.gone_periods = sorted(old_p - new_p)
    old = before.assign(**{k: before[k].astype(str) for k in keys}).drop_duplicates(keys)
    new = after.assign(**{k: after[k].astype(str) for k in keys}).drop_duplicates(keys)
    merged = old.merge(new, on=keys, how="outer", suffixes=("_prev", "_curr"), indicator=True)
    moves.new_rows = int((merged["_merge"] == "right_only").sum())
    moves.gone_rows = int((merged["_merge"] == "left_only").sum())
    both = merged[merged["_merge"] == "both"]
    values = [c for c in _values(after, keys) if c in _values(before, keys)]
    records, ranks = [], []
    for column in values:
        prev = pd.to_numeric(both[f"{column}_prev"], errors="coerce")
        curr = pd.to_numeric(both[f"{column}_curr"], errors="coerce")
        delta = curr - prev
        moved = delta.abs() > NOISE
        moved |= prev.isna() != curr.isna()
        for idx in both.index[moved]:
            rec = {k: both.at[idx, k] for k in keys} | {
                "column": column,
                "previous": prev[idx],
                "current": curr[idx],
                "change": delta[idx],
            }
            (ranks if column.endswith("_rank") else records).append(rec)
    columns = [*keys, "column", "previous", "current", "change"]
    if records:
        frame = pd.DataFrame(records, columns=columns)
        frame["_size"] = frame["change"].abs().fillna(float("inf"))
        frame = frame.sort_values(
            ["_size", *keys, "column"], ascending=[False] + [True] * (len(keys) + 1)
        )
        moves.largest = frame.drop(columns="_size").head(TOP).reset_index(drop=True)
    if ranks:
        frame = pd.DataFrame(ranks, columns=columns)
        frame["_size"] = frame["change"].abs().fillna(float("inf"))
        frame = frame.sort_values(["_size", *keys], ascending=[False] + [True] * len(keys))
        moves.ranks = frame.drop(columns="_size").reset_index(drop=True)
    return moves


def analysis_moves(previous: Path, current: Path) -> dict[str, list[Moves]]:
    """Per analysis (folder below efficiency/ or replication/), the moves of each result CSV."""
    out: dict[str, list[Moves]] = {}
    for folder in ANALYSIS_FOLDERS:
        root = current / folder
        if not root.is_dir():
            continue
        for analysis in sorted(p for p in root.iterdir() if p.is_dir()):
            for path in sorted(analysis.glob("*.csv")):
                if INPUT_FILE.search(path.name):
                    continue
                rel = path.relative_to(current)
                old_path = previous / rel
                after = pd.read_csv(path)
                before = pd.read_csv(old_path) if old_path.is_file() else after.iloc[0:0]
                moves = compare_file(before, after, rel.as_posix())
                if not moves.empty():
                    out.setdefault(analysis.name, []).append(moves)
    return out


def _md_table(frame: pd.DataFrame) -> list[str]:
    def cell(value: object) -> str:
        text = format_number(value, 4) if isinstance(value, float) else str(value)
        return text.replace("|", "\\|")

    lines = [
        "| " + " | ".join(str(c) for c in frame.columns) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return lines


def _short(digest: str) -> str:
    return digest[:12] if digest else "-"


def summarize(previous: Path, current: Path) -> str:
    """The Markdown summary of what changed from ``previous`` to ``current``."""
    lines = ["# What changed since the previous run", ""]
    if not (previous / "provenance.json").is_file() and not output_hashes(previous):
        lines += [
            f"No previous results to compare with (`{previous.name}/` is absent or empty); "
            "`make rerun` keeps the previous results there before it runs.",
            "",
        ]
        return "\n".join(lines)
    lines += [f"`{previous.name}/` (before) against `{current.name}/` (now).", ""]
    inputs = diff_hashes(input_hashes(previous), input_hashes(current))
    outputs = diff_hashes(output_hashes(previous), output_hashes(current))
    moved = analysis_moves(previous, current)
    if inputs.empty and outputs.empty:
        lines += ["Nothing changed: every input and every output is byte-identical.", ""]
        return "\n".join(lines)
    lines += ["## Inputs", ""]
    if inputs.empty:
        lines += ["No raw input file changed.", ""]
    else:
        years = data_years(list(inputs.loc[inputs["change"] == "added", "path"]))
        if years:
            lines += ["New data years: " + ", ".join(years) + ".", ""]
        shown = inputs.assign(previous=inputs["previous"].map(_short))
        shown = shown.assign(current=inputs["current"].map(_short))
        shown.columns = ["file", "change", "sha256 before", "sha256 now"]
        lines += [*_md_table(shown), ""]
    lines += ["## Outputs", ""]
    if outputs.empty:
        lines += ["No output changed.", ""]
    else:
        counts = outputs["change"].value_counts()
        lines += [
            ", ".join(f"{counts[c]} {c}" for c in ("changed", "added", "removed") if c in counts)
            + " (logs and benchmarks are not compared).",
            "",
        ]
        lines += [f"- `{r.path}` ({r.change})" for r in outputs.itertuples()] + [""]
    lines += ["## Numbers that moved most", ""]
    if not moved:
        lines += ["No analysis result moved.", ""]
    for analysis, files in moved.items():
        lines += [f"### {analysis}", ""]
        for moves in files:
            lines += [f"`{moves.file}`:", ""]
            bullets = []
            if moves.new_periods:
                bullets += [f"- new periods: {', '.join(moves.new_periods)}"]
            if moves.gone_periods:
                bullets += [f"- periods no longer present: {', '.join(moves.gone_periods)}"]
            if moves.new_rows or moves.gone_rows:
                bullets += [f"- rows: {moves.new_rows} new, {moves.gone_rows} gone"]
            lines += [*bullets, ""] if bullets else []
            if len(moves.largest):
                lines += [f"Largest moves (top {TOP}):", "", *_md_table(moves.largest), ""]
            if len(moves.ranks):
                lines += [f"Rank changes ({len(moves.ranks)} in all, largest {2 * TOP}):", ""]
                lines += [*_md_table(moves.ranks.head(2 * TOP)), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``<current>/changes.md`` comparing ``previous`` with ``current``."""
    parser = argparse.ArgumentParser(description="Summarize what a rerun changed.")
    parser.add_argument("previous", type=Path, help="the previous results folder")
    parser.add_argument("current", type=Path, help="the current results folder")
    args = parser.parse_args(argv)
    text = summarize(args.previous, args.current)
    target = args.current / SUMMARY
    write_text(text, target)
    said = [
        line
        for line in text.splitlines()
        if line.startswith(("Nothing changed", "No previous", "New data years"))
        or re.match(r"^\d+ (changed|added|removed)", line)
    ]
    print(f"{target}: {' '.join(said) or 'written'}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
