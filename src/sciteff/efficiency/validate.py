"""Checking DEA input tables before any LP is solved, with errors that name DMU and variable.

Why strict: DEA silently produces meaningless scores on bad data (a DMU with zero inputs makes
every other DMU look infinitely inefficient under CRS; an all-zero output column drops out of
the model without a word). Every problem found here raises an :class:`InputError` naming the
file (when known), the 1-based data row, the DMU label and the variable.

Rules (see docs/dea_conventions.md):
- every value finite and >= 0;
- inputs strictly positive (a zero input lets a DMU be "produced for free" and breaks the
  radial input measure);
- outputs may contain zeros, but no DMU may have all outputs zero and no output may be zero
  for every DMU;
- at least m + s DMUs; a small-sample warning when n < max(m * s, 3 (m + s)).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sciteff.core.errors import InputError


def dmu_labels(data: pd.DataFrame, dmu: str | None) -> list[str]:
    """DMU labels: the ``dmu`` column as strings, or 1-based row numbers when ``dmu`` is None."""
    if dmu is None:
        return [str(i) for i in range(1, len(data) + 1)]
    if dmu not in data.columns:
        raise InputError("missing DMU label column", column=dmu)
    return [str(v) for v in data[dmu].tolist()]


def validate_dea_data(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    dmu: str | None = None,
    file: str | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Return (X, Y, labels, warnings) or raise InputError naming the offending cell.

    Rows are reported as 1-based data rows in the table's order (the header is row 0), which
    is the row number a user sees in a spreadsheet or in the CSV read by ``sciteff.core.io``.
    """
    inputs, outputs = list(inputs), list(outputs)
    if not inputs or not outputs:
        raise InputError("DEA needs at least one input and one output", file=file)
    overlap = set(inputs) & set(outputs)
    if overlap:
        name = sorted(overlap)[0]
        raise InputError("a column cannot be both an input and an output", file=file, column=name)
    for name in [*inputs, *outputs]:
        if name not in data.columns:
            raise InputError("missing column", file=file, column=name)
    labels = dmu_labels(data, dmu)
    if dmu is not None and len(set(labels)) != len(labels):
        seen: set[str] = set()
        for pos, lab in enumerate(labels, start=1):
            if lab in seen:
                raise InputError(f"duplicate DMU label {lab!r}", file=file, row=pos, column=dmu)
            seen.add(lab)
    blocks = {}
    for name in [*inputs, *outputs]:
        try:
            col = pd.to_numeric(data[name], errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError):
            bad = next(
                pos
                for pos, v in enumerate(data[name].tolist(), start=1)
                if pd.isna(pd.to_numeric(v, errors="coerce"))
            )
            raise InputError(
                f"DMU {labels[bad - 1]!r}: value is not a number", file=file, row=bad, column=name
            ) from None
        blocks[name] = col
    for name in [*inputs, *outputs]:
        col = blocks[name]
        for pos in np.flatnonzero(~np.isfinite(col)):
            raise InputError(
                f"DMU {labels[pos]!r}: non-finite value {col[pos]!r}",
                file=file,
                row=int(pos) + 1,
                column=name,
            )
        for pos in np.flatnonzero(col < 0):
            raise InputError(
                f"DMU {labels[pos]!r}: negative value {col[pos]!r} (DEA needs x, y >= 0)",
                file=file,
                row=int(pos) + 1,
                column=name,
            )
    for name in inputs:
        col = blocks[name]
        for pos in np.flatnonzero(col == 0):
            raise InputError(
                f"DMU {labels[pos]!r}: zero input (inputs must be strictly positive)",
                file=file,
                row=int(pos) + 1,
                column=name,
            )
    x = np.column_stack([blocks[c] for c in inputs]) if len(data) else np.zeros((0, len(inputs)))
    y = np.column_stack([blocks[c] for c in outputs]) if len(data) else np.zeros((0, len(outputs)))
    for pos in np.flatnonzero(~np.any(y > 0, axis=1)):
        raise InputError(
            f"DMU {labels[pos]!r}: all outputs are zero", file=file, row=int(pos) + 1, column=None
        )
    for r, name in enumerate(outputs):
        if len(data) and not np.any(y[:, r] > 0):
            raise InputError("output is zero for every DMU", file=file, column=name)
    n, m, s = len(data), len(inputs), len(outputs)
    if n < m + s:
        raise InputError(
            f"too few DMUs: {n} DMUs for {m} inputs + {s} outputs (need at least {m + s})",
            file=file,
        )
    warnings = []
    rule = max(m * s, 3 * (m + s))
    if n < rule:
        warnings.append(
            f"small sample: {n} DMUs for {m} inputs and {s} outputs "
            f"(rule of thumb n >= max(m*s, 3(m+s)) = {rule}); many DMUs will score 1"
        )
    return x, y, labels, warnings
