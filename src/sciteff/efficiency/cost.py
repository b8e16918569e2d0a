"""Cost efficiency DEA (DEAP 2.1's model 1): cost, technical and allocative efficiency.

For DMU i with outputs ``y_i``, inputs ``x_i`` and input prices ``w_i`` (Fare, Grosskopf and
Lovell 1994; Coelli 1996, "A Guide to DEAP Version 2.1", section on cost efficiency), the
minimum cost of producing ``y_i`` is the linear program::

    C(y_i, w_i) = min_{lambda, x*}  w_i' x*
                  s.t.  sum_j lambda_j y_j >= y_i        (every output)
                        sum_j lambda_j x_j <= x*         (every input)
                        lambda >= 0, x* >= 0             (VRS adds sum_j lambda_j = 1)

and the three measures DEAP prints are

    CE = C(y_i, w_i) / (w_i' x_i)       cost efficiency
    TE = input-orientated radial score  technical efficiency, same returns to scale
    AE = CE / TE                        allocative efficiency

so CE = TE x AE holds by construction and CE <= TE because the radially contracted input
vector TE * x_i is a feasible, not necessarily cost-minimising, choice of x*. ``x*`` is DEAP's
"cost minimising input quantities". Prices may differ between DMUs (DEAP reads them per row).
When several input vectors reach the minimum cost, ``x*`` is one of them; the costs and the
three measures are unique.

One HiGHS model is built per run and warm-started from DMU to DMU: only the DMU's prices
(the costs of the x* columns) and its outputs (row bounds) change. All variables are divided
by their means first (units do not change any measure), and every solution is re-checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.efficiency.dea import efficiency
from sciteff.efficiency.engine import check_choice, new_highs, scale_factors
from sciteff.efficiency.highs import run_resolved
from sciteff.efficiency.validate import locator, number_text, validate_dea_data

#: Cost-efficiency models are defined for these returns to scale (DEAP: CRS and VRS).
COST_RTS = ("crs", "vrs")

#: A CE above 1 + this (the DMU's own input vector is always feasible) is a solver failure.
CE_TOL = 1e-7


@dataclass(frozen=True)
class CostArrays:
    """Per-DMU results: ``te``, ``ae``, ``ce``, observed ``cost`` = w'x, ``min_cost`` and the
    cost-minimising input vectors ``x_min`` (n x m), all in the user's units."""

    te: np.ndarray
    ae: np.ndarray
    ce: np.ndarray
    cost: np.ndarray
    min_cost: np.ndarray
    x_min: np.ndarray


def _as_matrix(name: str, a: object, rows: int | None = None) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or (rows is not None and arr.shape[0] != rows):
        raise ValueError(f"{name} must be a 2-D array with one row per DMU")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains non-finite values")
    return arr


def minimum_cost(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, *, rts: str = "crs"
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum cost ``C(y_i, w_i)`` and a cost-minimising input vector for every DMU.

    ``x`` (n x m) inputs, ``y`` (n x s) outputs, ``w`` (n x m) input prices of each DMU; the
    technology is spanned by all n DMUs. Returns ``(min_cost, x_min)`` in the user's units.
    Raises SolverError if an LP is not solved to optimality or its solution fails a re-check.
    """
    rts = check_choice("rts", rts, COST_RTS)
    x, y = _as_matrix("x", x), _as_matrix("y", y)
    n, m = x.shape
    s = y.shape[1]
    w = _as_matrix("w", w, rows=n)
    if w.shape[1] != m:
        raise ValueError("w must have one price per input")
    sx, sy = scale_factors(x), scale_factors(y)
    xs, ys = x / sx, y / sy
    h = new_highs()
    inf = highspy.kHighsInf
    # Columns: lambda_1..lambda_n, then x*_1..x*_m (scaled), all >= 0.
    h.addVars(n + m, np.zeros(n + m), np.full(n + m, inf))
    every = np.arange(n, dtype=np.int32)
    for r in range(s):  # sum_j lambda_j y_jr >= y_ir (the bound changes per DMU)
        h.addRow(0.0, inf, n, every, ys[:, r].astype(float))
    for k in range(m):  # sum_j lambda_j x_jk - x*_k <= 0
        idx = np.append(every, np.int32(n + k))
        h.addRow(-inf, 0.0, n + 1, idx, np.append(xs[:, k], -1.0))
    if rts == "vrs":
        h.addRow(1.0, 1.0, n, every, np.ones(n))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    price_cols = np.arange(n, n + m, dtype=np.int32)
    out_rows = np.arange(s, dtype=np.int32)
    min_cost = np.full(n, np.nan)
    x_min = np.full((n, m), np.nan)
    for i in range(n):
        price = w[i] * sx  # cost of one scaled unit of each input
        h.changeColsCost(m, price_cols, price / (float(price.sum()) or 1.0))
        h.changeRowsBounds(s, out_rows, ys[i].astype(float), np.full(s, inf))
        h.run()
        status = run_resolved(h)  # always feasible (lambda = e_i): anything else is a hiccup
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"cost LP of DMU {i + 1} returned {h.modelStatusToString(status)}")
        sol = np.asarray(h.getSolution().col_value, dtype=float)
        lam, xstar = np.maximum(sol[:n], 0.0), np.maximum(sol[n:], 0.0)
        # Re-check feasibility in the scaled space before reporting anything.
        if np.any(lam @ ys < ys[i] - 1e-6 * (1 + ys[i])) or np.any(
            lam @ xs > xstar + 1e-6 * (1 + xstar)
        ):
            raise SolverError(f"cost LP of DMU {i + 1} returned an infeasible point")
        if rts == "vrs" and abs(lam.sum() - 1) > 1e-6:
            raise SolverError(f"cost LP of DMU {i + 1} violates sum(lambda) = 1")
        x_min[i] = xstar * sx
        min_cost[i] = float(w[i] @ x_min[i])
    return min_cost, x_min


def cost_efficiency(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, rts: str = "crs") -> CostArrays:
    """CE, TE and AE = CE / TE of every DMU (DEAP 2.1's cost-DEA), with the x* vectors.

    TE is the input-orientated radial score under the same returns to scale, from
    :func:`sciteff.efficiency.dea.efficiency`. Raises SolverError rather than report a CE
    above 1 or a CE above TE (both impossible: x_i and TE * x_i are feasible choices of x*).
    """
    rts = check_choice("rts", rts, COST_RTS)
    x, y = _as_matrix("x", x), _as_matrix("y", y)
    w = _as_matrix("w", w, rows=x.shape[0])
    min_cost, x_min = minimum_cost(x, y, w, rts=rts)
    cost = np.einsum("ij,ij->i", w, x)
    ce = min_cost / cost
    te = efficiency(x, y, x, y, rts=rts, orientation="in")
    if np.any(~np.isfinite(te)) or np.any(te > 1 + CE_TOL):
        raise SolverError("technical efficiency above 1 for a DMU in its own reference set")
    if np.any(ce > 1 + CE_TOL) or np.any(ce > te * (1 + CE_TOL)):
        raise SolverError("cost efficiency above 1 or above technical efficiency; not reported")
    # Remove LP rounding above the bounds (checked above to be below CE_TOL): TE <= 1, CE <= TE.
    te = np.minimum(te, 1.0)
    ce = np.minimum(ce, te)
    return CostArrays(te=te, ae=ce / te, ce=ce, cost=cost, min_cost=min_cost, x_min=x_min)


def validate_prices(
    data: pd.DataFrame,
    prices: Sequence[str],
    inputs: Sequence[str],
    labels: list[str],
    *,
    file: str | None = None,
) -> np.ndarray:
    """The n x m price matrix, or InputError naming the line (or row) and column.

    One price column per input, in the same order. Prices must be finite and >= 0, and each
    DMU needs a positive observed cost (some positive price), else CE = 0/0 is undefined.
    """
    prices, inputs = list(prices), list(inputs)
    if len(prices) != len(inputs):
        raise InputError(
            f"{len(prices)} price columns for {len(inputs)} inputs (give one price per input, "
            "in the order of the inputs)",
            file=file,
        )
    locate = locator(data, file)
    columns = []
    for name in prices:
        if name not in data.columns:
            raise InputError("missing price column", file=file, column=name)
        col = pd.to_numeric(data[name], errors="coerce").to_numpy(dtype=float)
        for pos in np.flatnonzero(~np.isfinite(col)):
            raise InputError(
                f"DMU {labels[pos]!r}: price {str(data[name].iloc[pos])!r} is not a finite number",
                **locate(int(pos), name),  # type: ignore[arg-type]
            )
        for pos in np.flatnonzero(col < 0):
            raise InputError(
                f"DMU {labels[pos]!r}: negative price {number_text(col[pos])}",
                **locate(int(pos), name),  # type: ignore[arg-type]
            )
        columns.append(col)
    w = np.column_stack(columns) if columns else np.zeros((len(data), 0))
    for pos in np.flatnonzero(~np.any(w > 0, axis=1)):
        raise InputError(
            f"DMU {labels[pos]!r}: every price is zero (cost efficiency is undefined)",
            **locate(int(pos), None),  # type: ignore[arg-type]
        )
    return w


def cost_summary(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    prices: Sequence[str],
    dmu: str | None = None,
    rts: str = "crs",
    *,
    file: str | None = None,
) -> pd.DataFrame:
    """DEAP 2.1's cost-DEA summary as a tidy table: one row per DMU, in input order.

    Columns: ``dmu, te, ae, ce, cost, min_cost``, then ``min_<input>`` (the cost-minimising
    input quantities DEAP prints) for every input. ``prices`` names one price column per input,
    in the inputs' order. Data are checked like any DEA table (:func:`validate_dea_data`) and
    prices by :func:`validate_prices`; warnings (small sample) are in ``attrs["warnings"]``.
    """
    rts = check_choice("rts", rts, COST_RTS)
    inputs, outputs = list(inputs), list(outputs)
    x, y, labels, warnings = validate_dea_data(data, inputs, outputs, dmu=dmu, file=file)
    overlap = set(prices) & set([*inputs, *outputs])
    if overlap:
        raise InputError(
            "a price column cannot also be an input or output", file=file, column=min(overlap)
        )
    w = validate_prices(data, prices, inputs, labels, file=file)
    res = cost_efficiency(x, y, w, rts=rts)
    out = pd.DataFrame(
        {
            "dmu": labels,
            "te": res.te,
            "ae": res.ae,
            "ce": res.ce,
            "cost": res.cost,
            "min_cost": res.min_cost,
        }
    )
    for k, name in enumerate(inputs):
        out[f"min_{name}"] = res.x_min[:, k]
    out.attrs["warnings"] = list(warnings)
    return out
