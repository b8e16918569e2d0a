"""The shared generating set E (frontier.vrs_generators) against full-reference-set LPs.

Every reference value is an independent ``scipy.optimize.linprog`` solve of the envelopment LP
against *all* DMUs; the claim tested is that E generates the same CRS, VRS and NIRS
technologies (module docstring of :mod:`sciteff.efficiency.frontier`), so the same LPs
against E give the same optimum, in both orientations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sciteff.efficiency import fallback
from sciteff.efficiency.dea import radial_scores, vrs_summary
from sciteff.efficiency.engine import scale_factors
from sciteff.efficiency.frontier import HULL_SEED, undominated, vrs_generators


def _linprog_score(x, y, x0, y0, rts, orientation):
    """Envelopment LP of (x0, y0) against rows (x, y); theta (in) or 1/phi (out)."""
    n, m = x.shape
    s = y.shape[1]
    c = np.zeros(n + 1)
    c[0] = 1.0 if orientation == "in" else -1.0
    a = np.zeros((m + s, n + 1))
    a[:m, 1:], a[m:, 1:] = x.T, -y.T
    if orientation == "in":
        a[:m, 0] = -x0
        b = np.concatenate([np.zeros(m), -y0])
    else:
        a[m:, 0] = y0
        b = np.concatenate([x0, np.zeros(s)])
    ones = np.concatenate([[0.0], np.ones(n)])[None, :]
    kw = {}
    if rts == "vrs":
        kw = {"A_eq": ones, "b_eq": [1.0]}
    elif rts == "nirs":
        a, b = np.vstack([a, ones]), np.append(b, 1.0)
    res = linprog(c, A_ub=a, b_ub=b, method="highs", **kw)
    assert res.status == 0
    return res.fun if orientation == "in" else 1.0 / -res.fun


def _uniform(n, k, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(1, 10, (n, k)), rng.uniform(1, 10, (n, k))


def _ties(n, seed):
    """Data on a half-unit grid: many ties, exact copies and weakly efficient DMUs."""
    rng = np.random.default_rng(seed)
    x = rng.integers(2, 21, (n, 3)) / 2.0
    y = rng.integers(2, 21, (n, 3)) / 2.0
    x[: n // 10] = x[n // 10 : 2 * (n // 10)]  # copies
    y[: n // 10] = y[n // 10 : 2 * (n // 10)]
    return x, y


def _zeros(n, seed):
    """Some zero outputs and zero inputs (allowed with allow_zero)."""
    x, y = _uniform(n, 4, seed)
    rng = np.random.default_rng(seed + 1)
    y[rng.random(y.shape) < 0.05] = 0.0
    x[rng.random(x.shape) < 0.02] = 0.0
    return x, y


CASES = {
    "uniform 4x4": lambda: _uniform(500, 4, 1),
    "uniform 3x3": lambda: _uniform(800, 3, 2),
    "ties and copies": lambda: _ties(700, 3),
    "zeros": lambda: _zeros(500, 4),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generators_give_the_full_reference_set_scores(case):
    x, y = CASES[case]()
    xs, ys = x / scale_factors(x), y / scale_factors(y)
    gens = vrs_generators(xs, ys)
    keep = undominated(xs, ys)
    assert gens.size < keep.size  # E really is smaller than the undominated set
    rng = np.random.default_rng(0)
    sample = rng.choice(x.shape[0], 25, replace=False)
    for rts in ("crs", "vrs", "nirs"):
        for orientation in ("in", "out"):
            for i in sample:
                if orientation == "out" and not np.any(y[i] > 0):
                    continue
                if orientation == "in" and not np.any(x[i] > 0):
                    continue
                full = _linprog_score(x, y, x[i], y[i], rts, orientation)
                on_e = _linprog_score(x[gens], y[gens], x[i], y[i], rts, orientation)
                assert on_e == pytest.approx(full, rel=1e-7, abs=1e-9), (rts, orientation, i)


def test_the_hull_is_grown_beyond_its_seed():
    x, y = _uniform(800, 3, 2)
    keep = undominated(x, y)
    assert keep.size > 2 * HULL_SEED  # so the growing step, not only the seed, is exercised
    gens = vrs_generators(x, y, candidates=keep)
    assert np.all(np.isin(gens, keep))


@pytest.mark.parametrize("orientation", ["in", "out"])
def test_engine_scores_against_generators_match_linprog(orientation):
    x, y = _ties(400, 7)
    xs, ys = x / scale_factors(x), y / scale_factors(y)
    gens = vrs_generators(xs, ys)
    for rts in ("crs", "vrs", "nirs"):
        res = radial_scores(x, y, x, y, rts=rts, orientation=orientation, generators=gens)
        ref = [_linprog_score(x, y, x[i], y[i], rts, orientation) for i in range(0, 400, 9)]
        np.testing.assert_allclose(res.score[::9], ref, rtol=1e-7)


def test_benign_data_need_no_rescaled_or_exact_fallback(monkeypatch):
    """Uniform data: every LP is certified in floating point (from HiGHS or its basis)."""
    calls = []
    original = fallback.rescaled_solve

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(fallback, "rescaled_solve", counting)
    x, y = _uniform(600, 3, 20240601)
    data = pd.DataFrame(np.hstack([x, y]), columns=["x1", "x2", "x3", "y1", "y2", "y3"])
    vrs_summary(data, ["x1", "x2", "x3"], ["y1", "y2", "y3"])
    assert not calls


@pytest.mark.parametrize("kind", ["uniform", "integer", "copies"])
def test_undominated_equals_the_definition(kind):
    """Brute force: a DMU is dropped iff an earlier DMU in the visiting order (decreasing
    sum y - sum x, ties by index) has no more of any input and no less of any output."""
    rng = np.random.default_rng(len(kind))
    n = 700  # more than two chunks
    x, y = rng.uniform(1, 10, (n, 3)), rng.uniform(1, 10, (n, 2))
    if kind == "integer":
        x, y = np.round(x), np.round(y)
    elif kind == "copies":
        x[350:], y[350:] = x[:350], y[:350]
    order = np.argsort(-(y.sum(axis=1) - x.sum(axis=1)), kind="stable")
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    dom = np.all(x[:, None] <= x[None], axis=2) & np.all(y[:, None] >= y[None], axis=2)
    earlier = rank[:, None] < rank[None, :]  # [j, i]: j visited before i
    want = np.flatnonzero(~(dom & earlier).any(axis=0))
    assert np.array_equal(undominated(x, y), want)
