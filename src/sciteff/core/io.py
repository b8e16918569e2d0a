"""Reading user tables with located errors, and writing outputs atomically.

Every reader here either returns all rows or raises an :class:`~sciteff.core.errors.InputError`
naming the file, row and column; no row is ever dropped silently. Every writer writes to a
temporary file in the target directory and renames it into place, so a crash never leaves a
half-written output that a later run could mistake for a finished one.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sciteff.core.errors import InputError


def read_csv_text(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a CSV as strings (no type guessing), checking that every row has the header's width.

    Row numbers in errors are 1-based data rows (the header is row 0), which is what a user
    sees in a spreadsheet below the header line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError("empty file or empty header line", file=str(path))
    header = [h.strip() for h in rows[0]]
    seen: set[str] = set()
    for name in header:
        if not name:
            raise InputError("a header cell is empty", file=str(path), row=0)
        if name in seen:
            raise InputError("duplicate column name in the header", file=str(path), column=name)
        seen.add(name)
    body = rows[1:]
    for i, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise InputError(
                f"has {len(row)} fields, the header has {len(header)}", file=str(path), row=i
            )
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(1, len(body) + 1, name="row")
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, file: str) -> None:
    """Fail naming the first column that a table lacks."""
    for name in columns:
        if name not in frame.columns:
            available = ", ".join(map(str, frame.columns))
            raise InputError(f"missing column (the file has: {available})", file=file, column=name)


def parse_number(token: object, *, file: str, row: int | str, column: str) -> float:
    """Parse one numeric cell (thousands separators allowed); empty or non-finite is an error."""
    text = "" if token is None else str(token).strip().replace(",", "")
    if text == "":
        raise InputError("empty cell where a number is required", file=file, row=row, column=column)
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"cannot parse {token!r} as a number", file=file, row=row, column=column
        ) from None
    if not math.isfinite(value):
        raise InputError(f"non-finite value {token!r}", file=file, row=row, column=column)
    return value


def read_numeric_csv(
    path: str | os.PathLike[str],
    numeric: Sequence[str],
    labels: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a user CSV whose ``numeric`` columns must all hold finite numbers.

    Returns the ``labels`` columns as strings and the ``numeric`` columns as float64, every row
    kept, indexed by the 1-based data row number.
    """
    file = str(path)
    frame = read_csv_text(path)
    require_columns(frame, [*labels, *numeric], file=file)
    out = pd.DataFrame(index=frame.index)
    for name in labels:
        out[name] = frame[name].astype(str).str.strip()
    for name in numeric:
        out[name] = [parse_number(v, file=file, row=r, column=name) for r, v in frame[name].items()]
        out[name] = out[name].astype("float64")
    return out


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``, renamed onto ``path`` if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs are ordinary files
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``path`` atomically."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a CSV atomically, without the index, UTF-8, with a trailing newline."""
    return write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n"))


def write_parquet(
    frame: pd.DataFrame, path: str | os.PathLike[str], metadata: dict[str, object] | None = None
) -> Path:
    """Write a Parquet file atomically (no index); ``metadata`` is stored as JSON under the
    schema key ``sciteff`` so a table carries its title, source and notes with it."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if metadata is not None:
        merged = dict(table.schema.metadata or {})
        merged[b"sciteff"] = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
        table = table.replace_schema_metadata(merged)
    return write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def read_parquet_metadata(path: str | os.PathLike[str]) -> dict[str, object]:
    """The ``sciteff`` metadata stored by :func:`write_parquet` (empty if none)."""
    raw = (pq.read_schema(path).metadata or {}).get(b"sciteff")
    return {} if raw is None else json.loads(raw.decode("utf-8"))


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write a text file atomically, UTF-8."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_parquets(paths: Sequence[str | os.PathLike[str]]) -> pd.DataFrame:
    """Several Parquet files of the same layout (e.g. a panel's year files) as one frame."""
    if not paths:
        raise InputError("no input files")
    return pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
