"""Comparing a DEAP 2.1 ``.out`` with the one sciteff wrote for the same job.

Both files have the same layout, so the comparison is line by line. What differs is reported
in a few sentences: how many lines differ and the first of them, and every place where DEAP
printed an impossible own-frontier score (technical, scale, cost or allocative efficiency
above 1, which a DMU in its own reference set cannot have: a numerical failure of DEAP's LPs).
Malmquist distances to another period's frontier may legitimately exceed 1 and are not
flagged.
"""

from __future__ import annotations

import re

#: Section titles whose rows hold own-frontier scores (which cannot exceed 1).
_SCORE_SECTIONS = (" EFFICIENCY SUMMARY:",)
_FIRM_SCORE = re.compile(r"^(Technical|Scale) efficiency\s*=\s*(\S+)")


def impossible_scores(lines: list[str]) -> list[str]:
    """Places in a DEAP .out where an own-frontier efficiency score is above 1 (line: text)."""
    found = []
    in_summary = False
    for lineno, line in enumerate(lines, start=1):
        if line in _SCORE_SECTIONS:
            in_summary = True
            continue
        if in_summary and line.startswith(" mean"):
            in_summary = False
            continue
        words = line.split()
        if in_summary and words and words[0].isdigit():
            scores = [w for w in words[1:] if re.fullmatch(r"-?\d+\.\d+", w)]
            if any(float(w) > 1.0 for w in scores):
                found.append(f"line {lineno}: firm {words[0]}: {' '.join(words[1:])}")
        match = _FIRM_SCORE.match(line)
        if match and re.fullmatch(r"-?\d+\.\d+", match.group(2)) and float(match.group(2)) > 1:
            found.append(f"line {lineno}: {line.strip()}")
    return found


def compare_outputs(deap: list[str], ours: list[str], deap_name: str) -> list[str]:
    """Sentences describing how ``deap`` (DEAP's lines) differs from ``ours`` (sciteff's)."""
    notes = []
    if len(deap) != len(ours):
        notes.append(
            f"{deap_name} has {len(deap)} lines, sciteff's output {len(ours)}: not the same job "
            "or not a DEAP 2.1 output"
        )
    differing = [k for k, (a, b) in enumerate(zip(deap, ours, strict=False)) if a != b and k > 0]
    if differing:
        k = differing[0]
        notes.append(
            f"{len(differing)} line(s) differ from {deap_name} (first: line {k + 1}, DEAP "
            f"{deap[k].strip()!r}, sciteff {ours[k].strip()!r})"
        )
    elif len(deap) == len(ours):
        notes.append(f"identical to {deap_name} below the first line")
    bad = impossible_scores(deap)
    if bad:
        shown = "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
        notes.append(
            f"{deap_name} prints {len(bad)} impossible score(s) above 1 (DEAP's LP failed): "
            + shown
        )
    return notes
