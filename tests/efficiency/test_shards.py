"""Sharded DEA in the library: any split into shards gives the unsharded bytes, and the
block computation agrees with the direct one (vrs_summary, super-efficiency) to LP accuracy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency import shards
from sciteff.efficiency.analyses import dea_table, run_dea
from sciteff.efficiency.summary import super_efficiency_columns, vrs_summary
from sciteff.efficiency.validate import allowing_zeros

SPEC = {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"]}


def firms(n: int, seed: int, period: int = 2020) -> pd.DataFrame:
    """Size-clustered synthetic firms: scale varies over two orders of magnitude."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0, 1, (n, 1))
    data = pd.DataFrame(
        np.hstack([rng.uniform(1, 10, (n, 2)) * size, rng.uniform(1, 10, (n, 2)) * size]),
        columns=["x1", "x2", "y1", "y2"],
    )
    data.insert(0, "dmu", [f"f{period}_{i}" for i in range(n)])
    data.insert(1, "period", period)
    return data


def sharded(data: pd.DataFrame, spec: dict, count: int) -> pd.DataFrame:
    """The three workflow steps in one process: frontier, ``count`` shards, gather."""
    units = shards.plan_units(data)
    fronts = shards.frontiers(data, spec, source="test")
    parts = []
    for run in reversed(shards.shard_units(units, count)):  # any order of completion
        parts += shards.score_units(data, spec, run, fronts, source="test")
    return dea_table(shards.gather_units(parts, units))


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    # One small period (scored whole) and one large period (three blocks).
    return pd.concat([firms(40, 1, 2019), firms(1200, 2, 2020)], ignore_index=True)


@pytest.fixture(scope="module")
def unsharded(panel) -> pd.DataFrame:
    return run_dea(panel, SPEC, source="test")


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_any_number_of_shards_writes_the_unsharded_bytes(panel, unsharded, count):
    result = sharded(panel, SPEC, count)
    assert result.to_csv(index=False) == unsharded.to_csv(index=False)


def test_unsharded_run_does_not_depend_on_its_worker_count(panel, unsharded):
    one = shards.scored_periods(panel, SPEC, source="test", workers=1)
    assert dea_table(one).to_csv(index=False) == unsharded.to_csv(index=False)


def test_output_orientation_and_two_stage_slacks_shard_identically():
    data = firms(700, 5)
    spec = {**SPEC, "orientation": "out", "slacks": "two-stage"}
    assert sharded(data, spec, 2).to_csv(index=False) == run_dea(data, spec, source="test").to_csv(
        index=False
    )


def test_blocks_agree_with_the_direct_computation(panel, unsharded):
    large = panel[panel["period"] == 2020].reset_index(drop=True)
    mine = unsharded[unsharded["period"] == 2020].reset_index(drop=True)
    direct = vrs_summary(large, SPEC["inputs"], SPEC["outputs"], dmu="dmu")
    supers = super_efficiency_columns(large, SPEC["inputs"], SPEC["outputs"], dmu="dmu")
    assert list(mine.columns[1:6]) == list(direct.columns[:5])
    assert set(direct.columns) | set(supers.columns) <= set(mine.columns)
    assert (mine["dmu"] == direct["dmu"]).all()
    assert (mine["rts"] == direct["rts"]).all()
    for column in ["crste", "vrste", "nirs_te", "scale"]:
        np.testing.assert_allclose(mine[column], direct[column], rtol=0, atol=1e-9)
    for column in [c for c in direct.columns if c.startswith(("slack_", "target_"))]:
        np.testing.assert_allclose(mine[column], direct[column], rtol=1e-6, atol=1e-6)
    for column in ["super_te_crs", "super_te_vrs"]:
        np.testing.assert_allclose(mine[column], supers[column], rtol=0, atol=1e-9)
        assert (mine[f"{column}_status"] == supers[f"{column}_status"]).all()
    # A DMU outside the frontier has super-efficiency equal to its score; some are above 1.
    assert (mine["super_te_vrs"] > 1).any()


def test_small_periods_are_scored_exactly_as_before():
    data = firms(60, 3)
    summary = vrs_summary(data, SPEC["inputs"], SPEC["outputs"], dmu="dmu")
    result = run_dea(data, SPEC, source="test")
    for column in summary.columns:
        assert result[column].astype(str).tolist() == summary[column].astype(str).tolist()


def test_shards_split_units_contiguously_and_completely():
    units = shards.plan_units(pd.concat([firms(1200, 1, 2019), firms(30, 2, 2020)]))
    assert [(u.period, u.start, u.stop, u.whole) for u in units] == [
        (2019, 0, 500, False),
        (2019, 500, 1000, False),
        (2019, 1000, 1200, False),
        (2020, 0, 30, True),
    ]
    runs = shards.shard_units(units, 2)
    assert [u for run in runs for u in run] == units
    assert all(runs)
    assert len(shards.shard_units(units, 9)) == 9


def test_shard_count_from_config():
    assert shards.shard_count({}, 10_000) == 1
    assert shards.shard_count({"shards": 4}, 10_000) == 4
    assert shards.shard_count({"shard_size": 3000}, 10_000) == 4
    assert shards.shard_count({"shards": 1, "shard_size": 5000}, 10_000) == 2


def test_gather_refuses_missing_or_duplicate_units(panel):
    units = shards.plan_units(panel)
    fronts = shards.frontiers(panel, SPEC, source="test")
    parts = shards.score_units(panel, SPEC, units[:2], fronts, source="test")
    with pytest.raises(ValueError, match="missing"):
        shards.gather_units(parts, units)
    with pytest.raises(ValueError, match="twice"):
        shards.gather_units(parts + parts[:1], units)


def test_intermediates_round_trip(tmp_path, panel):
    fronts = shards.frontiers(panel, SPEC, source="test")
    path = shards.save(fronts, tmp_path / "f.pkl")
    back = shards.load(path)
    assert set(back) == {2020}
    for rts in ("crs", "vrs", "nirs"):
        assert np.array_equal(back[2020].frontier[rts], fronts[2020].frontier[rts])


def test_super_efficiency_against_the_reduced_reference_is_exact():
    # Exact copies of frontier DMUs and DMUs dominated by a single frontier DMU only: removing
    # that DMU brings them back into play, so the reduced reference set must hold them.
    data = firms(650, 9)
    front = shards.period_frontier(data, SPEC, 2020)
    efficient = front.frontier["vrs"][:5]
    extra = data.iloc[efficient].copy()
    extra["dmu"] = [f"copy{i}" for i in range(len(extra))]
    shrunk = data.iloc[efficient[5:10] if efficient.size > 10 else efficient].copy()
    shrunk[SPEC["outputs"]] *= 0.999
    shrunk["dmu"] = [f"shrunk{i}" for i in range(len(shrunk))]
    data = pd.concat([data, extra, shrunk], ignore_index=True)
    mine = run_dea(data, SPEC, source="test")
    supers = super_efficiency_columns(data, SPEC["inputs"], SPEC["outputs"], dmu="dmu")
    for column in ["super_te_crs", "super_te_vrs"]:
        np.testing.assert_allclose(mine[column], supers[column], rtol=0, atol=1e-9)
        assert (mine[f"{column}_status"] == supers[f"{column}_status"]).all()
    # A copied DMU is never super-efficient (its twin is still there): super_te is its score.
    copies = mine[mine["dmu"].str.startswith("copy")]
    np.testing.assert_allclose(copies["super_te_vrs"], copies["vrste"], rtol=0, atol=1e-9)
    assert (copies["vrste"] > 1 - 1e-9).any()


def test_zeros_allowed_in_a_large_period_give_statuses_as_the_direct_run():
    """A period scored in blocks (> 500 DMUs) reports an LP that allowed zeros make unbounded
    as a status with blank numbers, exactly as vrs_summary does for the whole period: DMUs
    producing nothing cannot be expanded radially (phi unbounded, output orientation)."""
    rng = np.random.default_rng(3)
    n = 620
    data = pd.DataFrame(
        {
            "dmu": [f"f{i}" for i in range(n)],
            "period": 2020,
            **{c: rng.uniform(1, 10, n) for c in ["x1", "x2", "y1", "y2"]},
        }
    )
    nothing = [5, 300, 610]
    data.loc[nothing, ["y1", "y2"]] = 0.0
    data.loc[7, "y1"] = 0.0  # one zero output only: still a finite phi
    spec = {
        "inputs": ["x1", "x2"],
        "outputs": ["y1", "y2"],
        "orientation": "out",
        "slacks": "multi-stage",
        "allow_zero": True,
    }
    blocks = shards.scored_periods(data, spec, source="test", workers=1)[0][1]
    with allowing_zeros(True):
        direct = vrs_summary(data.drop(columns="period"), ["x1", "x2"], ["y1", "y2"], dmu="dmu",
                             orientation="out")  # fmt: skip
    assert list(blocks.columns) == list(direct.columns)
    assert list(np.flatnonzero(blocks["status"] != "optimal")) == nothing
    assert (blocks["status"] == direct["status"]).all()
    assert blocks.loc[nothing, ["crste", "vrste", "scale", "target_y1"]].isna().all().all()
    assert (blocks.loc[nothing, "peers"] == "").all()
    for column in ["crste", "vrste", "nirs_te", "crs_phi", "vrs_phi"]:
        np.testing.assert_allclose(blocks[column], direct[column], rtol=0, atol=1e-9)


def test_zero_input_units_give_super_efficiency_statuses_as_the_direct_run():
    """Allowed zeros, output orientation, a period scored in blocks: units using no input
    make the CRS phi of a DMU unbounded when every output it has is also made by one of them,
    and DMUs producing nothing are unbounded under every RTS. Their super-efficiency is the
    status "unbounded" (or "infeasible"), never a number, in the blocks as in the direct run
    (super_efficiency_columns), which agree on every status and score."""
    rng = np.random.default_rng(4)
    n = 620
    data = pd.DataFrame(
        {
            "dmu": [f"f{i}" for i in range(n)],
            "period": 2020,
            **{c: rng.uniform(1, 10, n) for c in ["x1", "x2", "y1", "y2"]},
        }
    )
    data.loc[[11, 400], ["x1", "x2"]] = 0.0  # no input, and y2 = 0: free y1 under CRS
    data.loc[[11, 400], "y2"] = 0.0
    data.loc[[30, 530], "y2"] = 0.0  # only y1: phi unbounded under CRS
    data.loc[[5, 333], ["y1", "y2"]] = 0.0  # nothing: unbounded under every RTS
    spec = {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"], "orientation": "out",
            "allow_zero": True}  # fmt: skip
    ranks = shards.scored_periods(data, spec, source="test", workers=1)[0][2]
    with allowing_zeros(True):
        direct = super_efficiency_columns(
            data.drop(columns="period"), ["x1", "x2"], ["y1", "y2"], dmu="dmu", orientation="out"
        )
    unbounded = [5, 11, 30, 333, 400, 530]
    assert list(np.flatnonzero(direct["super_te_crs_status"] == "unbounded")) == unbounded
    assert direct.loc[unbounded, "super_te_crs"].isna().all()
    for rts in ("crs", "vrs"):
        status = f"super_te_{rts}_status"
        assert (ranks[status].to_numpy() == direct[status].to_numpy()).all(), rts
        np.testing.assert_allclose(
            ranks[f"super_te_{rts}"], direct[f"super_te_{rts}"], rtol=0, atol=1e-9
        )
