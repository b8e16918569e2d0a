"""The HTML report: one self-contained page that walks through each paper.

Everything is inlined (style, images as data URIs), so the page opens offline and can be mailed
or archived as one file; identical inputs give identical bytes. The page is laid out for a
laptop (1280-1440 px): a contents column on the left that stays in view, the text beside it,
and every wide table scrolling inside its own box, never the page.

Sections: per paper its audit summary (distinct errors by severity), its tables as printed with
the verdict of every cell and the arithmetic of every flagged one in words, its quotes and its
figures; then the efficiency analyses (settings as tables, result files by role), and the
provenance. Right after ``<body>`` a marker comment (``BANNER_MARKER``) is where the workflow
may inject a notice (for example that the page belongs to the previous successful run).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sciteff.core.io import read_parquet_metadata
from sciteff.report.fmt import esc, format_number, is_number, readable_name
from sciteff.report.paper_tables import header_levels, paper_table_html
from sciteff.report.plain import plain_sentences
from sciteff.report.verdicts import STYLES, distinct_errors, is_flagged, style

#: Where a notice may be injected into the finished page (right after ``<body>``).
BANNER_MARKER = "<!-- sciteff:banner -->"

#: The rerun summary written beside the report by ``make rerun``.
CHANGES_FILE = "changes.md"

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;
color:#1d1d1f;line-height:1.45;font-size:15px}
.page{display:grid;grid-template-columns:15rem minmax(0,1fr);gap:2rem;max-width:1400px;
margin:0 auto;padding:0 1.25rem}
nav.toc{position:sticky;top:0;align-self:start;max-height:100vh;overflow-y:auto;
padding:1rem 0;font-size:.85rem;border-right:1px solid #ddd;padding-right:.8rem}
nav.toc ul{list-style:none;padding-left:0;margin:.2rem 0}nav.toc ul ul{padding-left:.9rem}
nav.toc li{margin:.15rem 0}nav.toc a{color:#1f4e8c;text-decoration:none;overflow-wrap:anywhere}
nav.toc a:hover{text-decoration:underline}
main{min-width:0;padding:1rem 0 4rem}
h1{font-size:1.6rem;margin-top:.5rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;
margin-top:2.5rem}h3{margin-top:1.8rem}h4{margin:1.2rem 0 .3rem}
.tablebox{max-width:100%;overflow-x:auto;margin:.5rem 0 1rem}
.tablebox.tall{max-height:30rem;overflow-y:auto}
table{border-collapse:collapse;font-size:.82rem}
th,td{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}
th{background:#f3f3f3;font-weight:600;text-align:center;max-width:14rem;overflow-wrap:break-word}
.tall thead th{position:sticky;top:0}
td.num{text-align:right;white-space:nowrap}td.txt{text-align:left;max-width:22rem}
td.label{min-width:8rem}table.quotes td.txt:first-child{min-width:24rem}
td.verdict{white-space:nowrap}
th.rowhead{text-align:left;white-space:nowrap;max-width:none}
.unit{display:block;font-weight:400;color:#555;font-size:.75rem}
.mk{display:inline-block;margin-left:.2rem;font-weight:700}.mk.q{font-weight:400;color:#777}
a.ref{font-size:.7rem;vertical-align:super;margin-left:.1rem;color:#1d1d1f}
.v-inconsistent{background:#f6c6b0}.v-differs{background:#fbe3a6}
.v-ambiguous{background:#d9c8ec}.v-other{background:#e4e4e4}
.v-consistent{background:#dcebf6}.v-not_checkable{background:#f1f1f1}
tr.notes td{background:#fff;border-top:0;white-space:normal}
p.why{margin:.2rem 0;padding:.2rem .4rem;font-size:.82rem;border-left:4px solid #999;
background:#fff !important}
p.why.v-inconsistent{border-left-color:#c0461b}p.why.v-differs{border-left-color:#b07d00}
p.why.v-ambiguous{border-left-color:#6a4c93}
.tablenotes{margin:.4rem 0}
.legend span{padding:0 .3rem;margin-right:.4rem;border:1px solid #ccc;white-space:nowrap}
.note{color:#555;font-size:.85rem}
figure{margin:1rem 0}figure img{max-width:min(100%,46rem);height:auto;border:1px solid #ddd}
figcaption{font-size:.85rem;color:#333;max-width:60rem}
code{background:#f5f5f5;padding:0 .2rem;overflow-wrap:anywhere}
details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#1f4e8c}
dl.settings{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem 1rem}
@media print{nav.toc{display:none}.page{display:block}.tablebox,.tablebox.tall{overflow:visible;
max-height:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


@dataclass
class PaperInputs:
    """What the report shows of one paper."""

    paper: str
    meta: dict
    tables: list[Path]
    quotes: Path | None = None
    figures: list[Path] = field(default_factory=list)


@dataclass
class AnalysisInputs:
    """What the report shows of one configured efficiency analysis."""

    name: str
    spec: dict
    files: dict[str, Path]


#: Result files of an analysis by role: heading, and whether the role is known. Roles not
#: listed here (a new analysis kind's) are shown too, under their role name.
ROLE_HEADINGS = {
    "dropped": "Left out of the analysis",
    "summary": "Results",
    "scores": "Scores",
    "annual": "Annual means (geometric)",
    "firms": "Means per DMU (geometric)",
    "table": "Window table",
    "rts_test": "Returns-to-scale test",
    "agreement": "Agreement with the published table",
    "sensitivity": "Sensitivity: each indicator left out",
    "comparison": "Published vs ours",
}

#: Roles shown open; the others (details, comparisons, roles of newer analysis kinds) are
#: folded under their heading, one click away, so the page stays short.
OPEN_ROLES = frozenset({"dropped", "summary", "scores", "annual", "agreement"})

#: Columns of a result file not shown in the report (kept in the CSV).
HIDDEN_PREFIXES = ("slack_", "target_")


def frame_html(frame: pd.DataFrame, *, digits: int = 3, tall_after: int = 25) -> str:
    """A computed DataFrame as a table: readable headers, numbers formatted for reading
    (grouped thousands, no ``-0.000``), text left-aligned. Taller than ``tall_after`` rows,
    the table scrolls inside its own box with the header kept in view."""
    head = "".join(f'<th scope="col">{esc(readable_name(c))}</th>' for c in frame.columns)
    calendar = [is_calendar(c) for c in frame.columns]
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for value, plain in zip(row, calendar, strict=True):
            if is_number(value):
                cells.append(f'<td class="num">{cell_number(value, digits, plain)}</td>')
            else:
                cells.append(f'<td class="txt">{breakable(value)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    tall = " tall" if len(frame) > tall_after else ""
    return (
        f'<div class="tablebox{tall}"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def record_html(frame: pd.DataFrame, *, digits: int = 3) -> str:
    """A wide frame with few rows turned on its side: one line per column, one column per row
    (the first column's values head the columns)."""
    first = frame.columns[0]
    heads = [breakable(v) for v in frame[first]] if len(frame) > 1 else ["value"]
    head = '<th scope="col"></th>' + "".join(f'<th scope="col">{h}</th>' for h in heads)
    body = []
    for column in frame.columns[1:] if len(frame) > 1 else frame.columns:
        cells = [f'<th scope="row" class="rowhead">{esc(readable_name(column))}</th>']
        for value in frame[column]:
            if is_number(value):
                cells.append(
                    f'<td class="num">{cell_number(value, digits, is_calendar(column))}</td>'
                )
            else:
                cells.append(f'<td class="txt">{breakable(value)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="tablebox"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def breakable(value: object) -> str:
    """Escaped text that may wrap after commas and underscores (long id lists such as
    ``fiscal_st_exp,rd_internal_exp`` would otherwise widen their column to one line)."""
    return re.sub(r"([,_;:])", r"\1<wbr>", esc(value))


def is_calendar(column: object) -> bool:
    """True for a column of years or periods (printed 2020, never 2,020)."""
    return bool(re.search(r"(^|_)(period|year|years)($|_)", str(column)))


def cell_number(value: object, digits: int, calendar: bool) -> str:
    """A computed number for a table cell; a whole-number year or period as plain digits."""
    if calendar and float(value).is_integer():  # type: ignore[arg-type]
        return str(int(value))  # type: ignore[call-overload]
    return format_number(value, digits)


def result_html(frame: pd.DataFrame) -> str:
    """A result file as a table, on its side when it is much wider than long."""
    if len(frame.columns) > 10 and len(frame) <= 8:
        return record_html(frame)
    return frame_html(frame)


def image_html(path: Path, caption: str) -> str:
    """A PNG embedded as a data URI, with a caption."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    lines = [esc(line) for line in caption.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    rest = "<br>".join(lines[1:])
    return (
        f'<figure><img alt="{first}" src="data:image/png;base64,{data}">'
        f"<figcaption><b>{first}</b>{'<br>' + rest if rest else ''}</figcaption></figure>"
    )


def figure_caption(path: Path, captions: dict[str, str] | None) -> str:
    """What a figure shows and from which data: its declared caption, else its name."""
    declared = (captions or {}).get(path.stem)
    return declared or readable_name(path.stem)


def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per paper and verdict (a paper x verdict count table)."""
    if findings.empty:
        return pd.DataFrame()
    counts = findings.pivot_table(
        index="paper", columns="verdict", values="finding_id", aggfunc="count", fill_value=0
    )
    counts.columns.name = None
    return counts.reset_index()


def legend_html() -> str:
    """The verdict colours and markers, in words."""
    spans = "".join(
        f'<span class="{s.css}">{s.marker} {esc(s.words)}</span>' for s in STYLES.values()
    )
    return f'<p class="legend">{spans}</p>'


def _names(tables: list[tuple[dict, pd.DataFrame]]) -> dict[str, str]:
    """Internal ids of a paper's tables and columns → what the paper prints."""
    names: dict[str, str] = {}
    for meta, _cells in tables:
        table = str(meta.get("table", ""))
        if table and meta.get("number"):
            names[table] = str(meta["number"])
        for column, info in (meta.get("columns") or {}).items():
            printed = " / ".join(p for p in header_levels(info.get("printed")) if p)
            if printed and printed != column:
                names[column] = f"“{printed}”"
    return names


def summary_html(findings: pd.DataFrame) -> str:
    """A paper's audit at a glance: distinct errors by severity, verdicts counted."""
    if findings.empty:
        return "<p>No number of this paper is audited.</p>"
    errors = distinct_errors(findings)
    counts = findings["verdict"].value_counts()
    ordered = sorted(counts.index, key=lambda v: style(v).rank)
    verdicts = ", ".join(
        f'<span class="{style(v).css}">{style(v).marker} {counts[v]} {esc(style(v).words)}</span>'
        for v in ordered
    )
    if errors.empty:
        head = "<p><b>No errors found.</b></p>"
    else:
        rows = "".join(
            f"<tr><td class=txt>{esc(r.severity)}</td><td class=num>{r.errors}</td>"
            f"<td class=num>{r.findings}</td></tr>"
            for r in errors.itertuples()
        )
        head = (
            '<div class="tablebox"><table><thead><tr><th scope="col">severity</th>'
            '<th scope="col">distinct errors</th><th scope="col">numbers flagged</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
    return (
        f'<div class="verdict"><h3>Audit verdict</h3>{head}'
        f'<p class="legend">{len(findings)} published numbers audited: {verdicts}.</p></div>'
    )


def quotes_html(quotes: pd.DataFrame, findings: pd.DataFrame, *, anchor: str, names: dict) -> str:
    """The numbers quoted in the text, each with its verdict; flagged ones explained."""
    text = findings[findings["table"] == "text"] if not findings.empty else findings
    by_ref = {ref: group for ref, group in text.groupby("ref", sort=False)} if len(text) else {}
    head = "".join(
        f'<th scope="col">{h}</th>' for h in ("quote", "printed", "year", "kind", "verdict")
    )
    body, counter = [], 0
    for rec in quotes.itertuples():
        group = by_ref.get(rec.quote_id)
        verdict = ""
        if group is not None:
            verdict = min((str(v) for v in group["verdict"]), key=lambda v: style(v).rank)
        look = style(verdict) if verdict else None
        css = f' class="verdict {look.css}"' if look else ' class="verdict"'
        marker = f'<span class="mk">{look.marker}</span> {esc(look.words)}' if look else ""
        note = ""
        if verdict and is_flagged(verdict):
            counter += 1
            sentences = []
            for finding in group.itertuples():
                if is_flagged(str(finding.verdict)):
                    sentences += plain_sentences(str(finding.explanation), names=names)
            note = (
                f'<tr class="notes"><td colspan="5"><p class="why {look.css}" '
                f'id="{anchor}-q{counter}"><span class="mk">{look.marker}</span>'
                f"<b>{esc(rec.quote_id)}</b>: {' '.join(esc(s) for s in sentences)}</p></td></tr>"
            )
        body.append(
            f'<tr><td class="txt">{esc(rec.quote)}</td><td class="num">{esc(rec.value_printed)}'
            f'</td><td class="num">{esc(rec.year)}</td><td class="txt">{esc(rec.claim_kind)}</td>'
            f"<td{css}>{marker}</td></tr>{note}"
        )
    return (
        f'<div class="tablebox"><table class="quotes"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def paper_section(
    paper: PaperInputs, findings: pd.DataFrame, captions: dict[str, str] | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """Audit summary, tables, quotes and figures of one paper, and its contents entries."""
    meta = paper.meta
    mine = findings[findings["paper"] == paper.paper] if not findings.empty else findings
    loaded = [(read_parquet_metadata(p), pd.read_parquet(p)) for p in paper.tables]
    names = _names(loaded)
    anchor = f"paper-{paper.paper}"
    toc = []
    parts = [
        f'<section id="{esc(anchor)}"><h2>{esc(meta.get("title", paper.paper))}</h2>',
        f"<p class=note>{esc(', '.join(meta.get('authors', [])))} · <code>{esc(paper.paper)}"
        "</code></p>",
        summary_html(mine),
    ]
    for table_meta, cells in loaded:
        table = str(table_meta.get("table", cells["table"].iloc[0]))
        table_anchor = f"{anchor}-{table}"
        number = table_meta.get("number", table)
        title = table_meta.get("title", "")
        toc.append((table_anchor, str(number)))
        parts.append(f'<h3 id="{esc(table_anchor)}">{esc(number)}: {esc(title)}</h3>')
        parts.append(paper_table_html(cells, table_meta, mine, anchor=table_anchor, names=names))
        if table_meta.get("source_note"):
            parts.append(f"<p class=note>{esc(table_meta['source_note'])}</p>")
        if table_meta.get("notes"):
            notes = "".join(f"<li>{esc(n)}</li>" for n in table_meta["notes"])
            parts.append(
                f"<details><summary>Transcription notes</summary><ul>{notes}</ul></details>"
            )
    if paper.quotes is not None:
        quotes_anchor = f"{anchor}-quotes"
        toc.append((quotes_anchor, "Numbers in the text"))
        parts.append(f'<h3 id="{esc(quotes_anchor)}">Numbers quoted in the text</h3>')
        parts.append(
            quotes_html(pd.read_parquet(paper.quotes), mine, anchor=quotes_anchor, names=names)
        )
    if paper.figures:
        figures_anchor = f"{anchor}-figures"
        toc.append((figures_anchor, "Figures"))
        parts.append(f'<h3 id="{esc(figures_anchor)}">Figures</h3>')
        parts += [image_html(f, figure_caption(f, captions)) for f in paper.figures]
    parts.append("</section>")
    return "\n".join(parts), toc


def settings_html(spec: dict) -> str:
    """An analysis's settings as a two-column table (lists joined, mappings spelled out)."""
    rows = []
    for key, value in spec.items():
        if key == "description":
            continue
        if isinstance(value, dict):
            shown = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        rows.append(
            f'<tr><th scope="row" class="rowhead">{esc(readable_name(key))}</th>'
            f'<td class="txt">{esc(shown)}</td></tr>'
        )
    body = "".join(rows)
    return f'<div class="tablebox"><table class="settings"><tbody>{body}</tbody></table></div>'


def analysis_section(analysis: AnalysisInputs) -> str:
    """Settings, dropped DMUs and results of one configured analysis, file by role."""
    spec = analysis.spec
    parts = [
        f'<h3 id="analysis-{esc(analysis.name)}">{esc(analysis.name)}</h3>',
        f"<p>{esc(spec.get('description', ''))}</p>",
        "<h4>Settings</h4>",
        settings_html(spec),
    ]
    roles = list(ROLE_HEADINGS) + [r for r in analysis.files if r not in ROLE_HEADINGS]
    for role in roles:
        path = analysis.files.get(role)
        if path is None or not Path(path).exists():
            continue
        label = ROLE_HEADINGS.get(role, readable_name(role).capitalize())
        frame = pd.read_csv(path)
        frame = frame[[c for c in frame.columns if not str(c).startswith(HIDDEN_PREFIXES)]]
        if frame.empty:
            parts.append(f"<p><b>{esc(label)}</b>: none.</p>")
            continue
        if role in OPEN_ROLES:
            parts.append(f"<h4>{esc(label)}</h4>" + result_html(frame))
        else:
            rows = f"{len(frame)} row{'s' if len(frame) != 1 else ''}"
            parts.append(
                f"<details><summary><b>{esc(label)}</b> ({rows})</summary>"
                f"{result_html(frame)}</details>"
            )
    return "\n".join(parts)


def provenance_section(prov: dict) -> str:
    """Code version, package versions, and the hash of every raw input file."""
    code = prov.get("code", {})
    packages = pd.DataFrame(
        sorted(prov.get("packages", {}).items()), columns=["package", "version"]
    )
    raw = {}
    for output in prov.get("outputs", []):
        for item in output.get("inputs", []):
            if item["path"].startswith("raw_data/"):
                raw[item["path"]] = item["sha256"]
    inputs = pd.DataFrame(sorted(raw.items()), columns=["raw input file", "sha256"])
    return "\n".join(
        [
            '<section id="provenance"><h2>Provenance</h2>',
            f"<p>Code version: <code>{esc(code.get('git_commit'))}</code>"
            f"{' (with uncommitted changes)' if code.get('dirty') else ''}. "
            "Every output's rule, inputs and hashes: <code>results/provenance.json</code>. "
            f'What changed at the last <code>make rerun</code>: <a href="{CHANGES_FILE}">'
            f"{CHANGES_FILE}</a>.</p>",
            frame_html(packages),
            frame_html(inputs),
            "</section>",
        ]
    )


def _toc_html(entries: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    items = []
    for anchor, label, children in entries:
        sub = "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in children)
        items.append(
            f'<li><a href="#{esc(anchor)}">{esc(label)}</a>' + (f"<ul>{sub}</ul>" if sub else "")
        )
    head = '<nav class="toc" aria-label="Contents"><b>Contents</b><ul>'
    return head + "".join(items) + "</ul></nav>"


def build_report(
    papers: list[PaperInputs],
    analyses: list[AnalysisInputs],
    findings: pd.DataFrame,
    prov: dict,
    extra_figures: list[Path] | None = None,
    captions: dict[str, str] | None = None,
) -> str:
    """The whole report as one HTML string.

    ``captions`` maps a figure's file stem to what it shows and from which data (from the
    figure declarations); ``extra_figures`` are figures of no paper (the analyses').
    """
    toc: list[tuple[str, str, list[tuple[str, str]]]] = [("overview", "Overview", [])]
    sections = []
    for paper in papers:
        html_text, children = paper_section(paper, findings, captions)
        sections.append(html_text)
        short = paper.meta.get("short_title") or paper.meta.get("title", paper.paper)
        short = str(short) if len(str(short)) <= 60 else str(short)[:57].rstrip() + "…"
        toc.append((f"paper-{paper.paper}", short, children))
    analysis_children = [(f"analysis-{a.name}", a.name) for a in analyses]
    if extra_figures:
        analysis_children.append(("analysis-figures", "Figures"))
    toc.append(("analyses", "Efficiency analyses", analysis_children))
    toc.append(("provenance", "Provenance", []))
    overview = [
        '<section id="overview">',
        "<h1>S&amp;T finance efficiency and technology transfer: the papers rebuilt and audited"
        "</h1>",
        "<p>Every table below is the paper's own, transcribed verbatim, with its printed "
        "headers and units. Each audited number carries the audit's verdict as a colour and a "
        "marker; each flagged number has a numbered note (under its row, or right below a "
        "table with many) saying, in words, what the audit recomputed. What changed at the "
        f'last <code>make rerun</code>: <a href="{CHANGES_FILE}">{CHANGES_FILE}</a>.</p>',
        legend_html(),
    ]
    counts = verdict_counts(findings)
    if not counts.empty:
        overview.append("<h3>Verdicts per paper</h3>" + frame_html(counts, digits=0))
    overview.append("</section>")
    analyses_html = [
        '<section id="analyses"><h2>Efficiency analyses</h2>',
        "<p>DEA follows DEAP 2.1's conventions (docs/dea_conventions.md); Malmquist summaries "
        "are geometric means (docs/malmquist_conventions.md).</p>",
    ]
    analyses_html += [analysis_section(a) for a in analyses]
    if extra_figures:
        analyses_html.append('<h3 id="analysis-figures">Figures of the analyses</h3>')
        analyses_html += [image_html(f, figure_caption(f, captions)) for f in extra_figures]
    analyses_html.append("</section>")
    main = "\n".join(overview + sections + analyses_html + [provenance_section(prov)])
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>sciteff report</title><style>{STYLE}</style></head><body>"
        f"{BANNER_MARKER}\n"
        f'<div class="page">{_toc_html(toc)}<main>{main}</main></div>'
        "</body></html>\n"
    )
