"""One validation policy for every efficiency model, applied before any LP is solved.

Why strict: DEA silently produces meaningless scores on bad data (a DMU with zero inputs makes
every other DMU look infinitely inefficient under CRS; an all-zero output column drops out of
the model without a word). Every problem found here raises an :class:`InputError` naming the
file, the line (the user's raw file and line when the table carries ``source_file`` and
``source_line``, as panel data does; the CSV line for a table read by :mod:`sciteff.core.io`;
else the 1-based data row), the DMU label and the variable.

The policy (see docs/dea_conventions.md), the same for DEA, Malmquist and every new model:

- every value finite; a negative value is an error everywhere;
- zeros depend on the model's convention (:data:`ZERO_CONVENTIONS`): ``radial`` (CRS/VRS DEA,
  super-efficiency, Malmquist, cost) refuses a zero input, a DMU whose outputs are all zero
  and an output that is zero for every DMU, unless the user allows zeros (``--allow-zero``,
  ``allow_zero: true``; :func:`allowing_zeros`); then the model must report an LP that zeros
  make infeasible or unbounded as a status, never as a number. A single zero output is
  accepted (the radial LP stays feasible and bounded with it). ``tone`` (SBM) accepts zeros
  and handles them as Tone (2001) does;
- at least m + s DMUs; a small-sample warning when n < max(m * s, 3 (m + s)).

New models call :func:`validate_dea_data` (a frame) or :func:`check_values` (a matrix).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from sciteff.core.errors import InputError

#: How a model treats zero inputs and outputs.
ZERO_CONVENTIONS = ("radial", "tone")

_ALLOW_ZERO: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_zero", default=False)


@contextlib.contextmanager
def allowing_zeros(allow: bool = True) -> Iterator[None]:
    """Within the block, radial models accept zero inputs and outputs (the user's choice,
    ``--allow-zero`` / ``allow_zero: true``) without every call site passing a flag."""
    token = _ALLOW_ZERO.set(bool(allow))
    try:
        yield
    finally:
        _ALLOW_ZERO.reset(token)


def zeros_allowed(allow_zero: bool | None = None) -> bool:
    """The effective zero policy: an explicit ``allow_zero``, else the enclosing
    :func:`allowing_zeros` block, else False."""
    return _ALLOW_ZERO.get() if allow_zero is None else bool(allow_zero)


def dmu_labels(data: pd.DataFrame, dmu: str | None) -> list[str]:
    """DMU labels: the ``dmu`` column as strings, or 1-based row numbers when ``dmu`` is None."""
    if dmu is None:
        return [str(i) for i in range(1, len(data) + 1)]
    if dmu not in data.columns:
        raise InputError("missing DMU label column", column=dmu)
    return [str(v) for v in data[dmu].tolist()]


def number_text(value: float) -> str:
    """A number as a person writes it (no numpy repr): 25, -25.5, 1e-07."""
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def locator(data: pd.DataFrame, file: str | None) -> Callable[..., dict[str, object]]:
    """Where the value at 0-based position ``pos`` (of variable ``column``) of ``data`` came
    from: ``locate(pos, column)`` gives InputError's ``file``, ``line``, ``row`` and ``column``.

    Panel rows carry their raw ``source_file``/``source_line``; a frame read by
    :mod:`sciteff.core.io` carries its editor lines in ``attrs["lines"]``; otherwise the
    1-based data row in ``file``. ``attrs["source_columns"]`` maps a variable to the raw
    column the user typed it in (``{var: column}``, or ``{var: {period: column}}`` for a
    table printed wide by period), so the message names the column of the raw file.
    """
    columns = data.attrs.get("source_columns") or {}
    periods = data["period"].astype(str).tolist() if "period" in data.columns else None

    def raw_column(pos: int, column: str | None) -> dict[str, object]:
        if column is None:
            return {}
        mapped = columns.get(column, column)
        if isinstance(mapped, dict):
            mapped = mapped.get(periods[pos], column) if periods is not None else column
        return {"column": str(mapped)}

    if {"source_file", "source_line"} <= set(data.columns):
        files = data["source_file"].astype(str).tolist()
        lines = data["source_line"].tolist()

        def raw(pos: int, column: str | None = None) -> dict[str, object]:
            line = lines[pos]
            ok = line is not None and not pd.isna(line) and int(line) > 0
            where = {"file": files[pos], "line": int(line) if ok else None, "row": pos + 1}
            return where | raw_column(pos, column)

        return raw
    lines_by_row = data.attrs.get("lines") or {}
    index = list(data.index)
    # A whole table in its file order (perhaps re-indexed from 0): position -> data row pos+1.
    whole = len(lines_by_row) == len(data)

    def csv_line(pos: int, column: str | None = None) -> dict[str, object]:
        row = pos + 1 if whole else index[pos]
        where = {"file": file, "line": lines_by_row.get(row), "row": pos + 1}
        return where | raw_column(pos, column)

    return csv_line


def check_values(
    values: np.ndarray,
    columns: Sequence[str],
    n_inputs: int,
    *,
    labels: Sequence[str],
    locate: Callable[..., dict[str, object]],
    convention: str = "radial",
    allow_zero: bool | None = None,
) -> None:
    """The value rules for a (DMUs x variables) matrix whose first ``n_inputs`` columns are
    inputs: finite (NaN is a missing value, skipped: the caller decides about missing data),
    never negative, and zeros as the model's ``convention`` says. Raises InputError located by
    ``locate(pos)``."""
    if convention not in ZERO_CONVENTIONS:
        raise ValueError(f"convention must be one of {ZERO_CONVENTIONS}, not {convention!r}")
    refuse_zero = convention == "radial" and not zeros_allowed(allow_zero)
    for j, name in enumerate(columns):
        col = np.asarray(values[:, j], dtype=float)
        role = "input" if j < n_inputs else "output"
        for pos in np.flatnonzero(np.isinf(col)):
            raise InputError(
                f"DMU {labels[pos]!r}: non-finite value {number_text(col[pos])}",
                **locate(int(pos), name),  # type: ignore[arg-type]
            )
        for pos in np.flatnonzero(col < 0):
            raise InputError(
                f"DMU {labels[pos]!r}: negative value {number_text(col[pos])} in an {role} "
                "(DEA needs inputs and outputs >= 0)",
                **locate(int(pos), name),  # type: ignore[arg-type]
            )
        if refuse_zero and role == "input":
            for pos in np.flatnonzero(col == 0):
                raise InputError(
                    f"DMU {labels[pos]!r}: zero input (radial DEA, Malmquist and window "
                    "analysis need inputs > 0; allow zeros with --allow-zero or allow_zero: "
                    "true, and an LP they make infeasible or unbounded is then reported as a "
                    "status)",
                    **locate(int(pos), name),  # type: ignore[arg-type]
                )


def validate_dea_data(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    dmu: str | None = None,
    file: str | None = None,
    convention: str = "radial",
    allow_zero: bool | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Return (X, Y, labels, warnings) or raise InputError naming the offending cell.

    ``convention`` and ``allow_zero`` select the zero rule (module docstring); ``allow_zero``
    None means "as the enclosing :func:`allowing_zeros` block says" (default: refuse).
    """
    inputs, outputs = list(inputs), list(outputs)
    if not inputs or not outputs:
        raise InputError("DEA needs at least one input and one output", file=file)
    overlap = set(inputs) & set(outputs)
    if overlap:
        name = sorted(overlap)[0]
        raise InputError("a column cannot be both an input and an output", file=file, column=name)
    for role, names in (("inputs", inputs), ("outputs", outputs)):
        twice = [name for name in dict.fromkeys(names) if names.count(name) > 1]
        if twice:  # a typo, and the result tables would hold its columns once
            raise InputError(f"column named twice among the {role}", file=file, column=twice[0])
    if dmu is not None and dmu in [*inputs, *outputs]:
        raise InputError("the DMU label column cannot be an input or output", file=file, column=dmu)
    for name in [*inputs, *outputs]:
        if name not in data.columns:
            available = ", ".join(map(str, data.columns))
            raise InputError(f"missing column (the data has: {available})", file=file, column=name)
    labels = dmu_labels(data, dmu)
    locate = locator(data, file)
    if dmu is not None and "" in labels:  # a DMU without a name is a cell left blank
        raise InputError(
            "empty DMU label: every DMU needs a name",
            token="",
            **locate(labels.index(""), dmu),  # type: ignore[arg-type]
        )
    if dmu is not None and len(set(labels)) != len(labels):
        seen: dict[str, int] = {}
        for pos, lab in enumerate(labels):
            if lab in seen:
                raise InputError(
                    f"duplicate DMU label {lab!r}",
                    token=lab,
                    **locate(pos, dmu),  # type: ignore[arg-type]
                )
            seen[lab] = pos
    blocks = {}
    for name in [*inputs, *outputs]:
        try:
            col = pd.to_numeric(data[name], errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError):
            bad = next(
                pos
                for pos, v in enumerate(data[name].tolist())
                if pd.isna(pd.to_numeric(v, errors="coerce"))
            )
            raise InputError(
                f"DMU {labels[bad]!r}: value {str(data[name].iloc[bad])!r} is not a number",
                **locate(bad, name),  # type: ignore[arg-type]
            ) from None
        for pos in np.flatnonzero(np.isnan(col)):
            raise InputError(
                f"DMU {labels[pos]!r}: missing or non-finite value",
                **locate(int(pos), name),  # type: ignore[arg-type]
            )
        blocks[name] = col
    n, m, s = len(data), len(inputs), len(outputs)
    matrix = (
        np.column_stack([blocks[c] for c in [*inputs, *outputs]]) if n else np.zeros((0, m + s))
    )
    check_values(
        matrix,
        [*inputs, *outputs],
        m,
        labels=labels,
        locate=locate,
        convention=convention,
        allow_zero=allow_zero,
    )
    x, y = matrix[:, :m], matrix[:, m:]
    if convention == "radial" and not zeros_allowed(allow_zero):
        for pos in np.flatnonzero(~np.any(y > 0, axis=1)):
            raise InputError(
                f"DMU {labels[pos]!r}: all outputs are zero",
                **locate(int(pos)),  # type: ignore[arg-type]
            )
        for r, name in enumerate(outputs):
            if n and not np.any(y[:, r] > 0):
                raise InputError("output is zero for every DMU", file=file, column=name)
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
