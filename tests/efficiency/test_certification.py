"""The certificates, the exact simplex and the uncertifiable-data error of the DEA engine.

Expected values are hand-solved (arithmetic in the comments) or GLPK's exact rational simplex
(see test_exact_reference.py for why it is an independent reference).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import swiglpk as glp

from sciteff.efficiency import engine, fallback
from sciteff.efficiency.certify import (
    Certificate,
    LPData,
    certify_infeasible,
    certify_optimal,
    primal_residual,
)
from sciteff.efficiency.dea import efficiency, vrs_summary
from sciteff.efficiency.engine import RadialModel, UncertifiedError, scale_factors
from sciteff.efficiency.exact import solve_exact

# One input, one output: A (2, 1), B (4, 3), C (6, 4). CRS input score of C: best ratio is
# B's 3/4, so theta_C = (4 / 0.75) / 6 = 8/9, attained by lambda_B = 4/3.
X = np.array([[2.0], [4.0], [6.0]])
Y = np.array([[1.0], [3.0], [4.0]])


def crs_lp(theta_cap=np.inf):
    model = RadialModel(X, Y, rts="crs", orientation="in")
    return model, model.lp_data(X[2], Y[2], np.ones(1, dtype=bool), theta_cap)


def test_true_optimum_is_certified():
    # Dual by hand: v x_C = 1 -> v = 1/6; u y_C = theta = 8/9 -> u = 2/9; B's dual constraint
    # u*3 <= v*4 holds with equality (2/3 = 2/3). In HiGHS's sign convention the input row's
    # multiplier is -v and the output row's +u.
    _, lp = crs_lp(8 / 9)
    z = np.array([8 / 9, 0.0, 4 / 3, 0.0])
    cert = certify_optimal(lp, z, np.array([-1 / 6, 2 / 9]))
    assert cert.ok, cert.reason
    assert cert.objective == pytest.approx(8 / 9, abs=1e-15)


def test_too_low_score_is_refused_by_the_primal_check():
    # theta 0.004 below the optimum with the same lambda violates the input row by
    # 0.004 * 6 = 0.024, far above the relative 1e-9 allowed.
    _, lp = crs_lp(8 / 9)
    z = np.array([8 / 9 - 0.004, 0.0, 4 / 3, 0.0])
    cert = certify_optimal(lp, z, np.array([-1 / 6, 2 / 9]))
    assert not cert.ok and "primal" in cert.reason
    assert primal_residual(lp, z) > 1e-3


def test_too_high_score_is_refused_by_the_dual_bound():
    # theta = 1 with lambda_C = 1 is feasible but not optimal; with the optimal duals the dual
    # bound is 8/9, a gap of 1/9.
    _, lp = crs_lp(1.0)
    z = np.array([1.0, 0.0, 0.0, 1.0])
    cert = certify_optimal(lp, z, np.array([-1 / 6, 2 / 9]))
    assert not cert.ok and "gap" in cert.reason
    assert cert.gap == pytest.approx(1 / 9, rel=1e-12)


def test_wrong_duals_do_not_certify_a_true_optimum():
    # Any multipliers give a valid bound, but u = 0 gives bound 0, not 8/9: no certificate.
    _, lp = crs_lp(8 / 9)
    cert = certify_optimal(lp, np.array([8 / 9, 0.0, 4 / 3, 0.0]), np.array([-1 / 6, 0.0]))
    assert not cert.ok


def _held_score_row(row_mag):
    """SBM's held score in input orientation, ``t - s/2 <= rho`` with t fixed at 1 moved into
    the bound and rho = 1 rounded down by one ulp: ``-s/2 <= -1.1e-16`` over one slack
    ``0 <= s <= 1`` (cost -1/2: the second stage's objective)."""
    return LPData(
        np.array([-0.5]),
        np.array([[-0.5]]),
        np.zeros((0, 1)),
        np.array([-np.inf]),
        np.array([np.nextafter(1.0, 0.0) - 1.0]),
        np.array([np.inf]),
        np.array([1.0]),
        row_mag=row_mag,
    )


def test_a_row_is_judged_relative_to_the_terms_moved_into_its_bounds():
    # s = 0 misses the row by 1.1e-16: relative to the row as written (t = 1 among its
    # terms) that is rounding, relative to what is left after moving t out it is 100 %.
    z = np.zeros(1)
    assert primal_residual(_held_score_row(None), z) == pytest.approx(1.0)
    assert primal_residual(_held_score_row(np.array([1.0])), z) < 2e-16


def test_score_offset_makes_the_gap_relative_to_the_score():
    # min -s/2 over 0 <= s <= 1e-3 (the box), true optimum -5e-4; the claim s = 0 (objective
    # 0) with multiplier 0 has a gap of 5e-4: relative to the objective alone that is
    # infinite, relative to the score 1 + objective it is 5e-4; a claim at the optimum passes.
    lp = LPData(
        np.array([-0.5]),
        np.array([[1.0]]),
        np.zeros((0, 1)),
        np.array([-np.inf]),
        np.array([1e-3]),
        np.array([np.inf]),
        np.array([1e-3]),
    )
    wrong = certify_optimal(lp, np.zeros(1), np.zeros(1), True, offset=1.0)
    assert not wrong.ok and wrong.gap == pytest.approx(5e-4, rel=1e-9)
    right = certify_optimal(lp, np.array([1e-3]), np.array([-0.5]), True, offset=1.0)
    assert right.ok, right.reason


def test_farkas_certificate_of_infeasible_vrs_lp():
    # VRS, reference A and B only, evaluated (x, y) = (5, 5): sum lambda = 1 caps the output
    # at 3 < 5, infeasible. Farkas: output row multiplier 1, convexity -3: row side
    # 1 * 5 - 3 * 1 = 2 > 0 = max over lambda >= 0 of (y_j - 3) lambda_j (y_j <= 3).
    model = RadialModel(X[:2], Y[:2], rts="vrs", orientation="in")
    lp = model.lp_data(np.array([5.0]), np.array([5.0]), np.ones(1, dtype=bool))
    assert certify_infeasible(lp, np.array([0.0, 1.0, -3.0]))
    assert not certify_infeasible(lp, np.array([0.0, 1.0, -6.0]))  # 5 - 6 < 0: no proof
    sol = model.solve(np.array([5.0]), np.array([5.0]))
    assert sol.status == "infeasible" and np.isnan(sol.factor)


def glpk_exact_lp(lp: LPData) -> tuple[str, float]:
    """Objective of an LPData by GLPK's exact simplex (independent of our exact code)."""
    a = np.hstack([lp.extra, lp.ref.T])
    k, ncol = a.shape
    p = glp.glp_create_prob()
    glp.glp_add_rows(p, k)
    glp.glp_add_cols(p, ncol)
    for i in range(k):
        lo, hi = lp.row_lo[i], lp.row_hi[i]
        if np.isfinite(lo) and np.isfinite(hi):
            kind = glp.GLP_FX if lo == hi else glp.GLP_DB
        else:
            kind = glp.GLP_LO if np.isfinite(lo) else glp.GLP_UP if np.isfinite(hi) else glp.GLP_FR
        lo_v, hi_v = (
            (float(lo) if np.isfinite(lo) else 0.0),
            (float(hi) if np.isfinite(hi) else 0.0),
        )
        glp.glp_set_row_bnds(p, i + 1, kind, lo_v, hi_v)
    for j in range(ncol):
        fixed = lp.col_hi[j] == 0
        glp.glp_set_col_bnds(p, j + 1, glp.GLP_FX if fixed else glp.GLP_LO, 0.0, 0.0)
        glp.glp_set_obj_coef(p, j + 1, float(lp.cost[j]))
    nz = np.argwhere(a != 0)
    ia, ja, ar = glp.intArray(len(nz) + 1), glp.intArray(len(nz) + 1), glp.doubleArray(len(nz) + 1)
    for pos, (i, j) in enumerate(nz, start=1):
        ia[pos], ja[pos], ar[pos] = int(i) + 1, int(j) + 1, float(a[i, j])
    glp.glp_load_matrix(p, len(nz), ia, ja, ar)
    parm = glp.glp_smcp()
    glp.glp_init_smcp(parm)
    parm.msg_lev = glp.GLP_MSG_OFF
    glp.glp_simplex(p, parm)  # floating-point solve first: glp_exact then starts from its basis
    assert glp.glp_exact(p, parm) == 0
    status = {glp.GLP_OPT: "optimal", glp.GLP_NOFEAS: "infeasible", glp.GLP_UNBND: "unbounded"}
    out = status[glp.glp_get_status(p)], glp.glp_get_obj_val(p)
    glp.glp_delete_prob(p)
    return out


def test_exact_simplex_hand_case():
    _, lp = crs_lp()
    res = solve_exact(lp)
    assert res.status == "optimal"
    assert res.objective == Fraction(8, 9)  # exactly, not approximately
    assert res.z[2] == Fraction(4, 3)


@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs"])
@pytest.mark.parametrize("orientation", ["in", "out"])
def test_exact_simplex_agrees_with_glpk_exact(rts, orientation):
    rng = np.random.default_rng(11)
    for trial in range(6):
        n = 8 + trial
        x = rng.integers(1, 9, (n, 2)).astype(float) * 10.0 ** rng.integers(-5, 5, 2)
        y = rng.integers(0, 9, (n, 2)).astype(float) + np.array([1.0, 0.0])
        model = RadialModel(x, y, rts=rts, orientation=orientation)
        model.exclude(trial % n if trial % 2 else None)  # also super-efficiency LPs
        k = trial % n
        mask = np.array([True, trial % 3 != 0])  # also the multi-stage masked LPs
        lp = model.lp_data(x[k], y[k], mask)
        ours = solve_exact(lp)
        status, value = glpk_exact_lp(lp)
        assert ours.status == status
        if status == "optimal":
            assert float(ours.objective) == pytest.approx(value, rel=1e-15, abs=1e-300)
        # Warm start from a basis hint (all-slack) must give the same answer.
        hinted = solve_exact(lp, [], list(range(lp.row_lo.size)))
        assert hinted.status == ours.status and hinted.objective == ours.objective


def test_a_dmu_a_million_times_smaller_is_exact():
    # CRS is invariant to scaling one DMU's whole vector, so the tiny DMU's exact score equals
    # the score of its unshrunk copy evaluated against the others (GLPK-free hand argument):
    # scoring (x0 * 1e-6, y0 * 1e-6) and (x0, y0) must agree exactly.
    rng = np.random.default_rng(5)
    x, y = rng.uniform(1, 10, (50, 2)), rng.uniform(1, 10, (50, 2))
    big = efficiency(x[:1], y[:1], x, y)[0]
    x2, y2 = x.copy(), y.copy()
    x2[0] *= 1e-6
    y2[0] *= 1e-6
    ref_x, ref_y = np.vstack([x2, x[:1]]), np.vstack([y2, y[:1]])
    tiny = efficiency(x2[:1], y2[:1], ref_x, ref_y)[0]
    assert tiny == pytest.approx(big, abs=1e-12)


def test_uncertifiable_lps_raise_an_error_naming_the_dmus(monkeypatch):
    # Simulate data on which neither the rescaled re-solve nor the exact solve gives an
    # answer: the LPs of DMU 'tiny' (data 1e12 times smaller; output bound below 1e-6 in
    # scaled units) are made to fail the floating-point certificate, and the fallbacks are
    # made to fail. The error must name that DMU and no number may be reported.
    real_certify = engine.certify_optimal

    def failing_for_tiny(lp, z, y, *rest):
        if np.max(np.abs(lp.row_lo[np.isfinite(lp.row_lo)]), initial=0.0) < 1e-6:
            return Certificate(False, 0.0, 1.0, 1.0, "simulated")
        return real_certify(lp, z, y, *rest)

    monkeypatch.setattr(engine, "certify_optimal", failing_for_tiny)
    monkeypatch.setattr(
        fallback, "rescaled_solve", lambda lp, rs, nh: ("Unknown", None, None, None)
    )
    monkeypatch.setattr(
        fallback,
        "solve_exact",
        lambda lp, c, r: type("R", (), {"status": "failed", "z": None, "pivots": 5000})(),
    )
    rng = np.random.default_rng(2)
    data = pd.DataFrame(rng.uniform(1, 10, (30, 3)), columns=["x1", "x2", "y"])
    data["dmu"] = [f"p{i}" for i in range(30)]
    data.loc[7, ["x1", "x2", "y"]] = data.loc[7, ["x1", "x2", "y"]].to_numpy() * 1e-12
    data.loc[7, "dmu"] = "tiny"
    with pytest.raises(UncertifiedError, match="tiny") as info:
        vrs_summary(data, ["x1", "x2"], ["y"], dmu="dmu", slacks="none")
    assert 7 in info.value.rows
    assert "times its median" in str(info.value)


def test_well_scaled_scores_are_certified_in_floating_point():
    # On ordinary data no LP needs the fallbacks: they exist for the hard cases only.
    rng = np.random.default_rng(3)
    x, y = rng.uniform(1, 10, (40, 2)), rng.uniform(1, 10, (40, 2))
    model = RadialModel(x, y, rts="vrs", orientation="in")
    assert {model.solve(x[k], y[k]).certified for k in range(40)} == {"float"}


@pytest.mark.parametrize("workers", [1, 2])
def test_uncertified_stage_in_a_block_names_its_dmus_in_order_of_stages(monkeypatch, workers):
    """The summary runs every LP stage of a block in one task (in worker processes when
    there are several): VRS LPs of two DMUs in different blocks that cannot be certified must
    give one error naming both (the VRS stage, not a later one), whatever the workers."""
    from sciteff.efficiency import summary

    rng = np.random.default_rng(11)
    n = 1600  # four blocks of 500 or fewer; a worker pool when workers=2
    data = pd.DataFrame(rng.uniform(1, 10, (n, 4)), columns=["x1", "x2", "y1", "y2"])
    data["dmu"] = [f"d{i}" for i in range(n)]
    bad = [123, 1456]
    x = data[["x1", "x2"]].to_numpy()
    marks = (x / scale_factors(x))[bad, 0]  # the bad DMUs' first input as the LPs see it
    real = summary.radial_scores

    def failing(x_eval, y_eval, x_ref, y_ref, **kw):
        hit = np.flatnonzero(np.isclose(x_eval[:, :1], marks[None, :], rtol=1e-12).any(axis=1))
        res = real(x_eval, y_eval, x_ref, y_ref, **kw)
        if kw["rts"] == "vrs" and hit.size:
            raise UncertifiedError("simulated", rows=hit.tolist())
        return res

    monkeypatch.setattr(summary, "radial_scores", failing)
    with pytest.raises(UncertifiedError, match="VRS scores") as info:
        vrs_summary(data, ["x1", "x2"], ["y1", "y2"], dmu="dmu", workers=workers)
    assert info.value.rows == bad
    assert "'d123'" in str(info.value) and "'d1456'" in str(info.value)
