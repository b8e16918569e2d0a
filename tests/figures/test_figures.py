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
from sciteff.figures.style import close, save_figure, source_line
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
    assert claims["figure_id"].tolist() == ["seed000-t009", "seed000-t001"]
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
            "figure_id": ["x"],
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


def test_indicator_panels_seed002():
    frame = fd.indicator_panels(table("seed002", "table1"))
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


def test_seed003_preparation(claims003):
    rates = fd.conversion_rates(table("seed003", "table3"))
    assert len(rates) == 13 * 4
    row12 = rates[(rates["print_row"] == 12) & (rates["year"] == 2022)]
    assert row12.set_index("measure")["rate"].to_dict() == {"by count": 71.1, "by amount": 83.1}
    assert row12["institution"].iloc[0] == "Dalian Institute of Chemical Physics"

    volumes = fd.field_volumes(table("seed003", "table2"))
    assert len(volumes) == 11 * 3 and "Total" not in set(volumes["field"])
    assert volumes.set_index(["field", "year"]).loc[("agriculture", 2023), "volume"] == 0.3

    averages, national = fd.average_contracts(table("seed003", "table5"), claims003, "seed003-t028")
    assert national == 40.15
    assert averages["avg_contract_amount"].iloc[0] == 292.4
    assert averages["avg_contract_amount_local"].iloc[-1] == 65.5
    with pytest.raises(ValueError, match="items"):
        fd.average_contracts(table("seed003", "table5"), claims003, "seed003-t031")


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
    frame = fd.indicator_panels(table("seed002", "table1"))
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
    rates = fd.conversion_rates(table("seed003", "table3"))
    fig = fp.plot_conversion_rates(rates, title="T (labels as printed in Table 3)", source=SOURCE)
    assert len(fig.axes) == 2
    assert sum(len(ax.patches) for ax in fig.axes) == 2 * 13 * 2
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == labels[11].replace("12.", "1.")  # the label printed twice, kept twice
    assert all("%" in ax.get_xlabel() for ax in fig.axes)
    close(fig)

    volumes = fd.field_volumes(table("seed003", "table2"))
    fig = fp.plot_field_volumes(
        volumes, title="T", source=SOURCE, xlabel="Volume (100 million yuan)"
    )
    assert len(bars(fig, "2023")) == 11 and len(fig.axes[0].patches) == 33
    close(fig)

    averages, national = fd.average_contracts(table("seed003", "table5"), claims003, "seed003-t028")
    fig = fp.plot_average_contracts(
        averages,
        national,
        title="T",
        source=SOURCE,
        xlabel="Average contract amount (thousand RMB, as printed)",
        national_label="National",
    )
    assert len(fig.axes[0].patches) == 26
    (line,) = lines(fig, "national")
    assert list(line.get_xdata()) == [40.15, 40.15]
    assert "thousand RMB" in fig.axes[0].get_xlabel()
    assert source_line(fig) == SOURCE
    close(fig)


def test_the_table3_figure_title_says_the_labels_are_as_printed():
    rules = (ROOT / "workflow" / "rules" / "figures.smk").read_text(encoding="utf-8")
    assert "(labels as printed in Table 3)" in rules


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
