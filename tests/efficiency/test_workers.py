"""Results of the DEAP summary do not depend on the number of worker processes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency.batch_radial import certified_factors, certified_rounds, pool_chunk
from sciteff.efficiency.frontier import frontier_candidates, frontier_sets
from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.workers import BLOCK, blocks, pool_for


def test_blocks_cover_the_rows_in_order():
    parts = blocks(2 * BLOCK + 7)
    assert [p.size for p in parts] == [BLOCK, BLOCK, 7]
    np.testing.assert_array_equal(np.concatenate(parts), np.arange(2 * BLOCK + 7))
    assert blocks(0) == []


@pytest.mark.parametrize("orientation", ["in", "out"])
def test_summary_is_identical_for_one_and_two_workers(orientation):
    rng = np.random.default_rng(11)
    n = BLOCK + 150  # two blocks, so two workers really share the work
    data = pd.DataFrame(rng.uniform(1, 10, (n, 4)), columns=["x1", "x2", "y1", "y2"])
    one = vrs_summary(data, ["x1", "x2"], ["y1", "y2"], orientation=orientation, workers=1)
    two = vrs_summary(data, ["x1", "x2"], ["y1", "y2"], orientation=orientation, workers=2)
    pd.testing.assert_frame_equal(one, two, check_exact=True)


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_pool_chunks_are_near_equal_and_need_no_extra_round(workers):
    for k in range(1, 1200, 7):
        size = pool_chunk(k, workers, most=128)
        chunks = -(-k // size)
        rounds = -(-k // (workers * 128))  # the fewest rounds chunks of <= 128 allow
        assert size <= 128
        assert chunks <= workers * rounds
        last = k - size * (chunks - 1)
        assert last >= size - workers * rounds  # not 128, 128 and a short 44 for k = 300


def test_one_round_of_several_problems_equals_one_call_each():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(1, 10, (300, 3)), rng.uniform(1, 10, (300, 3))
    problems = [
        (x[:40], y[:40], x, y, "vrs", "in", None, True),
        (x, y, x, y, "crs", "out", None, False),
        (x, y, x[:0], y[:0], "nirs", "in", None, False),
    ]
    alone = [certified_factors(*p[:4], rts=p[4], orientation=p[5], ray=p[7]) for p in problems]
    with pool_for(10_000, 2) as pool:
        together = certified_rounds(problems, pool=pool)
        models = ["crs", "vrs", "nirs"]
        sets = frontier_sets(x, y, models, orientation="out", pool=pool)
    assert [a.shape for a in alone] == [(300,), (300,), (0,)]
    for a, b in zip(alone, together, strict=True):
        np.testing.assert_array_equal(a, b)  # to the bit: an LP does not depend on its batch
    for rts, got in zip(models, sets, strict=True):
        np.testing.assert_array_equal(got, frontier_candidates(x, y, rts=rts, orientation="out"))
