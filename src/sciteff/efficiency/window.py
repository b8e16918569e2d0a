"""DEA window analysis (Charnes, Clark, Cooper and Golany 1985).

A panel of n DMUs over T periods is cut into the T - w + 1 windows of ``w`` consecutive
periods. In each window every DMU-period is a separate DMU: the n x w observations form one
reference set and each is scored against it (radial DEA, CRS or VRS, input or output
orientation, DEAP's "te" form: theta, or 1/phi for output orientation, <= 1). A DMU-period that
lies in several windows gets one score per window; how much those scores move is the stability
of its efficiency.

The window table, as the literature prints it (Charnes et al. 1985; Cooper, Seiford and Tone
2007, section 9.2), has for each DMU one row per window and one column per period, then:

- ``mean``: the row mean (over the window's periods); on the DMU's ``mean`` row, whose period
  cells are the column means (over the windows containing the period), the mean of all of
  the DMU's scores;
- ``ldw``: the largest difference within the window (max - min of the row);
- an ``ldp`` row: per period, the largest difference between the windows containing it
  (Asmild, Paradi, Aggarwall and Schaffnit 2004's LDP; Charnes et al.'s "column range");
- ``range``: the DMU's total range, max - min over all its scores (Charnes et al.'s "total
  range"), on every row of the DMU.

Width 1 is period-by-period DEA; width T is one pooled (intertemporal) DEA of the whole panel.

Zeros follow the policy of every radial model (:mod:`sciteff.efficiency.validate`): a zero
input (or a DMU-period whose outputs are all zero) is an error unless the user allows zeros
(``allow_zero``, ``--allow-zero``, ``allow_zero: true``); then a DMU-period whose LP the zeros
make infeasible or unbounded gets ``te`` empty and a ``status`` column (present whenever zeros
are allowed) says why, never a number.
The window table leaves such a cell empty and its means and ranges are over the scored cells.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.efficiency.engine import check_choice
from sciteff.efficiency.malmquist import prepare_panel
from sciteff.efficiency.radial import radial_scores
from sciteff.efficiency.validate import validate_dea_data, zeros_allowed

WINDOW_RTS = ("crs", "vrs")
WINDOW_ORIENTATIONS = ("in", "out")

#: Own-reference scores above 1 + this are impossible and raise SolverError.
OWN_SCORE_TOL = 1e-6


@dataclass(frozen=True)
class WindowResult:
    """``scores``: one row per DMU, window and period (``dmu, window, period, te``), DMUs in
    input order, and with zeros allowed ``status`` ("optimal", or why an LP has no score:
    "infeasible", "unbounded"); ``table``: the window table (see the module
    docstring); ``dropped``: DMUs left out by ``drop_incomplete`` (``dmu, reason``); the
    settings."""

    scores: pd.DataFrame
    table: pd.DataFrame
    dropped: pd.DataFrame
    periods: tuple[Hashable, ...]
    width: int
    rts: str
    orientation: str


def window_label(periods: Sequence[Hashable]) -> str:
    """``first-last`` (the window's first and last period labels)."""
    return f"{periods[0]}-{periods[-1]}"


def window_analysis(
    data: pd.DataFrame,
    *,
    dmu: str,
    period: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    width: int,
    rts: str = "crs",
    orientation: str = "in",
    drop_incomplete: bool = False,
    source: str = "<data>",
    allow_zero: bool | None = None,
) -> WindowResult:
    """Window analysis of a balanced long-format panel (one row per DMU and period).

    Periods are ordered as in :func:`sciteff.efficiency.malmquist.malmquist` (numerically when
    every label is a number). A width below 1 or wider than the panel is an InputError; so are
    an unbalanced panel (unless ``drop_incomplete``), negative or non-numeric values and the
    other DEA data rules of :mod:`sciteff.efficiency.validate`, whose zero policy
    ``allow_zero`` sets (None: as the enclosing ``allowing_zeros()`` block says, else refuse).
    """
    allow = zeros_allowed(allow_zero)
    rts = check_choice("rts", rts, WINDOW_RTS)
    orientation = check_choice("orientation", orientation, WINDOW_ORIENTATIONS)
    try:
        width = int(width)
    except (TypeError, ValueError):
        raise InputError(f"window width must be a whole number, got {width!r}") from None
    if width < 1:
        raise InputError(f"window width must be at least 1, got {width}", file=source)
    if period in data.columns:
        n_periods = data[period].nunique()
        if width > n_periods:
            raise InputError(
                f"window width {width} is wider than the panel ({n_periods} periods)",
                file=source,
                column=period,
            )
        if n_periods < 2:
            raise InputError("window analysis needs at least two periods", file=source)
    panel = prepare_panel(
        data,
        dmu=dmu,
        period=period,
        inputs=list(inputs),
        outputs=list(outputs),
        drop_incomplete=drop_incomplete,
        source=source,
        allow_zero=allow,
    )
    periods = list(panel.periods)
    n = len(panel.dmus)
    # Every DMU-period once through the DEA data rules (zero inputs, all-zero outputs, ...).
    stacked = pd.DataFrame(
        np.hstack(
            [np.vstack([panel.x[p] for p in periods]), np.vstack([panel.y[p] for p in periods])]
        ),
        columns=[*inputs, *outputs],
    )
    stacked.insert(0, "dmu_period", [f"{d} {p}" for p in periods for d in panel.dmus])
    validate_dea_data(stacked, inputs, outputs, dmu="dmu_period", file=source, allow_zero=allow)
    rows = []
    for start in range(len(periods) - width + 1):
        span = periods[start : start + width]
        x = np.vstack([panel.x[p] for p in span])
        y = np.vstack([panel.y[p] for p in span])
        res = radial_scores(x, y, x, y, rts=rts, orientation=orientation)
        score = _own_scores(res.score, res.status, allow, panel.dmus, span)
        label = window_label(span)
        for k, p in enumerate(span):
            for j, d in enumerate(panel.dmus):
                i = k * n + j
                rows.append((j, start, d, label, p, score[i], str(res.status[i])))
    long = pd.DataFrame(rows, columns=["_j", "_w", "dmu", "window", "period", "te", "status"])
    long = long.sort_values(["_j", "_w"], kind="stable").drop(columns=["_j", "_w"])
    if not allow:  # every LP is optimal (else SolverError): the contract's four columns
        long = long.drop(columns=["status"])
    long = long.reset_index(drop=True)
    return WindowResult(
        scores=long,
        table=window_table(long, periods, panel.dmus),
        dropped=panel.dropped,
        periods=tuple(periods),
        width=width,
        rts=rts,
        orientation=orientation,
    )


def _own_scores(
    score: np.ndarray,
    status: np.ndarray,
    allow_zero: bool,
    dmus: Sequence[Hashable],
    span: Sequence[Hashable],
) -> np.ndarray:
    """The window's scores, each DMU-period scored against a reference set holding itself.

    Such an LP is always feasible with a score in (0, 1] when all inputs are positive, so
    anything else is a solver failure (SolverError, never reported). With zeros allowed an
    infeasible or unbounded LP is a status (its score NaN: an empty cell) and a score of 0 is
    possible (a DMU-period that produces nothing); above 1 or negative is still impossible.
    """
    optimal = status == "optimal"
    low_ok = score >= 0 if allow_zero else score > 0
    impossible = optimal & ~(low_ok & (score <= 1 + OWN_SCORE_TOL))
    if not allow_zero:
        impossible |= ~optimal
    if impossible.any():
        k, n = int(np.flatnonzero(impossible)[0]), len(dmus)
        raise SolverError(
            f"impossible window score {float(score[k])!r} ({status[k]}) for DMU "
            f"{dmus[k % n]!r} in period {span[k // n]!r}, window {window_label(span)}; "
            "refusing to report it"
        )
    return np.where(optimal, np.minimum(score, 1.0), np.nan)


def window_table(
    scores: pd.DataFrame, periods: Sequence[Hashable], dmus: Sequence[Hashable]
) -> pd.DataFrame:
    """The window table from the long scores: per DMU, its window rows, a ``mean`` row and an
    ``ldp`` row; period columns named by the period labels; ``mean``, ``ldw``, ``range``."""
    with warnings.catch_warnings():  # a DMU whose every score is a status has empty means
        warnings.simplefilter("ignore", RuntimeWarning)
        return _window_table(scores, periods, dmus)


def _window_table(
    scores: pd.DataFrame, periods: Sequence[Hashable], dmus: Sequence[Hashable]
) -> pd.DataFrame:
    cols = [str(p) for p in periods]
    blocks = []
    for d in dmus:
        mine = scores[scores["dmu"] == d]
        wide = mine.pivot(index="window", columns="period", values="te")
        wide = wide.reindex(index=list(dict.fromkeys(mine["window"])), columns=list(periods))
        wide.columns = cols
        values = wide.to_numpy(dtype=float)
        block = wide.reset_index()
        block.insert(0, "dmu", d)
        block["mean"] = np.nanmean(values, axis=1)
        block["ldw"] = np.nanmax(values, axis=1) - np.nanmin(values, axis=1)
        mean_row = {
            "dmu": d,
            "window": "mean",
            **dict(zip(cols, np.nanmean(values, axis=0), strict=True)),
        }
        mean_row["mean"] = float(np.nanmean(values))
        ldp_row = {
            "dmu": d,
            "window": "ldp",
            **dict(zip(cols, np.nanmax(values, axis=0) - np.nanmin(values, axis=0), strict=True)),
        }
        block = pd.concat([block, pd.DataFrame([mean_row, ldp_row])], ignore_index=True)
        block["range"] = float(np.nanmax(values) - np.nanmin(values))
        blocks.append(block)
    table = pd.concat(blocks, ignore_index=True)
    return table[["dmu", "window", *cols, "mean", "ldw", "range"]]
