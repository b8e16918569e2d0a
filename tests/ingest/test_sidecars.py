"""Sidecar schemas: a malformed declaration names its file, the key and the line to edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from sciteff.core.errors import InputError
from sciteff.ingest.sidecars import SCHEMAS, available, load_sidecar

PAPERS = ROOT / "raw_data" / "papers"


@pytest.mark.parametrize(
    ("kind", "pattern"), [("table", "table*.yaml"), ("transfer", "transfer.yaml")]
)
def test_the_committed_sidecars_are_valid(kind, pattern):
    files = sorted(PAPERS.glob(f"*/{pattern}"))
    assert files
    for path in files:
        assert isinstance(load_sidecar(path, kind), dict)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "transfer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
# comment line 1
growth_claims:
  - {id: a, level: t001, growth: t002}
field_composition:
  table: table2
  total_row: Total
  measures:
    volume: {"2021": v_2021, "2022": v_2022}
"""


def test_a_valid_declaration_reads_back(tmp_path):
    data = load_sidecar(_write(tmp_path, GOOD), "transfer")
    assert data["field_composition"]["measures"]["volume"] == {"2021": "v_2021", "2022": "v_2022"}


def test_misspelt_key_is_named_with_its_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("field_composition:", "field_compositon:"))
    with pytest.raises(InputError) as err:
        load_sidecar(path, "transfer")
    message = str(err.value)
    assert f"file {path}" in message
    assert "line 4: key field_compositon: unknown key" in message
    assert "known keys:" in message and "field_composition" in message


def test_a_nested_bad_value_names_the_dotted_key_and_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("table: table2", "table: Table 2"))
    with pytest.raises(InputError, match=r"line 5: key field_composition\.table: ") as err:
        load_sidecar(path, "transfer")
    assert "Table 2" in str(err.value)


def test_an_item_of_a_list_is_located(tmp_path):
    path = _write(
        tmp_path, GOOD.replace("{id: a, level: t001, growth: t002}", "{id: a, level: t001}")
    )
    with pytest.raises(InputError, match=r"line 3: key growth_claims\.0: 'growth' is a required"):
        load_sidecar(path, "transfer")


def test_broken_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("  total_row: Total", "  total_row: [Total"))
    with pytest.raises(InputError, match=r"line \d+: not valid YAML"):
        load_sidecar(path, "transfer")


def test_not_a_mapping_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="must hold a YAML mapping"):
        load_sidecar(_write(tmp_path, "- a\n- b\n"), "transfer")
    with pytest.raises(InputError, match="file not found"):
        load_sidecar(tmp_path / "absent.yaml", "transfer")


def test_every_declared_schema_kind_that_ships_is_valid_json_schema():
    import jsonschema

    from sciteff.ingest.sidecars import schema

    shipped = [kind for kind in SCHEMAS if available(kind)]
    assert {"table", "transfer"} <= set(shipped)
    for kind in shipped:
        jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_a_misspelt_dataset_key_stops_the_panel_with_its_line(tmp_path):
    from sciteff.ingest.panels import load_panel_spec

    source = ROOT / "raw_data" / "panels" / "china_provinces" / "dataset.yaml"
    text = source.read_text(encoding="utf-8")
    assert "\naggregate_rows:" in text
    path = tmp_path / "dataset.yaml"
    path.write_text(text.replace("\naggregate_rows:", "\naggregate_row:"), encoding="utf-8")
    line = text[: text.index("\naggregate_rows:")].count("\n") + 2
    with pytest.raises(InputError, match=rf"line {line}: key aggregate_row: unknown key"):
        load_panel_spec(path)


def test_a_misspelt_required_key_is_named_as_misspelt(tmp_path):
    source = PAPERS / "seed000" / "table2.yaml"
    text = source.read_text(encoding="utf-8")
    path = tmp_path / "table2.yaml"
    path.write_text(text.replace("\nlabel:", "\nlabl:"), encoding="utf-8")
    line = text[: text.index("\nlabel:")].count("\n") + 2
    with pytest.raises(InputError, match=rf"line {line}: key labl: unknown key"):
        load_sidecar(path, "table")


def test_a_key_given_twice_is_an_error_not_a_silent_loss(tmp_path):
    twice = GOOD + "growth_claims:\n  - {id: b, level: t003, growth: t004}\n"
    with pytest.raises(InputError, match=r"line 9: key growth_claims: given twice"):
        load_sidecar(_write(tmp_path, twice), "transfer")
