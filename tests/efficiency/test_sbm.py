"""Tone's SBM, super-SBM and SBM with undesirable outputs.

Expected numbers: hand-solved examples (arithmetic shown), the radial DEA scores where SBM must
equal them (one input, input orientation; one output, output orientation), Andersen-Petersen
scores where super-SBM must equal them, and R deaR 1.5.3 on the data sets of Tone's papers
(reference/sbm_deaR.R wrote reference/sbm_deaR.csv and the data files beside it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.sbm import sbm
from sciteff.efficiency.summary import super_efficiency, vrs_summary

REF = Path(__file__).parent / "reference"

# Tone (2001), p. 505 (deaR's Tone2001 data set).
TONE2001 = pd.DataFrame(
    {
        "dmu": ["A", "B", "C", "D", "E"],
        "x1": [4.0, 6, 8, 8, 2],
        "x2": [3.0, 3, 1, 1, 4],
        "y1": [2.0, 2, 6, 6, 1],
        "y2": [3.0, 3, 2, 1, 4],
    }
)
# Tone (2003), undesirable outputs: one input (all 1), good output yg, bad output yb.
TONE2003 = pd.DataFrame(
    {
        "dmu": list("ABCDEFGHI"),
        "x": [1.0] * 9,
        "yg": [1.0, 2, 6, 8, 9, 5, 4, 6, 4],
        "yb": [1.0, 1, 2, 4, 7, 2, 3, 4, 6],
    }
)


def _random(seed: int, n: int, m: int, s: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    rng = np.random.default_rng(seed)
    ins = [f"x{i}" for i in range(m)]
    outs = [f"y{r}" for r in range(s)]
    frame = pd.DataFrame(rng.uniform(1, 10, size=(n, m + s)), columns=ins + outs)
    frame.insert(0, "dmu", [f"d{j}" for j in range(n)])
    return frame, ins, outs


def test_tone2001_hand_solved():
    res = sbm(TONE2001, ["x1", "x2"], ["y1", "y2"], dmu="dmu", orientation="non", rts="crs")
    # D = (8, 1; 6, 1) is C = (8, 1; 6, 2) with one unit less of y2: s+_2 = 1, nothing else,
    # rho = 1 / (1 + (1/2)(1/1)) = 2/3.
    assert res.loc[3, "sbm"] == pytest.approx(2 / 3)
    assert res.loc[3, ["slack_x1", "slack_x2", "slack_y1", "slack_y2"]].tolist() == pytest.approx(
        [0, 0, 0, 1]
    )
    assert res.loc[3, ["target_y1", "target_y2"]].tolist() == pytest.approx([6, 2])
    # C and E are extreme points of the CRS technology: SBM-efficient, all slacks zero.
    assert res.loc[[2, 4], "sbm"].tolist() == pytest.approx([1, 1])


ORIENTED = pd.DataFrame(
    {
        "dmu": list("ABCDEF"),
        "x1": [2.0, 2, 6, 3, 6, 5],
        "x2": [5.0, 4, 6, 2, 2, 3],
        "y": [1.0, 2, 3, 1, 2, 2],
    }
)


@pytest.mark.parametrize(
    ("orientation", "score", "slacks"),
    [
        # Input orientation, CRS: per unit of y the cheapest input mix under the weights
        # (1/(2 x1), 1/(2 x2)) = (0.25, 0.1) of A = (2, 5; 1) is B's (1, 2): 0.45 (D's 0.95,
        # E's 0.85, C's 0.7, F's 0.775), so s- = (1, 3), rho_I = 1 - 0.55 = 0.45; no output
        # slack is left (more y needs more input).
        ("in", 0.45, [1, 3, 0]),
        # Output orientation: with x <= (2, 5) the most y is B's ray, y = 2 (x1 binds: one unit
        # of x1 per y is the least of any DMU), s+ = 1, rho_O = 1 / (1 + 1) = 0.5; the second
        # stage leaves x2 = 4 of 5: s- = (0, 1).
        ("out", 0.5, [0, 1, 1]),
    ],
)
def test_oriented_sbm_hand_solved_to_the_last_digit(orientation, score, slacks):
    """The second stage holds the score exactly: slacks and targets come out as the hand
    solution, not moved by a tolerance on the held score (they were off by ~1e-9)."""
    res = sbm(ORIENTED, ["x1", "x2"], ["y"], dmu="dmu", orientation=orientation)
    row = res.loc[0]
    assert row["sbm"] == pytest.approx(score, abs=1e-14)
    got = row[["slack_x1", "slack_x2", "slack_y"]].to_numpy(dtype=float)
    np.testing.assert_allclose(got, slacks, rtol=0, atol=1e-12)
    targets = row[["target_x1", "target_x2", "target_y"]].to_numpy(dtype=float)
    expected = np.array([2.0, 5, 1]) + np.array([-1, -1, 1]) * np.array(slacks)
    np.testing.assert_allclose(targets, expected, rtol=0, atol=1e-12)


def test_undesirable_outputs_hand_solved():
    res = sbm(TONE2003, ["x"], ["yg"], undesirable=["yb"], dmu="dmu", rts="vrs")
    # rho = 1 / (1 + (1/2)(s_g / yg + s_b / yb)) with the single input never in slack (x = 1).
    # A (1; 1) -> B (2; 1): s_g = 1: 1 / (1 + 1/2) = 2/3.
    # H (6; 4) -> C (6; 2): s_b = 2: 1 / (1 + (1/2)(2/4)) = 0.8.
    # I (4; 6) -> D (8; 4): s_g = 4, s_b = 2: 1 / (1 + (1/2)(1 + 1/3)) = 0.6.
    got = dict(zip(res["dmu"], res["sbm"], strict=True))
    assert [got["A"], got["H"], got["I"]] == pytest.approx([2 / 3, 0.8, 0.6])
    h = res.set_index("dmu").loc["H"]
    assert [h["slack_yg"], h["slack_yb"], h["target_yb"]] == pytest.approx([0, 2, 2])
    # B, C, D, E span the frontier (more good output only with more bad output).
    assert [got[k] for k in "BCDE"] == pytest.approx([1, 1, 1, 1])


def test_undesirable_may_also_be_listed_among_outputs():
    a = sbm(TONE2003, ["x"], ["yg", "yb"], undesirable=["yb"], dmu="dmu", rts="vrs")
    b = sbm(TONE2003, ["x"], ["yg"], undesirable=["yb"], dmu="dmu", rts="vrs")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_one_input_input_oriented_equals_radial(rts):
    # With one input, the input-oriented SBM is 1 - s-/x minimised, i.e. the radial theta.
    frame, ins, outs = _random(1, 25, 1, 3)
    res = sbm(frame, ins, outs, dmu="dmu", orientation="in", rts=rts)
    radial = vrs_summary(frame, ins, outs, dmu="dmu", slacks="none")
    assert res["sbm"].to_numpy() == pytest.approx(radial[f"{rts}te"].to_numpy(), abs=1e-7)


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_one_output_output_oriented_equals_radial(rts):
    # With one output, 1 / (1 + s+/y) maximised over s+ is 1/phi, the Farrell output score.
    frame, ins, outs = _random(2, 25, 3, 1)
    res = sbm(frame, ins, outs, dmu="dmu", orientation="out", rts=rts)
    radial = vrs_summary(frame, ins, outs, dmu="dmu", orientation="out", slacks="none")
    assert res["sbm"].to_numpy() == pytest.approx(radial[f"{rts}te"].to_numpy(), abs=1e-7)


def test_sbm_never_exceeds_ccr():
    # Tone (2001), Theorem 2: rho_SBM <= theta_CCR.
    frame, ins, outs = _random(3, 30, 3, 2)
    res = sbm(frame, ins, outs, dmu="dmu", orientation="non", rts="crs")
    radial = vrs_summary(frame, ins, outs, dmu="dmu", slacks="none")
    assert np.all(res["sbm"].to_numpy() <= radial["crste"].to_numpy() + 1e-9)
    assert np.all(res["sbm"] > 0)


@pytest.mark.parametrize("orientation", ["in", "out", "non"])
def test_units_invariance(orientation):
    frame, ins, outs = _random(4, 20, 2, 2)
    scaled = frame.copy()
    factors = {"x0": 1000.0, "x1": 0.001, "y0": 7.0, "y1": 1e5}
    for name, f in factors.items():
        scaled[name] = scaled[name] * f
    a = sbm(frame, ins, outs, dmu="dmu", orientation=orientation, rts="vrs")
    b = sbm(scaled, ins, outs, dmu="dmu", orientation=orientation, rts="vrs")
    assert b["sbm"].to_numpy() == pytest.approx(a["sbm"].to_numpy(), abs=1e-8)
    for name, f in factors.items():
        assert b[f"target_{name}"].to_numpy() == pytest.approx(
            a[f"target_{name}"].to_numpy() * f, rel=1e-6, abs=1e-6 * f
        )


def test_monotone_in_excess_input_and_bad_output():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(15, 4)), columns=["x0", "x1", "y0", "b0"])
    base = sbm(frame, ["x0", "x1"], ["y0"], undesirable=["b0"], rts="vrs")["sbm"].to_numpy()
    for j in range(15):
        more = frame.copy()
        more.loc[j, "x1"] *= 1.5
        more.loc[j, "b0"] *= 1.5
        worse = sbm(more, ["x0", "x1"], ["y0"], undesirable=["b0"], rts="vrs")["sbm"]
        assert worse.iloc[j] <= base[j] + 1e-9


def test_one_input_one_output_super_sbm_equals_andersen_petersen():
    # One input, input orientation, CRS: delta_I = 1 + t-/x is the radial AP score.
    frame, ins, outs = _random(6, 12, 1, 1)
    res = sbm(frame, ins, outs, dmu="dmu", orientation="in", rts="crs", super_sbm=True)
    ap = super_efficiency(frame, ins, outs, dmu="dmu", rts="crs")
    eff = res["efficient"].to_numpy()
    assert eff.sum() == 1  # one input, one output, CRS: only the best ratio is efficient
    assert res["super_sbm"].to_numpy() == pytest.approx(ap["super_te"].to_numpy(), abs=1e-8)
    assert res.loc[~eff, "super_status"].eq("not efficient").all()


def test_super_sbm_hand_solved_and_infeasible_vrs():
    # DEAP EG1: y = 1 2 3 1 2, x1 = 2 2 6 3 6, x2 = 5 4 6 2 2.
    eg1 = pd.DataFrame({"y": [1.0, 2, 3, 1, 2], "x1": [2.0, 2, 6, 3, 6], "x2": [5.0, 4, 6, 2, 2]})
    res = sbm(eg1, ["x1", "x2"], ["y"], orientation="in", rts="crs", super_sbm=True)
    # DMU 2 (2, 4; 2) without itself, CRS. Every other DMU has x1 / y >= 2, so any lambda with
    # sum lambda y >= 2 has sum lambda x1 >= 4: t-_1 >= 2 and delta >= 1 + (1/2)(2/2) = 1.5.
    # 2/3 of DMU 3 = (4, 4; 2) attains it (t- = (2, 0)): delta = 1.5.
    assert res.loc[1, "super_sbm"] == pytest.approx(1.5)
    vrs = sbm(eg1, ["x1", "x2"], ["y"], orientation="in", rts="vrs", super_sbm=True)
    # DMU 3 has the largest output; without it, no convex combination reaches y = 3.
    assert vrs.loc[2, "super_status"] == "infeasible" and np.isnan(vrs.loc[2, "super_sbm"])
    non = sbm(eg1, ["x1", "x2"], ["y"], orientation="non", rts="vrs", super_sbm=True)
    # Non-oriented super-SBM is always feasible (y_bar may shrink).
    assert non.loc[non["efficient"], "super_status"].eq("optimal").all()
    assert np.all(non.loc[non["efficient"], "super_sbm"] >= 1)


def _dear_reference() -> pd.DataFrame:
    path = REF / "sbm_deaR.csv"
    if not path.exists():
        pytest.fail("reference/sbm_deaR.csv is missing: rerun reference/sbm_deaR.R")
    return pd.read_csv(path)


ORIENT = {"no": "non", "io": "in", "oo": "out"}
DATASETS = {
    "tone2001": ("tone2001.csv", ["Input1", "Input2"], ["Output1", "Output2"], []),
    "tone2003": ("tone2003.csv", ["x"], ["yg", "yb"], ["yb"]),
    "power_plants": ("power_plants.csv", ["X1", "X2", "X3", "X4"], ["Y1", "Y2"], []),
    "zeros": ("sbm_zeros.csv", ["x1", "x2"], ["y1", "y2"], []),
}


def _cases() -> list[str]:
    path = REF / "sbm_deaR.csv"
    return sorted(pd.read_csv(path)["case"].unique()) if path.exists() else []


@pytest.mark.parametrize("case", _cases())
def test_matches_dear(case):
    ref = _dear_reference()
    ref = ref[ref["case"] == case]
    name, orient, rts = case.rsplit("_", 2)
    is_super = name.endswith("_super")
    name = name.removesuffix("_super")
    file, ins, outs, bad = DATASETS[name]
    data = pd.read_csv(REF / file)
    label = data.columns[0]
    res = sbm(
        data,
        ins,
        outs,
        dmu=label,
        orientation=ORIENT[orient],
        rts=rts,
        undesirable=bad,
        super_sbm=is_super,
    )
    assert res["dmu"].tolist() == ref["dmu"].astype(str).tolist()
    if not is_super:
        assert res["sbm"].to_numpy() == pytest.approx(ref["score"].to_numpy(), abs=1e-6)
        return
    # deaR solves the super-SBM LP for every DMU; Tone's super-SBM is for SBM-efficient ones.
    eff = res["efficient"].to_numpy()
    want = ref["score"].to_numpy()[eff]
    got = res["super_sbm"].to_numpy()[eff]
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert got[~np.isnan(got)] == pytest.approx(want[~np.isnan(want)], abs=1e-6)


def test_negative_data_is_an_error():
    bad = TONE2001.copy()
    bad.loc[1, "y2"] = -1.0
    with pytest.raises(InputError, match="negative"):
        sbm(bad, ["x1", "x2"], ["y1", "y2"], dmu="dmu")


def test_zero_input_is_allowed_but_not_all_zero_inputs():
    data = TONE2001.copy()
    data.loc[0, "x2"] = 0.0
    res = sbm(data, ["x1", "x2"], ["y1", "y2"], dmu="dmu")
    assert np.all(np.isfinite(res["sbm"]))
    data.loc[0, "x1"] = 0.0
    with pytest.raises(InputError, match="all inputs are zero"):
        sbm(data, ["x1", "x2"], ["y1", "y2"], dmu="dmu")
    with pytest.raises(InputError, match="zero for every DMU"):
        sbm(TONE2001.assign(y2=0.0), ["x1", "x2"], ["y1", "y2"], dmu="dmu")


def test_bad_choices_are_errors():
    with pytest.raises(ValueError, match="orientation"):
        sbm(TONE2001, ["x1"], ["y1"], dmu="dmu", orientation="both")
    with pytest.raises(InputError, match="desirable output"):
        sbm(TONE2001, ["x1"], ["y1"], dmu="dmu", undesirable=["y1"])


def test_configured_analysis_scores_each_period_with_undesirable_outputs():
    from sciteff.efficiency.analyses import run_sbm

    later = TONE2003.assign(yb=TONE2003["yb"] * 2)  # period 2: every bad output doubled
    data = pd.concat([TONE2003.assign(period=1), later.assign(period=2)], ignore_index=True)
    spec = {"inputs": ["x"], "outputs": ["yg"], "undesirable": ["yb"], "rts": "vrs"}
    out = run_sbm(data, {**spec, "super": True}, source="test")
    assert list(out.columns[:3]) == ["period", "dmu", "sbm"]
    # Doubling every bad output is a change of units of yb: the scores do not change.
    first = out[out.period == 1]["sbm"].to_numpy()
    assert first == pytest.approx(out[out.period == 2]["sbm"].to_numpy())
    assert first[[0, 7, 8]] == pytest.approx([2 / 3, 0.8, 0.6])  # A, H, I as solved above
    assert "super_sbm" in out.columns and out["efficient"].sum() == 8


def test_configured_undesirable_analysis_on_the_test_panel():
    import yaml

    from sciteff.efficiency.analyses import run_sbm, scored_rows
    from sciteff.ingest.panels import load_panel_spec, read_panel, year_files

    root = Path(__file__).resolve().parents[2]
    folder = root / "raw_data" / "panels" / "sbm_test_tone2003"
    config = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))
    spec = config["analyses"]["test_sbm_undesirable"]
    assert "TEST DATA" in (folder / "dataset.yaml").read_text(encoding="utf-8")
    panel = read_panel(year_files(folder), load_panel_spec(folder / "dataset.yaml"))
    variables = [*spec["inputs"], *spec["outputs"], *spec["undesirable"]]
    data, dropped = scored_rows(panel, spec, variables, source="sbm_test_tone2003")
    assert dropped.empty and len(data) == 9  # Tone's nine DMUs, one period
    out = run_sbm(data, spec, source="sbm_test_tone2003").set_index("dmu")
    # Tone's example as solved by hand above: A 2/3, H 0.8, I 0.6.
    got = out.loc[["Test DMU A", "Test DMU H", "Test DMU I"], "sbm"].tolist()
    assert got == pytest.approx([2 / 3, 0.8, 0.6])
    assert out.loc["Test DMU H", "slack_test_bad_output"] == pytest.approx(2.0)
    # A missing bad output: an error naming the raw line, or with drop_incomplete a listed drop.
    gap = panel.copy()
    gap.loc[gap["region"] == "Test DMU H", spec["undesirable"][0]] = float("nan")
    with pytest.raises(InputError, match="has no value"):
        scored_rows(gap, spec, variables, source="sbm_test_tone2003")
    kept, dropped = scored_rows(
        gap, {**spec, "drop_incomplete": True}, variables, source="sbm_test_tone2003"
    )
    assert len(kept) == 8 and dropped["reason"].str.startswith("missing value").all()
    assert "Test DMU H" not in set(kept["dmu"]) and len(dropped) == 1
