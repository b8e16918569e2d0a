"""Atomic writes leave either the old file or the complete new one, never a half file."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciteff.core.errors import InputError
from sciteff.core.io import (
    read_numeric_csv,
    read_parquet_metadata,
    write_atomic,
    write_csv,
    write_parquet,
)


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def half_then_crash(tmp):
        tmp.write_text("partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, half_then_crash)
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_csv_and_parquet_round_trip(tmp_path):
    frame = pd.DataFrame({"dmu": ["a", "b"], "x": [1.5, 2.0]})
    write_csv(frame, tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_text() == "dmu,x\na,1.5\nb,2.0\n"
    write_parquet(frame, tmp_path / "f.parquet", metadata={"title": "Table 1"})
    assert pd.read_parquet(tmp_path / "f.parquet").equals(frame)
    assert read_parquet_metadata(tmp_path / "f.parquet") == {"title": "Table 1"}


def test_read_numeric_csv_locates_bad_cell(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("dmu,x,y\na,1,2\nb,3,oops\n")
    with pytest.raises(InputError) as err:
        read_numeric_csv(path, ["x", "y"], ["dmu"])
    assert (err.value.row, err.value.column) == (2, "y")
    assert "d.csv" in str(err.value)


def test_read_numeric_csv_rejects_nan_and_empty(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x\nnan\n")
    with pytest.raises(InputError, match="non-finite"):
        read_numeric_csv(path, ["x"])
    path.write_text("dmu,x\na,\n")
    with pytest.raises(InputError, match="empty cell") as err:
        read_numeric_csv(path, ["x"], ["dmu"])
    assert (err.value.row, err.value.column) == (1, "x")


TEXT = 'ab,"\n\r \t;é-1.'


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    columns=st.lists(st.text(alphabet=TEXT, max_size=4), min_size=1, max_size=3, unique=True),
    rows=st.lists(st.lists(st.text(alphabet=TEXT, max_size=5), min_size=3, max_size=3)),
    mixed=st.booleans(),
)
def test_write_csv_gives_pandas_bytes(columns, rows, mixed, tmp_path_factory):
    """write_csv's csv-module path for text frames writes exactly what DataFrame.to_csv
    writes (quotes, commas, line breaks, empty cells, a single column); frames with other
    cells (a number, a missing value) go through pandas itself."""
    frame = pd.DataFrame([r[: len(columns)] for r in rows], columns=columns, dtype=object)
    if mixed and len(frame):
        frame.iloc[0, 0] = None
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(frame, path)
    want = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert path.read_bytes() == want
