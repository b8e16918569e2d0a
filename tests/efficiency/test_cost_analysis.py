"""``method: cost`` on the test panel with prices (raw_data/panels/cost_test_labs, invented
data): the configured analysis equals the library run on the same numbers, per period."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from sciteff.efficiency.analyses import analysis_data, complete_rows, run_cost
from sciteff.efficiency.cost import cost_efficiency
from sciteff.ingest.panels import load_panel_spec, read_panel, year_files

ROOT = Path(__file__).resolve().parents[2]
PANEL = ROOT / "raw_data" / "panels" / "cost_test_labs"


@pytest.fixture(scope="module")
def spec() -> dict:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    return config["analyses"]["test_cost_labs"]


def test_dataset_is_labelled_as_test_data():
    text = (PANEL / "dataset.yaml").read_text(encoding="utf-8")
    assert "TEST DATA" in text and "NOT statistics of any real" in text


def test_configured_cost_analysis_matches_the_library(spec):
    panel = read_panel(year_files(PANEL), load_panel_spec(PANEL / "dataset.yaml"))
    assert spec["method"] == "cost"
    data, excluded = analysis_data(panel, spec, source="cost_test_labs")
    variables = [*spec["inputs"], *spec["outputs"], *spec["prices"]]
    data, incomplete = complete_rows(data, variables, drop=False, source="cost_test_labs")
    assert excluded.empty and incomplete.empty
    scores = run_cost(data, spec, source="cost_test_labs")
    assert sorted(set(scores["period"])) == [2021, 2022]
    assert len(scores) == 16
    for period, rows in data.groupby("period"):
        x = rows[spec["inputs"]].to_numpy()
        y = rows[spec["outputs"]].to_numpy()
        w = rows[spec["prices"]].to_numpy()
        direct = cost_efficiency(x, y, w, rts=spec["rts"])
        got = scores[scores["period"] == period]
        assert got["dmu"].tolist() == rows["dmu"].tolist()
        np.testing.assert_allclose(got["ce"], direct.ce, rtol=1e-12)
        np.testing.assert_allclose(got["te"], direct.te, rtol=1e-12)
        # Observed cost: wage (yuan per person) x staff + rate x capital (yuan, canonical).
        np.testing.assert_allclose(got["cost"], (x * w).sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(scores["ce"], scores["te"] * scores["ae"], rtol=1e-12)
    assert (scores["ce"] <= scores["te"] + 1e-12).all()
    assert (scores["ce"] < 1 - 1e-6).any()  # the invented data are not all cost-efficient
