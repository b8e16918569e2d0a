"""Bootstrap of radial DEA scores: Simar and Wilson (1998) and their (2002) test of CRS.

The smoothed homogeneous bootstrap (Simar and Wilson 1998, Management Science 44: 49-61) for
Farrell scores delta >= 1 (input orientation: delta = 1/theta; output orientation: phi):

1. Score every DMU, delta_hat_j, and reflect the scores about 1: the 2n values
   ``{delta_hat_j, 2 - delta_hat_j}`` (their mean is exactly 1).
2. Bandwidth (Silverman's rule on the reflected sample, deaR's "h1"):
   ``h = 1.06 min(sd, IQR/1.34) (2n)^(-1/5)``, sd and IQR of the 2n reflected values (IQR
   ignored when it is 0, as in R Benchmarking); ``bandwidth=`` overrides it.
3. Replication b (its own random stream, see below): draw beta_1..beta_n from the reflected
   sample with replacement, add h * N(0, 1) noise, rescale so the draws have the reflected
   sample's variance sigma^2 (the paper's rescaling):
   ``delta* = beta_bar + (beta + h eps - beta_bar) / sqrt(1 + h^2 / sigma^2)``, and reflect
   values below 1 back (``2 - delta*``).
4. Pseudo data: each DMU moved to its frontier projection and pushed off it by delta*:
   inputs ``x_j delta*_j / delta_hat_j`` (input orientation), outputs
   ``y_j delta_hat_j / delta*_j`` (output orientation).
5. Re-score every original DMU against the pseudo data: delta*_bj.

Bias ``mean_b delta*_bj - delta_hat_j``, bias-corrected ``delta_hat_j - bias``, and the
basic percentile interval ``[2 delta_hat - q(1 - alpha/2), 2 delta_hat - q(alpha/2)]`` of the
delta*_bj (quantile type 9, as R Benchmarking), are computed on the Farrell scale and reported
on the printed scale te = 1/delta <= 1 (bounds swapped; bias = te - te_bc; variance of the
1/delta*). Seeding: ``SeedSequence(seed).spawn(reps)`` gives every replication an
independent child seed, so a result depends on the seed only, never on how many worker
processes (or shards) computed the replications.

Simar and Wilson (2002, EJOR 139: 115-132) test H0: constant returns to scale against VRS with
``S = mean_j theta_crs,j / theta_vrs,j`` (the mean scale efficiency; small values reject):
pseudo data are generated from the CRS scores (H0) as above, the original DMUs re-scored under
CRS and VRS against them, ``S*_b`` computed, and ``p = #{S*_b <= S} / B``.

Every LP is one HiGHS model per returns-to-scale built once per worker process and updated per
replication and per DMU; pseudo-DMUs dominated by another pseudo-DMU are switched off (their
lambda fixed at 0), which changes no score.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.efficiency.engine import check_choice, new_highs, scale_factors
from sciteff.efficiency.radial import radial_scores
from sciteff.efficiency.validate import validate_dea_data

BOOT_RTS = ("crs", "vrs")
BOOT_ORIENTATIONS = ("in", "out")

#: The interval needs at least this many replications beyond each bound: B * alpha / 2 >= 10.
MIN_TAIL_REPS = 10

#: Tolerance (on data scaled to mean 1) when re-checking a bootstrap LP solution.
CHECK_TOL = 1e-6

#: Below this many LPs (reps x n) one process is used: forking costs more than it saves.
PARALLEL_MIN_LPS = 20_000


# --- the pieces of the resampling (unit-tested on their own) -------------------------------------


def reflected_sample(farrell: np.ndarray) -> np.ndarray:
    """The 2n values ``{delta, 2 - delta}`` (Silverman's reflection about the boundary 1)."""
    d = np.asarray(farrell, dtype=float)
    return np.concatenate([d, 2.0 - d])


def bandwidth(farrell: np.ndarray) -> float:
    """``1.06 min(sd, IQR/1.34) (2n)^(-1/5)`` on the reflected sample of Farrell scores.

    sd with n - 1 in the denominator, IQR from linear-interpolation quartiles (R's default
    type 7); when the IQR is 0 (more than half the DMUs efficient) the sd alone is used.
    """
    ref = reflected_sample(farrell)
    sd = float(np.std(ref, ddof=1))
    q75, q25 = np.percentile(ref, [75, 25])
    spread = min(sd, (q75 - q25) / 1.34) if q75 - q25 > 0 else sd
    return 1.06 * spread * ref.size ** (-0.2)


def reflect(values: np.ndarray) -> np.ndarray:
    """Values below the boundary 1 reflected back above it: ``2 - v`` where ``v < 1``."""
    v = np.asarray(values, dtype=float)
    return np.where(v < 1.0, 2.0 - v, v)


def rescale(draws: np.ndarray, noisy: np.ndarray, h: float, sigma2: float) -> np.ndarray:
    """The paper's rescaling of the smoothed draws ``noisy = beta + h eps``:
    ``beta_bar + (noisy - beta_bar) / sqrt(1 + h^2 / sigma^2)``, which gives them the
    variance sigma^2 of the sample the beta were drawn from."""
    centre = float(np.mean(draws))
    return centre + (np.asarray(noisy) - centre) / math.sqrt(1.0 + h * h / sigma2)


def smoothed_draw(
    rng: np.random.Generator, reflected: np.ndarray, h: float, sigma2: float, n: int
) -> np.ndarray:
    """One replication's delta*: resample, smooth, rescale, reflect."""
    beta = rng.choice(reflected, size=n, replace=True)
    noisy = beta + h * rng.standard_normal(n)
    return reflect(rescale(beta, noisy, h, sigma2))


def basic_interval(
    estimate: np.ndarray, boot: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Simar and Wilson's percentile interval on the Farrell scale, per DMU (boot: reps x n):
    ``[2 est - q(1 - alpha/2), 2 est - q(alpha/2)]``, quantile type 9 (R Benchmarking)."""
    q = np.nanquantile(boot, [alpha / 2, 1 - alpha / 2], axis=0, method="normal_unbiased")
    return 2 * estimate - q[1], 2 * estimate - q[0]


# --- LPs -----------------------------------------------------------------------------------------


class _BootModel:
    """Radial LP of original DMUs against a pseudo reference set that changes per replication.

    Columns: 0 the radial factor, 1..n lambdas. Input orientation rows: inputs
    ``X* lambda - theta x_o <= 0`` (X* replaced per replication), outputs ``Y lambda >= y_o``;
    output orientation: inputs ``X lambda <= x_o``, outputs ``Y* lambda - phi y_o >= 0``.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, rts: str, orientation: str) -> None:
        self.x, self.y = x, y
        self.n, self.m = x.shape
        self.s = y.shape[1]
        self.rts, self.orientation = rts, orientation
        n, m, s = self.n, self.m, self.s
        inf = highspy.kHighsInf
        nrow = m + s + (1 if rts == "vrs" else 0)
        a = np.zeros((nrow, n + 1))
        a[:m, 1:] = x.T
        a[m : m + s, 1:] = y.T
        radial = range(m) if orientation == "in" else range(m, m + s)
        a[list(radial), 0] = -1.0
        if rts == "vrs":
            a[-1, 1:] = 1.0
        starts, index, value = [0], [], []
        for j in range(n + 1):
            nz = np.arange(m + s) if j else np.flatnonzero(a[:, 0])
            if j and rts == "vrs":
                nz = np.append(nz, nrow - 1)
            index.extend(nz.tolist())
            value.extend(a[nz, j].tolist())
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n + 1, nrow
        lp.col_cost_ = np.concatenate([[1.0 if orientation == "in" else -1.0], np.zeros(n)])
        lp.col_lower_ = np.zeros(n + 1)
        lp.col_upper_ = np.full(n + 1, inf)
        lo, hi = np.full(nrow, -inf), np.full(nrow, inf)
        hi[:m] = 0.0
        lo[m : m + s] = 0.0
        if rts == "vrs":
            lo[-1] = hi[-1] = 1.0
        lp.row_lower_, lp.row_upper_ = lo, hi
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value, dtype=float)
        self.h = new_highs()
        if self.h.passModel(lp) != highspy.HighsStatus.kOk:
            raise SolverError("HiGHS rejected the bootstrap model")
        self.cols = np.arange(1, n + 1, dtype=np.int32)
        self.rows_in = np.arange(m, dtype=np.int32)
        self.rows_out = np.arange(m, m + s, dtype=np.int32)
        self.ref_x, self.ref_y = x.copy(), y.copy()

    def set_reference(self, x_ref: np.ndarray, y_ref: np.ndarray) -> None:
        """Replace the pseudo data (only the block that the orientation perturbs changes) and
        switch off pseudo-DMUs dominated by another one (no score changes: a dominating
        DMU can take over every dominated DMU's lambda under CRS and VRS)."""
        h, n = self.h, self.n
        if self.orientation == "in":
            for j in range(n):
                for i in range(self.m):
                    h.changeCoeff(i, j + 1, float(x_ref[j, i]))
        else:
            for j in range(n):
                for r in range(self.s):
                    h.changeCoeff(self.m + r, j + 1, float(y_ref[j, r]))
        self.ref_x, self.ref_y = x_ref, y_ref
        keep = _undominated(x_ref, y_ref)
        upper = np.where(keep, highspy.kHighsInf, 0.0)
        h.changeColsBounds(n, self.cols, np.zeros(n), upper)
        # Forget the previous replication's basis: the solves of a replication then follow the
        # same path whichever process ran which replications before, so results are
        # bit-identical for any number of workers.
        h.clearSolver()

    def solve(self, x0: np.ndarray, y0: np.ndarray) -> float:
        """theta (input) or phi (output) of (x0, y0) against the current reference; nan if
        the LP is infeasible. The solution is re-checked before it is returned."""
        h, m, s = self.h, self.m, self.s
        inf = highspy.kHighsInf
        if self.orientation == "in":
            for i in range(m):
                h.changeCoeff(i, 0, -float(x0[i]))
            h.changeRowsBounds(s, self.rows_out, y0, np.full(s, inf))
        else:
            for r in range(s):
                h.changeCoeff(m + r, 0, -float(y0[r]))
            h.changeRowsBounds(m, self.rows_in, np.full(m, -inf), x0)
        h.run()
        ms = highspy.HighsModelStatus
        status = h.getModelStatus()
        if status == ms.kInfeasible:
            return float("nan")
        if status != ms.kOptimal:
            raise SolverError(f"bootstrap LP: HiGHS status {h.modelStatusToString(status)}")
        col = np.asarray(h.getSolution().col_value, dtype=float)
        factor, lam = col[0], col[1:]
        tol = CHECK_TOL
        xc, yc = lam @ self.ref_x, lam @ self.ref_y
        if self.orientation == "in":
            bad = np.any(xc - factor * x0 > tol * (1 + x0)) or np.any(y0 - yc > tol * (1 + y0))
        else:
            bad = np.any(xc - x0 > tol * (1 + x0)) or np.any(factor * y0 - yc > tol * (1 + y0))
        bad = bad or not np.isfinite(factor) or factor <= 0 or np.any(lam < -tol)
        if self.rts == "vrs":
            bad = bad or abs(lam.sum() - 1) > tol
        if bad:
            raise SolverError("a bootstrap LP solution violates its constraints; refusing it")
        return float(factor)


def _undominated(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """True for DMUs no other DMU weakly dominates (first of exact copies kept)."""
    n = x.shape[0]
    le = np.all(x[:, None, :] <= x[None, :, :], axis=2) & np.all(
        y[:, None, :] >= y[None, :, :], axis=2
    )  # le[k, j]: k dominates j weakly
    equal = np.all(x[:, None, :] == x[None, :, :], axis=2) & np.all(
        y[:, None, :] == y[None, :, :], axis=2
    )
    earlier = np.tril(np.ones((n, n), dtype=bool), -1).T  # earlier[k, j]: k < j
    strict = le & ~equal
    dominated = strict.any(axis=0) | (equal & earlier).any(axis=0)
    return ~dominated


# --- replications (in worker processes) ----------------------------------------------------------

_STATE: dict[str, object] = {}


def _init_state(state: dict[str, object]) -> None:
    _STATE.clear()
    _STATE.update(state)
    _STATE["models"] = {
        rts: _BootModel(state["x"], state["y"], rts, state["orientation"])
        for rts in state["rts_list"]
    }


def _replicate(seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
    """Farrell scores of every original DMU for each replication: (len(seeds), k, n)."""
    st = _STATE
    x, y = st["x"], st["y"]
    delta_hat = st["delta_hat"]
    n = x.shape[0]
    models = st["models"]
    out = np.empty((len(seeds), len(models), n))
    for b, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        star = smoothed_draw(rng, st["reflected"], st["h"], st["sigma2"], n)
        if st["orientation"] == "in":
            xr, yr = x * (star / delta_hat)[:, None], y
        else:
            xr, yr = x, y * (delta_hat / star)[:, None]
        for k, model in enumerate(models.values()):
            model.set_reference(xr, yr)
            for o in range(n):
                f = model.solve(x[o], y[o])
                out[b, k, o] = 1.0 / f if st["orientation"] == "in" else f
    return out


def _run_replications(state: dict[str, object], reps: int, seed: int, workers: int) -> np.ndarray:
    """All replications, (reps, k, n), each from its own SeedSequence child of ``seed``."""
    children = np.random.SeedSequence(seed).spawn(reps)
    if workers <= 1:
        _init_state(state)
        return _replicate(children)
    chunks = [list(c) for c in np.array_split(np.array(children, dtype=object), workers * 4)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_state, initargs=(state,)) as pool:
        parts = pool.map(_replicate, [c for c in chunks if c])
    return np.concatenate(parts, axis=0)


def _auto_workers(reps: int, n: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cpus or reps * n < PARALLEL_MIN_LPS:
        return 1
    return max(1, min(cpus, 8))


# --- public API ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BootstrapSetup:
    """Validated data (scaled to column means 1), Farrell scores, bandwidth, labels."""

    x: np.ndarray
    y: np.ndarray
    labels: list[str]
    warnings: list[str]


def _setup(data, inputs, outputs, dmu, file) -> BootstrapSetup:
    x, y, labels, warnings = validate_dea_data(data, inputs, outputs, dmu=dmu, file=file)
    return BootstrapSetup(x / scale_factors(x), y / scale_factors(y), labels, warnings)


def _farrell(x: np.ndarray, y: np.ndarray, rts: str, orientation: str, labels) -> np.ndarray:
    res = radial_scores(x, y, x, y, rts=rts, orientation=orientation)
    bad = ~(np.isfinite(res.factor) & (res.factor > 0))
    if bad.any():
        raise SolverError(f"no DEA score for DMU(s) {[labels[i] for i in np.flatnonzero(bad)]}")
    return 1.0 / res.factor if orientation == "in" else res.factor


def _check_reps(reps: int, alpha: float) -> None:
    if not 0 < alpha < 1:
        raise InputError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    if reps < 1 or reps * alpha / 2 < MIN_TAIL_REPS:
        need = math.ceil(2 * MIN_TAIL_REPS / alpha)
        raise InputError(
            f"too few replications for a {100 * (1 - alpha):g}% interval: B x alpha / 2 = "
            f"{reps} x {alpha:g} / 2 = {reps * alpha / 2:g} < {MIN_TAIL_REPS} "
            f"(use at least {need} replications)"
        )


def bootstrap_dea(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    *,
    rts: str = "vrs",
    orientation: str = "in",
    reps: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
    bandwidth_override: float | None = None,
    workers: int | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Simar-Wilson (1998) bootstrap of every DMU's radial score (see the module docstring).

    Columns ``dmu, te, te_bc, bias, variance, lower, upper``, one row per DMU in input order,
    on the printed scale (te <= 1 in both orientations). ``attrs`` carries ``bandwidth``,
    ``reps``, ``seed``, ``alpha``, ``workers``, ``infeasible`` (replications without a score,
    per DMU; they are left out of the means) and ``warnings``. Raises InputError when
    ``reps * alpha / 2 < 10``, when every DMU is efficient (nothing to resample), and on bad
    data.
    """
    rts = check_choice("rts", rts, BOOT_RTS)
    orientation = check_choice("orientation", orientation, BOOT_ORIENTATIONS)
    reps = int(reps)
    _check_reps(reps, alpha)
    st = _setup(data, inputs, outputs, dmu, file)
    delta_hat = _farrell(st.x, st.y, rts, orientation, st.labels)
    h = _bandwidth_for(delta_hat, bandwidth_override, file)
    reflected = reflected_sample(delta_hat)
    n = len(st.labels)
    n_workers = _auto_workers(reps, n) if workers is None else max(1, int(workers))
    state = {
        "x": st.x,
        "y": st.y,
        "delta_hat": delta_hat,
        "reflected": reflected,
        "h": h,
        "sigma2": float(np.var(reflected, ddof=1)),
        "orientation": orientation,
        "rts_list": [rts],
    }
    boot = _run_replications(state, reps, int(seed), n_workers)[:, 0, :]
    infeasible = np.isnan(boot).sum(axis=0)
    bias_f = np.nanmean(boot, axis=0) - delta_hat
    corrected = delta_hat - bias_f
    lo_f, hi_f = basic_interval(delta_hat, boot, alpha)
    te = 1.0 / delta_hat
    te_bc = 1.0 / corrected
    out = pd.DataFrame(
        {
            "dmu": st.labels,
            "te": te,
            "te_bc": te_bc,
            "bias": te - te_bc,
            "variance": np.nanvar(1.0 / boot, axis=0, ddof=1),
            "lower": 1.0 / hi_f,
            "upper": 1.0 / lo_f,
        }
    )
    warnings = list(st.warnings)
    if infeasible.any():
        warnings.append(
            f"{int(infeasible.sum())} bootstrap LPs had no solution and were left out "
            f"(DMUs {[st.labels[i] for i in np.flatnonzero(infeasible)]})"
        )
    out.attrs.update(
        bandwidth=h,
        reps=reps,
        seed=int(seed),
        alpha=alpha,
        workers=n_workers,
        infeasible=infeasible.tolist(),
        warnings=warnings,
    )
    return out


def _bandwidth_for(delta_hat: np.ndarray, override: float | None, file: str | None) -> float:
    if override is not None:
        if not (np.isfinite(override) and override > 0):
            raise InputError(f"bandwidth must be a positive number, got {override!r}", file=file)
        return float(override)
    if np.all(np.abs(delta_hat - 1) < 1e-9):
        raise InputError(
            "every DMU is efficient: the bootstrap has no inefficiency to resample", file=file
        )
    return bandwidth(delta_hat)


def rts_test(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    *,
    orientation: str = "in",
    reps: int = 2000,
    seed: int = 0,
    bandwidth_override: float | None = None,
    workers: int | None = None,
    file: str | None = None,
) -> dict[str, float]:
    """Simar and Wilson's (2002) bootstrap test of H0: CRS against VRS.

    Returns ``statistic`` (mean over DMUs of theta_crs / theta_vrs on the printed scale),
    ``p_value`` (share of bootstrap statistics at or below it), ``reps``, ``seed`` and
    ``bandwidth``. A small p-value rejects constant returns to scale.
    """
    orientation = check_choice("orientation", orientation, BOOT_ORIENTATIONS)
    reps = int(reps)
    if reps < 1:
        raise InputError(f"reps must be at least 1, got {reps}")
    st = _setup(data, inputs, outputs, dmu, file)
    crs = _farrell(st.x, st.y, "crs", orientation, st.labels)
    vrs = _farrell(st.x, st.y, "vrs", orientation, st.labels)
    statistic = float(np.mean(vrs / crs))  # (1/crs) / (1/vrs): theta_crs / theta_vrs
    h = _bandwidth_for(crs, bandwidth_override, file)
    reflected = reflected_sample(crs)
    n = len(st.labels)
    n_workers = _auto_workers(2 * reps, n) if workers is None else max(1, int(workers))
    state = {
        "x": st.x,
        "y": st.y,
        "delta_hat": crs,
        "reflected": reflected,
        "h": h,
        "sigma2": float(np.var(reflected, ddof=1)),
        "orientation": orientation,
        "rts_list": ["crs", "vrs"],
    }
    boot = _run_replications(state, reps, int(seed), n_workers)
    stats = np.nanmean(boot[:, 1, :] / boot[:, 0, :], axis=1)
    return {
        "statistic": statistic,
        "p_value": float(np.mean(stats <= statistic)),
        "reps": reps,
        "seed": int(seed),
        "bandwidth": h,
    }
