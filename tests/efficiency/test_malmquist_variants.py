"""Global (Pastor-Lovell) and sequential Malmquist indices and the cumulative TFP index.

Expected values are hand-derived: with one input and one output under CRS every distance is a
productivity ratio (y/x) / max(y/x) over the reference set, so every index is a ratio of
productivities; neutral shifts of the frontier give the indices in closed form.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency.dea import efficiency
from sciteff.efficiency.malmquist import malmquist


def _panel(blocks: list[np.ndarray], m: int) -> pd.DataFrame:
    """Long panel from per-period (n x (m + s)) blocks; DMUs d0.., periods 1.."""
    rows = []
    for t, block in enumerate(blocks, start=1):
        for j, values in enumerate(block):
            rows.append({"dmu": f"d{j}", "year": t, **{f"v{k}": v for k, v in enumerate(values)}})
    frame = pd.DataFrame(rows)
    frame.attrs["inputs"] = [f"v{k}" for k in range(m)]
    frame.attrs["outputs"] = [c for c in frame.columns if c.startswith("v")][m:]
    return frame


def _run(frame: pd.DataFrame, frontier: str, orientation: str = "in"):
    return malmquist(
        frame,
        dmu="dmu",
        period="year",
        inputs=frame.attrs["inputs"],
        outputs=frame.attrs["outputs"],
        orientation=orientation,
        frontier=frontier,
    )


def _random_blocks(seed: int, periods: int, n: int, m: int, s: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(1, 10, size=(n, m + s)) for _ in range(periods)]


@pytest.mark.parametrize("frontier", ["adjacent", "global", "sequential"])
def test_one_input_one_output_tfpch_is_the_productivity_ratio(frontier):
    blocks = _random_blocks(1, 4, 6, 1, 1)
    res = _run(_panel(blocks, 1), frontier).indices
    prod = {t: b[:, 1] / b[:, 0] for t, b in enumerate(blocks, start=1)}
    for t in (2, 3, 4):
        got = res.loc[res["period"] == t, "tfpch"].to_numpy()
        assert got == pytest.approx(prod[t] / prod[t - 1], rel=1e-9)
        cum = res.loc[res["period"] == t, "cumulative_tfpch"].to_numpy()
        assert cum == pytest.approx(prod[t] / prod[1], rel=1e-9)


def test_global_index_is_circular():
    # Product of the adjacent-pair global indices = the global index between the end points,
    # D_G(T) / D_G(1), computed here directly against the pooled data.
    blocks = _random_blocks(2, 5, 12, 2, 2)
    frame = _panel(blocks, 2)
    res = _run(frame, "global").indices
    pooled_x = np.vstack([b[:, :2] for b in blocks])
    pooled_y = np.vstack([b[:, 2:] for b in blocks])
    d_first = efficiency(blocks[0][:, :2], blocks[0][:, 2:], pooled_x, pooled_y, rts="crs")
    d_last = efficiency(blocks[-1][:, :2], blocks[-1][:, 2:], pooled_x, pooled_y, rts="crs")
    chained = res.groupby("dmu", sort=False)["tfpch"].prod().to_numpy()
    assert chained == pytest.approx(d_last / d_first, rel=1e-8)
    last = res[res["period"] == 5]["cumulative_tfpch"].to_numpy()
    assert last == pytest.approx(d_last / d_first, rel=1e-8)
    # Decomposition: tfpch = effch * techch, effch as in the adjacent index.
    adj = _run(frame, "adjacent").indices
    assert res["effch"].to_numpy() == pytest.approx(adj["effch"].to_numpy(), rel=1e-10)
    assert (res["effch"] * res["techch"]).to_numpy() == pytest.approx(res["tfpch"].to_numpy())
    assert set(res["status"]) == {"ok"}
    assert {"d_crs_g_t", "d_crs_g_t1"} <= set(res.columns)


def test_global_equals_adjacent_when_the_global_frontier_is_the_second_periods():
    rng = np.random.default_rng(3)
    first = rng.uniform(1, 10, size=(8, 3))  # x0, x1, y0
    # Period 2: every DMU uses 20 % less of each input: period 2's frontier contains period 1's
    # data scaled, so the pooled frontier is period 2's, and D_2(1) = 0.8 D_2(2)-like shifts.
    second = first.copy()
    second[:, :2] *= 0.8
    frame = _panel([first, second], 2)
    glob = _run(frame, "global").indices
    adj = _run(frame, "adjacent").indices
    # The global frontier is period 2's: D_G(t) = D_2(t) for both periods' data.
    assert glob["d_crs_g_t"].to_numpy() == pytest.approx(adj["d_crs_t1_t"].to_numpy())
    assert glob["d_crs_g_t1"].to_numpy() == pytest.approx(adj["d_crs_t1_t1"].to_numpy())
    # A neutral shift: both indices are 1 / 0.8 = 1.25 for every DMU.
    assert glob["tfpch"].to_numpy() == pytest.approx(adj["tfpch"].to_numpy())
    assert glob["tfpch"].to_numpy() == pytest.approx(np.full(8, 1.25))
    assert glob["techch"].to_numpy() == pytest.approx(adj["techch"].to_numpy())


def test_sequential_equals_adjacent_under_progress_and_ignores_regress():
    rng = np.random.default_rng(4)
    base = rng.uniform(1, 10, size=(7, 4))  # x0, x1, y0, y1
    grow = [base * np.array([1, 1, 1.1**t, 1.1**t]) for t in range(3)]  # outputs +10 %/period
    frame = _panel(grow, 2)
    seq = _run(frame, "sequential").indices
    adj = _run(frame, "adjacent").indices
    # Every period's frontier dominates the earlier ones: the sequential frontier of t is t's.
    for col in ("effch", "techch", "pech", "sech", "tfpch"):
        assert seq[col].to_numpy() == pytest.approx(adj[col].to_numpy(), rel=1e-9)
    assert adj["techch"].to_numpy() == pytest.approx(np.full(14, 1.1))
    # Regress (outputs -10 %/period): the adjacent index sees technical regress 0.9, the
    # sequential frontier never shrinks, so its techch is 1 and tfpch = effch.
    shrink = _panel([base * np.array([1, 1, 0.9**t, 0.9**t]) for t in range(3)], 2)
    seq = _run(shrink, "sequential").indices
    adj = _run(shrink, "adjacent").indices
    assert adj["techch"].to_numpy() == pytest.approx(np.full(14, 0.9))
    assert seq["techch"].to_numpy() == pytest.approx(np.ones(14))


def test_sequential_technical_change_is_never_regress():
    blocks = _random_blocks(5, 4, 10, 2, 1)
    for orientation in ("in", "out"):
        res = _run(_panel(blocks, 2), "sequential", orientation).indices
        assert np.all(res["techch"].to_numpy() >= 1 - 1e-9)


def test_cumulative_tfpch_chains_the_adjacent_index():
    blocks = _random_blocks(6, 4, 9, 2, 2)
    res = _run(_panel(blocks, 2), "adjacent").indices
    wide = res.pivot(index="dmu", columns="period", values="tfpch")
    cum = res.pivot(index="dmu", columns="period", values="cumulative_tfpch")
    assert cum[4].to_numpy() == pytest.approx((wide[2] * wide[3] * wide[4]).to_numpy())
    assert cum[2].to_numpy() == pytest.approx(wide[2].to_numpy())


def test_unknown_frontier_is_an_error():
    frame = _panel(_random_blocks(7, 2, 4, 1, 1), 1)
    with pytest.raises(ValueError, match="frontier"):
        _run(frame, "contemporaneous")


def test_command_line_frontier_option(tmp_path, capsys):
    import io

    from sciteff.cli import main

    blocks = _random_blocks(8, 3, 5, 1, 1)
    path = tmp_path / "panel.csv"
    _panel(blocks, 1).to_csv(path, index=False)
    argv = ["malmquist", str(path), "--dmu", "dmu", "--period", "year"]
    argv += ["--inputs", "v0", "--outputs", "v1", "--frontier", "global"]
    assert main(argv) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(out.columns[:7]) == ["dmu", "period", "effch", "techch", "pech", "sech", "tfpch"]
    prod = [b[:, 1] / b[:, 0] for b in blocks]
    last = out[out["period"] == 3]["cumulative_tfpch"].to_numpy()
    assert last == pytest.approx(prod[2] / prod[0], rel=1e-9)
    with pytest.raises(SystemExit):
        main([*argv[:-1], "pooled"])
