"""How each audit verdict looks in the report: a colour, a marker and words.

The colour alone would fail in print and for colour-blind readers, so every verdict also has
a text marker (✗ ≠ ? ✓ ○). Verdicts the audit adds later (an ``ambiguous`` one, say) get a
neutral style and their own name, so they are shown rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: Verdicts that need no explanation beside the number: the cell stays quiet.
QUIET = frozenset({"consistent", "not_checkable"})

#: Severities, worst first; unknown ones sort after these.
SEVERITY_ORDER = ("major", "minor", "info")


@dataclass(frozen=True)
class Style:
    """Marker, CSS class and words of one verdict."""

    marker: str
    css: str
    words: str
    rank: int


STYLES = {
    "inconsistent": Style("✗", "v-inconsistent", "inconsistent", 0),
    "differs": Style("≠", "v-differs", "differs from official statistics", 1),
    "ambiguous": Style("?", "v-ambiguous", "ambiguous", 2),
    "consistent": Style("✓", "v-consistent", "consistent", 8),
    "not_checkable": Style("○", "v-not_checkable", "not checkable", 9),
}


def style(verdict: str) -> Style:
    """The style of a verdict; an unknown verdict gets a neutral one with its own name."""
    known = STYLES.get(verdict)
    if known is not None:
        return known
    safe = "".join(ch if ch.isalnum() else "_" for ch in str(verdict))
    return Style("•", f"v-other v-{safe}", str(verdict).replace("_", " "), 5)


def is_flagged(verdict: str) -> bool:
    """True for a verdict the reader must see explained (anything but consistent/not
    checkable, including verdicts this module does not know yet)."""
    return bool(verdict) and verdict not in QUIET


def worst(verdicts: pd.Series) -> str:
    """The worst of several verdicts (inconsistent before differs before consistent ...)."""
    values = [v for v in verdicts if v]
    return min(values, key=lambda v: style(v).rank) if values else ""


def severity_key(severity: str) -> int:
    """Sort key: major, minor, info, then anything else."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def distinct_errors(findings: pd.DataFrame) -> pd.DataFrame:
    """Flagged findings counted once per distinct error, by severity.

    If the audit groups findings that share one error (a column ``error_id``,
    ``distinct_error`` or ``error_group``), each group counts once; otherwise each flagged
    finding is one error. Returns columns severity, errors, findings (worst severity first).
    """
    flagged = findings[findings["verdict"].map(is_flagged)] if not findings.empty else findings
    if flagged.empty:
        return pd.DataFrame(columns=["severity", "errors", "findings"])
    severity = flagged["severity"] if "severity" in flagged else pd.Series("", index=flagged.index)
    group_column = next(
        (c for c in ("error_id", "distinct_error", "error_group") if c in flagged.columns), None
    )
    groups = (
        flagged[group_column].where(flagged[group_column].astype(str) != "", flagged["finding_id"])
        if group_column
        else flagged["finding_id"]
    )
    frame = pd.DataFrame({"severity": severity.astype(str), "group": groups.astype(str)})
    out = frame.groupby("severity").agg(errors=("group", "nunique"), findings=("group", "size"))
    out = out.reset_index()
    out = out.sort_values("severity", key=lambda s: s.map(severity_key), kind="stable")
    return out.reset_index(drop=True)
