"""Panel ingest: the real province panel, and located errors for each defect."""

from __future__ import annotations

import shutil

import pytest

from sciteff.core.errors import InputError
from sciteff.ingest.panels import load_panel_spec, read_panel, year_files

PANEL = "raw_data/panels/china_provinces"


@pytest.fixture
def spec(root):
    return load_panel_spec(root / PANEL / "dataset.yaml")


def test_real_panel_loads_every_row(root, spec):
    files = year_files(root / PANEL)
    panel = read_panel(files, spec)
    raw_rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
    assert len(panel) == raw_rows  # nothing dropped
    assert panel.groupby("year").size().eq(32).all()  # 31 provinces + national row each year
    liaoning = panel[(panel.region == "Liaoning") & (panel.year == 2020)].iloc[0]
    # 2020.csv prints 5490052.0 (ten thousand yuan) and 72.71 (100 million yuan)
    assert liaoning.rd_internal_exp == 54_900_520_000.0
    assert liaoning.fiscal_st_exp == 7_271_000_000.0
    assert liaoning.patents_granted == 60185.0
    assert liaoning.source_file.endswith("2020.csv")
    assert panel[panel.is_aggregate].region.unique().tolist() == ["China (national)"]


def test_missing_values_stay_missing(root, spec):
    panel = read_panel(year_files(root / PANEL), spec)
    tibet = panel[(panel.region == "Tibet") & (panel.year == 2018)].iloc[0]
    assert tibet.hitech_newproduct_sales != tibet.hitech_newproduct_sales  # NaN, not 0


def _copy(root, tmp_path):
    target = tmp_path / "panel"
    shutil.copytree(root / PANEL, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "message"),
    [
        ("辽宁,2020,72.71", "辽宁,2019,72.71", None, "year", "year '2019' in a file named"),
        ("辽宁,2020,72.71", "辽东,2020,72.71", None, "province", "unknown region"),
        ("辽宁,2020,72.71", "辽宁,2020,-72.71", None, "fiscal_st_exp_100m_yuan", "non-negative"),
        ("辽宁,2020,72.71", "辽宁,2020,7x", None, "fiscal_st_exp_100m_yuan", "cannot parse"),
    ],
)
def test_bad_cells_are_located(root, spec, tmp_path, old, new, row, column, message):
    folder = _copy(root, tmp_path)
    path = folder / "2020.csv"
    _edit(path, old, new)
    expected_row = next(
        i for i, line in enumerate(path.read_text().splitlines()) if line.startswith(new)
    )
    with pytest.raises(InputError, match=message) as err:
        read_panel(year_files(folder), spec)
    assert err.value.file.endswith("2020.csv")
    assert (err.value.row, err.value.column) == (expected_row, column)


def test_duplicate_region(root, spec, tmp_path):
    folder = _copy(root, tmp_path)
    path = folder / "2021.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(InputError, match="appears twice"):
        read_panel(year_files(folder), spec)


def test_missing_column(root, spec, tmp_path):
    folder = _copy(root, tmp_path)
    _edit(folder / "2016.csv", "patents_granted,", "patents,")
    with pytest.raises(InputError, match="missing column") as err:
        read_panel(year_files(folder), spec)
    assert err.value.column == "patents_granted"


def test_badly_named_year_file(root, tmp_path):
    folder = _copy(root, tmp_path)
    shutil.copy(folder / "2020.csv", folder / "latest.csv")
    with pytest.raises(InputError, match=r"named <year>\.csv"):
        year_files(folder)
