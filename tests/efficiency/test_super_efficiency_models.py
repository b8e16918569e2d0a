"""Andersen-Petersen super-efficiency named by its model: super_te_crs, super_te_vrs, super_te.

Hand-solved on one input and one output, where every LP can be solved on paper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency.analyses import run_dea
from sciteff.efficiency.summary import super_efficiency_columns

# A (x=2, y=1), B (4, 4), C (5, 2), D (8, 5).
DATA = pd.DataFrame(
    {"dmu": ["A", "B", "C", "D"], "x": [2.0, 4.0, 5.0, 8.0], "y": [1.0, 4.0, 2.0, 5.0]}
)


def test_both_models_by_hand():
    out = super_efficiency_columns(DATA, ["x"], ["y"], dmu="dmu")
    # CRS: y/x = 0.5, 1, 0.4, 0.625. B is the only CRS-efficient DMU; without it the best
    # ratio is D's 0.625, so B's super score is 1 / 0.625 = 1.6. The others keep y/x / 1.
    assert out["super_te_crs"].tolist() == pytest.approx([0.5, 1.6, 0.4, 0.625])
    assert set(out["super_te_crs_status"]) == {"optimal"}
    # VRS, input orientation. A (smallest input): without A the least input giving y >= 1 is
    # B's 4, so 4 / 2 = 2. B: without B, y >= 4 needs 3/4 of D and 1/4 of A:
    # x = 0.25 * 2 + 0.75 * 8 = 6.5, so 6.5 / 4 = 1.625. C is VRS-inefficient, so it keeps
    # its ordinary score: the least input giving y >= 2 is on the A-B segment with 1/3 of B,
    # x = 2 + 2/3 = 8/3, so (8/3) / 5 = 8/15.
    # D (largest output): nobody else reaches y = 5, so its LP is infeasible.
    assert out["super_te_vrs"].iloc[:3].tolist() == pytest.approx([2.0, 1.625, 8 / 15])
    assert np.isnan(out["super_te_vrs"].iloc[3])
    assert out["super_te_vrs_status"].tolist() == ["optimal"] * 3 + ["infeasible"]
    # super_te is the VRS score, kept under its old name.
    pd.testing.assert_series_equal(out["super_te"], out["super_te_vrs"], check_names=False)
    assert out["super_te_status"].tolist() == out["super_te_vrs_status"].tolist()


def test_dea_analysis_carries_every_named_score():
    data = DATA.assign(period=2020)
    out = run_dea(data, {"inputs": ["x"], "outputs": ["y"], "slacks": "none"}, source="d")
    for name in ("super_te", "super_te_crs", "super_te_vrs"):
        assert f"{name}_status" in out.columns
    assert out["super_te_crs"].tolist() == pytest.approx([0.5, 1.6, 0.4, 0.625])
    assert out["super_te_vrs_status"].iloc[3] == "infeasible"
    assert out["crste_rank"].tolist() == [3, 1, 4, 2]
