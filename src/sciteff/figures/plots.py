"""The plots: tidy frames (from :mod:`sciteff.figures.data`) in, a styled Figure out.

Every function here draws one figure in the house style of :mod:`sciteff.figures.style`, with
units on the value axis and a source line, and returns it unsaved (the caller saves it with
:func:`sciteff.figures.style.save_figure`). Marks carry a ``gid`` ("official", "claim", a score
name, ...) so tests can count what was drawn without parsing pixels.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from sciteff.figures.data import DEA_SCORES, MALMQUIST_INDICES
from sciteff.figures.style import PALETTE, SERIES_COLOURS, finish, new_figure, styled

#: Legend names of the DEA scores and Malmquist indices (DEAP's abbreviations explained).
SCORE_NAMES = {
    "crste": "crste (efficiency, CRS)",
    "vrste": "vrste (pure technical eff., VRS)",
    "scale": "scale (scale efficiency)",
    "effch": "effch (efficiency change)",
    "techch": "techch (technical change)",
    "pech": "pech (pure efficiency change)",
    "sech": "sech (scale efficiency change)",
    "tfpch": "tfpch (total factor productivity change)",
}


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def hbar_groups(
    ax: Axes,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    colours: Sequence[str],
    gids: Sequence[str] | None = None,
    bar_height: float = 0.8,
    value_format: str | None = None,
) -> None:
    """Horizontal grouped bars: one group per label (first label on top), one bar per series.

    Each series' bars carry the series name as legend label and as ``gid`` (or ``gids[i]``);
    with ``value_format`` (e.g. ``"{:g}"``) each bar's value is written at its end, so bars
    too short to see still show their number.
    """
    n = len(labels)
    k = len(series)
    y = np.arange(n)
    height = bar_height / k
    for i, (name, values) in enumerate(series.items()):
        offset = (i - (k - 1) / 2) * height
        bars = ax.barh(y + offset, list(values), height=height * 0.92, color=colours[i], label=name)
        for bar in bars:
            bar.set_gid(gids[i] if gids else name)
        if value_format:
            ax.bar_label(
                bars, labels=[value_format.format(v) for v in values], padding=2, fontsize=6.5
            )
    ax.set_yticks(y, [_wrap(lbl) for lbl in labels])
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(axis="y", visible=False)


# --- a region's official series with the claims of a text ------------------------------------


@styled
def plot_series_with_claims(
    series: pd.DataFrame,
    comparison: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    unit: str,
    source: str,
    decimals: int = 1,
) -> Figure:
    """The official series as bars (value at each bar's foot) with each text claim over it.

    A one-year claim is a diamond at the claimed value labelled with claim and official value;
    a claim about a span of years is a dashed line across those years, labelled with the
    official range. Why: the paper's own figures are lost, only its sentences about them
    survive, so the figure shows where those sentences and the yearbook disagree.
    """
    fig, (ax,) = new_figure(7.2, 4.4)
    years = series["year"].to_numpy()
    values = series["value"].to_numpy()
    bars = ax.bar(years, values, width=0.62, color=PALETTE["official"], label="Official series")
    for bar, value in zip(bars, values, strict=True):
        bar.set_gid("official")
        ax.annotate(
            _number(value, decimals),
            (bar.get_x() + bar.get_width() / 2, 0),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="white",
            fontweight="bold",
        )
    top = float(values.max())
    for i, (_, claim) in enumerate(comparison.iterrows()):
        top = max(top, float(claim["claimed"]))
        _draw_claim(ax, claim, unit, decimals, slot=i)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, top * 1.45)
    ax.yaxis.set_major_formatter("{x:,.0f}" if decimals == 0 else "{x:,g}")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    return finish(fig, source, title)


def _draw_claim(ax: Axes, claim: pd.Series, unit: str, decimals: int, slot: int = 0) -> None:
    """One claim: a diamond (one year) or dashed line (span), and a label in the top right
    corner (``slot`` stacks several) joined to it, clear of the bars."""
    start, end, value = int(claim["year_start"]), int(claim["year_end"]), float(claim["claimed"])
    words = {"more_than": "more than ", "over": "over ", "at_least": "at least "}
    claimed_text = f"{words.get(claim['qualifier'], '')}{value:g} {unit}"
    status = "" if claim["holds"] else " (claim not borne out)"
    style = {"color": PALETTE["claim"], "label": "Claim in the paper's text", "zorder": 5}
    if start == end:
        (mark,) = ax.plot(
            [start],
            [value],
            marker="D",
            markersize=8,
            linestyle="none",
            markeredgecolor="white",
            **style,
        )
        anchor = (start, value)
        official = _number(float(claim["official_at"]), decimals)
        text = f"Paper's text ({start}): {claimed_text}\nOfficial ({start}): {official} {unit}"
    else:
        (mark,) = ax.plot(
            [start - 0.4, end + 0.4], [value, value], linestyle="--", linewidth=1.6, **style
        )
        anchor = (end + 0.4, value)
        low = _number(float(claim["official_min"]), decimals)
        high = _number(float(claim["official_max"]), decimals)
        text = (
            f"Paper's text ({start}-{end}): {claimed_text}\n"
            f"Official {start}-{end}: {low} to {high} {unit}"
        )
    mark.set_gid("claim")
    ax.annotate(
        text + status,
        anchor,
        xytext=(0.99, 0.98 - 0.13 * slot),
        textcoords="axes fraction",
        ha="right",
        va="top",
        fontsize=8,
        color=PALETTE["claim"],
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": PALETTE["claim"], "lw": 0.6},
        arrowprops={"arrowstyle": "-", "color": PALETTE["claim"], "lw": 0.8},
    )


# --- DEA and Malmquist -------------------------------------------------------------------------


@styled
def plot_dea(frame: pd.DataFrame, *, title: str, source: str) -> Figure:
    """crste / vrste / scale per DMU as grouped horizontal bars, in print order (first on top),
    with each row's returns-to-scale mark (irs / drs / - as printed) in a column on the right.
    """
    n = len(frame)
    fig, (ax,) = new_figure(7.2, 1.3 + 0.3 * n)
    series = {SCORE_NAMES[s]: frame[s].to_numpy() for s in DEA_SCORES}
    colours = [PALETTE[s] for s in DEA_SCORES]
    hbar_groups(ax, list(frame["dmu"]), series, colours, gids=DEA_SCORES)
    ax.set_xlim(0, 1.0)
    ax.set_xlabel("Efficiency score (dimensionless, 0-1; 1 = on the frontier)")
    marks = blended_transform_factory(ax.transAxes, ax.transData)
    ax.text(1.04, -0.6, "RTS", transform=marks, ha="center", va="bottom", fontweight="bold")
    for i, (rts, is_mean) in enumerate(zip(frame["rts"], frame["is_mean"], strict=True)):
        label = ax.text(1.04, i, rts if rts else "", transform=marks, ha="center", va="center")
        label.set_gid("rts")
        if is_mean:
            ax.get_yticklabels()[i].set_fontweight("bold")
            ax.axhline(i - 0.5, color=PALETTE["grey"], linewidth=0.6)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, borderaxespad=1.6)
    source = f"{source}\nRTS: irs increasing, drs decreasing, - (or _) constant returns to scale."
    return finish(fig, source, title)


@styled
def plot_malmquist_dmu(frame: pd.DataFrame, *, title: str, source: str) -> Figure:
    """The five Malmquist indices per DMU as dodged dots, print order, reference line at 1
    (above 1: improvement, below: decline)."""
    n = len(frame)
    fig, (ax,) = new_figure(7.2, 1.6 + 0.34 * n)
    y = np.arange(n)
    step = 0.14
    for i, index in enumerate(MALMQUIST_INDICES):
        offset = (i - 2) * step
        (dots,) = ax.plot(
            frame[index].to_numpy(),
            y + offset,
            marker="os^vD"[i],
            markersize=5,
            linestyle="none",
            color=PALETTE[index],
            label=SCORE_NAMES[index],
        )
        dots.set_gid(index)
    ax.axvline(1.0, color="#333333", linewidth=1, zorder=1)
    ax.set_yticks(y, list(frame["dmu"]))
    ax.set_ylim(n - 0.5, -0.5)
    for i, is_mean in enumerate(frame["is_mean"]):
        ax.axhline(i + 0.5, color="#EEEEEE", linewidth=0.6, zorder=0)
        if is_mean:
            ax.get_yticklabels()[i].set_fontweight("bold")
            ax.axhline(i - 0.5, color=PALETTE["grey"], linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Index value (dimensionless; 1 = no change)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45 / n - 0.08), ncols=2)
    return finish(fig, source, title)


@styled
def plot_malmquist_periods(frame: pd.DataFrame, *, title: str, source: str) -> Figure:
    """The five Malmquist indices over adjacent-period pairs as lines, reference line at 1.

    ``period`` is the later year of each pair; the axis shows the pair ("2016-17")."""
    fig, (ax,) = new_figure(7.2, 5.0)
    periods = frame["period"].to_numpy()
    for i, index in enumerate(MALMQUIST_INDICES):
        (line,) = ax.plot(
            periods,
            frame[index].to_numpy(),
            marker="os^vD"[i],
            markersize=5,
            linewidth=2.2 if index == "tfpch" else 1.3,
            color=PALETTE[index],
            label=SCORE_NAMES[index],
        )
        line.set_gid(index)
    ax.axhline(1.0, color="#333333", linewidth=1, zorder=1)
    ax.set_xticks(periods, [f"{p - 1}-{str(p)[-2:]}" for p in periods])
    ax.set_xlabel("Period (year t-1 to year t)")
    ax.set_ylabel("Index value (dimensionless; 1 = no change)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)
    return finish(fig, source, title)


# --- small multiples of a table printed wide by period ---------------------------------------


@styled
def plot_indicator_panels(
    frame: pd.DataFrame, *, title: str, source: str, names: dict[str, str] | None = None
) -> Figure:
    """Small multiples, one panel per indicator: grouped bars per row label, one bar per
    period, each panel's axis labelled with its unit (declared, and as printed)."""
    indicators = list(dict.fromkeys(frame["indicator"]))
    fig, axes = new_figure(3.0 * len(indicators), 4.4, ncols=len(indicators))
    names = names or {}
    for ax, indicator in zip(axes, indicators, strict=True):
        rows = frame[frame["indicator"] == indicator]
        labels = list(dict.fromkeys(rows["row_label"]))
        periods = list(dict.fromkeys(rows["period"]))
        x = np.arange(len(labels))
        width = 0.8 / len(periods)
        for j, period in enumerate(periods):
            values = rows[rows["period"] == period].set_index("row_label")["value"]
            bars = ax.bar(
                x + (j - (len(periods) - 1) / 2) * width,
                values.reindex(labels).to_numpy(),
                width=width * 0.92,
                color=SERIES_COLOURS[1 + j],
                label=str(period),
            )
            for bar in bars:
                bar.set_gid(indicator)
        unit = rows["unit"].iloc[0]
        printed = rows["printed_unit"].iloc[0]
        same = not printed or printed.rstrip("s") == unit.rstrip("s")
        ax.set_ylabel(unit if same else f"{unit} (printed: {printed})")
        ax.set_title(names.get(indicator, indicator), fontsize=9.5)
        ax.set_xticks(x, labels, rotation=30, ha="right", rotation_mode="anchor")
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_formatter("{x:,.0f}")
    axes[0].legend(title="Year", loc="upper left")
    return finish(fig, source, title)


# --- bars per table row ------------------------------------------------------------------------


def _colours(palette: Sequence[str], k: int) -> list[str]:
    """The first ``k`` colours of a plot kind's palette (more series than colours: an error)."""
    if k > len(palette):
        raise ValueError(f"at most {len(palette)} series can be drawn here, not {k}")
    return list(palette[:k])


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates("row").sort_values("row")


def _series_of(frame: pd.DataFrame, rows: pd.DataFrame) -> dict[str, pd.Series]:
    names = list(dict.fromkeys(frame["series"]))
    return {
        name: frame[frame["series"] == name].set_index("row")["value"].reindex(rows["row"])
        for name in names
    }


#: Bar colours of the row-bar kinds, in series order.
PANEL_COLOURS = SERIES_COLOURS[1:]
VALUE_COLOURS = SERIES_COLOURS
REFERENCE_COLOURS = [SERIES_COLOURS[1], SERIES_COLOURS[3], SERIES_COLOURS[4]]


@styled
def plot_bar_panels(
    frame: pd.DataFrame,
    *,
    title: str,
    source: str,
    xlabel: str,
    xlim: Sequence[float] | None = None,
    legend_title: str = "",
) -> Figure:
    """Horizontal grouped bars per table row, one panel per ``panel`` of the frame (rows shared,
    in print order), one bar per series (e.g. per year), as from
    :func:`sciteff.figures.data.row_values` with a ``panel`` column added."""
    panels = list(dict.fromkeys(frame["panel"]))
    rows = _rows(frame)
    labels = list(rows["label"])
    fig, axes = new_figure(9.0, 1.6 + 0.42 * len(labels), ncols=len(panels), sharey=True)
    for ax, panel in zip(axes, panels, strict=True):
        series = _series_of(frame[frame["panel"] == panel], rows)
        hbar_groups(ax, labels, series, _colours(PANEL_COLOURS, len(series)))
        ax.set_title(panel, fontsize=9.5)
        ax.set_xlabel(xlabel)
        if xlim is not None:
            ax.set_xlim(*xlim)
    axes[-1].legend(title=legend_title or None, loc="upper right")
    return finish(fig, source, title)


@styled
def plot_bars_with_values(
    frame: pd.DataFrame, *, title: str, source: str, xlabel: str, legend_title: str = ""
) -> Figure:
    """Horizontal grouped bars per table row (print order) with each bar's value written at its
    end, so bars too short to see still show their number."""
    rows = _rows(frame)
    labels = list(rows["label"])
    fig, (ax,) = new_figure(8.0, 1.6 + 0.45 * len(labels))
    series = _series_of(frame, rows)
    hbar_groups(ax, labels, series, _colours(VALUE_COLOURS, len(series)), value_format="{:g}")
    ax.set_xlim(0, float(frame["value"].max()) * 1.08)
    ax.set_xlabel(xlabel)
    ax.legend(title=legend_title or None, loc="lower right")
    return finish(fig, source, title)


@styled
def plot_bars_with_reference(
    frame: pd.DataFrame,
    reference: float,
    *,
    title: str,
    source: str,
    xlabel: str,
    reference_label: str,
    reference_gid: str = "reference",
) -> Figure:
    """Horizontal grouped bars per table row against a reference value quoted in the text (a
    dashed vertical line, ``gid`` ``reference_gid``: its id in the SVG), all on one axis in the
    table's unit."""
    rows = _rows(frame)
    labels = list(rows["label"])
    fig, (ax,) = new_figure(8.5, 1.8 + 0.42 * len(labels))
    series = _series_of(frame, rows)
    hbar_groups(ax, labels, series, _colours(REFERENCE_COLOURS, len(series)))
    line = ax.axvline(reference, color=PALETTE["claim"], linestyle="--", linewidth=1.4)
    line.set_gid(reference_gid)
    line.set_label(reference_label)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower right")
    return finish(fig, source, title)
