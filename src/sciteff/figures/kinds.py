"""Plot kinds: one declared figure (a :class:`~sciteff.figures.spec.FigureSpec` as plain data)
and its input files in, a styled Figure out.

Each kind reads the files the workflow gave it by role (``table``, ``quotes``, ``panel``,
``analysis``; see :func:`sciteff.figures.spec.figure_inputs`), prepares its frame with
:mod:`sciteff.figures.data` using the columns the declaration names, and draws it with
:mod:`sciteff.figures.plots`. Nothing here knows a paper, a table or a column: a new figure is a
new declaration, never new code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sciteff.core.io import read_parquets
from sciteff.figures import data, plots
from sciteff.ingest.corrections import cells_for
from sciteff.ingest.tables import qualified_quote_id

#: Input files by role: one path, or several (a panel's year files).
Inputs = Mapping[str, str | Sequence[str]]
#: What a kind returns: the figure and a line for the job's log.
Drawn = tuple[Figure, str]


def _quote_ids(spec: Mapping[str, Any], local: Sequence[str]) -> list[str]:
    """Quote ids as the ingested quotes know them (the declaration's are local to the paper)."""
    return [qualified_quote_id(spec["paper"], q) for q in local]


def _cells(spec: Mapping[str, Any], inputs: Inputs) -> pd.DataFrame:
    """The figure's table: corrected cells (the default), or as printed with ``cells: printed``
    (a figure that says "as printed" must not show a correction)."""
    cells = pd.read_parquet(inputs["table"])
    return cells_for(cells, {"cells": spec["options"].get("cells", "corrected")})


def _texts(spec: Mapping[str, Any]) -> dict[str, str]:
    return {"title": spec["title"], "source": spec["source"]}


def _panel_series(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    panel = read_parquets(list(inputs["panel"]))
    series = data.region_series(panel, opts["region"], opts["column"], opts["years"], opts["unit"])
    ids = _quote_ids(spec, opts.get("claims", []))
    claims = data.select_claims(pd.read_parquet(inputs["quotes"]), ids) if ids else pd.DataFrame()
    comparison = data.compare_claims(series, claims, opts["unit"])
    fig = plots.plot_series_with_claims(
        series,
        comparison,
        ylabel=opts["ylabel"],
        unit=opts["unit"],
        decimals=opts.get("decimals", 1),
        **_texts(spec),
    )
    claimed = comparison[["quote_id", "claimed", "holds"]].to_dict("records")
    return fig, (
        f"{opts['region']} {opts['column']}: {series.to_dict('records')}; claims {claimed}"
    )


def _dea_scores(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    if spec["analysis"] is not None:
        frame = data.dea_from_analysis(pd.read_csv(inputs["analysis"]), opts.get("period"))
    else:
        cells = _cells(spec, inputs)
        frame = data.dea_from_table(cells, label=opts["label"], columns=opts.get("columns"))
    return plots.plot_dea(frame, **_texts(spec)), f"{len(frame)} DMUs"


def _malmquist_by_dmu(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    cells = _cells(spec, inputs)
    frame = data.malmquist_from_table(cells, label=opts["label"], columns=opts.get("columns"))
    return plots.plot_malmquist_dmu(frame, **_texts(spec)), f"{len(frame)} DMUs"


def _malmquist_by_period(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    dmu = spec["options"].get("dmu")
    table = pd.read_csv(inputs["analysis"])
    frame = data.malmquist_of(table, dmu) if dmu else data.malmquist_periods(table)
    return plots.plot_malmquist_periods(frame, **_texts(spec)), f"{len(frame)} periods"


def _indicator_panels(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    panels = spec["options"]["panels"]
    frame = data.indicator_panels(
        _cells(spec, inputs), {k: p["columns"] for k, p in panels.items()}
    )
    fig = plots.plot_indicator_panels(
        frame, names={k: p["title"] for k, p in panels.items()}, **_texts(spec)
    )
    return fig, f"{len(frame)} values"


def _bar_panels(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    cells = _cells(spec, inputs)
    frame = pd.concat(
        [
            data.row_values(
                cells, opts["label"], panel["series"], number_by=opts.get("number_by")
            ).assign(panel=panel["title"])
            for panel in opts["panels"]
        ],
        ignore_index=True,
    )
    fig = plots.plot_bar_panels(
        frame,
        xlabel=opts["xlabel"],
        xlim=opts.get("xlim"),
        legend_title=opts.get("legend_title", ""),
        **_texts(spec),
    )
    return fig, f"{len(frame)} values"


def _bars_with_values(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    frame = data.row_values(
        _cells(spec, inputs),
        opts["label"],
        opts["series"],
        number_by=opts.get("number_by"),
        exclude_rows=opts.get("exclude_rows", []),
    )
    fig = plots.plot_bars_with_values(
        frame, xlabel=opts["xlabel"], legend_title=opts.get("legend_title", ""), **_texts(spec)
    )
    return fig, f"{len(frame)} values"


def _bars_with_reference(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    opts = spec["options"]
    reference = opts["reference"]
    cells = _cells(spec, inputs)
    frame = data.row_values(cells, opts["label"], opts["series"], number_by=opts.get("number_by"))
    (quote,) = _quote_ids(spec, [reference["quote"]])
    value = data.reference_value(
        cells, pd.read_parquet(inputs["quotes"]), quote, list(opts["series"].values())
    )
    fig = plots.plot_bars_with_reference(
        frame,
        value,
        xlabel=opts["xlabel"],
        reference_label=reference["label"].format(value=value),
        reference_gid=reference.get("name", "reference"),
        **_texts(spec),
    )
    return fig, f"{len(frame)} values; reference {quote} = {value}"


#: The plot kinds by the name a declaration gives in ``plot:``.
KINDS: dict[str, Callable[[Mapping[str, Any], Inputs], Drawn]] = {
    "panel_series": _panel_series,
    "dea_scores": _dea_scores,
    "malmquist_by_dmu": _malmquist_by_dmu,
    "malmquist_by_period": _malmquist_by_period,
    "indicator_panels": _indicator_panels,
    "bar_panels": _bar_panels,
    "bars_with_values": _bars_with_values,
    "bars_with_reference": _bars_with_reference,
}


def draw(spec: Mapping[str, Any], inputs: Inputs) -> Drawn:
    """Draw the declared figure ``spec`` (``FigureSpec.to_dict()``) from ``inputs``."""
    kind = KINDS.get(spec["plot"])
    if kind is None:
        raise ValueError(f"unknown plot kind {spec['plot']!r}; known: {sorted(KINDS)}")
    return kind(spec, inputs)
