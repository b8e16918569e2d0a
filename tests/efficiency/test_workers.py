"""Results of the DEAP summary do not depend on the number of worker processes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.workers import BLOCK, blocks


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
