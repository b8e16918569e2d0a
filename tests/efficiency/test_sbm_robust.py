"""SBM on data where HiGHS's first answer is not usable: badly scaled panels whose
Charnes-Cooper t is tiny (values spanning five orders of magnitude), and warm starts that end in
"unknown". Every run must give a number, equal within 1e-7 (relative) to a textbook LP written
here and solved by scipy's linprog; before the retries (``highs.run_resolved``,
``highs.tightened``) these raised. linprog runs HiGHS too, so this checks the formulation and
the retries, not the last digits; test_sbm_exact.py checks those against exact arithmetic.

The data are the random cases of a 900-run fuzz (seed 1) that failed: 20 of 900 runs raised,
0 after.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from sciteff.efficiency.sbm import sbm


def _cases(seed: int = 1, count: int = 150) -> list[tuple[np.ndarray, np.ndarray]]:
    """The fuzz's data sets, in its order: integer, uniform and badly scaled lognormal data."""
    rng = np.random.default_rng(seed)
    out = []
    for it in range(count):
        n, m, s = int(rng.integers(8, 40)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        if it % 3 == 0:
            x = rng.integers(1, 6, (n, m)).astype(float)
            y = rng.integers(1, 6, (n, s)).astype(float)
        elif it % 3 == 1:
            x, y = rng.uniform(1, 10, (n, m)), rng.uniform(1, 10, (n, s))
        else:
            x = np.round(rng.lognormal(0, 2, (n, m)) * 1000, 1) + 0.1
            y = np.round(rng.lognormal(0, 2, (n, s)), 3) + 0.001
        out.append((x, y))
    return out


def textbook_lp(x: np.ndarray, y: np.ndarray, o: int, orientation: str, rts: str):
    """Tone's SBM LP of DMU ``o`` as (equality rows, right-hand sides, costs), all variables
    >= 0: the oriented models in (lambda, s-, s+), the non-oriented one in Charnes-Cooper form
    (t, L, S-, S+) (Tone 2001). The score is :func:`textbook_score` of the minimum."""
    n, m = x.shape
    s = y.shape[1]
    x0, y0 = x[o], y[o]
    t = 1 if orientation == "non" else 0  # a column for t first
    nv = t + n + m + s
    lam, sm, sp = slice(t, t + n), slice(t + n, t + n + m), slice(t + n + m, nv)
    rows, rhs = [], []
    for i in range(m):
        r = np.zeros(nv)
        r[lam], r[t + n + i] = x[:, i], 1.0
        if t:
            r[0] = -x0[i]
        rows.append(r), rhs.append(0.0 if t else x0[i])
    for k in range(s):
        r = np.zeros(nv)
        r[lam], r[t + n + m + k] = y[:, k], -1.0
        if t:
            r[0] = -y0[k]
        rows.append(r), rhs.append(0.0 if t else y0[k])
    if rts == "vrs":
        r = np.zeros(nv)
        r[lam] = 1.0
        if t:
            r[0] = -1.0
        rows.append(r), rhs.append(0.0 if t else 1.0)
    c = np.zeros(nv)
    if orientation == "non":
        c[0], c[sm] = 1.0, -1.0 / (m * x0)
        r = np.zeros(nv)
        r[0], r[sp] = 1.0, 1.0 / (s * y0)
        rows.append(r), rhs.append(1.0)
    elif orientation == "in":
        c[sm] = -1.0 / (m * x0)
    else:
        c[sp] = -1.0 / (s * y0)
    return np.array(rows), np.array(rhs), c


def textbook_score(f, orientation: str):
    """The SBM score from the minimum ``f`` of :func:`textbook_lp` (a float or a Fraction)."""
    if orientation == "non":
        return min(f, 1)
    return 1 + f if orientation == "in" else 1 / (1 - f)


def _reference(x: np.ndarray, y: np.ndarray, o: int, orientation: str, rts: str) -> float:
    rows, rhs, c = textbook_lp(x, y, o, orientation, rts)
    res = linprog(c, A_eq=rows, b_eq=rhs, method="highs")
    assert res.status == 0
    return textbook_score(res.fun, orientation)


FAILED = [  # (case, orientation, rts) that raised before
    (13, "out", "vrs"),
    (17, "out", "crs"),
    (17, "non", "vrs"),
    (28, "in", "vrs"),
    (59, "out", "vrs"),
    (62, "non", "vrs"),
    (110, "non", "crs"),
    (113, "non", "vrs"),
    (139, "out", "vrs"),
]


@pytest.mark.parametrize(("case", "orientation", "rts"), FAILED)
def test_hard_cases_give_the_textbook_score(case, orientation, rts):
    x, y = _cases()[case]
    m, s = x.shape[1], y.shape[1]
    ins, outs = [f"x{i}" for i in range(m)], [f"y{i}" for i in range(s)]
    data = pd.DataFrame(np.hstack([x, y]), columns=ins + outs)
    res = sbm(data, ins, outs, orientation=orientation, rts=rts, super_sbm=True)
    want = np.array([_reference(x, y, o, orientation, rts) for o in range(len(x))])
    np.testing.assert_allclose(res["sbm"].to_numpy(), want, rtol=1e-7, atol=0)
    status = res["super_status"].to_numpy()
    assert set(status) <= {"optimal", "infeasible", "not efficient"}
    sup = res["super_sbm"].to_numpy()
    assert np.all(sup[status == "optimal"] >= 1 - 1e-9)
    assert np.all(np.isnan(sup[status == "infeasible"]))
