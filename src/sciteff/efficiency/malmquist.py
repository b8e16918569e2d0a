"""DEA-Malmquist productivity index between adjacent periods, as DEAP 2.1 reports it.

For every pair of adjacent periods (t, t+1) and every DMU the index uses four constant returns
to scale (CRS) distances and two variable returns to scale (VRS) distances, each computed by
:func:`sciteff.dea.efficiency` (``D_s(r)`` = efficiency of the period-``r`` observation against
the period-``s`` frontier; values above 1 are legitimate when ``r != s``)::

    effch  = D_t1(t1) / D_t(t)                                  efficiency change (CRS)
    techch = sqrt( D_t(t1) / D_t1(t1)  *  D_t(t) / D_t1(t) )   technical change
    pech   = V_t1(t1) / V_t(t)                                  pure efficiency change (VRS)
    sech   = effch / pech                                       scale efficiency change
    tfpch  = effch * techch                                     total factor productivity change

This is the decomposition of Färe, Grosskopf, Norris and Zhang (1994) as printed by DEAP 2.1
(Coelli 1996, CEPA Working Paper 96/08). Distances are in DEAP's "te" form for both orientations
(input: theta; output: 1/phi), so every index above 1 means improvement. All means over DMUs and
over periods are geometric, as in DEAP's Malmquist summaries. Conventions, and how they differ
from DEAP's arithmetic DEA summary means, are documented in ``docs/malmquist_conventions.md``.

The raw distances are kept in :attr:`MalmquistResult.indices` so that an audit can see which term
of a published table differs. A distance that is not a positive finite number (an infeasible
linear program gives NaN) is never replaced: the indices that need it are NaN and the row's
``status`` names the distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.core.io import parse_number
from sciteff.efficiency import malmquist_shards
from sciteff.efficiency.malmquist_shards import Distance
from sciteff.efficiency.validate import check_values, locator

INDEX_COLUMNS: tuple[str, ...] = ("effch", "techch", "pech", "sech", "tfpch")
"""The five Malmquist indices, in DEAP's column order."""

DISTANCE_COLUMNS: tuple[str, ...] = (
    "d_crs_t_t",
    "d_crs_t_t1",
    "d_crs_t1_t",
    "d_crs_t1_t1",
    "d_vrs_t_t",
    "d_vrs_t1_t1",
)
"""Raw distances ``d_<rts>_<frontier period>_<data period>``; ``t`` is the base period and
``t1`` the row's period."""

MEAN_LABEL = "mean"
"""Label of the overall-mean row in the DEAP-layout tables."""

ORIENTATIONS = ("in", "out")

FRONTIERS: tuple[str, ...] = ("adjacent", "global", "sequential")
"""Which frontier each period's distances are measured against: its own period's (DEAP's
adjacent index), the pooled frontier of all periods (Pastor and Lovell 2005), or the frontier of
all periods up to it (sequential). See ``docs/malmquist_conventions.md``."""

GLOBAL_DISTANCE_COLUMNS: tuple[str, ...] = ("d_crs_g_t", "d_crs_g_t1")
"""Global index only: CRS distances of the base and the later period's data to the global
frontier."""


@dataclass(frozen=True)
class MalmquistResult:
    """Malmquist indices of one balanced panel, with DEAP's summary tables and the settings.

    ``indices`` is tidy: one row per DMU and later period, columns ``dmu``, ``period``, the five
    indices, the six raw distances, ``base_period`` and ``status`` (``"ok"``, or
    ``"undefined: <distance columns>"`` when a distance is NaN or not positive).
    ``annual_means`` (DEAP's "MALMQUIST INDEX SUMMARY OF ANNUAL MEANS") has one row per later
    period plus a final ``mean`` row; ``firm_means`` ("SUMMARY OF FIRM MEANS") one row per DMU
    plus a final ``mean`` row. All means are geometric. ``dropped`` lists the DMUs removed by
    ``drop_incomplete`` with the reason (empty when nothing was dropped).
    """

    indices: pd.DataFrame
    annual_means: pd.DataFrame
    firm_means: pd.DataFrame
    dropped: pd.DataFrame
    dmu: str
    period: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    orientation: str
    drop_incomplete: bool
    source: str
    periods: tuple[Hashable, ...]
    period_order: str
    frontier: str = "adjacent"

    def pair_tables(self) -> dict[Hashable, pd.DataFrame]:
        """DEAP's per-pair "MALMQUIST INDEX SUMMARY" tables, keyed by the later period.

        Each table has one row per DMU (``dmu`` and the five indices) and a final ``mean`` row
        holding the geometric means over DMUs (the same numbers as ``annual_means``).
        """
        tables: dict[Hashable, pd.DataFrame] = {}
        for later in self.periods[1:]:
            rows = self.indices.loc[self.indices["period"] == later, ["dmu", *INDEX_COLUMNS]]
            mean = {"dmu": MEAN_LABEL, **_geometric_means(rows)}
            tables[later] = pd.concat([rows, pd.DataFrame([mean])], ignore_index=True)
        return tables


def malmquist(
    data: pd.DataFrame,
    *,
    dmu: str,
    period: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    orientation: str = "in",
    drop_incomplete: bool = False,
    source: str = "<data>",
    frontier: str = "adjacent",
    allow_zero: bool | None = None,
    workers: int | None = None,
    distances: Mapping[Distance, np.ndarray] | None = None,
) -> MalmquistResult:
    """Malmquist indices for every DMU and pair of adjacent periods of a long-format panel.

    ``data`` has one row per DMU and period. The panel must be balanced: every DMU needs exactly
    one row with all ``inputs`` and ``outputs`` present in every period. Otherwise an
    :class:`~sciteff.core.errors.InputError` naming ``source`` lists every missing DMU-period and
    missing value, unless ``drop_incomplete`` is true, in which case those DMUs are removed and
    listed in :attr:`MalmquistResult.dropped`. Errors name rows by ``data``'s index labels (the
    1-based data rows for a frame from :mod:`sciteff.core.io`).

    Periods are sorted numerically when every label reads as a number, otherwise as text, and
    only adjacent periods are compared. ``frontier`` chooses the reference technology of each
    period (:data:`FRONTIERS`): "adjacent" (DEAP), "global" (Pastor and Lovell 2005, one
    frontier pooling every period, a circular index) or "sequential" (every period up to it).
    ``indices`` also holds ``cumulative_tfpch``, the chained product of ``tfpch`` from the
    first period to the row's. Values follow the policy of every model
    (:mod:`sciteff.efficiency.validate`): negative is an error, and so is a zero input unless
    ``allow_zero`` (or an enclosing ``allowing_zeros()`` block); with zeros allowed, a distance
    they make undefined is a row ``status``, never a number.

    The distances are computed frontier-first (:mod:`sciteff.efficiency.malmquist_shards`):
    each technology's frontier once, then every DMU's LPs against those units only, spread over
    ``workers`` processes (default automatic; the result does not depend on it).
    ``distances`` passes them in instead, as the sharded workflow's gather job does (from
    :func:`~sciteff.efficiency.malmquist_shards.gather_blocks` on a panel prepared with the same
    arguments).
    """
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {ORIENTATIONS}, not {orientation!r}")
    if frontier not in FRONTIERS:
        raise ValueError(f"frontier must be one of {FRONTIERS}, not {frontier!r}")
    panel = prepare_panel(
        data,
        dmu=dmu,
        period=period,
        inputs=inputs,
        outputs=outputs,
        drop_incomplete=drop_incomplete,
        source=source,
        allow_zero=allow_zero,
    )
    if distances is None:
        distances = malmquist_shards.distances(panel, orientation, frontier, workers=workers)
    indices = _indices(panel, distances, frontier)
    return MalmquistResult(
        indices=indices,
        annual_means=_annual_means(indices, panel.periods),
        firm_means=_firm_means(indices, panel.dmus),
        dropped=panel.dropped,
        dmu=dmu,
        period=period,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        orientation=orientation,
        drop_incomplete=drop_incomplete,
        source=source,
        periods=tuple(panel.periods),
        period_order=panel.period_order,
        frontier=frontier,
    )


# --- panel checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A balanced panel: per period, input and output matrices with rows in ``dmus`` order."""

    dmus: list[Hashable]
    periods: list[Hashable]
    period_order: str
    x: dict[Hashable, np.ndarray]
    y: dict[Hashable, np.ndarray]
    dropped: pd.DataFrame


def prepare_panel(
    data: pd.DataFrame,
    *,
    dmu: str,
    period: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    drop_incomplete: bool = False,
    source: str = "<data>",
    allow_zero: bool | None = None,
) -> Panel:
    """Check labels, values, duplicates and balance; return the matrices the LPs need (the
    checks and drops of :func:`malmquist`, which calls it with its own arguments)."""
    inputs, outputs = list(inputs), list(outputs)
    _check_columns(data, dmu, period, inputs, outputs, source)
    numeric = [*inputs, *outputs]
    locate = locator(data, source)
    values = _numeric_values(data, numeric, locate)
    dmu_labels = _labels(data, dmu, locate)
    # The one validation policy of every model (sciteff.efficiency.validate): negative values
    # are errors, zero inputs too unless the user allows zeros; NaN (missing) is judged below.
    check_values(
        values,
        numeric,
        len(inputs),
        labels=[str(d) for d in dmu_labels],
        locate=locate,
        allow_zero=allow_zero,
    )
    period_labels = _labels(data, period, locate)
    rows = list(data.index)
    _check_duplicates(dmu_labels, period_labels, locate, dmu, period)

    dmus = list(dict.fromkeys(dmu_labels))
    periods, period_order = _sort_periods(list(dict.fromkeys(period_labels)), source, period)
    if len(periods) < 2:
        raise InputError(
            f"a Malmquist index needs at least two periods, found {len(periods)}",
            file=source,
            column=period,
        )
    where = {(d, p): i for i, (d, p) in enumerate(zip(dmu_labels, period_labels, strict=True))}
    problems = _incomplete(dmus, periods, where, values, numeric, rows, locate)
    dropped = pd.DataFrame(
        {"dmu": list(problems), "reason": [_reason(p) for p in problems.values()]},
        columns=["dmu", "reason"],
    )
    if problems and not drop_incomplete:
        raise _unbalanced_error(problems, len(dmus), len(periods), source, period)
    kept = [d for d in dmus if d not in problems]
    if not kept:
        raise InputError(
            f"no DMU has complete data in every period ({len(dmus)} dropped)",
            file=source,
            column=period,
        )
    n_in = len(inputs)
    x: dict[Hashable, np.ndarray] = {}
    y: dict[Hashable, np.ndarray] = {}
    for p in periods:
        block = values[[where[(d, p)] for d in kept]]
        x[p], y[p] = block[:, :n_in], block[:, n_in:]
    return Panel(kept, periods, period_order, x, y, dropped)


def _check_columns(
    data: pd.DataFrame, dmu: str, period: str, inputs: list[str], outputs: list[str], source: str
) -> None:
    """Every named column exists, inputs and outputs are non-empty, and no column has two roles."""
    if not inputs or not outputs:
        raise InputError("need at least one input and one output column", file=source)
    named = [dmu, period, *inputs, *outputs]
    for name in named:
        if name not in data.columns:
            available = ", ".join(map(str, data.columns))
            raise InputError(
                f"missing column (the data has: {available})", file=source, column=name
            )
    for name in dict.fromkeys(named):
        if named.count(name) > 1:
            raise InputError(
                "column named more than once among --dmu/--period/--inputs/--outputs",
                file=source,
                column=name,
            )


def _numeric_values(data: pd.DataFrame, columns: list[str], locate: Callable) -> np.ndarray:
    """The numeric cells as floats; empty cells become NaN (missing), anything else must read
    under the number grammar (:mod:`sciteff.core.numbers`)."""
    out = np.empty((len(data), len(columns)), dtype=float)
    for j, name in enumerate(columns):
        column = data[name]
        if pd.api.types.is_float_dtype(column) or (
            pd.api.types.is_integer_dtype(column) and not pd.api.types.is_bool_dtype(column)
        ):  # numbers already (a reader parsed them): NaN is a missing value, as below
            out[:, j] = column.to_numpy(dtype=float, na_value=np.nan)
            continue
        for i, token in enumerate(column.tolist()):
            if _is_missing(token):
                out[i, j] = math.nan
                continue
            if isinstance(token, int | float) and not isinstance(token, bool):
                out[i, j] = float(token)
                continue
            out[i, j] = parse_number(token, column=name, **locate(i))
    return out


def _is_missing(token: object) -> bool:
    """None, NaN/NA and blank text count as a missing value."""
    if token is None or token is pd.NA:
        return True
    if isinstance(token, float) and math.isnan(token):
        return True
    return isinstance(token, str) and token.strip() == ""


def _labels(data: pd.DataFrame, column: str, locate: Callable) -> list[Hashable]:
    """DMU or period labels as given (text stripped); a blank label is an error located by
    ``locate`` (:func:`~sciteff.efficiency.validate.locator`: the line an editor shows)."""
    labels: list[Hashable] = []
    for pos, value in enumerate(data[column].tolist()):
        if _is_missing(value):
            raise InputError("empty label", **locate(pos, column))
        labels.append(value.strip() if isinstance(value, str) else value)
    return labels


def _check_duplicates(
    dmu_labels: list[Hashable],
    period_labels: list[Hashable],
    locate: Callable,
    dmu: str,
    period: str,
) -> None:
    """The same DMU twice in one period is an error naming every line (or row) involved."""
    seen: dict[tuple[Hashable, Hashable], list[int]] = {}
    for pos, key in enumerate(zip(dmu_labels, period_labels, strict=True)):
        seen.setdefault(key, []).append(pos)
    duplicated = {key: where for key, where in seen.items() if len(where) > 1}
    if not duplicated:
        return
    listing = "; ".join(
        f"DMU {d!r} in period {p!r} at {_places([locate(pos) for pos in where])}"
        for (d, p), where in duplicated.items()
    )
    first = min(where[1] for where in duplicated.values())
    raise InputError(
        f"the same DMU appears more than once in a period ({dmu!r} x {period!r}): {listing}",
        **locate(first, dmu),
    )


def _places(where: list[dict]) -> str:
    """``lines 3, 6`` (one file), ``rows 8, 10`` (no lines known) or each place in full."""
    lines = [w.get("line") for w in where]
    if all(lines) and len({w.get("file") for w in where}) == 1:
        return "lines " + ", ".join(map(str, lines))
    if not any(lines):
        return "rows " + ", ".join(str(w["row"]) for w in where)
    return ", ".join(
        f"{w.get('file')} line {w['line']}" if w.get("line") else f"row {w['row']}" for w in where
    )


def _sort_periods(labels: list[Hashable], source: str, column: str) -> tuple[list[Hashable], str]:
    """Numeric order when every label reads as a finite number, else text order."""
    numbers: list[float] = []
    for label in labels:
        try:
            number = float(str(label).replace(",", ""))
        except ValueError:
            return sorted(labels, key=str), "lexical"
        if not math.isfinite(number):
            return sorted(labels, key=str), "lexical"
        numbers.append(number)
    by_number: dict[float, Hashable] = {}
    for label, number in zip(labels, numbers, strict=True):
        if number in by_number:
            raise InputError(
                f"periods {by_number[number]!r} and {label!r} are the same number",
                file=source,
                column=column,
            )
        by_number[number] = label
    return [by_number[n] for n in sorted(by_number)], "numeric"


@dataclass(frozen=True)
class _Cell:
    """Where a missing value is: the file and line an editor shows (header = line 1) when
    known, else the 1-based data row, and the column as the user's file names it."""

    file: str
    line: int | None
    row: Hashable
    column: str

    def place(self) -> str:
        """``<file> line N`` (a panel's values come from one file per period, so the line
        alone would not say where to look), or ``row N`` for a frame without line numbers."""
        if self.line is None:
            return f"row {self.row}"
        named = self.file and not self.file.startswith("<")  # "<data>": no file was named
        return f"{self.file} line {self.line}" if named else f"line {self.line}"


@dataclass
class _Gaps:
    """What one DMU lacks: whole periods, and single values (period, variable, cell)."""

    periods: list[Hashable]
    values: list[tuple[Hashable, str, _Cell]]


def _incomplete(
    dmus: list[Hashable],
    periods: list[Hashable],
    where: dict[tuple[Hashable, Hashable], int],
    values: np.ndarray,
    numeric: list[str],
    rows: list[Hashable],
    locate: Callable,
) -> dict[Hashable, _Gaps]:
    """Every DMU lacking a period or a value, in DMU order, periods in sorted order; each
    missing value located by ``locate`` (:func:`~sciteff.efficiency.validate.locator`)."""
    problems: dict[Hashable, _Gaps] = {}
    for d in dmus:
        gaps = _Gaps([], [])
        for p in periods:
            i = where.get((d, p))
            if i is None:
                gaps.periods.append(p)
                continue
            for j, name in enumerate(numeric):
                if math.isnan(values[i, j]):
                    at = locate(i, name)
                    cell = _Cell(str(at["file"]), at.get("line"), rows[i], str(at["column"]))
                    gaps.values.append((p, name, cell))
        if gaps.periods or gaps.values:
            problems[d] = gaps
    return problems


def _reason(gaps: _Gaps) -> str:
    """One line saying what a DMU lacks."""
    parts = []
    if gaps.periods:
        parts.append("missing period(s) " + ", ".join(map(str, gaps.periods)))
    parts.extend(
        f"missing value in column {name!r} for period {p} ({cell.place()})"
        for p, name, cell in gaps.values
    )
    return "; ".join(parts)


def _unbalanced_error(
    problems: dict[Hashable, _Gaps], n_dmus: int, n_periods: int, source: str, column: str
) -> InputError:
    """The error for an unbalanced panel: every gap listed, the first offending cell located."""
    missing = [f"DMU {d!r} in period {p}" for d, gaps in problems.items() for p in gaps.periods]
    cells = [
        f"DMU {d!r} in period {p} ({cell.place()}, column {cell.column!r})"
        for d, gaps in problems.items()
        for p, _, cell in gaps.values
    ]
    parts = []
    if missing:
        parts.append("missing DMU-periods: " + ", ".join(missing))
    if cells:
        parts.append("missing values: " + ", ".join(cells))
    message = (
        f"unbalanced panel ({n_dmus} DMUs x {n_periods} periods need one complete row each); "
        + "; ".join(parts)
        + "; use drop_incomplete (--drop-incomplete) to drop these DMUs instead"
    )
    # A missing value has a row to point at; a missing DMU-period only has the period column.
    first_cell = next((v for gaps in problems.values() for v in gaps.values), None)
    if first_cell is None:
        return InputError(message, file=source, column=column)
    cell = first_cell[2]
    return InputError(message, file=cell.file, line=cell.line, row=cell.row, column=cell.column)


# --- indices ------------------------------------------------------------------------------------


def _usable(values: np.ndarray) -> np.ndarray:
    """Positive finite distances; anything else (NaN from an infeasible LP, 0, inf) is NaN."""
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def _indices(
    panel: Panel, distances: Mapping[Distance, np.ndarray], frontier: str = "adjacent"
) -> pd.DataFrame:
    """The tidy table: one row per DMU and later period, indices then raw distances.

    Adjacent and sequential indices use the same formulas, with period t's frontier being
    period t's DMUs or those of every period up to t. The global index (Pastor and Lovell 2005)
    is ``tfpch = D_G(t1) / D_G(t)`` against the frontier of all periods pooled, decomposed
    into ``effch`` (as adjacent) times ``techch = (D_G(t1) / D_t1(t1)) / (D_G(t) / D_t(t))``,
    the change in the gap between the period frontier and the global one. ``distances`` holds
    every distance :func:`~sciteff.efficiency.malmquist_shards.distances_needed` lists."""
    kind = "adjacent" if frontier == "global" else frontier
    for key in malmquist_shards.distances_needed(panel.periods, frontier):
        got = np.shape(distances.get(key, ()))
        if got != (len(panel.dmus),):
            raise SolverError(f"distance {key} has shape {got}, expected ({len(panel.dmus)},)")

    def dist(rts: str, front: Hashable, data: Hashable) -> np.ndarray:
        return np.asarray(distances[(rts, kind, front, data)], dtype=float)

    crs = {p: dist("crs", p, p) for p in panel.periods}
    vrs = {p: dist("vrs", p, p) for p in panel.periods}
    if frontier == "global":
        glob = {p: np.asarray(distances[("crs", "global", None, p)]) for p in panel.periods}
    frames = []
    nan = np.full(len(panel.dmus), np.nan)
    for t, t1 in zip(panel.periods[:-1], panel.periods[1:], strict=True):
        d = {
            "d_crs_t_t": crs[t],
            "d_crs_t_t1": nan if frontier == "global" else dist("crs", t, t1),
            "d_crs_t1_t": nan if frontier == "global" else dist("crs", t1, t),
            "d_crs_t1_t1": crs[t1],
            "d_vrs_t_t": vrs[t],
            "d_vrs_t1_t1": vrs[t1],
        }
        if frontier == "global":
            d |= {"d_crs_g_t": glob[t], "d_crs_g_t1": glob[t1]}
        used = {k: v for k, v in d.items() if not (frontier == "global" and v is nan)}
        u = {name: _usable(v) for name, v in used.items()}
        effch = u["d_crs_t1_t1"] / u["d_crs_t_t"]
        if frontier == "global":
            techch = (u["d_crs_g_t1"] / u["d_crs_t1_t1"]) / (u["d_crs_g_t"] / u["d_crs_t_t"])
        else:
            techch = np.sqrt(
                (u["d_crs_t_t1"] / u["d_crs_t1_t1"]) * (u["d_crs_t_t"] / u["d_crs_t1_t"])
            )
        pech = u["d_vrs_t1_t1"] / u["d_vrs_t_t"]
        frame = pd.DataFrame(
            {
                "dmu": panel.dmus,
                "period": [t1] * len(panel.dmus),
                "effch": effch,
                "techch": techch,
                "pech": pech,
                "sech": effch / pech,
                "tfpch": effch * techch,
                **d,
                "base_period": [t] * len(panel.dmus),
                "status": _status(u),
            }
        )
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    # Chained index per DMU from the first period: the product of tfpch so far (NaN from the
    # first undefined pair on). Rows are period-major, so a cumulative product per DMU works.
    out["cumulative_tfpch"] = out.groupby("dmu", sort=False)["tfpch"].cumprod(skipna=False)
    return out


def _status(usable: dict[str, np.ndarray]) -> list[str]:
    """``ok``, or ``undefined: <columns>`` naming the distances that are not positive finite."""
    names = list(usable)
    bad = np.column_stack([np.isnan(usable[n]) for n in names])
    return [
        "ok"
        if not row.any()
        else "undefined: " + ", ".join(n for n, b in zip(names, row, strict=True) if b)
        for row in bad
    ]


def _geometric_mean(values: pd.Series) -> float:
    """Geometric mean; NaN if any value is missing or not positive (never a partial mean)."""
    array = values.to_numpy(dtype=float)
    if array.size == 0 or not np.all(np.isfinite(array) & (array > 0)):
        return math.nan
    return float(np.exp(np.mean(np.log(array))))


def _geometric_means(frame: pd.DataFrame) -> dict[str, float]:
    """Geometric mean of each index column."""
    return {name: _geometric_mean(frame[name]) for name in INDEX_COLUMNS}


def _annual_means(indices: pd.DataFrame, periods: list[Hashable]) -> pd.DataFrame:
    """Per later period, geometric means over DMUs; last row the geometric mean of those."""
    rows = [
        {"period": p, **_geometric_means(indices.loc[indices["period"] == p])} for p in periods[1:]
    ]
    table = pd.DataFrame(rows, columns=["period", *INDEX_COLUMNS])
    mean = {"period": MEAN_LABEL, **_geometric_means(table)}
    return pd.concat([table, pd.DataFrame([mean])], ignore_index=True)


def _firm_means(indices: pd.DataFrame, dmus: list[Hashable]) -> pd.DataFrame:
    """Per DMU, geometric means over periods; last row the geometric mean of those.

    ``indices`` is period-major with the DMUs in ``dmus`` order in every pair, so each index
    column reshapes to (pairs x DMUs); each DMU's values are then reduced as
    :func:`_geometric_mean` reduces them (NaN if any is missing or not positive)."""
    columns: dict[str, object] = {"dmu": list(dmus)}
    for name in INDEX_COLUMNS:
        per_dmu = np.ascontiguousarray(indices[name].to_numpy(dtype=float).reshape(-1, len(dmus)).T)
        valid = np.all(np.isfinite(per_dmu) & (per_dmu > 0), axis=1) & (per_dmu.shape[1] > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            means = np.exp(np.mean(np.log(per_dmu), axis=1))
        columns[name] = np.where(valid, means, math.nan)
    table = pd.DataFrame(columns, columns=["dmu", *INDEX_COLUMNS])
    mean = {"dmu": MEAN_LABEL, **_geometric_means(table)}
    return pd.concat([table, pd.DataFrame([mean])], ignore_index=True)
