"""Simar-Wilson bootstrap: its pieces by hand, its LPs against a closed form, its seeding.

With one input and one output under CRS a radial score is a productivity ratio, so every
bootstrap replication's scores can be computed without an LP (see test_lp_free_replication).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sciteff.core.errors import InputError
from sciteff.efficiency.bootstrap import (
    bandwidth,
    basic_interval,
    bootstrap_dea,
    bootstrap_replications,
    join_replications,
    reflect,
    reflected_sample,
    rescale,
    rts_test,
    smoothed_draw,
)


def test_reflection():
    assert reflected_sample(np.array([1.0, 1.5])).tolist() == [1.0, 1.5, 1.0, 0.5]
    assert reflect(np.array([0.8, 1.2, 1.0, 0.0])).tolist() == pytest.approx([1.2, 1.2, 1.0, 2.0])


def test_bandwidth_by_hand():
    # delta = 1, 1.2, 1.5, 2 -> reflected: 1, 1.2, 1.5, 2, 1, 0.8, 0.5, 0 (mean 1).
    # sd: squared deviations 0 .04 .25 1 0 .04 .25 1 = 2.58; / 7 -> sd = sqrt(2.58 / 7).
    # Sorted: 0 .5 .8 1 1 1.2 1.5 2; type-7 quartiles at positions 1.75 and 5.25:
    # q25 = .5 + .75 (.8 - .5) = .725, q75 = 1.2 + .25 (1.5 - 1.2) = 1.275, IQR = .55.
    # min(sd = .6071, .55 / 1.34 = .4104) = .4104; h = 1.06 * .4104 * 8^(-1/5).
    want = 1.06 * min(math.sqrt(2.58 / 7), 0.55 / 1.34) * 8 ** (-0.2)
    assert bandwidth(np.array([1.0, 1.2, 1.5, 2.0])) == pytest.approx(want, rel=1e-12)
    # More than half efficient: IQR 0, the sd alone is used.
    d = np.array([1.0, 1.0, 1.0, 1.6])  # reflected: 1 1 1 1.6 1 1 1 .4; sd^2 = .72 / 7
    assert bandwidth(d) == pytest.approx(1.06 * math.sqrt(0.72 / 7) * 8 ** (-0.2))


def test_rescaling_by_hand_and_its_purpose():
    # beta = 1, 2 (mean 1.5); noisy = 1.5, 2.5; h = 1, sigma^2 = 1: factor 1 / sqrt(2).
    got = rescale(np.array([1.0, 2.0]), np.array([1.5, 2.5]), 1.0, 1.0)
    assert got.tolist() == pytest.approx([1.5, 1.5 + 1 / math.sqrt(2)])
    # Its purpose: beta + h eps has variance sigma^2 + h^2; rescaled, sigma^2 again.
    rng = np.random.default_rng(0)
    sample = reflected_sample(1 + rng.exponential(0.3, 500))
    sigma2 = sample.var(ddof=1)
    beta = rng.choice(sample, 400_000)
    noisy = beta + 0.2 * rng.standard_normal(beta.size)
    assert rescale(beta, noisy, 0.2, sigma2).var() == pytest.approx(sigma2, rel=0.01)


def test_smoothed_draws_stay_above_one():
    rng = np.random.default_rng(1)
    draws = smoothed_draw(rng, reflected_sample(np.array([1.0, 1.1, 1.4, 2.0])), 0.3, 0.2, 1000)
    assert draws.min() >= 1.0 and draws.size == 1000


def test_basic_interval_by_hand():
    # Farrell estimate 1.2, replications 1.3 ... : [2 (1.2) - q_hi, 2 (1.2) - q_lo].
    boot = np.linspace(1.25, 1.45, 101)[:, None]
    lo, hi = basic_interval(np.array([1.2]), boot, 0.1)
    q = np.quantile(boot[:, 0], [0.05, 0.95], method="normal_unbiased")
    assert lo[0] == pytest.approx(2.4 - q[1]) and hi[0] == pytest.approx(2.4 - q[0])


DATA = pd.DataFrame(
    {
        "dmu": list("ABCDEF"),
        "x": [2.0, 3.0, 4.0, 5.0, 3.0, 6.0],
        "y": [1.0, 2.5, 2.0, 4.0, 1.5, 3.0],
    }
)


@pytest.mark.parametrize("orientation", ["in", "out"])
def test_lp_free_replication(orientation):
    reps, seed, alpha = 400, 11, 0.1
    res = bootstrap_dea(
        DATA, ["x"], ["y"], dmu="dmu", rts="crs", orientation=orientation,
        reps=reps, seed=seed, alpha=alpha, workers=1,
    )  # fmt: skip
    x, y = DATA["x"].to_numpy(), DATA["y"].to_numpy()
    prod = y / x
    delta_hat = prod.max() / prod  # CRS, one input one output, both orientations
    assert (1 / res["te"]).to_numpy() == pytest.approx(delta_hat)
    h = bandwidth(delta_hat)
    assert res.attrs["bandwidth"] == pytest.approx(h)
    ref = reflected_sample(delta_hat)
    boot = np.empty((reps, len(x)))
    for b, child in enumerate(np.random.SeedSequence(seed).spawn(reps)):
        star = smoothed_draw(np.random.default_rng(child), ref, h, ref.var(ddof=1), len(x))
        # Pseudo-DMU j: projection pushed off the frontier by star_j; its productivity is
        # prod_j * delta_hat_j / star_j in either orientation.
        frontier = (prod * delta_hat / star).max()
        boot[b] = frontier / prod
    bias = boot.mean(axis=0) - delta_hat
    te_bc = 1 / (delta_hat - bias)
    lo, hi = basic_interval(delta_hat, boot, alpha)
    assert res["te_bc"].to_numpy() == pytest.approx(te_bc, rel=1e-9)
    assert res["bias"].to_numpy() == pytest.approx(1 / delta_hat - te_bc, rel=1e-9, abs=1e-12)
    assert res["lower"].to_numpy() == pytest.approx(1 / hi, rel=1e-9)
    assert res["upper"].to_numpy() == pytest.approx(1 / lo, rel=1e-9)
    assert res["variance"].to_numpy() == pytest.approx((1 / boot).var(axis=0, ddof=1), rel=1e-7)
    assert list(res.columns) == ["dmu", "te", "te_bc", "bias", "variance", "lower", "upper"]
    assert np.all(res["te_bc"] <= res["te"])  # DEA scores are biased upwards


def test_same_numbers_for_any_worker_count():
    kw = {"dmu": "dmu", "rts": "vrs", "reps": 100, "alpha": 0.2, "seed": 5}
    one = bootstrap_dea(DATA, ["x"], ["y"], workers=1, **kw)
    two = bootstrap_dea(DATA, ["x"], ["y"], workers=2, **kw)
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    other = bootstrap_dea(DATA, ["x"], ["y"], workers=1, **{**kw, "seed": 6})
    assert not np.array_equal(one["te_bc"], other["te_bc"])


def test_too_few_replications_and_bad_input_are_errors():
    with pytest.raises(InputError, match="too few replications"):
        bootstrap_dea(DATA, ["x"], ["y"], reps=399, alpha=0.05)  # 399 * 0.025 < 10
    with pytest.raises(InputError, match="too few replications"):
        bootstrap_dea(DATA, ["x"], ["y"], reps=1000, alpha=0.01)  # 1000 * 0.005 = 5
    bad = DATA.assign(y=DATA["y"].where(DATA.index != 2, -2.0))
    with pytest.raises(InputError, match="negative"):
        bootstrap_dea(bad, ["x"], ["y"], reps=400)
    flat = DATA.assign(y=DATA["x"])  # every DMU on the CRS frontier
    with pytest.raises(InputError, match="every DMU is efficient"):
        bootstrap_dea(flat, ["x"], ["y"], rts="crs", reps=400)


def test_returns_to_scale_test_tells_crs_from_vrs():
    rng = np.random.default_rng(2)
    x = rng.uniform(1, 10, 25)
    ineff = np.exp(-np.abs(rng.normal(0, 0.2, 25)))
    crs = pd.DataFrame({"x": x, "y": 2 * x * ineff})
    vrs = pd.DataFrame({"x": x, "y": 3 * np.sqrt(x) * ineff})  # strongly decreasing returns
    p_crs = rts_test(crs, ["x"], ["y"], reps=100, seed=1, workers=1)
    p_vrs = rts_test(vrs, ["x"], ["y"], reps=100, seed=1, workers=1)
    assert p_vrs["p_value"] < 0.05 < p_crs["p_value"]
    assert 0 < p_vrs["statistic"] < p_crs["statistic"] <= 1


def test_replications_split_into_shards_give_the_unsharded_result():
    # Replication b always comes from the b-th SeedSequence child, so any split of 0..B-1 into
    # ranges, joined, must give exactly the numbers of one unsharded run.
    kw = {"dmu": "dmu", "rts": "vrs", "reps": 120, "alpha": 0.2, "seed": 3, "workers": 1}
    whole = bootstrap_dea(DATA, ["x"], ["y"], **kw)
    parts = [
        bootstrap_replications(DATA, ["x"], ["y"], start=a, stop=b, **kw)
        for a, b in [(70, 120), (0, 33), (33, 70)]
    ]
    joined = join_replications(parts)
    sharded = bootstrap_dea(DATA, ["x"], ["y"], replications=joined, **kw)
    pd.testing.assert_frame_equal(whole, sharded, check_exact=True)
    test_kw = {k: v for k, v in kw.items() if k not in ("rts", "alpha")}
    test_parts = [
        bootstrap_replications(DATA, ["x"], ["y"], test=True, start=a, stop=b, **test_kw)
        for a, b in [(0, 60), (60, 120)]
    ]
    assert rts_test(
        DATA, ["x"], ["y"], replications=join_replications(test_parts), **test_kw
    ) == rts_test(DATA, ["x"], ["y"], **test_kw)
    with pytest.raises(TypeError, match="unknown bootstrap settings"):
        bootstrap_replications(DATA, ["x"], ["y"], reps=120, alpha=0.2, sed=3)
    with pytest.raises(ValueError, match="do not join"):
        join_replications([parts[0], parts[1]])
    with pytest.raises(ValueError, match="not the 120 replications"):
        bootstrap_dea(DATA, ["x"], ["y"], replications=join_replications(parts[1:]), **kw)
