"""With zeros allowed, an LP the zeros make unbounded or infeasible is a status, not a number.

Hand-checked case: DMU "4" (x = (5, 3)) produces nothing (y = (0, 0)).
- Output orientation: phi is unbounded under every RTS, so its status is "unbounded" and its
  scores, slacks and targets are blank.
- Input orientation: lambda = 0 is CRS-feasible, so crste = 0; under VRS the cheapest convex
  combination of inputs is a (2, 1) + (1 - a) (0, 2) with 2a/5 = (2 - a)/3, a = 10/11, so
  vrste = 4/11.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.validate import allowing_zeros

DATA = pd.DataFrame(
    {
        "x1": [2.0, 3, 4, 5, 0],
        "x2": [1.0, 2, 1, 3, 2],
        "y1": [1.0, 2, 3, 0, 0],
        "y2": [2.0, 1, 2, 0, 1],
    }
)
ARGS = (["x1", "x2"], ["y1", "y2"])


def test_unbounded_lp_is_a_status_with_blank_scores():
    with allowing_zeros(True):
        out = vrs_summary(DATA, *ARGS, orientation="out")
    assert list(out["status"]) == ["optimal", "optimal", "optimal", "unbounded", "optimal"]
    row = out.iloc[3]
    for col in ("crste", "vrste", "scale", "nirs_te", "crs_phi", "vrs_phi", "target_y1"):
        assert np.isnan(row[col]), col
    assert row["rts"] == "" and row["peers"] == ""
    assert out.drop(index=3)[["crste", "vrste"]].notna().all().all()


def test_zero_outputs_input_orientation_scores_by_hand():
    with allowing_zeros(True):
        out = vrs_summary(DATA, *ARGS, orientation="in")
    assert (out["status"] == "optimal").all()
    assert out.loc[3, "crste"] == pytest.approx(0.0, abs=1e-12)
    assert out.loc[3, "vrste"] == pytest.approx(4 / 11, rel=1e-9)


def test_without_allow_zero_zeros_stay_an_error():
    with pytest.raises(InputError):
        vrs_summary(DATA, *ARGS, orientation="out")


def test_default_output_has_no_status_column():
    data = DATA.replace(0.0, 1.0)
    assert "status" not in vrs_summary(data, *ARGS).columns
