"""Figure declarations: the papers' figures.yaml files and the config's figures load; a malformed
declaration names the file, the key and the line; ids are local to the paper folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, write_table
from snakemake.utils import validate

from sciteff.core.errors import InputError
from sciteff.figures.spec import (
    DeclarationError,
    analysis_figures,
    declared_figures,
    figure_inputs,
    load_figures,
    manifest,
    name_pattern,
)
from sciteff.ingest.sidecars import schema

PAPERS = ROOT / "raw_data" / "papers"
CONFIG = ROOT / "config" / "config.yaml"
QUOTE_HEADER = (
    "quote_id,section,quote,value_printed,value,unit,qualifier,claim_kind,year,region,subject,"
    "refers_to_table,notes"
)

GOOD = """\
figures:
  volumes:
    plot: bars_with_values
    table: table1
    label: name
    series:
      "2022": volume_2022
      "2023": volume_2023
    title: Volumes of {paper}
    xlabel: Volume (items)
    source: "Source: demo ({paper}), Table 1"
    caption: Volumes by row.
  rates:
    order: 1
    plot: bars_with_reference
    table: table1
    label: name
    series: {"2023": volume_2023}
    reference: {quote: t001, label: "Quoted: {value:g}"}
    title: Against the text
    xlabel: Volume (items)
    source: "Source: demo, Table 1 and text"
    caption: Volumes against the quoted value.
"""


def paper_folder(root: Path, name: str = "demo", figures: str = GOOD) -> Path:
    """A paper folder with one table, one quote and ``figures`` as its figures.yaml."""
    folder = root / name
    folder.mkdir(parents=True)
    write_table(
        folder,
        "table1",
        ["name", "volume_2022", "volume_2023"],
        [["A", "1", "2"], ["B", "3", "4"]],
        {
            "number": "Table 1",
            "title": "Demo",
            "key": ["name"],
            "label": "name",
            "columns": {
                "name": {"kind": "label"},
                "volume_2022": {"kind": "number", "unit": "items", "period": "2022"},
                "volume_2023": {"kind": "number", "unit": "items", "period": "2023"},
            },
        },
    )
    (folder / "quotes.csv").write_text(
        f"{QUOTE_HEADER}\nt001,1,about 3 items,3,3,items,about,count,2023,,,,\n", "utf-8"
    )
    (folder / "figures.yaml").write_text(figures, "utf-8")
    return folder


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line of ``text`` containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def located(error: InputError) -> tuple[str, int]:
    """(key, line) an error names: ``file <path>: line <n>: key <key>: <reason>``."""
    match = re.search(r": line (\d+): key (\S+):", str(error))
    assert match, str(error)
    return match.group(2), int(match.group(1))


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    return paper_folder(tmp_path, figures=text) / "figures.yaml", text


# --- the project's declarations ----------------------------------------------------------------


def test_the_schema_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema("figures"))


def test_every_paper_declaration_loads_and_names_no_paper_id():
    files = sorted(PAPERS.glob("*/figures.yaml"))
    assert files
    papers = [p.name for p in PAPERS.iterdir() if p.is_dir()]
    for path in files:
        text = path.read_text(encoding="utf-8")
        # ids are local: a copied folder must not refer to the paper it was copied from
        assert not [p for p in papers if p in text], path
        specs = load_figures(path)
        assert specs and all(s.name == f"{path.parent.name}_{s.figure}" for s in specs)


def test_config_figures_validate_and_resolve():
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    validate(config, str(ROOT / "config" / "schema.yaml"))
    figures = declared_figures(PAPERS, config["figures"], config["analyses"])
    assert figures["provinces_2020_dea"].analysis == "provinces_2020"
    assert figure_inputs(figures["provinces_2020_dea"]).analysis_output == "summary"
    liaoning = figure_inputs(figures["malmquist_provinces_5ind_liaoning"])
    assert liaoning.analysis_output == "indices"
    assert figure_inputs(figures["malmquist_provinces_5ind_annual"]).analysis_output == "annual"


def test_placeholder_and_inputs_of_a_paper_figure(tmp_path):
    folder = paper_folder(tmp_path, "copied")
    volumes, rates = load_figures(folder / "figures.yaml")
    assert volumes.name == "copied_volumes" and volumes.paper == "copied"
    assert volumes.title == "Volumes of copied"
    assert volumes.source == "Source: demo (copied), Table 1"
    assert figure_inputs(volumes).table == "table1" and not figure_inputs(volumes).quotes
    assert figure_inputs(rates).quotes
    assert (volumes.order, rates.order) == (1, 1)  # declared position, or the `order` key


def test_manifest_lists_papers_in_declared_order_then_analyses(tmp_path):
    folder = paper_folder(tmp_path / "papers")
    analyses = {"a": {"method": "dea"}}
    config = {
        "a_dea": {
            "plot": "dea_scores",
            "analysis": "a",
            "title": "T",
            "source": "S",
            "caption": "C",
        }
    }
    specs = declared_figures(folder.parent, config, analyses)
    files = {name: {"png": f"{name}.png", "svg": f"{name}.svg"} for name in specs}
    entries = manifest(specs.values(), files)
    # `rates` says order 1 and is declared second: it ties with `volumes` (position 1)
    assert [e["id"] for e in entries] == ["demo_volumes", "demo_rates", "a_dea"]
    assert entries[0]["paper"] == "demo" and entries[2]["paper"] is None
    assert entries[2]["analysis"] == "a" and entries[0]["files"]["png"] == "demo_volumes.png"
    json.dumps(entries)  # plain data


def test_name_pattern():
    assert name_pattern(["b", "a", "a"]) == "a|b"
    assert name_pattern([]) == "(?!)"
    assert name_pattern(["a.b"]) == r"a\.b"


# --- malformed declarations: file, key and line --------------------------------------------------


def test_unknown_key(tmp_path):
    path, text = broken(
        tmp_path, "    xlabel: Volume (items)\n", "    xlabel: V\n    colour: red\n"
    )
    with pytest.raises(InputError, match="'colour' was unexpected") as err:
        load_figures(path)
    assert err.value.file == str(path) and str(path) in str(err.value)
    assert located(err.value) == ("figures.volumes", line_of(text, "  volumes:"))


def test_wrong_type_and_missing_key(tmp_path):
    path, text = broken(
        tmp_path / "a",
        '    series:\n      "2022": volume_2022\n      "2023": volume_2023\n',
        "    series: 7\n",
    )
    with pytest.raises(InputError, match="not of type 'object'") as err:
        load_figures(path)
    assert located(err.value) == ("figures.volumes.series", line_of(text, "series: 7"))

    path, text = broken(tmp_path / "b", "    caption: Volumes by row.\n", "")
    with pytest.raises(InputError, match="'caption' is a required property") as err:
        load_figures(path)
    assert located(err.value) == ("figures.volumes", line_of(text, "  volumes:"))


def test_unknown_plot_kind(tmp_path):
    path, text = broken(tmp_path, "plot: bars_with_values", "plot: pie")
    with pytest.raises(InputError, match="'pie' is not one of") as err:
        load_figures(path)
    assert located(err.value) == ("figures.volumes.plot", line_of(text, "plot: pie"))


def test_unknown_table_column_and_quote(tmp_path):
    path, text = broken(tmp_path / "a", "    table: table1\n", "    table: table9\n")
    with pytest.raises(DeclarationError, match="table9") as err:
        load_figures(path)
    assert (err.value.key, err.value.line) == ("figures.volumes.table", line_of(text, "table9"))

    path, text = broken(tmp_path / "b", '"2023": volume_2023\n', '"2023": volume_2099\n')
    with pytest.raises(DeclarationError, match="volume_2099") as err:
        load_figures(path)
    assert err.value.key == "figures.volumes.series.2023"
    assert err.value.line == line_of(text, "volume_2099")

    path, text = broken(tmp_path / "c", "quote: t001", "quote: t404")
    with pytest.raises(DeclarationError, match="t404") as err:
        load_figures(path)
    assert err.value.key == "figures.rates.reference.quote"
    assert err.value.line == line_of(text, "t404")


def test_a_key_given_twice_and_bad_yaml(tmp_path):
    path, text = broken(tmp_path / "a", "  rates:\n", "  volumes:\n")
    with pytest.raises(InputError, match="twice") as err:  # every sidecar: ingest.sidecars
        load_figures(path)
    assert err.value.key == "figures.volumes"
    assert err.value.line == line_of(text, "    order: 1") - 1
    assert located(err.value) == (err.value.key, err.value.line)

    path, text = broken(tmp_path / "b", "    label: name\n", "    label: [name\n")
    with pytest.raises(InputError, match="not valid YAML") as err:
        load_figures(path)
    assert str(path) in str(err.value) and re.search(r"line \d+", str(err.value))


def test_analysis_figures_must_name_a_fitting_analysis():
    entry = {"plot": "dea_scores", "analysis": "m", "title": "T", "source": "S", "caption": "C"}
    with pytest.raises(DeclarationError, match="no analysis 'm'") as err:
        analysis_figures({"f": entry}, {})
    assert err.value.key == "figures.f.analysis"
    with pytest.raises(DeclarationError, match="malmquist") as err:
        analysis_figures({"f": entry}, {"m": {"method": "malmquist"}})
    assert err.value.key == "figures.f.plot"


def test_two_declarations_with_one_output_name(tmp_path):
    folder = paper_folder(tmp_path / "papers")
    clash = {
        "demo_volumes": {
            "plot": "dea_scores",
            "analysis": "a",
            "title": "T",
            "source": "S",
            "caption": "C",
        }
    }
    with pytest.raises(DeclarationError, match="demo_volumes"):
        declared_figures(folder.parent, clash, {"a": {"method": "dea"}})
