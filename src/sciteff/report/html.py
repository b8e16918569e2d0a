"""The HTML report: one self-contained page that walks through each paper.

Everything is inlined (style, images as data URIs), so the page opens offline and can be mailed
or archived as one file. Sections: per paper its tables mirrored with the audit verdict of
every cell, its quotes with their verdicts and its figures; then the efficiency analyses
with their settings, the replication of the published DEA table, and the provenance.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sciteff.core.io import read_parquet_metadata
from sciteff.ingest.tables import NUMERIC_KINDS, wide
from sciteff.report.mirror import cell_verdicts

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.8rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-top:1.8rem}table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.l,th.l{text-align:left}
.inconsistent{background:#f8d0d0}.differs{background:#fde7c4}.consistent{background:#d9f0d9}
.not_checkable{background:#eeeeee}.note{color:#555;font-size:.85rem}
figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #ddd}
nav ul{columns:2}code{background:#f5f5f5;padding:0 .2rem}
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


def esc(value: object) -> str:
    """HTML-escaped text; NaN and None print as empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def frame_html(
    frame: pd.DataFrame,
    *,
    digits: int = 3,
    classes: pd.DataFrame | None = None,
    titles: pd.DataFrame | None = None,
) -> str:
    """A DataFrame as an HTML table; numbers rounded for reading, text left-aligned.
    ``classes``/``titles`` (same shape) colour cells and give them hover explanations."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = []
    for i in range(len(frame)):
        cells = []
        for j in range(len(frame.columns)):
            value = frame.iat[i, j]
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            text = f"{value:.{digits}f}" if is_number and not pd.isna(value) else esc(value)
            css = [] if is_number else ["l"]
            if classes is not None and classes.iat[i, j]:
                css.append(str(classes.iat[i, j]))
            title = ""
            if titles is not None and titles.iat[i, j]:
                title = f' title="{esc(titles.iat[i, j])}"'
            cls = f' class="{" ".join(css)}"' if css else ""
            cells.append(f"<td{cls}{title}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def image_html(path: Path, caption: str) -> str:
    """A PNG embedded as a data URI, with a caption."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption class=note>{esc(caption)}</figcaption></figure>"
    )


def mirrored_table_html(cells: pd.DataFrame, findings: pd.DataFrame) -> str:
    """A paper table as printed, each audited cell coloured by its worst verdict; a cell the
    audit finds inconsistent also shows the recomputed value."""
    paper, table = str(cells["paper"].iloc[0]), str(cells["table"].iloc[0])
    printed = wide(cells, values="printed").astype(object)
    verdicts = cell_verdicts(findings, paper, table).set_index(["row", "column"])
    numeric = set(cells.loc[cells["kind"].isin(NUMERIC_KINDS), "column"])
    classes = pd.DataFrame("", index=printed.index, columns=printed.columns)
    titles = pd.DataFrame("", index=printed.index, columns=printed.columns)
    for (row, column), rec in verdicts.iterrows():
        if row not in printed.index or column not in printed.columns:
            continue
        classes.at[row, column] = rec["verdict"]
        titles.at[row, column] = f"{rec['verdict']}: {rec['explanation']}"
        if rec["verdict"] == "inconsistent" and column in numeric and rec["recomputed"]:
            printed.at[row, column] = f"{printed.at[row, column]} → {rec['recomputed']}"
    return frame_html(printed.reset_index(drop=True), classes=classes, titles=titles)


def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per paper and verdict (a paper x verdict count table)."""
    if findings.empty:
        return pd.DataFrame()
    counts = findings.pivot_table(
        index="paper", columns="verdict", values="finding_id", aggfunc="count", fill_value=0
    )
    counts.columns.name = None
    return counts.reset_index()


def paper_section(paper: PaperInputs, findings: pd.DataFrame) -> str:
    """Tables, quotes, figures and audit findings of one paper."""
    meta = paper.meta
    parts = [
        f'<h2 id="{esc(paper.paper)}">{esc(paper.paper)}: {esc(meta.get("title", ""))}</h2>',
        f"<p class=note>{esc(', '.join(meta.get('authors', [])))}</p>",
    ]
    mine = findings[findings["paper"] == paper.paper] if not findings.empty else findings
    if not mine.empty:
        counts = mine["verdict"].value_counts().to_dict()
        parts.append(
            "<p>Audit: " + ", ".join(f"{esc(v)} {n}" for v, n in sorted(counts.items())) + "</p>"
        )
    for path in paper.tables:
        cells = pd.read_parquet(path)
        meta_table = _parquet_meta(path)
        number, title = meta_table.get("number", path.stem), meta_table.get("title", "")
        parts.append(f"<h3>{esc(number)}: {esc(title)}</h3>")
        parts.append(mirrored_table_html(cells, mine))
        if meta_table.get("notes"):
            notes = "".join(f"<li>{esc(n)}</li>" for n in meta_table["notes"])
            parts.append(
                f"<details><summary>Transcription notes</summary><ul>{notes}</ul></details>"
            )
    if paper.quotes is not None:
        figures = pd.read_parquet(paper.quotes)
        parts.append("<h3>Key figures quoted in the text</h3>")
        shown = figures[["figure_id", "quote", "value_printed", "unit", "year", "claim_kind"]]
        text_findings = mine[mine["table"] == "text"] if not mine.empty else mine
        verdict = {}
        if not text_findings.empty:
            for rec in text_findings.sort_values("verdict").itertuples():
                verdict.setdefault(rec.ref, (rec.verdict, rec.explanation))
        shown = shown.assign(
            verdict=[verdict.get(f, ("", ""))[0] for f in shown["figure_id"]],
            explanation=[verdict.get(f, ("", ""))[1] for f in shown["figure_id"]],
        )
        classes = pd.DataFrame("", index=shown.index, columns=shown.columns)
        classes["verdict"] = shown["verdict"]
        parts.append(
            frame_html(shown.reset_index(drop=True), classes=classes.reset_index(drop=True))
        )
    for figure in paper.figures:
        parts.append(image_html(figure, figure.stem.replace("_", " ")))
    return "\n".join(parts)


def analysis_section(analysis: AnalysisInputs) -> str:
    """Settings, dropped DMUs, warnings and results of one configured analysis."""
    spec = analysis.spec
    settings = {
        k: spec.get(k)
        for k in ("method", "source", "years", "inputs", "outputs", "orientation", "slacks")
        if k in spec
    }
    parts = [
        f'<h3 id="{esc(analysis.name)}">{esc(analysis.name)}</h3>',
        f"<p>{esc(spec.get('description', ''))}</p>",
        "<p class=note>Settings: <code>" + esc(json.dumps(settings)) + "</code></p>",
    ]
    for label, key in (
        ("Left out", "dropped"),
        ("Results", "summary"),
        ("Annual means (geometric)", "annual"),
        ("Firm means (geometric)", "firms"),
        ("Agreement with the published table", "agreement"),
        ("Sensitivity: each indicator left out", "sensitivity"),
        ("Published vs ours", "comparison"),
    ):
        path = analysis.files.get(key)
        if path is None or not Path(path).exists():
            continue
        frame = pd.read_csv(path)
        if key == "summary":
            keep = [c for c in frame.columns if not c.startswith(("slack_", "target_"))]
            frame = frame[keep]
        if frame.empty:
            parts.append(f"<p>{esc(label)}: none.</p>")
            continue
        parts.append(f"<h4>{esc(label)}</h4>" + frame_html(frame))
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
            '<h2 id="provenance">Provenance</h2>',
            f"<p>Code version: <code>{esc(code.get('git_commit'))}</code>"
            f"{' (with uncommitted changes)' if code.get('dirty') else ''}. "
            "Every output's rule, inputs and hashes: <code>results/provenance.json</code>.</p>",
            frame_html(packages),
            frame_html(inputs),
        ]
    )


def build_report(
    papers: list[PaperInputs],
    analyses: list[AnalysisInputs],
    findings: pd.DataFrame,
    prov: dict,
    extra_figures: list[Path] | None = None,
) -> str:
    """The whole report as one HTML string."""
    toc = [
        f'<li><a href="#{esc(p.paper)}">{esc(p.paper)}: {esc(p.meta.get("title", ""))}</a></li>'
        for p in papers
    ]
    toc += [
        '<li><a href="#analyses">Efficiency analyses</a></li>',
        '<li><a href="#provenance">Provenance</a></li>',
    ]
    body = [
        "<h1>sciteff: S&amp;T finance efficiency and technology transfer, rebuilt and audited</h1>",
        "<p>Every table below is the paper's own, transcribed verbatim; coloured cells carry the "
        "audit's verdict (hover for the arithmetic): <span class=consistent>consistent</span> "
        "<span class=inconsistent>inconsistent</span> <span class=differs>differs from "
        "official statistics</span> <span class=not_checkable>not checkable</span>.</p>",
        "<nav><ul>" + "".join(toc) + "</ul></nav>",
    ]
    counts = verdict_counts(findings)
    if not counts.empty:
        body.append("<h2>Audit summary</h2>" + frame_html(counts, digits=0))
    body += [paper_section(p, findings) for p in papers]
    body.append('<h2 id="analyses">Efficiency analyses</h2>')
    body.append(
        "<p>DEA follows DEAP 2.1's conventions (docs/dea_conventions.md); Malmquist summaries "
        "are geometric means (docs/malmquist_conventions.md).</p>"
    )
    body += [analysis_section(a) for a in analyses]
    for figure in extra_figures or []:
        body.append(image_html(figure, figure.stem.replace("_", " ")))
    body.append(provenance_section(prov))
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>sciteff report</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _parquet_meta(path: Path) -> dict:
    return read_parquet_metadata(path)
