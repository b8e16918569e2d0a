"""Panel ingest: the real province panel, and located errors for each defect."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.ingest.panels import load_panel_spec, read_panel, universe_drops, year_files

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
    lines = (root / PANEL / "2020.csv").read_text(encoding="utf-8").splitlines()
    assert lines[liaoning.source_line - 1].startswith("辽宁,2020,72.71")  # the editor's line
    assert panel.present.all() and panel.in_universe.all()
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
    ("old", "new", "column", "message"),
    [
        ("辽宁,2020,72.71", "辽宁,2019,72.71", "year", "year '2019' in a file named"),
        ("辽宁,2020,72.71", "辽宁,2020,-72.71", "fiscal_st_exp_100m_yuan", "non-negative"),
        ("辽宁,2020,72.71", "辽宁,2020,7x", "fiscal_st_exp_100m_yuan", "cannot parse '7x'"),
        # A European-locale export: "72,71" is 72.71 there, 7271 if the comma were dropped.
        ("辽宁,2020,72.71", '辽宁,2020,"72,71"', "fiscal_st_exp_100m_yuan", "7271.*72.71"),
        ("辽宁,2020,72.71", '辽宁,2020,"1,23,4"', "fiscal_st_exp_100m_yuan", "ambiguous"),
        ("辽宁,2020,72.71", "辽宁,2020,nan", "fiscal_st_exp_100m_yuan", "non-finite"),
    ],
)
def test_bad_cells_are_located(root, spec, tmp_path, old, new, column, message):
    folder = _copy(root, tmp_path)
    path = folder / "2020.csv"
    _edit(path, old, new)
    # The line an editor shows: the header is line 1.
    expected_line = next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.startswith(new)
    )
    with pytest.raises(InputError, match=message) as err:
        read_panel(year_files(folder), spec)
    assert err.value.file.endswith("2020.csv")
    assert (err.value.line, err.value.column) == (expected_line, column)
    assert f"line {expected_line}, column {column!r}" in str(err.value)


def test_valid_grouping_reads_as_plain_number(root, spec, tmp_path):
    folder = _copy(root, tmp_path)
    # Liaoning's total expenditure written with a thousands separator, as Excel exports it.
    text = (root / PANEL / "2020.csv").read_text(encoding="utf-8")
    liaoning = next(line for line in text.splitlines() if line.startswith("辽宁,"))
    cells = liaoning.split(",")
    total = cells[3]  # fiscal_total_exp_100m_yuan, e.g. 6002.47
    whole, _, frac = total.partition(".")
    assert len(whole) == 4  # the test needs a value with thousands
    grouped = f'"{whole[0]},{whole[1:]}.{frac}"' if frac else f'"{whole[0]},{whole[1:]}"'
    (folder / "2020.csv").write_text(
        text.replace(liaoning, ",".join([*cells[:3], grouped, *cells[4:]])), encoding="utf-8"
    )
    got = read_panel([folder / "2020.csv"], spec)
    want = read_panel([root / PANEL / "2020.csv"], spec)
    pd.testing.assert_frame_equal(got.drop(columns="source_file"), want.drop(columns="source_file"))


def test_unknown_region_is_kept_flagged_and_refused_by_analyses(root, spec, tmp_path):
    folder = _copy(root, tmp_path)
    _edit(folder / "2020.csv", "辽宁,2020,72.71", "辽东,2020,72.71")
    panel = read_panel([folder / "2020.csv"], spec)
    extra = panel[panel.dmu == "辽东"].iloc[0]
    assert not extra.in_universe and extra.present
    missing = panel[panel.dmu == "辽宁"].iloc[0]
    assert not missing.present and missing.source_line == 0
    with pytest.raises(InputError, match="has no row") as err:
        universe_drops(panel[~panel.is_aggregate], {})
    assert err.value.file.endswith("2020.csv") and err.value.column == "province"
    assert err.value.line == 34  # after the file's last line (header + 32 rows)


def test_declared_drop_is_listed_with_file_and_line(root, spec, tmp_path, caplog):
    folder = _copy(root, tmp_path)
    path = folder / "2020.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(x for x in lines if not x.startswith("辽宁,")) + "\n", "utf-8")
    panel = read_panel([path], spec)
    rows = panel[~panel.is_aggregate]
    with pytest.raises(InputError, match=r"辽宁 \(Liaoning\) has no row"):
        universe_drops(rows, {"Tibet": "not this one"})
    with caplog.at_level("WARNING"):
        kept, dropped = universe_drops(rows, {"Liaoning": "row deleted for the test"})
    assert len(kept) == 30 and "Liaoning" not in set(kept.region)
    assert dropped.to_dict("records") == [
        {
            "dmu": "Liaoning",
            "period": 2020,
            "reason": f"辽宁 (Liaoning) has no row in {path}; may_drop: row deleted for the test",
        }
    ]
    assert "dropped Liaoning 2020" in caplog.text


def test_universe_must_be_declared_regions(root, tmp_path):
    folder = _copy(root, tmp_path)
    _edit(folder / "dataset.yaml", "dmus: [北京,", "dmus: [北平,")
    with pytest.raises(InputError, match="'北平'") as err:
        load_panel_spec(folder / "dataset.yaml")
    assert err.value.line is not None and err.value.column == "dmus"


def test_declared_decimal_comma_reads_like_the_clean_file(root, spec, tmp_path):
    folder = _copy(root, tmp_path)
    text = (folder / "2021.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()]
    body = [rows[0]] + [[f'"{c.replace(".", ",")}"' if c else c for c in r] for r in rows[1:]]
    (folder / "2021.csv").write_text("\n".join(",".join(r) for r in body) + "\n", "utf-8")
    _edit(folder / "dataset.yaml", 'decimal: "."', 'decimal: ","')
    comma = read_panel([folder / "2021.csv"], load_panel_spec(folder / "dataset.yaml"))
    plain = read_panel([root / PANEL / "2021.csv"], spec)
    pd.testing.assert_frame_equal(
        comma.drop(columns="source_file"), plain.drop(columns="source_file")
    )


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
