"""Figures: one house style, a source line under every figure, and atomic PNG + SVG output.

Every figure of the pipeline goes through :func:`new_figure` (same fonts, colours, grid and
size rules) and :func:`save_figure` (both formats, each written to a temporary file and renamed
into place, so an interrupted job never leaves a figure that looks finished). The data
preparation lives in :mod:`sciteff.figures.data` and the plots in :mod:`sciteff.figures.plots`;
nothing here knows about Snakemake.
"""

from __future__ import annotations

import functools
import os
import textwrap
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from sciteff.core.io import write_atomic

#: Colours of the house style (colour-blind safe, Okabe-Ito).
PALETTE = {
    "official": "#0072B2",
    "claim": "#D55E00",
    "crste": "#0072B2",
    "vrste": "#E69F00",
    "scale": "#009E73",
    "effch": "#0072B2",
    "techch": "#D55E00",
    "pech": "#E69F00",
    "sech": "#009E73",
    "tfpch": "#000000",
    "grey": "#7F7F7F",
}
#: Colours for a sequence of years or groups (bars side by side).
SERIES_COLOURS = ["#9ECAE1", "#3182BD", "#08519C", "#E69F00", "#009E73"]

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "savefig.dpi": 150,
    "svg.fonttype": "none",
    "svg.hashsalt": "sciteff",
}

#: Name under which the source line is stored on the figure (so tests and callers find it).
SOURCE_GID = "sciteff-source"
#: Height reserved under the axes for the source line, in inches.
_SOURCE_BAND = 0.32


def new_figure(
    width: float = 7.0, height: float = 4.2, ncols: int = 1, nrows: int = 1, **kwargs: object
) -> tuple[Figure, Sequence[Axes]]:
    """A figure in the house style with ``nrows x ncols`` axes, returned flat.

    The style is applied through an rc context at creation, so the figure keeps it without
    changing matplotlib's global state for other code.
    """
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(width, height), squeeze=False, layout="constrained", **kwargs
        )
    return fig, list(axes.ravel())


P = ParamSpec("P")
R = TypeVar("R")


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """Run a plotting function inside the house style, so legends, annotations and texts
    created after the figure (which read matplotlib's settings when they are made) match."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with plt.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def wrap_source(text: str, width_inches: float) -> str:
    """``text`` with each line wrapped to fit ``width_inches`` at the source line's font size
    (about 17 characters per inch at 7 pt), so a long source never runs off the figure."""
    width = max(40, int(width_inches * 17))
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) or line
        for line in text.split("\n")
    )


def add_source_line(fig: Figure, text: str) -> Text:
    """Put ``text`` (a "Source: ..." line) under the axes, left-aligned, small and grey.
    Lines may be broken with newlines; :func:`finish` reserves room for them.

    Why: a figure copied out of the report must still say where its numbers come from.
    """
    if not text.strip():
        raise ValueError("a figure needs a non-empty source line")
    height = fig.get_figheight()
    label = fig.text(
        0.01,
        0.12 / height,
        wrap_source(text, fig.get_figwidth()),
        ha="left",
        va="bottom",
        fontsize=7,
        color="#555555",
    )
    label.set_gid(SOURCE_GID)
    return label


def finish(fig: Figure, source: str, title: str | None = None) -> Figure:
    """Title (optional), source line, and a layout that leaves room for both."""
    if title:
        fig.suptitle(title, fontsize=11, fontweight="bold", x=0.01, ha="left")
    label = add_source_line(fig, source)
    height = fig.get_figheight()
    bottom = (_SOURCE_BAND + 0.13 * label.get_text().count("\n")) / height
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0, bottom, 1, 1 - bottom))  # left, bottom, width, height
    return fig


def source_line(fig: Figure) -> str:
    """The text of the figure's source line ("" if it has none)."""
    for text in fig.texts:
        if text.get_gid() == SOURCE_GID:
            return text.get_text()
    return ""


def save_figure(fig: Figure, png: str | os.PathLike[str], svg: str | os.PathLike[str]) -> None:
    """Write ``fig`` as PNG and SVG, each atomically (temporary file, then rename).

    SVG output is made reproducible (fixed hash salt, no date), so a rerun on the same data
    writes the same bytes.
    """
    with plt.rc_context(STYLE):
        write_atomic(png, lambda tmp: fig.savefig(tmp, format="png", metadata={"Software": None}))
        write_atomic(svg, lambda tmp: fig.savefig(tmp, format="svg", metadata={"Date": None}))


def close(fig: Figure) -> None:
    """Release a figure's memory (scripts make several in one process)."""
    plt.close(fig)
