"""Root causes: one error per distinct mistake, listing every published number it explains.

A single mistake in a paper makes many numbers fail: a wrong unit label fails the unit check
of each column and every average computed from it; a block of shifted row labels fails one
reconciliation per row. The audit reports findings per number (the per-cell view) and, above
them, *errors*: groups of inconsistent findings with one cause. The grouping is inferred from
the evidence, by these rules (each names itself in the ``grouping`` column):

- ``declared``: an ``errors`` entry of ``checks.yaml`` (``id``, ``title``, ``refs`` - glob
  patterns over finding references - and the ``evidence`` in words) overrides the inference;
- ``correction``: the numbers one declared correction changes (its evidence is the
  correction's);
- ``unit factor``: unit-label conflicts of one table by the same factor, with every failed
  arithmetic check whose recomputation is off by that factor (10^k) and reads a column of the
  conflict; and failed arithmetic checks down one column all off by the same 10^k;
- ``label block``: two or more rows of one table whose labels conflict with another table's
  rows carrying the same numbers (one shifted or permuted block of labels);
- ``shared cell``: a flagged cell and the failed checks of other numbers that read it, and the
  numbers one cross-table check fails together;
- ``single``: a finding no rule joins to another.

Only ``inconsistent`` findings form errors; ``ambiguous`` claims and ``differs`` information
are listed, not counted as errors.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable

import pandas as pd

from sciteff.audit.checks import Result

ERROR_COLUMNS = [
    "error_id",
    "paper",
    "severity",
    "n_findings",
    "grouping",
    "title",
    "refs",
    "evidence",
]
ARITHMETIC_KINDS = frozenset(
    {"product", "ratio", "rate", "average", "growth", "share", "formula", "equation"}
    | {"same_value", "ratio_claim", "sum", "mean"}
)
_SEVERITY_RANK = {"major": 0, "minor": 1, "info": 2}


class _Union:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}
        self.why: dict[str, tuple[str, str, str]] = {}  # root -> (grouping, title, evidence)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, items: list[str], grouping: str, title: str, evidence: str) -> None:
        items = [i for i in items if i in self.parent]
        if not items:
            return
        roots = [self.find(i) for i in items]
        keep = roots[0]
        reasons = [self.why.get(r) for r in roots if r in self.why]
        for r in roots[1:]:
            self.parent[r] = keep
        # a declared or correction grouping keeps its title over an inferred one
        ranked = sorted(
            [*reasons, (grouping, title, evidence)],
            key=lambda w: (
                ["declared", "correction", "unit factor", "label block"].index(w[0])
                if w[0] in ("declared", "correction", "unit factor", "label block")
                else 9
            ),
        )
        self.why[keep] = ranked[0]


def decade(recomputed: float | None, published: float) -> int:
    """k when recomputed / published is 10^k within 1 % (k != 0), else 0."""
    if recomputed is None or not published or not math.isfinite(recomputed) or recomputed == 0:
        return 0
    ratio = abs(recomputed / published)
    k = round(math.log10(ratio))
    if k != 0 and abs(ratio / 10.0**k - 1) < 0.01:
        return k
    return 0


def _columns_of(refs: Iterable[str]) -> set[tuple[str, str]]:
    out = set()
    for ref in refs:
        parts = ref.split(":")
        if len(parts) == 3:
            out.add((parts[0], parts[2]))
    return out


def group_errors(
    paper: str,
    results: list[Result],
    verdicts: dict[str, str],
    severities: dict[str, str],
    declared: list[dict] | None = None,
    corrected: dict[str, tuple[str, str]] | None = None,
) -> tuple[dict[str, str], pd.DataFrame]:
    """Map every inconsistent finding (by ref) to an error id, and list the errors.

    ``results`` are the check results behind the findings, ``verdicts``/``severities`` the
    findings' final verdict and severity by ref, ``corrected`` maps a ref to the declared
    correction (id, evidence) that changes it.
    """
    bad = sorted(ref for ref, v in verdicts.items() if v == "inconsistent")
    uf = _Union(bad)
    failed = [
        r for r in results if r.target.ref in verdicts and verdicts[r.target.ref] == "inconsistent"
    ]
    failed = [r for r in failed if r.verdict == "inconsistent"]

    for entry in declared or []:
        refs = [ref for ref in bad if any(fnmatch.fnmatchcase(ref, p) for p in entry["refs"])]
        uf.join(refs, "declared", str(entry.get("title", entry["id"])), str(entry["evidence"]))

    by_correction: dict[str, list[str]] = {}
    for ref, (cid, _) in (corrected or {}).items():
        by_correction.setdefault(cid, []).append(ref)
    for cid, refs in by_correction.items():
        evidence = (corrected or {})[refs[0]][1]
        uf.join(refs, "correction", f"corrected by {cid}", evidence)

    # unit factor
    units = [r for r in failed if r.kind == "unit_consistency"]
    unit_groups: dict[tuple[str, float], list[Result]] = {}
    for r in units:
        unit_groups.setdefault((r.target.table, float(r.extra.get("factor", 0.0))), []).append(r)
    for (table, factor), group in unit_groups.items():
        cols = set()
        for r in group:
            cols |= {tuple(c) for c in r.extra.get("columns", [])}
        k = round(math.log10(factor)) if factor > 0 else 0
        members = [r.target.ref for r in group]
        for r in failed:
            if (
                r.kind in ARITHMETIC_KINDS
                and k
                and abs(decade(r.recomputed_value, r.target.point)) == abs(k)
                and _columns_of(r.operands) & cols
            ):
                members.append(r.target.ref)
        title = f"unit label of {table} off by a factor of {factor:g}"
        evidence = "; ".join(r.explanation for r in group)
        uf.join(members, "unit factor", title, evidence)
    down: dict[tuple[str, str, int], list[str]] = {}
    for r in failed:
        if r.kind in ARITHMETIC_KINDS and r.target.table != "text":
            k = decade(r.recomputed_value, r.target.point)
            if k:
                down.setdefault((r.target.table, r.target.column, k), []).append(r.target.ref)
    for (table, column, k), refs in down.items():
        if len(set(refs)) >= 2:
            title = f"{table}.{column}: {len(set(refs))} cells off by 10^{k}"
            uf.join(refs, "unit factor", title, f"each recomputation is 10^{k} times the print")

    # label block
    blocks: dict[tuple[str, str], list[str]] = {}
    for r in failed:
        if r.kind == "reconcile" and r.extra.get("status") == "conflict":
            blocks.setdefault((r.target.table, str(r.extra.get("other_table"))), []).append(
                r.target.ref
            )
    for (table, other), refs in blocks.items():
        refs = sorted(set(refs))
        if len(refs) >= 2:
            rows = ", ".join(ref.split(":")[1] for ref in refs)
            title = f"labels of {len(refs)} rows of {table} do not belong to their numbers"
            evidence = (
                f"rows {rows} of {table} print numbers that {other} prints under other labels"
            )
            uf.join(refs, "label block", title, evidence)

    # shared cell: the numbers one check fails together through a common operand, and a
    # flagged cell with the failed checks of other numbers that read it
    by_check: dict[str, list[Result]] = {}
    for r in failed:
        by_check.setdefault(r.check_id, []).append(r)
    for check_id, group in by_check.items():
        ops = [set(r.operands) for r in group]
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if ops[i] & ops[j] and group[i].kind == group[j].kind == "malmquist_levels":
                    uf.join(
                        [group[i].target.ref, group[j].target.ref],
                        "shared cell",
                        f"check {check_id}",
                        "the numbers fail one cross-table check through common cells",
                    )
    readers: dict[str, list[Result]] = {}
    own: dict[str, set[str]] = {}
    for r in failed:
        own.setdefault(r.target.ref, set()).add(r.check_id)
        for op in r.operands:
            readers.setdefault(op, []).append(r)
    for cell, group in readers.items():
        # the checks of other numbers that read the cell (not the cell's own checks)
        group = [r for r in group if r.check_id not in own.get(cell, set())]
        if cell in uf.parent and len({r.check_id for r in group}) >= 2:
            uf.join(
                [cell, *[r.target.ref for r in group]],
                "shared cell",
                f"{cell} feeds {len(group)} failed checks",
                f"{cell} is flagged and every failed check listed reads it",
            )

    roots: dict[str, list[str]] = {}
    for ref in bad:
        roots.setdefault(uf.find(ref), []).append(ref)
    ordered = sorted(
        roots.values(),
        key=lambda refs: (min(_SEVERITY_RANK[severities[r]] for r in refs), refs[0]),
    )
    mapping: dict[str, str] = {}
    records = []
    explanations = {r.target.ref: r.explanation for r in failed}
    for i, refs in enumerate(ordered, start=1):
        eid = f"{paper}-E{i:02d}"
        root = uf.find(refs[0])
        grouping, title, evidence = uf.why.get(
            root, ("single", refs[0], explanations.get(refs[0], ""))
        )
        if len(refs) == 1 and grouping != "declared" and root not in uf.why:
            grouping = "single"
        for ref in refs:
            mapping[ref] = eid
        severity = min((severities[r] for r in refs), key=lambda s: _SEVERITY_RANK[s])
        records.append([eid, paper, severity, len(refs), grouping, title, ";".join(refs), evidence])
    return mapping, pd.DataFrame.from_records(records, columns=ERROR_COLUMNS)
