"""Figures: data preparation against hand-picked published and official values, what each plot
draws (bars, points, series, units, source line), and atomic PNG + SVG output."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from conftest import ROOT
from matplotlib.lines import Line2D

from sciteff.figures import data as fd
from sciteff.figures import plots as fp
from sciteff.figures.kinds import draw
from sciteff.figures.spec import load_figures
from sciteff.figures.style import close, save_figure, source_line
from sciteff.ingest.corrections import apply_corrections, load_corrections
from sciteff.ingest.panels import load_panel_spec, read_panel
from sciteff.ingest.tables import ingest_quotes, ingest_table, load_table_spec

PAPERS = ROOT / "raw_data" / "papers"
PANEL = ROOT / "raw_data" / "panels" / "china_provinces"
SOURCE = "Source: test fixture; sciteff"


def table(paper: str, name: str) -> pd.DataFrame:
    """A transcribed table as ingested cells (what results/tables/<paper>/<name>.parquet holds)."""
    spec = load_table_spec(PAPERS / paper / f"{name}.yaml")
    return ingest_table(PAPERS / paper / f"{name}.csv", spec)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    spec = load_panel_spec(PANEL / "dataset.yaml")
    return read_panel([PANEL / f"{y}.csv" for y in range(2013, 2021)], spec)


@pytest.fixture(scope="module")
def claims000() -> pd.DataFrame:
    return ingest_quotes(PAPERS / "seed000" / "quotes.csv", paper="seed000")


@pytest.fixture(scope="module")
def claims003() -> pd.DataFrame:
    return ingest_quotes(PAPERS / "seed003" / "quotes.csv", paper="seed003")


def bars(fig, gid: str) -> list:
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]


def lines(fig, gid: str) -> list[Line2D]:
    return [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid]


# --- data preparation ---------------------------------------------------------------------------


def test_liaoning_fiscal_series_in_billion_yuan(panel):
    series = fd.region_series(panel, "Liaoning", "fiscal_st_exp", range(2016, 2021), "billion yuan")
    assert series["year"].tolist() == [2016, 2017, 2018, 2019, 2020]
    # dataset rows: 61.61, 57.382, 75.05, 74.03, 72.71 (100 million yuan)
    assert series["value"].tolist() == pytest.approx([6.161, 5.7382, 7.505, 7.403, 7.271])


def test_liaoning_rd_and_turnover_2020(panel):
    rd = fd.region_series(panel, "Liaoning", "rd_internal_exp", [2020], "billion yuan")
    turnover = fd.region_series(
        panel, "Liaoning", "tech_market_turnover_outflow", [2013, 2020], "billion yuan"
    )
    assert rd["value"].iloc[0] == pytest.approx(54.900516)
    assert turnover["value"].tolist() == pytest.approx([17.33775, 63.28126], rel=1e-6)


def test_region_series_refuses_gaps_and_unknowns(panel):
    with pytest.raises(ValueError, match="2012"):
        fd.region_series(panel, "Liaoning", "patents_granted", [2012, 2013], "items")
    with pytest.raises(KeyError, match="Atlantis"):
        fd.region_series(panel, "Atlantis", "patents_granted", [2013], "items")
    with pytest.raises(KeyError, match="no column"):
        fd.region_series(panel, "Liaoning", "gdp", [2013], "items")


def test_parse_period():
    assert fd.parse_period("2020") == (2020, 2020)
    assert fd.parse_period("2016-2020") == (2016, 2020)
    assert fd.parse_period("") is None
    with pytest.raises(ValueError):
        fd.parse_period("recent years")


def test_select_claims_by_id_in_order(claims000):
    claims = fd.select_claims(claims000, ["seed000-t009", "seed000-t001"])
    assert claims["quote_id"].tolist() == ["seed000-t009", "seed000-t001"]
    assert claims["value"].tolist() == [64.51, 7.0]
    assert claims["year_start"].tolist() == [2020, 2016]
    assert claims["year_end"].tolist() == [2020, 2020]
    with pytest.raises(KeyError, match="seed000-t999"):
        fd.select_claims(claims000, ["seed000-t999"])


def test_compare_claims_against_the_official_series(panel, claims000):
    fiscal = fd.region_series(panel, "Liaoning", "fiscal_st_exp", range(2016, 2021), "billion yuan")
    out = fd.compare_claims(fiscal, fd.select_claims(claims000, ["seed000-t001"]), "billion yuan")
    row = out.iloc[0]
    assert row["claimed"] == 7.0 and row["qualifier"] == "more_than"
    assert (row["official_min"], row["official_max"]) == pytest.approx((5.7382, 7.505))
    assert not row["holds"]  # 2016 and 2017 are below 7 billion

    rd = fd.region_series(panel, "Liaoning", "rd_internal_exp", range(2013, 2021), "billion yuan")
    out = fd.compare_claims(rd, fd.select_claims(claims000, ["seed000-t003"]), "billion yuan")
    assert out.iloc[0]["claimed"] == 46.0
    assert out.iloc[0]["official_at"] == pytest.approx(54.900516)
    assert not out.iloc[0]["holds"]


def test_compare_claims_accepts_a_true_claim_and_refuses_missing_years():
    series = pd.DataFrame({"year": [2019, 2020], "value": [8.0, 9.0]})
    claim = pd.DataFrame(
        {
            "quote_id": ["x"],
            "quote": ["q"],
            "qualifier": ["more_than"],
            "canonical_value": [7e9],
            "year_start": pd.array([2019], dtype="Int64"),
            "year_end": pd.array([2020], dtype="Int64"),
        }
    )
    assert fd.compare_claims(series, claim, "billion yuan").iloc[0]["holds"]
    claim["year_start"] = pd.array([2018], dtype="Int64")
    with pytest.raises(ValueError, match="2018"):
        fd.compare_claims(series, claim, "billion yuan")


def test_dea_from_published_table_keeps_print_order_and_marks():
    frame = fd.dea_from_table(table("seed000", "table2"))
    assert len(frame) == 32
    assert frame["dmu"].iloc[0] == "Beijing" and frame["dmu"].iloc[16] == "Hubei"
    liaoning = frame.set_index("dmu").loc["Liaoning"]
    assert (liaoning["crste"], liaoning["vrste"], liaoning["scale"]) == (0.981, 0.994, 0.987)
    assert liaoning["rts"] == "drs"
    assert frame.set_index("dmu").loc["Xinjiang", "rts"] == "_"
    assert frame["is_mean"].tolist() == [False] * 31 + [True]


def test_dea_from_analysis_needs_a_period_when_there_are_several():
    dea = pd.DataFrame(
        {
            "period": [2019, 2020],
            "dmu": ["A", "A"],
            "crste": [0.5, 0.6],
            "vrste": [1.0, 1.0],
            "scale": [0.5, 0.6],
            "rts": ["irs", None],
        }
    )
    with pytest.raises(ValueError, match="say which"):
        fd.dea_from_analysis(dea)
    frame = fd.dea_from_analysis(dea, 2020)
    assert frame["crste"].tolist() == [0.6] and frame["rts"].tolist() == [""]


def test_malmquist_preparation():
    frame = fd.malmquist_from_table(table("seed000", "table4"))
    assert len(frame) == 15 and frame["is_mean"].iloc[-1]
    assert frame.set_index("dmu").loc["Jinzhou", "effch"] == 1.904
    annual = pd.DataFrame(
        {"period": ["2018", "2017", "mean"], **{i: [1.1, 0.9, 1.0] for i in fd.MALMQUIST_INDICES}}
    )
    periods = fd.malmquist_periods(annual)
    assert periods["period"].tolist() == [2017, 2018]
    with pytest.raises(KeyError, match="Liaoning"):
        fd.malmquist_of(pd.DataFrame({"dmu": ["A"], "period": [2017]}), "Liaoning")


SEED002_PANELS = {
    name: [f"{name}_2015", f"{name}_2016"]
    for name in ("rd_personnel", "rd_expenditure", "patents_granted")
}


def test_indicator_panels_seed002():
    frame = fd.indicator_panels(table("seed002", "table1"), SEED002_PANELS)
    assert len(frame) == 24
    assert list(dict.fromkeys(frame["indicator"])) == [
        "rd_personnel",
        "rd_expenditure",
        "patents_granted",
    ]
    jiangsu = frame[(frame["row_label"] == "Jiangsu") & (frame["period"] == "2016")]
    assert jiangsu.set_index("indicator")["value"].to_dict() == {
        "rd_personnel": 117.0,
        "rd_expenditure": 2026.87,
        "patents_granted": 231033.0,
    }
    assert set(frame["unit"]) == {"ten thousand persons", "100 million yuan", "items"}


RATE_PANELS = {
    "by count": {"2022": "n_rate_2022", "2023": "n_rate_2023"},
    "by amount": {"2022": "amt_rate_2022", "2023": "amt_rate_2023"},
}
VOLUMES = {y: f"volume_{y}" for y in ("2021", "2022", "2023")}
AVERAGES = {"all": "avg_contract_amount", "local": "avg_contract_amount_local"}


def rates(cells: pd.DataFrame) -> pd.DataFrame:
    """seed003 Table 3's rates as the bar_panels kind prepares them (one panel per measure)."""
    return pd.concat(
        [
            fd.row_values(cells, "institution", series, number_by="print_row").assign(panel=p)
            for p, series in RATE_PANELS.items()
        ],
        ignore_index=True,
    )


def test_seed003_preparation(claims003):
    frame = rates(table("seed003", "table3"))
    assert len(frame) == 13 * 4
    row12 = frame[(frame["row"] == 11) & (frame["series"] == "2022")]
    assert row12.set_index("panel")["value"].to_dict() == {"by count": 71.1, "by amount": 83.1}
    assert row12["label"].iloc[0] == "12. Dalian Institute of Chemical Physics"

    volumes = fd.row_values(
        table("seed003", "table2"), "technical_field", VOLUMES, exclude_rows=["Total"]
    )
    assert len(volumes) == 11 * 3 and "Total" not in set(volumes["label"])
    assert volumes.set_index(["label", "series"]).loc[("agriculture", "2023"), "value"] == 0.3

    cells = table("seed003", "table5")
    averages = fd.row_values(cells, "institution", AVERAGES, number_by="print_row")
    by_series = averages.pivot(index="row", columns="series", values="value")
    assert by_series["all"].iloc[0] == 292.4
    assert by_series["local"].iloc[-1] == 65.5
    national = fd.reference_value(cells, claims003, "seed003-t028", list(AVERAGES.values()))
    assert national == 40.15
    with pytest.raises(ValueError, match="items"):
        fd.reference_value(cells, claims003, "seed003-t031", list(AVERAGES.values()))


def test_row_values_refuse_unknown_columns():
    with pytest.raises(KeyError, match="no_such"):
        fd.row_values(table("seed003", "table2"), "technical_field", {"x": "no_such"})


def test_published_tables_may_name_columns_differently():
    cells = table("seed000", "table2")
    renamed = cells.assign(column=cells["column"].replace({"crste": "te_crs"}))
    frame = fd.dea_from_table(renamed, columns={"crste": "te_crs"})
    assert frame["crste"].tolist() == fd.dea_from_table(cells)["crste"].tolist()
    with pytest.raises(KeyError, match="crste"):
        fd.dea_from_table(renamed)


def test_numbered_labels_keep_duplicates_apart():
    labels = fd.numbered_labels(["A", "B", "A"], [1, 2, 3])
    assert labels == ["1. A", "2. B", "3. A"]


# --- plots --------------------------------------------------------------------------------------


def test_series_with_claims_figure(panel, claims000):
    series = fd.region_series(
        panel, "Liaoning", "rd_internal_exp", range(2013, 2021), "billion yuan"
    )
    claims = fd.select_claims(claims000, ["seed000-t003"])
    fig = fp.plot_series_with_claims(
        series,
        fd.compare_claims(series, claims, "billion yuan"),
        title="R&D",
        ylabel="R&D internal expenditure (billion yuan)",
        unit="billion yuan",
        source=SOURCE,
    )
    (ax,) = fig.axes
    assert len(bars(fig, "official")) == 8
    (claim,) = lines(fig, "claim")
    assert list(claim.get_xdata()) == [2020] and list(claim.get_ydata()) == [46.0]
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "46 billion yuan" in notes and "54.9 billion yuan" in notes
    assert "billion yuan" in ax.get_ylabel()
    assert source_line(fig) == SOURCE
    close(fig)


def test_span_claim_is_a_line_across_its_years(panel, claims000):
    series = fd.region_series(panel, "Liaoning", "fiscal_st_exp", range(2016, 2021), "billion yuan")
    claims = fd.select_claims(claims000, ["seed000-t001"])
    fig = fp.plot_series_with_claims(
        series,
        fd.compare_claims(series, claims, "billion yuan"),
        title="Fiscal",
        ylabel="(billion yuan)",
        unit="billion yuan",
        source=SOURCE,
        decimals=2,
    )
    (claim,) = lines(fig, "claim")
    assert list(claim.get_ydata()) == [7.0, 7.0]
    assert claim.get_xdata()[0] < 2016 and claim.get_xdata()[1] > 2020
    assert "5.74 to 7.50" in " ".join(t.get_text() for t in fig.axes[0].texts)
    close(fig)


def test_dea_figure():
    frame = fd.dea_from_table(table("seed000", "table3"))
    fig = fp.plot_dea(frame, title="DEA", source=SOURCE)
    for score in fd.DEA_SCORES:
        assert len(bars(fig, score)) == 15
    rts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "rts"]
    assert rts == frame["rts"].tolist()
    assert "score" in fig.axes[0].get_xlabel()
    assert source_line(fig).startswith(SOURCE)
    close(fig)


def test_malmquist_figures():
    frame = fd.malmquist_from_table(table("seed000", "table4"))
    fig = fp.plot_malmquist_dmu(frame, title="M", source=SOURCE)
    for index in fd.MALMQUIST_INDICES:
        (dots,) = lines(fig, index)
        assert len(dots.get_xdata()) == 15
    assert any(list(ln.get_xdata()) == [1.0, 1.0] for ln in fig.axes[0].get_lines())
    assert "dimensionless" in fig.axes[0].get_xlabel()
    assert source_line(fig) == SOURCE
    close(fig)

    periods = pd.DataFrame(
        {"period": [2017, 2018, 2019], **{i: [1.0, 1.1, 0.9] for i in fd.MALMQUIST_INDICES}}
    )
    fig = fp.plot_malmquist_periods(periods, title="M", source=SOURCE)
    assert all(len(lines(fig, i)[0].get_xdata()) == 3 for i in fd.MALMQUIST_INDICES)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "2016-17",
        "2017-18",
        "2018-19",
    ]
    assert "dimensionless" in fig.axes[0].get_ylabel()
    close(fig)


def test_indicator_panels_figure():
    frame = fd.indicator_panels(table("seed002", "table1"), SEED002_PANELS)
    fig = fp.plot_indicator_panels(frame, title="T", source=SOURCE)
    assert len(fig.axes) == 3
    for indicator in ("rd_personnel", "rd_expenditure", "patents_granted"):
        assert len(bars(fig, indicator)) == 8
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "ten thousand persons",
        "100 million yuan",
        "items (printed: piece)",
    ]
    assert source_line(fig) == SOURCE
    close(fig)


def test_seed003_figures(claims003):
    fig = fp.plot_bar_panels(
        rates(table("seed003", "table3")),
        title="T",
        source=SOURCE,
        xlabel="Share (%)",
        xlim=(0, 100),
        legend_title="Year",
    )
    assert len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["by count", "by amount"]
    assert sum(len(ax.patches) for ax in fig.axes) == 2 * 13 * 2
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == labels[11].replace("12.", "1.")  # the label printed twice, kept twice
    assert all("%" in ax.get_xlabel() for ax in fig.axes)
    assert fig.axes[0].get_xlim() == (0, 100)
    close(fig)

    volumes = fd.row_values(
        table("seed003", "table2"), "technical_field", VOLUMES, exclude_rows=["Total"]
    )
    fig = fp.plot_bars_with_values(
        volumes, title="T", source=SOURCE, xlabel="Volume (100 million yuan)"
    )
    assert len(bars(fig, "2023")) == 11 and len(fig.axes[0].patches) == 33
    assert "0.3" in [t.get_text() for t in fig.axes[0].texts]  # values written at the bars
    close(fig)

    cells = table("seed003", "table5")
    averages = fd.row_values(cells, "institution", AVERAGES, number_by="print_row")
    national = fd.reference_value(cells, claims003, "seed003-t028", list(AVERAGES.values()))
    fig = fp.plot_bars_with_reference(
        averages,
        national,
        title="T",
        source=SOURCE,
        xlabel="Average contract amount (thousand RMB, as printed)",
        reference_label="National",
        reference_gid="national",
    )
    assert len(fig.axes[0].patches) == 26
    (line,) = lines(fig, "national")
    assert list(line.get_xdata()) == [40.15, 40.15]
    assert "thousand RMB" in fig.axes[0].get_xlabel()
    assert source_line(fig) == SOURCE
    close(fig)


def test_too_many_series_for_a_palette_is_an_error():
    frame = pd.DataFrame(
        {"row": [0] * 6, "label": ["A"] * 6, "series": list("abcdef"), "value": [1.0] * 6}
    )
    with pytest.raises(ValueError, match="at most 5"):
        fp.plot_bars_with_values(frame, title="T", source=SOURCE, xlabel="x")


def test_the_table3_figure_title_says_the_labels_are_as_printed():
    (spec,) = [
        s
        for s in load_figures(PAPERS / "seed003" / "figures.yaml")
        if s.figure == "table3_conversion_rates"
    ]
    assert "(labels as printed in Table 3)" in spec.title


# --- saving -------------------------------------------------------------------------------------


def small_figure():
    series = pd.DataFrame({"year": [2019, 2020], "value": [1.0, 2.0]})
    empty = fd.compare_claims(series, pd.DataFrame(), "items")
    return fp.plot_series_with_claims(
        series, empty, title="T", ylabel="Count (items)", unit="items", source=SOURCE
    )


def test_save_writes_png_and_svg_reproducibly(tmp_path):
    fig = small_figure()
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    save_figure(fig, png, svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    first = svg.read_text(encoding="utf-8")
    assert "<svg" in first and "Source: test fixture" in first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "f.svg"]
    close(fig)
    again = small_figure()  # a rerun on the same data writes the same SVG
    save_figure(again, tmp_path / "g.png", tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_text(encoding="utf-8") == first
    close(again)


def test_save_is_atomic(tmp_path, monkeypatch):
    fig = small_figure()
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    svg.write_text("old", encoding="utf-8")
    real = fig.savefig

    def failing(target, format, **kwargs):
        if format == "svg":
            raise RuntimeError("disk full")
        return real(target, format=format, **kwargs)

    monkeypatch.setattr(fig, "savefig", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, png, svg)
    assert svg.read_text(encoding="utf-8") == "old"  # never half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "f.svg"]  # no temp left
    close(fig)


# --- plot kinds: a declaration and its files in, a figure out -------------------------------------


def test_declared_figure_draws_printed_or_corrected_cells(tmp_path, claims003):
    """seed003's Table 5 figure says "in the printed unit": drawn as printed it works; on the
    corrected cells (unit corrected to ten thousand yuan) the quoted national average, in
    thousand yuan, no longer shares the axis, which the kind refuses."""
    folder = PAPERS / "seed003"
    cells = apply_corrections(
        table("seed003", "table5"), load_corrections(folder / "corrections.yaml")
    )
    inputs = {"table": str(tmp_path / "table5.parquet"), "quotes": str(tmp_path / "q.parquet")}
    cells.to_parquet(inputs["table"])
    claims003.to_parquet(inputs["quotes"])
    (spec,) = [s for s in load_figures(folder / "figures.yaml") if s.figure.startswith("table5")]
    assert spec.options["cells"] == "printed"
    fig, summary = draw(spec.to_dict(), inputs)
    assert "seed003-t028 = 40.15" in summary
    (line,) = lines(fig, "national")
    assert list(line.get_xdata()) == [40.15, 40.15]
    close(fig)
    corrected = {**spec.to_dict(), "options": {**spec.options, "cells": "corrected"}}
    with pytest.raises(ValueError, match="ten thousand yuan"):
        draw(corrected, inputs)
    with pytest.raises(ValueError, match="unknown plot kind"):
        draw({**spec.to_dict(), "plot": "pie"}, inputs)
