"""Figure declarations: what each figure draws, read from data and checked before anything runs.

A paper's figures are declared beside its transcriptions in ``raw_data/papers/<paper>/
figures.yaml`` (validated against ``sciteff/ingest/schemas/figures.schema.json``); figures of
the configured analyses are declared in the ``figures:`` section of ``config/config.yaml``
(validated by ``config/schema.yaml``). Both become :class:`FigureSpec` values: plain data that
a generic Snakemake rule turns into inputs and that :mod:`sciteff.figures.kinds` draws. Why:
adding a figure, or a paper with figures, must need no Python and no rule edit.

Ids in a paper folder are local to it: a figures.yaml names its own tables (``table3``) and
quotes (``t028``) and never the paper id, which is the folder name; text fields may say
``{paper}`` for it. The output name of a paper figure is ``<paper>_<id>``, of a configured
figure its id. A malformed declaration stops with an error naming the file, the key and (from
the YAML parser's marks) the line: :func:`sciteff.ingest.sidecars.load_sidecar`'s errors for
bad YAML, a key given twice or a schema violation, a :class:`DeclarationError` for a table,
column, quote or analysis that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sciteff.core.io import read_csv_text
from sciteff.ingest.sidecars import SidecarError, line_of, load_sidecar
from sciteff.ingest.tables import load_table_spec

#: Name of the declaration file in a paper folder.
FIGURES_FILE = "figures.yaml"
#: The placeholder text fields may use for the paper folder's name.
PAPER_PLACEHOLDER = "{paper}"
#: DEAP's column names, the defaults of ``columns:`` in DEA and Malmquist figures.
DEA_COLUMNS = ("crste", "vrste", "scale", "rts")
MALMQUIST_COLUMNS = ("effch", "techch", "pech", "sech", "tfpch")
#: Plot kinds a configured analysis can be drawn as, with the method each needs.
ANALYSIS_KINDS = {"dea_scores": "dea", "malmquist_by_period": "malmquist"}
#: Keys common to every declaration; the rest are the plot kind's options.
_COMMON = ("plot", "order", "title", "source", "caption")


class DeclarationError(SidecarError):
    """A figure declaration that names what does not exist (a table, column, quote or
    analysis) or an output name declared twice; ``file``, ``key`` and ``line`` say where."""


@dataclass(frozen=True)
class FigureSpec:
    """One declared figure, resolved: its output name, origin, plot kind, texts and options.

    ``options`` holds the plot kind's settings exactly as declared (columns, years, claims,
    axis labels ...); ``position`` is its place in the declaring file, which orders figures
    with the same ``order``.
    """

    name: str
    figure: str
    paper: str | None
    analysis: str | None
    plot: str
    order: int
    position: int
    title: str
    source: str
    caption: str
    declared_in: str
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for Snakemake params, so a changed declaration reruns its figure)."""
        return asdict(self)


@dataclass(frozen=True)
class FigureInputs:
    """What a figure reads, by role: a table and the quotes of its paper, panel years, or one
    output (``summary``, ``indices``, ``annual``) of a configured analysis."""

    table: str | None = None
    quotes: bool = False
    panel: str | None = None
    panel_years: tuple[int, ...] = ()
    analysis: str | None = None
    analysis_output: str | None = None


# --- reading the declaration file --------------------------------------------------------------


def _dotted(path: Iterable[str | int]) -> str:
    """A key path as the sidecar errors spell it (``figures.fig1.claims.0``)."""
    return ".".join(str(step) for step in path) or "(top level)"


def _line(root: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    return line_of(root, [str(step) for step in path])


def _read(path: Path) -> tuple[dict[str, Any], yaml.Node]:
    """The declarations and their YAML node tree (for lines), schema-validated; syntax errors,
    keys given twice and schema violations are :func:`load_sidecar`'s (file, key, line)."""
    data = load_sidecar(path, "figures")
    return data, yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


# --- paper figures -----------------------------------------------------------------------------


def _substitute(value: Any, paper: str) -> Any:
    """``value`` with ``{paper}`` replaced by the folder name in every string inside it."""
    if isinstance(value, str):
        return value.replace(PAPER_PLACEHOLDER, paper)
    if isinstance(value, list):
        return [_substitute(v, paper) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, paper) for k, v in value.items()}
    return value


def _spec(
    figure: str,
    entry: Mapping[str, Any],
    *,
    name: str,
    paper: str | None,
    analysis: str | None,
    position: int,
    declared_in: str,
) -> FigureSpec:
    return FigureSpec(
        name=name,
        figure=figure,
        paper=paper,
        analysis=analysis,
        plot=entry["plot"],
        order=int(entry.get("order", position)),
        position=position,
        title=entry["title"],
        source=entry["source"],
        caption=entry["caption"],
        declared_in=declared_in,
        options={k: v for k, v in entry.items() if k not in _COMMON},
    )


def load_figures(path: str | Path) -> list[FigureSpec]:
    """The figures a paper folder's ``figures.yaml`` declares, validated and resolved.

    The paper is the folder's name. Beyond the schema, every table, column and quote the
    declarations name must exist in the same folder, so a wrong name stops the run before any
    job starts, with the file, key and line of the declaration.
    """
    path = Path(path)
    data, root = _read(path)
    paper = path.parent.name
    specs = []
    for position, (figure, entry) in enumerate(data["figures"].items(), start=1):
        resolved = _substitute(entry, paper)
        spec = _spec(
            figure,
            resolved,
            name=f"{paper}_{figure}",
            paper=paper,
            analysis=None,
            position=position,
            declared_in=str(path),
        )
        _check_references(spec, path, root)
        specs.append(spec)
    return specs


def _table_columns(folder: Path, table: str) -> list[str] | None:
    sidecar = folder / f"{table}.yaml"
    return list(load_table_spec(sidecar).columns) if sidecar.exists() else None


def _quote_ids(folder: Path) -> set[str]:
    """The (local) ids of the folder's quotes, none without a quotes.csv."""
    quotes = folder / "quotes.csv"
    if not quotes.exists():
        return set()
    ids = read_csv_text(quotes).get("quote_id")
    return set() if ids is None else {str(i).strip() for i in ids}


def _column_refs(spec: FigureSpec) -> list[tuple[tuple[str | int, ...], str]]:
    """(key path inside the declaration, column) for every table column a figure names."""
    opts = spec.options
    refs: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("label", "number_by"):
        if key in opts:
            refs.append(((key,), opts[key]))
    if spec.plot in ("dea_scores", "malmquist_by_dmu"):
        defaults = DEA_COLUMNS if spec.plot == "dea_scores" else MALMQUIST_COLUMNS
        mapped = opts.get("columns", {})
        for role in defaults:
            key = ("columns", role) if role in mapped else ("table",)
            refs.append((key, mapped.get(role, role)))
    for name, column in opts.get("series", {}).items():
        refs.append((("series", name), column))
    panels = opts.get("panels", [])
    if isinstance(panels, dict):
        for indicator, panel in panels.items():
            refs += [
                (("panels", indicator, "columns", i), c) for i, c in enumerate(panel["columns"])
            ]
    else:
        for i, panel in enumerate(panels):
            refs += [(("panels", i, "series", s), c) for s, c in panel["series"].items()]
    return refs


def _check_references(spec: FigureSpec, path: Path, root: yaml.Node) -> None:
    folder = path.parent
    base = ("figures", spec.figure)

    def fail(message: str, key: tuple[str | int, ...]) -> None:
        where = (*base, *key)
        raise DeclarationError(message, file=str(path), key=_dotted(where), line=_line(root, where))

    opts = spec.options
    if "table" in opts:
        columns = _table_columns(folder, opts["table"])
        if columns is None:
            fail(
                f"this paper folder has no table {opts['table']!r} ({opts['table']}.yaml)",
                ("table",),
            )
        for key, column in _column_refs(spec):
            if column not in columns:
                fail(f"table {opts['table']} has no column {column!r}", key)
    quotes = [(("claims", i), q) for i, q in enumerate(opts.get("claims", []))]
    if "reference" in opts:
        quotes.append((("reference", "quote"), opts["reference"]["quote"]))
    if quotes:
        known = _quote_ids(folder)
        for key, quote in quotes:
            if quote not in known:
                fail(f"quotes.csv of this paper folder has no quote {quote!r}", key)


def paper_figures(papers_dir: str | Path) -> list[FigureSpec]:
    """Every figure declared in ``<papers_dir>/<paper>/figures.yaml``, papers in name order."""
    return [
        spec
        for path in sorted(Path(papers_dir).glob(f"*/{FIGURES_FILE}"))
        for spec in load_figures(path)
    ]


# --- figures of configured analyses ------------------------------------------------------------


def analysis_figures(
    figures: Mapping[str, Mapping[str, Any]],
    analyses: Mapping[str, Mapping[str, Any]],
    declared_in: str = "config/config.yaml",
) -> list[FigureSpec]:
    """The ``figures:`` section of the config (already schema-validated) as specs, each checked
    to name a configured analysis whose method its plot kind draws."""
    specs = []
    for position, (figure, entry) in enumerate(figures.items(), start=1):
        analysis = entry["analysis"]
        key = f"figures.{figure}"
        if analysis not in analyses:
            raise DeclarationError(
                f"no analysis {analysis!r} is configured",
                file=declared_in,
                key=f"{key}.analysis",
                line=None,
            )
        method = analyses[analysis]["method"]
        if ANALYSIS_KINDS[entry["plot"]] != method:
            raise DeclarationError(
                f"plot {entry['plot']!r} draws a {ANALYSIS_KINDS[entry['plot']]} analysis;"
                f" {analysis} is {method}",
                file=declared_in,
                key=f"{key}.plot",
                line=None,
            )
        specs.append(
            _spec(
                figure,
                {k: v for k, v in entry.items() if k != "analysis"},
                name=figure,
                paper=None,
                analysis=analysis,
                position=position,
                declared_in=declared_in,
            )
        )
    return specs


def declared_figures(
    papers_dir: str | Path,
    figures: Mapping[str, Mapping[str, Any]],
    analyses: Mapping[str, Mapping[str, Any]],
) -> dict[str, FigureSpec]:
    """All declared figures by output name: the papers' (in paper, then declared order), then
    the configured analyses'. Two declarations with one output name are an error."""
    out: dict[str, FigureSpec] = {}
    for spec in [*paper_figures(papers_dir), *analysis_figures(figures, analyses)]:
        if spec.name in out:
            raise DeclarationError(
                f"figure name {spec.name!r} is also declared in {out[spec.name].declared_in}",
                file=spec.declared_in,
                key=f"figures.{spec.figure}",
                line=None,
            )
        out[spec.name] = spec
    return out


def figure_inputs(spec: FigureSpec) -> FigureInputs:
    """What a declared figure reads (roles, not paths: the workflow maps them to outputs)."""
    opts = spec.options
    if spec.analysis is not None:
        if spec.plot == "dea_scores":
            output = "summary"
        else:
            output = "indices" if opts.get("dmu") else "annual"
        return FigureInputs(analysis=spec.analysis, analysis_output=output)
    if spec.plot == "panel_series":
        return FigureInputs(
            panel=opts["panel"],
            panel_years=tuple(opts["years"]),
            quotes=bool(opts.get("claims")),
        )
    return FigureInputs(table=opts["table"], quotes="reference" in opts)


def input_paths(spec: FigureSpec, sources: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The files a figure reads, by role, from the path patterns of the rules that write them.

    ``sources`` holds the patterns: ``table`` (with ``{paper}``, ``{table}``), ``quotes``
    (``{paper}``), ``panel`` (``{dataset}``, ``{year}``) and ``analysis``: analysis name ->
    output role -> pattern (``{analysis}``). Why patterns: the workflow passes its rules'
    outputs, so no path is spelled twice.
    """
    needs = figure_inputs(spec)
    files: dict[str, str | list[str]] = {}
    if needs.table:
        files["table"] = sources["table"].format(paper=spec.paper, table=needs.table)
    if needs.quotes:
        files["quotes"] = sources["quotes"].format(paper=spec.paper)
    if needs.panel:
        pattern = sources["panel"]
        files["panel"] = [pattern.format(dataset=needs.panel, year=y) for y in needs.panel_years]
    if needs.analysis:
        pattern = sources["analysis"][needs.analysis][needs.analysis_output]
        files["analysis"] = pattern.format(analysis=needs.analysis)
    return files


def output_paths(
    spec: FigureSpec, paper_outputs: Mapping[str, str], analysis_outputs: Mapping[str, str]
) -> dict[str, str]:
    """A figure's files (``png``, ``svg``) from the output patterns of the paper-figure rule
    (``{paper}``, ``{figure}``) or of the analysis-figure rule (``{figure}``)."""
    if spec.paper is None:
        return {ext: p.format(figure=spec.figure) for ext, p in analysis_outputs.items()}
    return {ext: p.format(paper=spec.paper, figure=spec.figure) for ext, p in paper_outputs.items()}


def name_pattern(names: Iterable[str]) -> str:
    """A wildcard constraint matching exactly ``names`` (and nothing if there are none)."""
    chosen = sorted(set(names))
    return "|".join(re.escape(n) for n in chosen) if chosen else "(?!)"


def manifest(
    figures: Iterable[FigureSpec], files: Mapping[str, Mapping[str, str]]
) -> list[dict[str, Any]]:
    """The figures as the report lists them: per paper (papers in name order) in declared
    order, then the analyses' figures in declared order; each with its id (the output name),
    local figure id, paper or analysis, plot kind, order, title, caption, source line, the file
    that declares it and its PNG and SVG files."""
    ordered = sorted(
        figures,
        key=lambda s: (s.paper is None, s.paper or "", s.order, s.position),
    )
    return [
        {
            "id": s.name,
            "figure": s.figure,
            "paper": s.paper,
            "analysis": s.analysis,
            "plot": s.plot,
            "order": s.order,
            "title": s.title,
            "caption": s.caption,
            "source": s.source,
            "declared_in": s.declared_in,
            "files": dict(files[s.name]),
        }
        for s in ordered
    ]
