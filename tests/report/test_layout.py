"""The report's tables look like the paper's: printed headers (multi-level), units, print blocks
put back side by side, verdict markers, the audit's arithmetic in words; numbers formatted."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import write_table

from sciteff.core.io import write_parquet
from sciteff.ingest.tables import ingest_table, load_table_spec, table_metadata
from sciteff.report.captions import caption, place_figures
from sciteff.report.fmt import format_number
from sciteff.report.html import (
    BANNER_MARKER,
    AnalysisInputs,
    PaperInputs,
    build_report,
    settings_html,
)
from sciteff.report.paper_tables import header_html, layout, paper_table_html, shown_columns
from sciteff.report.plain import plain_sentences, records
from sciteff.report.verdicts import distinct_errors, is_flagged, style

SPEC = {
    "paper": "demo",
    "table": "table2",
    "number": "Table 2",
    "title": "Two blocks",
    "key": ["print_block", "print_row"],
    "label": "area",
    "columns": {
        "area": {"printed": "area", "kind": "label"},
        "amount_2015": {
            "printed": "2015(year) / Amount",
            "kind": "number",
            "unit": "100 million yuan",
            "printed_unit": "100 million yuan",
        },
        "share_2015": {
            "printed": "2015(year) / Share",
            "kind": "percent",
            "unit": "%",
            "printed_unit": "%",
        },
        "print_block": {"kind": "position", "allowed": ["left", "right", "full"]},
        "print_row": {"kind": "position"},
    },
}
HEADER = ["area", "amount_2015", "share_2015", "print_block", "print_row"]
ROWS = [
    ["North", "10.5", "40.0%", "left", "1"],
    ["South", "20.0", "60.0%", "left", "2"],
    ["East", "1.5", "5.0%", "right", "1"],
    ["West", "3.0", "9.0%", "right", "2"],
    ["Total", "35.0", "100.0%", "full", "3"],
]
SUM_TEXT = (
    "[sum, inconsistent] 35.0 printed (3.495 billion yuan...3.505 billion yuan); sum of 4 rows"
    " = 3.5 billion yuan (3.48 billion yuan...3.52 billion yuan within rounding) - CANNOT agree"
)


def _finding(fid, row, column, verdict, explanation, severity="info", **extra):
    return {
        "finding_id": fid,
        "paper": "demo",
        "table": "table2",
        "row": row,
        "row_label": "",
        "column": column,
        "ref": "",
        "verdict": verdict,
        "severity": severity,
        "recomputed": "",
        "explanation": explanation,
        **extra,
    }


@pytest.fixture
def demo(tmp_path):
    csv_path, yaml_path = write_table(tmp_path, "table2", HEADER, ROWS, SPEC)
    spec = load_table_spec(yaml_path)
    cells = ingest_table(csv_path, spec)
    path = tmp_path / "table2.parquet"
    write_parquet(cells, path, metadata=table_metadata(spec))
    return cells, table_metadata(spec), path


def _findings():
    return pd.DataFrame(
        [
            _finding("demo-F1", 5, "amount_2015", "inconsistent", SUM_TEXT, "major"),
            _finding("demo-F2", 1, "share_2015", "consistent", "[rate, consistent] fine"),
            _finding("demo-F3", 3, "amount_2015", "ambiguous", "two rows could match", "minor"),
            _finding("demo-F4", "", "title", "inconsistent", "the title promises ten rows"),
        ]
    )


def test_printed_headers_become_two_levels_with_units(demo):
    cells, meta, _ = demo
    columns = shown_columns(cells, meta)
    assert [c.name for c in columns] == ["area", "amount_2015", "share_2015"]  # no layout
    head = header_html(columns)
    assert head.count("<tr>") == 2
    assert '<th scope="colgroup" colspan="2">2015(year)</th>' in head
    assert 'rowspan="2">area</th>' in head
    assert "(100 million yuan)" in head and "(%)" in head


def test_print_blocks_are_put_back_side_by_side(demo):
    cells, meta, _ = demo
    blocks, lines = layout(cells, shown_columns(cells, meta))
    assert blocks == 2
    rows = {int(r.row): r.printed for r in cells[cells["column"] == "area"].itertuples()}
    shown = [[rows.get(r) if r else None for r in line] for line in lines]
    assert shown == [["North", "East"], ["South", "West"], ["Total", "Total"]]


def test_table_shows_markers_and_the_sum_in_words(demo):
    cells, meta, _ = demo
    page = paper_table_html(cells, meta, _findings(), anchor="t")
    assert "print_block" not in page and "print_row" not in page
    # Two blocks side by side: the area header printed twice, on one header row.
    assert page.count(">area</th>") == 2
    # The total's sum in the printed unit (100 million yuan), visible under its row.
    assert "The 4 rows add up to 35.0 (3.5 billion yuan), not the printed 35.0" in page
    assert re.search(r'<tr class="notes"><td colspan="6"><p class="why v-inconsistent"', page)
    # An unknown-to-the-report verdict is shown with its own words, flagged and explained.
    assert "(ambiguous)" in page and "Two rows could match." in page
    # The consistent cell is marked quietly, without a note.
    assert '<span class="mk q" title="consistent">✓</span>' in page
    assert "fine" not in page
    # The table-level finding is said once, above the table.
    assert page.index("The title promises ten rows.") < page.index("<table")
    # Each flagged cell links to its note.
    for ref in re.findall(r'<a class="ref" href="#([^"]+)"', page):
        assert f'id="{ref}"' in page


def test_plain_sentences_cover_official_and_unknown_shapes():
    official = (
        "[official, differs] published 46 billion yuan (45.5 billion yuan...46.5 billion yuan)"
        " vs panel rd_exp for Liaoning: 2020: official 54.9 billion yuan (published is -16.2% "
        "off). Definitions: all performers"
    )
    (sentence,) = plain_sentences(official)
    assert "2020: 54.9 billion yuan (the published figure is 16.2% lower)" in sentence
    assert "against the published 46 billion yuan" in sentence and "all performers" in sentence
    assert plain_sentences("[new_kind, inconsistent] A DIFFERENT 1...2 text") == [
        "A different 1 to 2 text."
    ]
    assert [r.kind for r in records("[a, consistent] x | [b, inconsistent] rows [1, 2]")] == [
        "a",
        "b",
    ]


def test_verdict_styles_tolerate_new_verdicts():
    assert style("inconsistent").marker != style("consistent").marker
    assert style("brand_new").words == "brand new" and is_flagged("brand_new")
    assert not is_flagged("consistent") and not is_flagged("not_checkable")


def test_distinct_errors_use_the_audit_grouping_when_present():
    findings = _findings()
    plain = distinct_errors(findings).set_index("severity")
    assert plain.at["major", "errors"] == 1 and plain.at["info", "errors"] == 1
    grouped = findings.assign(error_id=["E1", "", "E1", "E1"])
    counted = distinct_errors(grouped).set_index("severity")
    assert counted["findings"].sum() == 3  # the consistent finding is no error
    assert counted.at["major", "errors"] == 1 and counted.at["minor", "errors"] == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-2.2e-16, "0.000"),
        (-0.0004, "0.000"),
        (0.5, "0.500"),
        (-0.25, "\u2212" + "0.250"),
        (41095999999.99, "41,096,000,000"),
        (12345, "12,345"),
        (7, "7"),
        (float("nan"), ""),
    ],
)
def test_numbers_are_formatted_for_reading(value, expected):
    assert format_number(value) == expected


def test_percent_format():
    assert format_number(0.3529, percent=True) == "35.3%"


def test_settings_are_a_table():
    html_text = settings_html(
        {"method": "dea", "inputs": ["a", "b"], "source": {"panel": "p"}, "description": "x"}
    )
    assert "<table" in html_text and "a, b" in html_text and "panel: p" in html_text
    assert "{" not in html_text and "description" not in html_text


def test_figures_placed_by_declaration_not_by_file_name(tmp_path):
    figures = [tmp_path / "chart_one.png", tmp_path / "demo_two.png", tmp_path / "three.png"]
    declarations = {
        "chart_one": {"title": "One", "source": "Source: panel", "paper": "demo", "order": 2},
        "three": {"title": "Three", "input": "results/tables/demo/table2.parquet", "order": 1},
        "demo_two": {"title": "Two"},
    }
    by_paper, others, captions = place_figures(figures, declarations, ["demo"])
    assert [f.stem for f in by_paper["demo"]] == ["three", "chart_one"]
    assert [f.stem for f in others] == ["demo_two"]  # a name prefix alone places nothing
    assert captions["chart_one"] == "One\nSource: panel"
    assert caption({}) == ""


def _page(demo, findings):
    _, _, path = demo
    return build_report(
        [PaperInputs("demo", {"title": "Demo paper", "authors": ["X"]}, [path])],
        [AnalysisInputs("demo_dea", {"method": "dea", "inputs": ["a"]}, {})],
        findings,
        {"code": {"git_commit": "abc"}, "packages": {}, "outputs": []},
    )


def test_page_has_banner_place_contents_and_summary_first(demo):
    page = _page(demo, _findings())
    assert page.split("<body>", 1)[1].startswith(BANNER_MARKER)
    ids = set(re.findall(r'id="([^"]+)"', page))
    toc = re.search(r'<nav class="toc".*?</nav>', page, flags=re.S).group(0)
    links = re.findall(r'href="#([^"]+)"', toc)
    assert links and all(link in ids for link in links)
    section = page[page.index('id="paper-demo"') :]
    assert section.index("Audit verdict") < section.index("<h3 id=")  # summary, then tables
    assert 'href="changes.md"' in page


def test_page_bytes_are_deterministic(demo):
    assert _page(demo, _findings()) == _page(demo, _findings())


def test_new_finding_columns_are_tolerated(demo):
    findings = _findings().assign(extra_column="anything", error_id="E9")
    assert "The 4 rows add up to" in _page(demo, findings)


def test_years_and_periods_are_not_grouped():
    from sciteff.report.html import frame_html

    page = frame_html(pd.DataFrame({"period": [2020], "base_period": [2019.0], "n": [12345]}))
    assert ">2020<" in page and ">2019<" in page and ">12,345<" in page


def test_declarations_read_every_figure_table_of_the_workflow():
    from sciteff.report.captions import declarations

    namespace = {
        "DECLARED_FIGURES": {"a": {"title": "A", "options": {"x": 1}, "paper": "demo"}},
        "OLD_FIGURES": {"b": {"title": "B", "source": "S"}},
        "FIGURES": "results/figures",  # a folder, not a declaration table
        "OTHER": {"c": {"title": "C"}},
    }
    found = declarations(namespace)
    assert found == {"a": {"title": "A", "paper": "demo"}, "b": {"title": "B", "source": "S"}}


def test_analysis_files_by_role_main_ones_open_others_folded(tmp_path):
    from sciteff.report.html import analysis_section

    scores = tmp_path / "scores.csv"
    pd.DataFrame({"dmu": ["A"], "score": [0.5], "slack_x": [1.0]}).to_csv(scores, index=False)
    extra = tmp_path / "extra.csv"
    pd.DataFrame({"dmu": ["A"], "thing": [2.0]}).to_csv(extra, index=False)
    html_text = analysis_section(
        AnalysisInputs("new_kind", {"method": "new"}, {"scores": scores, "extra_role": extra})
    )
    assert "<h4>Scores</h4>" in html_text and "slack" not in html_text
    assert "<details><summary><b>Extra role</b> (1 row)</summary>" in html_text
    assert html_text.index("Scores") < html_text.index("Extra role")


def test_many_flagged_cells_keep_the_rows_together(demo):
    from sciteff.report.paper_tables import NOTES_UNDER_ROWS

    cells, meta, _ = demo
    flagged = [
        _finding(f"demo-F{i}", row, column, "inconsistent", f"problem number {i}")
        for i, (row, column) in enumerate(
            (r, c) for r in range(1, 6) for c in ("amount_2015", "share_2015")
        )
    ]
    assert len(flagged) > NOTES_UNDER_ROWS
    page = paper_table_html(cells, meta, pd.DataFrame(flagged), anchor="t")
    assert '<tr class="notes">' not in page
    notes = page[page.index("</table>") :]
    for i in range(len(flagged)):
        assert f"Problem number {i}." in notes
    for ref in re.findall(r'<a class="ref" href="#([^"]+)"', page):
        assert f'id="{ref}"' in notes
