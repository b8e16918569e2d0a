"""Frontier-first, sharded Malmquist distances.

Checked against independent computations: every distance of a small panel against the FULL
reference set of its technology (all DMUs of the period, of the periods so far, or of every
period), one ``scipy.optimize.linprog`` call per DMU; and the sharded plan (frontier job,
shards, gather) against the unsharded run, bit for bit, for any number of shards or workers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sciteff.core.errors import SolverError
from sciteff.efficiency import malmquist_shards as ms
from sciteff.efficiency.engine import UncertifiedError
from sciteff.efficiency.malmquist import malmquist, prepare_panel
from sciteff.efficiency.shards import shard_units

INPUTS, OUTPUTS = ["x1", "x2"], ["y1", "y2"]


def panel_frame(n: int, periods: int, seed: int) -> pd.DataFrame:
    """n DMUs over ``periods`` years, 2 inputs and 2 outputs, with drifting technology."""
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(periods):
        x = rng.uniform(1, 10, (n, 2))
        y = rng.uniform(1, 10, (n, 2)) * (1 + 0.1 * t)
        for i in range(n):
            rows.append({"dmu": f"u{i:03d}", "t": 2010 + t, "x1": x[i, 0], "x2": x[i, 1],
                         "y1": y[i, 0], "y2": y[i, 1]})  # fmt: skip
    return pd.DataFrame(rows)


def lp_distance(x0, y0, xr, yr, rts: str, orientation: str) -> float:
    """The radial distance of (x0, y0) against all of (xr, yr), solved from scratch."""
    n, m = xr.shape
    s = yr.shape[1]
    c = np.zeros(n + 1)
    if orientation == "in":  # min theta: X'l <= theta x0, Y'l >= y0
        c[0] = 1.0
        a = np.block([[-x0[:, None], xr.T], [np.zeros((s, 1)), -yr.T]])
        b = np.concatenate([np.zeros(m), -y0])
    else:  # max phi: X'l <= x0, Y'l >= phi y0
        c[0] = -1.0
        a = np.block([[np.zeros((m, 1)), xr.T], [y0[:, None], -yr.T]])
        b = np.concatenate([x0, np.zeros(s)])
    eq = dict(A_eq=np.concatenate([[0.0], np.ones(n)])[None, :], b_eq=[1.0]) if rts == "vrs" else {}
    res = linprog(c, A_ub=a, b_ub=b, bounds=[(0, None)] * (n + 1), method="highs", **eq)
    if res.status == 2:
        return float("nan")
    assert res.status == 0, res.message
    return res.x[0] if orientation == "in" else 1.0 / res.x[0]


def full_reference(panel, kind: str, front):
    """All DMUs generating the technology, with no pruning at all."""
    if kind == "adjacent":
        upto = [front]
    elif kind == "sequential":
        upto = panel.periods[: panel.periods.index(front) + 1]
    else:
        upto = panel.periods
    return np.vstack([panel.x[p] for p in upto]), np.vstack([panel.y[p] for p in upto])


@pytest.mark.parametrize("orientation", ["in", "out"])
@pytest.mark.parametrize("frontier", ["adjacent", "sequential", "global"])
def test_every_distance_equals_the_lp_against_the_full_reference_set(
    orientation, frontier, monkeypatch
):
    # 120 DMUs: enough that frontier pruning (LP step included) removes most of each period.
    engine_rows = []
    real = ms.radial_scores

    def counted(x_eval, *args, **kw):
        engine_rows.append(x_eval.shape[0])
        return real(x_eval, *args, **kw)

    monkeypatch.setattr(ms, "radial_scores", counted)
    panel = prepare_panel(panel_frame(120, 3, seed=4), dmu="dmu", period="t", inputs=INPUTS,
                          outputs=OUTPUTS)  # fmt: skip
    fronts = ms.frontiers(panel, orientation, frontier)
    assert max(f.size for f in fronts.values()) < 60  # the LPs really were against fewer units
    got = ms.distances(panel, orientation, frontier, workers=1)
    assert set(got) == set(ms.distances_needed(panel.periods, frontier))
    # The batched simplex answered (and certified) nearly all LPs; the engine the rest.
    assert sum(engine_rows) <= 0.05 * 120 * len(got)
    for (rts, kind, front, data), values in got.items():
        xr, yr = full_reference(panel, kind, front)
        expected = [
            lp_distance(panel.x[data][i], panel.y[data][i], xr, yr, rts, orientation)
            for i in range(0, 120, 7)
        ]
        np.testing.assert_allclose(values[::7], expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("frontier", ["adjacent", "sequential", "global"])
def test_sharded_plan_gives_the_unsharded_distances_bit_for_bit(frontier):
    data = panel_frame(ms.BLOCK_SIZE + 37, 3, seed=5)  # two blocks, the last one short
    kwargs = dict(dmu="dmu", period="t", inputs=INPUTS, outputs=OUTPUTS, frontier=frontier)
    one = malmquist(data, workers=1, **kwargs)
    two = malmquist(data, workers=2, **kwargs)
    pd.testing.assert_frame_equal(one.indices, two.indices, check_exact=True)
    panel = prepare_panel(data, dmu="dmu", period="t", inputs=INPUTS, outputs=OUTPUTS)
    blocks = ms.plan_blocks(len(panel.dmus))
    assert len(blocks) == 2
    fronts = ms.frontiers(panel, "in", frontier)
    for shards in (1, 2, 3):
        runs = shard_units(blocks, shards)
        parts = [p for run in runs for p in ms.score_blocks(panel, run, fronts, "in", frontier)]
        distances = ms.gather_blocks(parts[::-1], blocks)  # shards may finish in any order
        sharded = malmquist(data, distances=distances, **kwargs)
        pd.testing.assert_frame_equal(sharded.indices, one.indices, check_exact=True)
        pd.testing.assert_frame_equal(sharded.annual_means, one.annual_means, check_exact=True)
        pd.testing.assert_frame_equal(sharded.firm_means, one.firm_means, check_exact=True)


def test_gather_refuses_a_missing_or_doubled_block():
    panel = prepare_panel(panel_frame(ms.BLOCK_SIZE + 5, 2, seed=6), dmu="dmu", period="t",
                          inputs=INPUTS, outputs=OUTPUTS)  # fmt: skip
    blocks = ms.plan_blocks(len(panel.dmus))
    fronts = ms.frontiers(panel, "in", "adjacent")
    parts = ms.score_blocks(panel, blocks, fronts, "in", "adjacent")
    with pytest.raises(ValueError, match="1 blocks missing"):
        ms.gather_blocks(parts[:1], blocks)
    with pytest.raises(ValueError, match="scored twice"):
        ms.gather_blocks([*parts, parts[0]], blocks)


def test_distances_of_another_panel_are_refused():
    data = panel_frame(10, 2, seed=7)
    small = panel_frame(9, 2, seed=7)
    panel = prepare_panel(small, dmu="dmu", period="t", inputs=INPUTS, outputs=OUTPUTS)
    distances = ms.distances(panel, "in", "adjacent", workers=1)
    with pytest.raises(SolverError, match=r"expected \(10,\)"):
        malmquist(data, dmu="dmu", period="t", inputs=INPUTS, outputs=OUTPUTS,
                  distances=distances)  # fmt: skip


def test_an_uncertifiable_lp_names_the_dmus_and_periods(monkeypatch):
    # Simulate the two failure layers for the VRS LPs of period 2011's data: the batched
    # simplex certifies no answer for DMUs u002 and u005 (NaN), and the engine, which then
    # re-solves those two, raises UncertifiedError for the second of them (its row 1), as it
    # does when nothing certifies an LP. The message must name u005 and the periods.
    data = panel_frame(6, 2, seed=8)
    x_2011 = data.loc[data["t"] == 2011, INPUTS].to_numpy()
    real_batch, real_engine = ms._batch_scores, ms.radial_scores

    def is_target(x, rts):
        return rts == "vrs" and x.shape[0] and np.all(np.isin(x[:, 0], x_2011[:, 0]))

    def batch(x0, y0, ref, rts, orientation, **kw):
        score = real_batch(x0, y0, ref, rts, orientation, **kw)
        if is_target(x0, rts):
            score[[2, 5]] = np.nan
        return score

    def engine(x_eval, y_eval, x_ref, y_ref, **kw):
        if is_target(x_eval, kw["rts"]):
            assert np.array_equal(x_eval, x_2011[[2, 5]])
            raise UncertifiedError("no certificate", rows=[1])
        return real_engine(x_eval, y_eval, x_ref, y_ref, **kw)

    monkeypatch.setattr(ms, "_batch_scores", batch)
    monkeypatch.setattr(ms, "radial_scores", engine)
    with pytest.raises(SolverError) as caught:
        malmquist(data, dmu="dmu", period="t", inputs=INPUTS, outputs=OUTPUTS, workers=1)
    message = str(caught.value)
    assert "VRS distance of period 2011's data to the frontier of period 2011" in message
    assert "for 1 DMU(s): 'u005'" in message
    assert "row" not in message


@pytest.mark.parametrize("frontier", ["adjacent", "global"])
def test_frontiers_pruned_in_chunks_give_the_full_reference_distances(frontier, monkeypatch):
    # Dominance in chunks of 25 units (then the union of the chunks' survivors again), and the
    # LP step seeded by the frontier of the first 20 undominated units, every other unit
    # screened against it: the distances must still be those against all DMUs.
    monkeypatch.setattr(ms, "PRUNE_CHUNK", 25)
    monkeypatch.setattr(ms, "SEED_SIZE", 20)
    panel = prepare_panel(panel_frame(120, 2, seed=9), dmu="dmu", period="t", inputs=INPUTS,
                          outputs=OUTPUTS)  # fmt: skip
    got = ms.distances(panel, "in", frontier, workers=1)
    for (rts, kind, front, data), values in got.items():
        xr, yr = full_reference(panel, kind, front)
        expected = [
            lp_distance(panel.x[data][i], panel.y[data][i], xr, yr, rts, "in")
            for i in range(0, 120, 11)
        ]
        np.testing.assert_allclose(values[::11], expected, rtol=1e-9, atol=1e-12)
