"""The radial DEA LPs of many DMUs at once, on the batched simplex of :mod:`.batch_lp`.

The LP of each DMU is :class:`~sciteff.efficiency.engine.RadialModel`'s (same rows, costs and
certificate caps, including the multi-stage method's masked sub-vector movement); only the
solver differs. Data must be scaled as for the engine. LPs the batch does not certify come back
flagged, for the engine to solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sciteff.efficiency.batch_lp import LPBatch, solve


@dataclass(frozen=True)
class RadialBatch:
    """Radial factors (theta or phi), lambdas (k x n), which LPs are certified and their
    final bases (-1 rows where not certified; numbering in :func:`slack_start`)."""

    factor: np.ndarray
    lambdas: np.ndarray
    certified: np.ndarray
    basis: np.ndarray


def ratio_caps(
    ref_x: np.ndarray, rhs_x: np.ndarray, convexity: bool, need: np.ndarray | None = None
) -> np.ndarray:
    """:func:`~sciteff.efficiency.engine.lambda_caps` for k right-hand sides at once:
    ``cap[i, j] = min_r rhs_x[i, r] / ref_x[j, r]`` over ``ref_x[j, r] > 0`` (k x n), only
    where ``need`` (k x n) is True when it is given (elsewhere inf, or 1 with convexity)."""
    k, n = rhs_x.shape[0], ref_x.shape[0]
    if need is None:
        need = np.ones((k, n), dtype=bool)
    cap = np.full((k, n), np.inf)
    i, j = np.nonzero(need)
    if ref_x.shape[1] and i.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(ref_x[j] > 0, rhs_x[i] / ref_x[j], np.inf)
        cap[i, j] = ratios.min(axis=1)
    return np.minimum(cap, 1.0) if convexity else cap


def radial_batch(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    x0: np.ndarray,
    y0: np.ndarray,
    *,
    rts: str,
    orientation: str,
    mask: np.ndarray | None = None,
    start: np.ndarray | None = None,
    exclude: np.ndarray | None = None,
) -> RadialBatch:
    """The radial LP of every DMU (x0[i], y0[i]) against (x_ref, y_ref), solved together.

    ``mask[i]`` (over the inputs for input orientation, the outputs for output orientation)
    restricts DMU i's radial movement to a sub-vector, as ``RadialModel.solve(mask=...)``.
    ``start``: proposed start bases (numbering in :func:`slack_start`; checked by the solver).
    ``exclude[i]``: a row of ``x_ref`` DMU i may not use (-1: none; super-efficiency).
    """
    k, m = x0.shape
    s = y0.shape[1]
    conv = rts in ("vrs", "nirs")
    rows = m + s + int(conv)
    size = m if orientation == "in" else s
    mk = np.ones((k, size), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    ref = np.hstack([x_ref, y_ref] + ([np.ones((x_ref.shape[0], 1))] if conv else []))
    extra = np.zeros((k, rows, 1))
    lo = np.full((k, rows), -np.inf)
    hi = np.full((k, rows), np.inf)
    if orientation == "in":
        a = np.where(mk, x0, 0.0)
        extra[:, :m, 0] = -a
        hi[:, :m] = np.where(mk, 0.0, x0)
        lo[:, m : m + s] = y0
    else:
        a = np.where(mk, y0, 0.0)
        extra[:, m : m + s, 0] = -a
        hi[:, :m] = x0
        lo[:, m : m + s] = np.where(mk, 0.0, y0)
    if conv:
        hi[:, -1] = 1.0
        lo[:, -1] = 1.0 if rts == "vrs" else -np.inf
    cost = np.zeros((k, 1 + ref.shape[0]))
    cost[:, 0] = 1.0 if orientation == "in" else -1.0
    y_max = y_ref.max(axis=0) if y_ref.shape[0] else np.zeros(s)

    def caps(lps: np.ndarray, z: np.ndarray, need: np.ndarray, tight: bool) -> np.ndarray:
        """RadialModel.lp_data's caps: input orientation on theta <= 2 theta + 1 (output
        orientation: phi's cap needs every lambda's). Loose: lambda <= 1 with convexity."""
        factor, a_k = z[:, 0], a[lps]
        if conv and not tight:  # sum lambda <= 1: each lambda <= 1, each output <= the max
            f_cap = 2.0 * factor + 1.0
            if orientation == "out":
                with np.errstate(divide="ignore", invalid="ignore"):
                    f = np.where(a_k > 0, y_max / np.where(a_k > 0, a_k, 1.0), np.inf)
                f_cap = f.min(axis=1)
            return np.hstack([f_cap[:, None], np.ones((lps.size, x_ref.shape[0]))])
        if orientation == "in":
            f_cap = 2.0 * factor + 1.0
            rhs = hi[lps, :m] + np.where(a_k > 0, a_k * f_cap[:, None], 0.0)
            lam_cap = ratio_caps(x_ref, rhs, conv, need[:, 1:])
        else:
            lam_cap = ratio_caps(x_ref, x0[lps], conv, need[:, 1:] | need[:, :1])
        if orientation == "out":
            reach = np.where(np.isfinite(lam_cap), lam_cap, 0.0) @ y_ref
            with np.errstate(divide="ignore", invalid="ignore"):
                f = np.where(a_k > 0, reach / np.where(a_k > 0, a_k, 1.0), np.inf)
            f_cap = np.where(np.all(np.isfinite(lam_cap), axis=1), f.min(axis=1), np.inf)
        return np.hstack([f_cap[:, None], lam_cap])

    sol = solve(
        LPBatch(cost, extra, ref, lo, hi),
        caps,
        relative_to_objective=True,
        start=start,
        exclude=exclude,
    )
    factor = sol.z[:, 0]
    certified = sol.certified & np.isfinite(factor) & (factor > 0)
    basis = np.where(certified[:, None], sol.basis, -1)
    return RadialBatch(np.where(certified, factor, np.nan), sol.z[:, 1:], certified, basis)


def certified_factors(
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    x0: np.ndarray,
    y0: np.ndarray,
    *,
    rts: str,
    orientation: str,
    exclude: np.ndarray | None = None,
    chunk: int = 256,
) -> np.ndarray:
    """:func:`radial_batch` ``chunk`` LPs at a time (each LP's result does not depend on the
    others in its batch): the certified radial factors, NaN where none was certified (the
    callers keep the DMU, or solve those LPs with the engine)."""
    out = np.full(x0.shape[0], np.nan)
    for a in range(0, x0.shape[0], chunk):
        part = slice(a, a + chunk)
        drop = None if exclude is None else np.asarray(exclude)[part]
        res = radial_batch(
            x_ref, y_ref, x0[part], y0[part], rts=rts, orientation=orientation, exclude=drop
        )
        out[part] = np.where(res.certified, res.factor, np.nan)
    return out


def slack_start(basis: np.ndarray, n: int, m: int, s: int) -> np.ndarray:
    """A radial LP's final basis (numbering of :func:`radial_batch`: factor 0, lambda j at
    1 + j, row slack i at 1 + n + i, artificial i at 1 + n + R + i) as a start basis of the
    max-slack LP at the radial point (:func:`~sciteff.efficiency.batch_slacks.max_slack_batch`:
    slack columns 0..m+s-1, lambdas from m + s): the same point, so feasible, with the
    factor's position (and a convexity-row slack, which the max-slack LP has not) left for
    an artificial at zero (-1). Rows of -1 (no basis) stay -1."""
    rows = basis.shape[1]
    out = np.full(basis.shape, -1, dtype=np.int64)
    lam = (basis >= 1) & (basis < 1 + n)
    out[lam] = basis[lam] - 1 + m + s
    slack = (basis >= 1 + n) & (basis < 1 + n + m + s)
    out[slack] = basis[slack] - 1 - n
    art = basis >= 1 + n + rows
    out[art] = basis[art] - (1 + n + rows) + m + s + n + rows
    out[np.any(basis < 0, axis=1)] = -1
    return out
