"""Identities of the Malmquist decomposition, checked on small random balanced panels.

Why each holds:
- tfpch = effch * techch and effch = pech * sech hold by construction of DEAP's decomposition.
- A period identical to the previous one leaves every distance unchanged, so every index is 1.
- Scaling every output of period t+1 by k (under CRS, in either orientation, since CRS input and
  output scores coincide): D_t(t+1) -> k D_t(t+1) (the data is k times as productive as before
  against an unchanged frontier), D_t+1(t) -> D_t+1(t) / k (the frontier is k times as
  productive), D_t+1(t+1) and every VRS own-period distance are unchanged (data and frontier
  scale together). Hence effch, pech, sech are unchanged and techch, tfpch are multiplied by k.
  Scaling every input of period t+1 by k divides techch and tfpch by k, for the same reason.
- Changing the unit of one variable in every period changes no distance, hence no index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sciteff.efficiency.malmquist import INDEX_COLUMNS, malmquist

SETTINGS = settings(max_examples=15, deadline=None)
ORIENTATION = st.sampled_from(["in", "out"])
FACTOR = st.sampled_from([0.5, 1.7, 3.0])


@st.composite
def panels(draw, n_periods: int | None = None) -> pd.DataFrame:
    """2-5 DMUs, 2-3 periods, 1-2 inputs and outputs, positive integer values 1..20."""
    n_dmus = draw(st.integers(2, 5))
    n_periods = n_periods or draw(st.integers(2, 3))
    n_in, n_out = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    value = st.integers(1, 20).map(float)
    rows = []
    for t in range(n_periods):
        for d in range(n_dmus):
            row = {"dmu": f"d{d}", "t": 2000 + t}
            row |= {f"x{j}": draw(value) for j in range(n_in)}
            row |= {f"y{j}": draw(value) for j in range(n_out)}
            rows.append(row)
    return pd.DataFrame(rows)


def _run(panel: pd.DataFrame, orientation: str):
    inputs = [c for c in panel.columns if c.startswith("x")]
    outputs = [c for c in panel.columns if c.startswith("y")]
    return malmquist(
        panel, dmu="dmu", period="t", inputs=inputs, outputs=outputs, orientation=orientation
    )


def _indices(panel: pd.DataFrame, orientation: str) -> pd.DataFrame:
    return _run(panel, orientation).indices.set_index(["dmu", "period"])[list(INDEX_COLUMNS)]


@SETTINGS
@given(panels(), ORIENTATION)
def test_decomposition_identities(panel, orientation):
    result = _run(panel, orientation)
    table = result.indices
    assert set(table["status"]) == {"ok"}
    np.testing.assert_allclose(table["tfpch"], table["effch"] * table["techch"], rtol=1e-9)
    np.testing.assert_allclose(table["effch"], table["pech"] * table["sech"], rtol=1e-9)
    # The overall mean rows of both summaries are the geometric mean of all indices.
    overall = np.exp(np.log(table[list(INDEX_COLUMNS)].to_numpy(float)).mean(axis=0))
    np.testing.assert_allclose(result.firm_means.iloc[-1, 1:].astype(float), overall, rtol=1e-9)
    np.testing.assert_allclose(result.annual_means.iloc[-1, 1:].astype(float), overall, rtol=1e-9)


@SETTINGS
@given(panels(n_periods=1), ORIENTATION)
def test_repeated_period_gives_all_ones(panel, orientation):
    repeated = pd.concat([panel, panel.assign(t=panel["t"] + 1)], ignore_index=True)
    np.testing.assert_allclose(_indices(repeated, orientation), 1.0, atol=1e-7)


@SETTINGS
@given(panels(n_periods=2), ORIENTATION, FACTOR)
def test_scaling_later_outputs_scales_techch_and_tfpch_only(panel, orientation, k):
    later = panel["t"] == panel["t"].max()
    outputs = [c for c in panel.columns if c.startswith("y")]
    scaled = panel.copy()
    scaled.loc[later, outputs] *= k
    before, after = _indices(panel, orientation), _indices(scaled, orientation)
    for name in ("effch", "pech", "sech"):
        np.testing.assert_allclose(after[name], before[name], rtol=1e-6, err_msg=name)
    for name in ("techch", "tfpch"):
        np.testing.assert_allclose(after[name], k * before[name], rtol=1e-6, err_msg=name)


@SETTINGS
@given(panels(n_periods=2), ORIENTATION, FACTOR)
def test_scaling_later_inputs_divides_techch_and_tfpch(panel, orientation, k):
    later = panel["t"] == panel["t"].max()
    inputs = [c for c in panel.columns if c.startswith("x")]
    scaled = panel.copy()
    scaled.loc[later, inputs] *= k
    before, after = _indices(panel, orientation), _indices(scaled, orientation)
    for name in ("effch", "pech", "sech"):
        np.testing.assert_allclose(after[name], before[name], rtol=1e-6, err_msg=name)
    for name in ("techch", "tfpch"):
        np.testing.assert_allclose(after[name], before[name] / k, rtol=1e-6, err_msg=name)


@SETTINGS
@given(panels(), ORIENTATION, FACTOR)
def test_units_of_a_variable_do_not_matter(panel, orientation, k):
    rescaled = panel.assign(x0=panel["x0"] * k, y0=panel["y0"] / k)
    np.testing.assert_allclose(
        _indices(rescaled, orientation), _indices(panel, orientation), rtol=1e-6
    )
