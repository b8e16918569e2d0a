"""The audit of every published number: declared checks -> findings, coverage and a report.

For each paper, ``raw_data/papers/<paper>/checks.yaml`` declares which published numbers can be
recomputed from which (the check vocabulary is in :mod:`sciteff.audit.checks` and
``docs/audit.md``), which tables name the same institutions (``reconcile``), and why the rest
cannot be checked (``not_checkable``). :func:`audit_paper` runs them and returns

- ``findings``: one row per checked published number (several checks of one number are
  combined: the worst verdict wins, explanations are joined);
- ``coverage``: one row per printed number (table cell or quote) saying how it is
  covered - target of a check, operand of a check, or declared not checkable - so that a
  number nobody looked at shows up as ``uncovered``;
- ``checks``: one row per check applied to one number (the detail behind the findings);
- ``reconciliation``: the cross-table row matches with their label status.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from sciteff.audit.checks import Result, run_check, show_interval
from sciteff.audit.errors import ERROR_COLUMNS, group_errors
from sciteff.audit.reconcile import (
    duplicate_labels,
    match_by_position,
    match_rows,
    normalise_label,
)
from sciteff.audit.sources import AuditNumbers, printed_tables
from sciteff.core.errors import InputError
from sciteff.core.intervals import Interval, fmt
from sciteff.ingest.corrections import Correction, apply_corrections
from sciteff.ingest.published import Number, PaperNumbers, placeholder_number
from sciteff.ingest.sidecars import load_sidecar
from sciteff.ingest.tables import wide

VERDICT_ORDER = {
    "inconsistent": 0,
    "ambiguous": 1,
    "differs": 2,
    "consistent": 3,
    "not_checkable": 4,
}
SEVERITY_ORDER = {"major": 0, "minor": 1, "info": 2}
FINDING_COLUMNS = [
    "finding_id",
    "paper",
    "table",
    "row",
    "row_label",
    "column",
    "ref",
    "quote",
    "published",
    "published_interval",
    "recomputed",
    "recomputed_lo",
    "recomputed_hi",
    "unit",
    "verdict",
    "severity",
    "check_kind",
    "check_ids",
    "explanation",
    "error_id",
    "readings",
    "correction",
]
COVERAGE_COLUMNS = [
    "paper",
    "ref",
    "table",
    "row",
    "row_label",
    "column",
    "published",
    "status",
    "checks",
    "reason",
]


@dataclass
class PaperAudit:
    """Everything the audit of one paper produces."""

    findings: pd.DataFrame
    coverage: pd.DataFrame
    checks: pd.DataFrame
    reconciliation: pd.DataFrame
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))


def load_checks(path: str | Path) -> dict:
    """Read a paper's ``checks.yaml``; every check needs a unique ``id`` and a ``kind``."""
    path = Path(path)
    raw = load_sidecar(path, "checks")  # its JSON Schema: a misspelt key, with its line
    folder = path.resolve().parent.name  # the folder names the paper; a stated one must agree
    if "paper" in raw and str(raw["paper"]) != folder:
        raise InputError(
            f"the checks say paper {raw['paper']!r} but the folder is {folder!r}; remove 'paper'",
            file=str(path),
        )
    seen: set[str] = set()
    for i, check in enumerate(raw.get("checks") or [], start=1):
        if not isinstance(check, dict) or "id" not in check or "kind" not in check:
            raise InputError("every check needs an 'id' and a 'kind'", file=str(path), row=i)
        if check["id"] in seen:
            raise InputError(f"duplicate check id {check['id']!r}", file=str(path), row=i)
        seen.add(str(check["id"]))
    return raw


def audit_paper(
    paper: str,
    tables: dict[str, pd.DataFrame],
    figures: pd.DataFrame | None,
    checks: dict,
    panel: pd.DataFrame | None = None,
    corrections: list[Correction] | None = None,
) -> PaperAudit:
    """Run every declared check of one paper (see the module docstring for the outputs).

    ``tables`` are ingested cells (corrected cells carry their printed values beside them);
    every check judges the numbers as printed. With declared ``corrections`` the checks run
    a second time on the corrected numbers: a number that fails as printed but holds once the
    corrections are applied is blamed on the corrected cells, and each correction's evidence
    is verified (every check it names must fail as printed and hold once corrected; a
    correction whose evidence no longer holds is a finding of its own).
    """
    printed = printed_tables(tables)
    nums = AuditNumbers(paper, printed, figures)
    aliases = dict(checks.get("aliases") or {})
    results, reconciliation = _run_all(checks, nums, panel, aliases)
    corrections = list(corrections or [])
    corrected_refs: dict[str, tuple[str, str]] = {}
    if corrections:
        fixed = {
            name: _corrected_tokens(apply_corrections(cells, corrections))
            for name, cells in printed.items()
        }
        fixed_results, _ = _run_all(checks, AuditNumbers(paper, fixed, figures), panel, aliases)
        corrected_refs = _corrected_refs(nums, fixed, corrections)
        results = _blame(results, fixed_results, corrected_refs, corrections)
        results.extend(_corrected_without_check(nums, results, corrected_refs, corrections))
        results.extend(_verify_corrections(paper, corrections, results, fixed_results))
    not_checkable = _not_checkable_index(checks.get("not_checkable") or [], nums)
    findings = _findings(paper, results, not_checkable, nums)
    verdicts = dict(zip(findings["ref"], findings["verdict"], strict=True))
    severities = dict(zip(findings["ref"], findings["severity"], strict=True))
    mapping, errors = group_errors(
        paper, results, verdicts, severities, checks.get("errors"), corrected_refs
    )
    findings["error_id"] = [mapping.get(ref, "") for ref in findings["ref"]]
    findings["correction"] = [corrected_refs.get(ref, ("", ""))[0] for ref in findings["ref"]]
    coverage = _coverage(paper, results, not_checkable, nums)
    return PaperAudit(findings, coverage, _check_rows(paper, results), reconciliation, errors)


def _run_all(
    checks: dict, nums: PaperNumbers, panel: pd.DataFrame | None, aliases: dict[str, str]
) -> tuple[list[Result], pd.DataFrame]:
    results: list[Result] = []
    for check in checks.get("checks") or []:
        results.extend(run_check(check, nums, panel))
    recon_results, reconciliation = _reconcile(checks.get("reconcile") or [], nums, aliases)
    results.extend(recon_results)
    results.extend(_duplicates(nums, reconciliation, aliases))
    return results, reconciliation


def _corrected_tokens(cells: pd.DataFrame) -> pd.DataFrame:
    """Corrected cells whose printed token is the corrected value (the checks read tokens):
    a corrected value is taken as exact to the precision it is declared with."""
    out = cells.copy()
    changed = (out["value"] != out["printed_value"]) & out["value"].notna()
    out.loc[changed, "printed"] = [
        repr(float(v)).removesuffix(".0") for v in out.loc[changed, "value"]
    ]
    return out


def _corrected_refs(
    nums: PaperNumbers, fixed: dict[str, pd.DataFrame], corrections: list[Correction]
) -> dict[str, tuple[str, str]]:
    """ref (as printed) -> (correction id, evidence) for every number a correction changes:
    a corrected value's cell, a corrected label's row label, a corrected unit's header."""
    by_id = {c.id: c for c in corrections}
    out: dict[str, tuple[str, str]] = {}
    for name, cells in fixed.items():
        changed = cells[cells["correction"] != ""]
        for rec in changed.itertuples():
            for note in str(rec.correction).split("; "):
                c = by_id[note.split(":", 1)[0]]
                if c.what == "value" and nums.is_number(name, int(rec.row), str(rec.column)):
                    out[nums.cell_ref(name, int(rec.row), str(rec.column))] = (c.id, c.evidence)
                elif c.what == "label":
                    out[f"{name}:#{int(rec.row)}:label"] = (c.id, c.evidence)
                elif c.what == "unit":
                    out[f"{name}:header:{rec.column}"] = (c.id, c.evidence)
    return out


def _corrected_without_check(
    nums: PaperNumbers,
    results: list[Result],
    corrected: dict[str, tuple[str, str]],
    corrections: list[Correction],
) -> list[Result]:
    """A finding for each corrected number no check targets: the printed number is wrong."""
    targeted = {r.target.ref for r in results}
    severity = {c.id: c.severity for c in corrections}
    out = []
    for ref, (cid, evidence) in corrected.items():
        if ref in targeted:
            continue
        if ref.endswith(":label"):
            table, row = ref.split(":")[0], int(ref.split(":")[1].lstrip("#"))
            target = _label_number(nums, table, row)
        elif ":header:" in ref:
            continue
        else:
            target = nums.resolve(ref)
        out.append(
            Result(
                check_id=cid,
                kind="correction",
                target=target,
                verdict="inconsistent",
                explanation=f"the printed number is wrong: corrected by {cid} ({evidence})",
                severity=severity[cid],
                extra={"blamed": True},
            )
        )
    return out


def _cell_key(r: Result) -> tuple[object, ...]:
    """A check's target by its place in the print (table, ingest row, column), not by its
    reference: a corrected label changes a cell's reference but not its place."""
    t = r.target
    if t.row is None:
        return (r.check_id, t.ref)
    return (r.check_id, t.table, t.row, t.column)


def _blame(
    results: list[Result],
    fixed_results: list[Result],
    corrected: dict[str, tuple[str, str]],
    corrections: list[Correction],
) -> list[Result]:
    """Move the blame to corrected cells: a number that fails as printed but holds with the
    corrections is consistent (the corrected cell is the error); a corrected number whose
    check fails (or differs from the official statistics) as printed is inconsistent, with the
    correction's severity."""
    fixed = {_cell_key(r): r for r in fixed_results}
    severity = {c.id: c.severity for c in corrections}
    out = []
    for r in results:
        f = fixed.get(_cell_key(r))
        ref = r.target.ref
        if ref in corrected:
            cid, evidence = corrected[ref]
            if r.verdict in ("inconsistent", "differs"):
                r = replace(
                    r,
                    verdict="inconsistent",
                    severity=severity[cid],
                    explanation=f"{r.explanation} - the printed number is wrong: corrected by "
                    f"{cid} ({evidence})",
                    extra={**r.extra, "blamed": True},
                )
        elif r.verdict == "inconsistent" and f is not None and f.verdict == "consistent":
            r = replace(
                r,
                verdict="consistent",
                severity="info",
                explanation=f"holds with the declared corrections: {f.explanation} | as "
                f"printed: {r.explanation}",
                extra={**r.extra, "blamed_on_correction": True},
            )
        out.append(r)
    return out


def _verify_corrections(
    paper: str,
    corrections: list[Correction],
    results: list[Result],
    fixed_results: list[Result],
) -> list[Result]:
    """One result per declared correction: its evidence holds when every check it names fails
    (inconsistent or differs) as printed and none of them fails once corrected."""
    out = []
    for c in corrections:
        problems = []
        for check_id in c.supported_by:
            mine = [r for r in results if r.check_id == check_id]
            if not mine:
                problems.append(f"check {check_id} does not exist or checks nothing")
            elif not any(
                r.verdict in ("inconsistent", "differs")
                or r.extra.get("blamed")
                or r.extra.get("blamed_on_correction")
                for r in mine
            ):
                problems.append(f"check {check_id} no longer fails as printed")
        still = [
            r
            for r in fixed_results
            if r.check_id in c.supported_by and r.verdict in ("inconsistent", "differs")
        ]
        if still:
            problems.append(
                "still failing once corrected: "
                + ", ".join(f"{r.check_id} on {r.target.ref}" for r in still[:5])
            )
        head = f"correction {c.id} ({c.what} of {c.table})"
        text = (
            f"{head}: evidence holds - {', '.join(c.supported_by)} fail as printed and hold "
            f"once corrected. {c.evidence}"
            if not problems
            else f"{head}: its evidence NO LONGER holds: " + "; ".join(problems)
        )
        target = placeholder_number(
            f"correction:{c.id}", paper, c.table, c.what, "(declared correction)", c.id
        )
        out.append(
            Result(
                check_id=c.id,
                kind="correction",
                target=target,
                verdict="inconsistent" if problems else "consistent",
                explanation=text,
                severity="major" if problems else "info",
            )
        )
    return out


# --- reconciliation -----------------------------------------------------------------------


def _printed_frame(nums: PaperNumbers, table: str) -> pd.DataFrame:
    frame = wide(nums.table(table), values="printed")
    frame["label"] = [nums.label(table, int(r)) for r in frame.index]
    return frame


def _label_number(nums: PaperNumbers, table: str, row: int) -> Number:
    label = nums.label(table, row)
    column = str(nums.table(table)["column"].iloc[0])
    return Number(
        ref=f"{table}:#{row}:label",
        paper=nums.paper,
        table=table,
        row=row,
        row_label=label,
        column="(row label)",
        published=label,
        interval=Interval.point(0.0),
        declared=Interval.point(0.0),
        unit="",
        canonical_unit="",
        extra={"label_column": column},
    )


def _reconcile(
    declared: list[dict], nums: PaperNumbers, aliases: dict[str, str] | None = None
) -> tuple[list[Result], pd.DataFrame]:
    """Match rows across the declared table pairs; a label finding for each matched row.

    ``aliases`` (the paper's ``aliases:``, name -> canonical name) hold for every pairing, with
    each entry's own ``aliases`` added: two names of one institution are consistent."""
    results, frames = [], []
    for spec in declared:
        left, right = spec["left"], spec["right"]
        names = {**(aliases or {}), **(spec.get("aliases") or {})}
        if spec.get("by") == "row":
            matches = match_by_position(
                _printed_frame(nums, left["table"]),
                _printed_frame(nums, right["table"]),
                aliases=names,
            )
        else:
            matches = match_rows(
                _printed_frame(nums, left["table"]),
                _printed_frame(nums, right["table"]),
                left["columns"],
                right["columns"],
                aliases=names,
            )
        matches.insert(0, "right_table", right["table"])
        matches.insert(0, "left_table", left["table"])
        matches.insert(0, "reconcile_id", spec["id"])
        frames.append(matches)
        results.extend(_expected_matches(spec, nums, matches))
        for m in matches.itertuples():
            status = m.label_status
            verdict = "consistent" if status in ("same", "alias") else "inconsistent"
            severity = "info" if verdict == "consistent" else "major"
            text = (
                f"{left['table']} row {m.left_row} '{m.left_label}' and {right['table']} row "
                f"{m.right_row} '{m.right_label}' print the same numbers ({m.numbers})"
                if spec.get("by") != "row"
                else f"{left['table']} row {m.left_row} '{m.left_label}' and {right['table']} "
                f"row {m.right_row} '{m.right_label}' stand at the same print position"
            )
            text += {
                "same": " under the same name",
                "alias": " under two names of the same institution (declared alias)",
                "conflict": ": the same numbers under DIFFERENT names"
                if spec.get("by") != "row"
                else ": DIFFERENT names for the same row",
                "ambiguous": f"; {m.candidates} rows of {right['table']} match",
            }[status]
            if spec.get("note"):
                text += f". {spec['note']}"
            results.append(
                Result(
                    check_id=str(spec["id"]),
                    kind="reconcile",
                    target=_label_number(nums, left["table"], int(m.left_row)),
                    verdict=verdict,
                    explanation=text,
                    severity=severity,
                    operands=(f"{right['table']}:#{int(m.right_row)}:label",),
                    extra={
                        "other_label": m.right_label,
                        "status": status,
                        "other_table": right["table"],
                    },
                )
            )
    if frames:
        return results, pd.concat(frames, ignore_index=True)
    return results, pd.DataFrame(columns=["reconcile_id", "left_table", "right_table"])


def _expected_matches(spec: dict, nums: PaperNumbers, matches: pd.DataFrame) -> list[Result]:
    """A finding for every left row the reconciliation declares it ``expect``s to match (a
    list of labels or ``#N``, or ``all``) and no right row matches: the numbers two tables of
    one source must share no longer agree (one of them changed)."""
    expect = spec.get("expect")
    if not expect or spec.get("by") == "row":
        return []
    left, right = spec["left"], spec["right"]
    table = left["table"]
    rows = (
        [r for r, _ in nums.rows(table)]
        if expect == "all"
        else [nums.row_number(table, sel) for sel in expect]
    )
    matched = {int(r) for r in matches["left_row"]}
    out = []
    for row in rows:
        if row in matched:
            continue
        cells = [
            nums.cell_ref(table, row, c) for c in left["columns"] if nums.is_number(table, row, c)
        ]
        printed = " / ".join(str(nums.raw_cell(table, row, c)["printed"]) for c in left["columns"])
        out.append(
            Result(
                check_id=str(spec["id"]),
                kind="reconcile",
                target=_label_number(nums, table, row),
                verdict="inconsistent",
                explanation=f"{table} row {row} '{nums.label(table, row)}' is declared to print "
                f"the same numbers as a row of {right['table']} ({', '.join(right['columns'])}), "
                f"but no row there matches its {printed}",
                severity="major",
                operands=tuple(cells),
                extra={"status": "missing", "other_table": right["table"]},
            )
        )
    return out


def _duplicates(
    nums: PaperNumbers, reconciliation: pd.DataFrame, aliases: dict[str, str] | None = None
) -> list[Result]:
    """A finding for every repeated occurrence of a row label within one table (two declared
    names of one institution count as the same label)."""
    canon = {normalise_label(k): v for k, v in (aliases or {}).items()}
    results = []
    for table in sorted(nums.tables):
        labels = [canon.get(normalise_label(lab), lab) for _, lab in nums.rows(table)]
        frame = pd.DataFrame({"label": labels})
        frame.index = [r for r, _ in nums.rows(table)]
        dups = duplicate_labels(frame)
        for d in dups.itertuples():
            first = dups[(dups["label"] == d.label)]["row"].tolist()
            text = f"'{d.label}' is printed {len(first)} times in {table} (rows {first})"
            elsewhere = _other_names(reconciliation, table, int(d.row))
            if elsewhere:
                text += f"; row {d.row}'s numbers appear elsewhere as " + elsewhere
            results.append(
                Result(
                    check_id=f"duplicate-{table}",
                    kind="duplicate_label",
                    target=_label_number(nums, table, int(d.row)),
                    verdict="inconsistent" if d.occurrence > 1 else "consistent",
                    explanation=text
                    if d.occurrence > 1
                    else text + " (first occurrence; see the later one)",
                    severity="major" if d.occurrence > 1 else "info",
                )
            )
    return results


def _other_names(reconciliation: pd.DataFrame, table: str, row: int) -> str:
    if reconciliation.empty:
        return ""
    names = []
    left = reconciliation[
        (reconciliation["left_table"] == table) & (reconciliation["left_row"] == row)
    ]
    names += [f"'{r.right_label}' ({r.right_table})" for r in left.itertuples()]
    right = reconciliation[
        (reconciliation["right_table"] == table) & (reconciliation["right_row"] == row)
    ]
    names += [f"'{r.left_label}' ({r.left_table})" for r in right.itertuples()]
    return ", ".join(dict.fromkeys(names))


# --- not checkable, findings, coverage ----------------------------------------------------


def _not_checkable_index(declared: list[dict], nums: PaperNumbers) -> dict[str, str]:
    """ref -> reason for every number a ``not_checkable`` entry names (patterns allowed:
    ``table1:*:contracts_2022`` is every row of a column, ``table6:*:*`` a whole table)."""
    index: dict[str, str] = {}
    all_cells = [nums.cell_ref(t, r, c) for t, r, c in nums.numeric_cells()]
    for entry in declared:
        reason = str(entry["reason"])
        for pattern in entry.get("cells") or []:
            hits = [ref for ref in all_cells if fnmatch.fnmatchcase(ref, pattern)]
            if not hits:
                raise InputError(f"not_checkable pattern {pattern!r} matches no printed number")
            for ref in hits:
                index.setdefault(ref, reason)
        for fid in entry.get("figures") or []:
            # fails on an unknown id; a local id (t001) is indexed by its qualified ref
            index.setdefault(nums.quoted(fid).ref, reason)
    return index


def _worst(values: list[str], order: dict[str, int]) -> str:
    return min(values, key=lambda v: order[v])


def _findings(
    paper: str, results: list[Result], not_checkable: dict[str, str], nums: PaperNumbers
) -> pd.DataFrame:
    by_ref: dict[str, list[Result]] = {}
    for res in results:
        by_ref.setdefault(res.target.ref, []).append(res)
    records = []
    for ref, group in by_ref.items():
        t = group[0].target
        verdict = _worst([r.verdict for r in group], VERDICT_ORDER)
        lead = next(r for r in group if r.verdict == verdict)
        rec = lead.recomputed
        records.append(
            _finding(paper, ref, t)
            | {
                "recomputed": _recomputed_text(lead),
                "recomputed_lo": rec.lo if rec is not None else None,
                "recomputed_hi": rec.hi if rec is not None else None,
                "unit": t.canonical_unit,
                "verdict": verdict,
                "severity": _worst([r.severity for r in group], SEVERITY_ORDER),
                "check_kind": ";".join(dict.fromkeys(r.kind for r in group)),
                "check_ids": ";".join(dict.fromkeys(r.check_id for r in group)),
                "explanation": " | ".join(
                    f"[{r.kind}, {r.verdict}] {r.explanation}" for r in _ordered(group)
                ),
                "readings": "; ".join(
                    f"{name}: {v}"
                    for r in group
                    for name, v in (r.extra.get("readings") or {}).items()
                ),
            }
        )
    for ref, reason in not_checkable.items():
        if ref in by_ref:
            continue
        t = nums.resolve(ref)
        records.append(
            _finding(paper, ref, t)
            | {
                "recomputed": "",
                "recomputed_lo": None,
                "recomputed_hi": None,
                "unit": t.canonical_unit,
                "verdict": "not_checkable",
                "severity": "info",
                "check_kind": "not_checkable",
                "check_ids": "",
                "explanation": reason,
                "readings": "",
            }
        )
    frame = pd.DataFrame.from_records(
        records,
        columns=[c for c in FINDING_COLUMNS if c not in ("finding_id", "error_id", "correction")],
    )
    frame["_text"] = frame["table"] == "text"
    frame = frame.sort_values(["_text", "table", "row", "column", "ref"], kind="stable")
    frame = frame.drop(columns="_text").reset_index(drop=True)
    frame.insert(0, "finding_id", [f"{paper}-F{i:03d}" for i in range(1, len(frame) + 1)])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _finding(paper: str, ref: str, t: Number) -> dict[str, object]:
    """The columns of a finding that describe the published number itself."""
    return {
        "paper": paper,
        "table": t.table,
        "row": t.row,
        "row_label": t.row_label,
        "column": t.column,
        "ref": ref,
        "quote": t.quote,
        "published": t.published,
        "published_interval": show_interval(t.interval, t.canonical_unit)
        if t.canonical_unit
        else "",
    }


def _ordered(group: list[Result]) -> list[Result]:
    return sorted(group, key=lambda r: VERDICT_ORDER[r.verdict])


def _recomputed_text(res: Result) -> str:
    if res.kind in ("reconcile", "duplicate_label"):
        return str(res.extra.get("other_label", ""))
    if res.recomputed is None:
        return ""
    unit = res.target.canonical_unit
    if res.kind in ("count_claim", "rank_claim", "threshold_claim"):
        iv = res.recomputed
        if res.kind == "count_claim" and unit == "fraction":
            return show_interval(iv, unit)
        return fmt(iv.lo) if iv.lo == iv.hi else f"{fmt(iv.lo)}...{fmt(iv.hi)}"
    return show_interval(res.recomputed, unit)


def _coverage(
    paper: str, results: list[Result], not_checkable: dict[str, str], nums: PaperNumbers
) -> pd.DataFrame:
    targets: dict[str, list[str]] = {}
    operands: dict[str, list[str]] = {}
    for res in results:
        targets.setdefault(res.target.ref, []).append(res.check_id)
        for op in res.operands:
            operands.setdefault(op, []).append(res.check_id)
    refs = [nums.cell_ref(t, r, c) for t, r, c in nums.numeric_cells()]
    refs += list(nums.quotes)
    records = []
    for ref in refs:
        n = nums.resolve(ref)
        if ref in targets:
            status, checks, reason = "target", targets[ref], ""
        elif ref in operands:
            status, checks, reason = "operand", operands[ref], ""
        elif ref in not_checkable:
            status, checks, reason = "not_checkable", [], not_checkable[ref]
        else:
            status, checks, reason = "uncovered", [], "no check and no not_checkable reason"
        records.append(
            [
                paper,
                ref,
                n.table,
                n.row,
                n.row_label,
                n.column,
                n.published,
                status,
                ";".join(dict.fromkeys(checks)),
                reason,
            ]
        )
    frame = pd.DataFrame.from_records(records, columns=COVERAGE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _check_rows(paper: str, results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "paper": paper,
            "check_id": [r.check_id for r in results],
            "check_kind": [r.kind for r in results],
            "ref": [r.target.ref for r in results],
            "published": [r.target.published for r in results],
            "verdict": [r.verdict for r in results],
            "severity": [r.severity for r in results],
            "operands": [";".join(r.operands) for r in results],
            "explanation": [r.explanation for r in results],
        }
    )


# --- report -------------------------------------------------------------------------------


def summary(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per paper and verdict (papers as rows, verdicts as columns, with totals)."""
    table = pd.crosstab(findings["paper"], findings["verdict"], margins=True, margins_name="all")
    cols = [v for v in VERDICT_ORDER if v in table.columns] + ["all"]
    return table[cols]


def error_summary(findings: pd.DataFrame, errors: pd.DataFrame) -> pd.DataFrame:
    """Per paper: distinct errors by severity (major, minor), then the inconsistent published
    numbers they explain (cells), then ambiguous claims; with a total row."""
    rows = []
    for paper in sorted(set(findings["paper"])):
        e = errors[errors["paper"] == paper]
        f = findings[findings["paper"] == paper]
        rows.append(
            {
                "paper": paper,
                "major errors": int((e["severity"] == "major").sum()),
                "minor errors": int((e["severity"] == "minor").sum()),
                "errors": len(e),
                "inconsistent cells": int((f["verdict"] == "inconsistent").sum()),
                "ambiguous claims": int((f["verdict"] == "ambiguous").sum()),
            }
        )
    frame = pd.DataFrame(rows)
    total = {"paper": "all", **{c: int(frame[c].sum()) for c in frame.columns if c != "paper"}}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def render_markdown(
    findings: pd.DataFrame, coverage: pd.DataFrame, errors: pd.DataFrame | None = None
) -> str:
    """The readable report: distinct errors by severity and the numbers they explain, then per
    paper the errors (root causes), the problems per number (with the arithmetic), ambiguous
    claims with their readings, what agrees, and what cannot be checked and why."""
    if errors is None:
        errors = pd.DataFrame(columns=ERROR_COLUMNS)
    lines = [
        "# Audit of every published number",
        "",
        "Each published number is recomputed from the paper's other published numbers where "
        "possible, with rounding taken into account: a number is *inconsistent* only when no "
        "unrounded values behind the printed ones could reproduce it under any reading the "
        "text allows; *ambiguous* when the text allows several readings and only some hold. "
        "*differs* marks a figure that differs from the official province panel (information; "
        "definitions may differ). An *error* is one root cause: it lists every inconsistent "
        "number it explains. Rules: `docs/audit.md`.",
        "",
        "## Summary",
        "",
        "Distinct errors by severity, then the inconsistent numbers (cells) they explain:",
        "",
    ]
    lines += _md_table(error_summary(findings, errors))
    lines += ["", "Findings per number and verdict:", ""]
    lines += _md_table(summary(findings).reset_index())
    covered = coverage["status"].value_counts()
    lines += [
        "",
        "Coverage of printed numbers: "
        + ", ".join(f"{k} {v}" for k, v in covered.items())
        + f" (of {len(coverage)}).",
        "",
    ]
    for paper, group in findings.groupby("paper", sort=True):
        lines += [f"## {paper}", ""]
        mine = errors[errors["paper"] == paper]
        if not mine.empty:
            lines += [f"### Errors ({len(mine)})", ""]
            for e in mine.itertuples():
                refs = str(e.refs).split(";")
                lines.append(
                    f"- **{e.error_id}** ({e.severity}, {e.grouping}) {e.title} - "
                    f"{len(refs)} number(s): {', '.join(refs)}. Evidence: {e.evidence}"
                )
            lines.append("")
        for verdict, title in (
            ("inconsistent", "Inconsistent"),
            ("ambiguous", "Ambiguous (readings listed)"),
            ("differs", "Differs from official statistics"),
            ("consistent", "Consistent"),
            ("not_checkable", "Not checkable"),
        ):
            part = group[group["verdict"] == verdict]
            if part.empty:
                continue
            lines += [f"### {title} ({len(part)})", ""]
            for f in part.itertuples():
                where = _where(f)
                head = f"- **{f.finding_id}** {where}: `{f.published}`"
                if verdict == "inconsistent":
                    err = f" [{f.error_id}]" if getattr(f, "error_id", "") else ""
                    lines.append(f"{head} ({f.severity}){err} - {f.explanation}")
                elif verdict in ("ambiguous", "differs"):
                    lines.append(f"{head} ({f.severity}) - {f.explanation}")
                elif verdict == "consistent":
                    lines.append(f"{head} - {f.check_kind}")
                else:
                    lines.append(f"{head} - {f.explanation}")
            lines.append("")
    return "\n".join(lines) + "\n"


def _where(f: object) -> str:
    if f.table == "text":  # type: ignore[attr-defined]
        return f'{f.ref} "{f.quote}"'  # type: ignore[attr-defined]
    return f"{f.table} / {f.row_label} / {f.column}"  # type: ignore[attr-defined]


def _md_table(frame: pd.DataFrame) -> list[str]:
    cols = [str(c) for c in frame.columns]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        out.append("| " + " | ".join(str(v) for v in row) + " |")
    return out
