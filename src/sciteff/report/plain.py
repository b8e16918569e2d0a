"""The audit's arithmetic in plain words, as a referee would write it beside a number.

A finding's ``explanation`` joins one record per check, ``[kind, verdict] text``; the text of
an arithmetic check has a fixed shape ("336.2 printed (interval); sum of 11 rows = 32.16
billion yuan (interval within rounding) - CANNOT agree. note"). This module rewrites each
record as a sentence ("The 11 rows add up to 321.6, not the printed 336.2; ...") and falls
back to the record's own text, with the shouting and the interval notation softened, for
shapes it does not know, so a new kind of check is shown rather than lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciteff.report.fmt import format_number, ordinal

_RECORD = re.compile(r"(?:^|\s\|\s)\[(?P<kind>[a-z_;]+), (?P<verdict>[a-z_]+)\]\s*")
_ARITH = re.compile(
    r"^(?P<pub>.+?) printed \((?P<piv>[^)]*)\); (?P<expr>.+?) = (?P<val>.+?) "
    r"\((?P<riv>[^)]*) within rounding\) - (?P<res>agrees within rounding|CANNOT agree)"
    r"(?:\. (?P<note>.*))?$",
    re.S,
)
_OFFICIAL = re.compile(
    r"^published (?P<pub>.+?) \((?P<piv>[^)]*)\) vs panel (?P<series>\S+) for "
    r"(?P<region>[^:]+): (?P<rest>.*)$",
    re.S,
)
_OFFICIAL_YEAR = re.compile(
    r"^(?P<year>\d{4}(?:-\d{4})?): official (?P<value>.+?)"
    r"(?: \(published is (?P<off>[+-][\d.]+)% off\))?$"
)
_SUM = re.compile(r"^sum of (?P<n>\d+) rows$")
_RANK = re.compile(
    r"^claimed rank (?P<claim>\d+) \((?P<order>largest|smallest) first\) of (?P<who>.+?) by "
    r"(?P<what>.+?); (?P<table>.+?) gives rank (?P<rank>\d+) of (?P<n>\d+)(?P<rest>.*)$",
    re.S,
)
_COUNT = re.compile(
    r"^claim (?P<claim>.+?) \([^)]*\); (?P<found>.+?) - the claim (?P<res>.+?)\.\s*(?P<note>.*)$",
    re.S,
)
#: Words the audit writes in capitals for emphasis that read as shouting in a sentence.
_SHOUTED = ("CANNOT", "NOT", "DIFFERENT", "DOES")


@dataclass(frozen=True)
class Record:
    """One check's part of a finding: its kind, verdict and the audit's own text."""

    kind: str
    verdict: str
    text: str


def records(explanation: str) -> list[Record]:
    """The per-check records of a finding's explanation (one record if it has no tags)."""
    text = str(explanation or "").strip()
    if not text:
        return []
    found = list(_RECORD.finditer(text))
    if not found or found[0].start() != 0:
        return [Record("", "", text)]
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        body = text[match.end() : end].strip()
        body = body[:-1].strip() if body.endswith("|") else body
        out.append(Record(match["kind"].strip(), match["verdict"].strip(), body))
    return out


def soften(text: str) -> str:
    """Audit jargon made readable: ``CANNOT`` → ``cannot``, ``a...b`` → ``a to b``."""
    for word in _SHOUTED:
        text = re.sub(rf"\b{word}\b", word.lower(), text)
    text = re.sub(r"(\S)\.\.\.(\S)", r"\1 to \2", text)
    text = text.replace("...inf", " or more").replace(" to inf", " or more")
    return text


def _sentence(text: str, *, capital: bool = True) -> str:
    text = text.strip()
    if not text:
        return text
    if capital:
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _bounds(interval: str) -> str:
    lo, _, hi = interval.partition("...")
    if not hi:
        return interval
    if lo == hi:
        return f"be {lo}"
    return f"lie between {lo} and {hi}"


def _in_printed_units(value: str, scale: float | None) -> str | None:
    """A canonical value such as '32.16 billion yuan' in the cell's printed unit, if known."""
    if scale is None:
        return None
    match = re.match(r"^(-?[\d.]+)(?: (thousand|million|billion|trillion))?\b", value.strip())
    if not match:
        return None
    factor = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    number = float(match[1]) * factor.get(match[2] or "", 1.0)
    return format_number(number * scale, 1 if abs(number * scale) < 1000 else 0)


def arithmetic_sentence(record: Record, scale: float | None = None) -> str | None:
    """An arithmetic check as a sentence, or None if the text has another shape.

    ``scale`` converts the canonical unit back to the unit the cell is printed in (printed
    value / canonical value), so a sum reads in the paper's own unit.
    """
    match = _ARITH.match(record.text)
    if not match:
        return None
    pub, expr, val, riv = match["pub"], match["expr"], match["val"], match["riv"]
    agrees = match["res"].startswith("agrees")
    note = f" {_sentence(match['note'], capital=False)}" if match["note"] else ""
    total = _SUM.match(expr)
    if total:
        shown = _in_printed_units(val, scale)
        what = f"the {total['n']} rows add up to {shown or val}"
        if shown and shown != val:
            what += f" ({val})"
    elif record.kind == "same_value":
        what = f"the same number is printed elsewhere as {expr}"
    else:
        what = f"{expr} = {val}"
    if agrees:
        return _sentence(f"{what}, which agrees with the printed {pub} within rounding") + note
    return (
        _sentence(
            f"{what}, not the printed {pub}; with every printed number rounded, "
            f"the result can only {_bounds(riv)}"
        )
        + note
    )


def official_sentence(record: Record) -> str | None:
    """A comparison with official statistics as a sentence, or None for another shape."""
    match = _OFFICIAL.match(record.text)
    if not match:
        return None
    head, _, tail_text = match["rest"].partition(". ")
    years, rest = [], []
    for part in head.split("; "):
        year = _OFFICIAL_YEAR.match(part.strip())
        if year and not rest:
            off = year["off"]
            gap = ""
            if off:
                direction = "higher" if off.startswith("+") else "lower"
                gap = f" (the published figure is {off.lstrip('+-')}% {direction})"
            years.append(f"{year['year']}: {year['value']}{gap}")
        else:
            rest.append(part)
    tail = soften("; ".join(rest) + (". " if rest and tail_text else "") + tail_text)
    lead = (
        f"The official series {match['series']} for {match['region']} gives "
        + "; ".join(years)
        + f", against the published {match['pub']}"
    )
    return _sentence(lead) + (f" {_sentence(tail)}" if tail else "")


def claim_sentence(record: Record) -> str | None:
    """A rank or count claim checked against a table, as a sentence (None for another shape)."""
    rank = _RANK.match(record.text)
    if rank:
        text = (
            f"The text ranks {rank['who']} {ordinal(int(rank['claim']))} ({rank['order']} "
            f"first) by {rank['what']}; {rank['table']} puts it {ordinal(int(rank['rank']))} "
            f"of {rank['n']}{rank['rest']}"
        )
        return _sentence(soften(text))
    count = _COUNT.match(record.text)
    if count:
        verb = "and" if count["res"].strip() == "matches" else "but"
        text = f"The paper claims {count['claim']}, {verb} {count['found']}"
        note = f" {_sentence(count['note'], capital=False)}" if count["note"] else ""
        return _sentence(soften(text)) + note
    return None


def rename(text: str, names: dict[str, str]) -> str:
    """Internal ids (column ids, table ids) replaced by what the paper prints. Only ids that
    cannot be an English word (they hold a digit or an underscore) are replaced."""
    for key in sorted(names, key=len, reverse=True):
        if not re.search(r"[\d_]", key):
            continue
        text = re.sub(rf"(?<![\w.]){re.escape(key)}(?![\w])", names[key], text)
    return text


def plain_sentences(
    explanation: str, *, scale: float | None = None, names: dict[str, str] | None = None
) -> list[str]:
    """Every check of a finding as a sentence, worst first as the audit ordered them.

    ``scale`` (printed / canonical value of the cell) lets sums read in the printed unit;
    ``names`` maps internal ids to printed names.
    """
    out = []
    for record in records(explanation):
        if names:
            record = Record(record.kind, record.verdict, rename(record.text, names))
        sentence = (
            arithmetic_sentence(record, scale)
            or official_sentence(record)
            or claim_sentence(record)
        )
        out.append(sentence or _sentence(soften(record.text)))
    return out
