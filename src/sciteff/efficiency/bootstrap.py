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

LPs: the n LPs of a replication are solved together by the batched simplex of
:mod:`sciteff.efficiency.bootstrap_lp` (one HiGHS call per LP costs ~0.55 ms of fixed solver
overhead, 20x the batched cost; why the engine's :class:`RadialModel` is not reused for them is
said there). Every answer is certified as the engine's are; the LPs the batch does not certify
are re-solved by :class:`RadialModel` (certified, re-scaled or exact, or an error naming the
DMUs), counted in ``attrs["resolved"]``. Each replication's LPs start from scratch, so a result
is bit-identical for any number of workers. Workers are forked once per call.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sciteff.core.errors import InputError, SolverError
from sciteff.efficiency.bootstrap_lp import solve_batch
from sciteff.efficiency.engine import RadialModel, UncertifiedError, check_choice, scale_factors
from sciteff.efficiency.radial import radial_scores
from sciteff.efficiency.validate import validate_dea_data

BOOT_RTS = ("crs", "vrs")
BOOT_ORIENTATIONS = ("in", "out")

#: The interval needs at least this many replications beyond each bound: B * alpha / 2 >= 10.
MIN_TAIL_REPS = 10

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


# --- replications (in worker processes) ----------------------------------------------------------

_STATE: dict[str, object] = {}


def _init_state(state: dict[str, object]) -> None:
    _STATE.clear()
    _STATE.update(state)


def _replicate(seeds: Sequence[np.random.SeedSequence]) -> tuple[np.ndarray, int]:
    """Farrell scores of every original DMU for each replication, (len(seeds), k, n), and
    how many LPs the batched simplex left to the engine."""
    st = _STATE
    x, y = st["x"], st["y"]
    delta_hat = st["delta_hat"]
    n = x.shape[0]
    rts_list = st["rts_list"]
    orientation = st["orientation"]
    out = np.empty((len(seeds), len(rts_list), n))
    resolved = 0
    for b, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        star = smoothed_draw(rng, st["reflected"], st["h"], st["sigma2"], n)
        if orientation == "in":
            xr, yr = x * (star / delta_hat)[:, None], y
        else:
            xr, yr = x, y * (delta_hat / star)[:, None]
        for k, rts in enumerate(rts_list):
            factor = replication_factors(xr, yr, x, y, rts, orientation, st["labels"])
            resolved += factor.resolved
            out[b, k] = 1.0 / factor.values if orientation == "in" else factor.values
    return out, resolved


@dataclass(frozen=True)
class ReplicationFactors:
    """Radial factors of one replication and how many came from the engine's re-solve."""

    values: np.ndarray
    resolved: int


def replication_factors(
    xr: np.ndarray,
    yr: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    rts: str,
    orientation: str,
    labels: Sequence[str],
) -> ReplicationFactors:
    """theta (input) or phi (output) of every original DMU against the pseudo data ``xr, yr``
    (row j = DMU j's pseudo-DMU): all LPs at once (:func:`solve_batch`), and the few it does
    not certify re-solved by the engine (:class:`RadialModel`, which certifies, re-scales or
    solves exactly); nan where the LP is certified infeasible. Raises SolverError naming the
    DMUs whose LP nothing certifies."""
    batch = solve_batch(xr, yr, x, y, np.arange(x.shape[0]), rts=rts, orientation=orientation)
    values = batch.factor.copy()
    todo = np.flatnonzero(~batch.certified)
    if todo.size:
        model = RadialModel(xr, yr, rts=rts, orientation=orientation)
        failed = []
        for o in todo:
            try:
                sol = model.solve(x[o], y[o])
            except UncertifiedError:
                failed.append(labels[o])
                continue
            values[o] = sol.factor if sol.status == "optimal" else np.nan
        if failed:
            raise SolverError(
                f"bootstrap LPs ({rts.upper()}, {orientation}) of DMU(s) {failed} could not be "
                "certified, neither rescaled nor in exact arithmetic"
            )
    return ReplicationFactors(values, int(todo.size))


def _run_replications(
    state: dict[str, object], reps: int, seed: int, workers: int, start: int, stop: int
) -> tuple[np.ndarray, int]:
    """Replications start..stop-1 of a run of ``reps``, (stop - start, k, n), replication b from
    the b-th SeedSequence child of ``seed`` (so any split of the range gives the same numbers),
    and the number of LPs re-solved by the engine."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"the random seed must be a whole number >= 0, got {seed!r}")
    children = np.random.SeedSequence(int(seed)).spawn(reps)[start:stop]
    if workers <= 1 or len(children) < 2:
        _init_state(state)
        return _replicate(children)
    chunks = [list(c) for c in np.array_split(np.array(children, dtype=object), workers * 4)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_state, initargs=(state,)) as pool:
        parts = pool.map(_replicate, [c for c in chunks if c])
    return np.concatenate([p[0] for p in parts], axis=0), sum(p[1] for p in parts)


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


@dataclass(frozen=True)
class Replications:
    """Replications ``start..stop-1`` of one bootstrap: Farrell scores ``boot`` of shape
    (stop - start, k, n) (k = 1 for scores; CRS then VRS for the RTS test) and the number of
    LPs the engine re-solved."""

    start: int
    stop: int
    boot: np.ndarray
    resolved: int


def join_replications(parts: Sequence[Replications]) -> Replications:
    """Consecutive replication ranges joined into one (in order; a gap or overlap is an error)."""
    parts = sorted(parts, key=lambda p: p.start)
    for a, b in itertools.pairwise(parts):
        if a.stop != b.start:
            raise ValueError(
                f"replication ranges {a.start}-{a.stop} and {b.start}-{b.stop} do not join"
            )
    return Replications(
        parts[0].start,
        parts[-1].stop,
        np.concatenate([p.boot for p in parts], axis=0),
        sum(p.resolved for p in parts),
    )


@dataclass(frozen=True)
class _Plan:
    """What every replication of one bootstrap needs, and the estimates it is about."""

    setup: BootstrapSetup
    delta_hat: np.ndarray  # Farrell scores the pseudo data are generated from
    h: float
    state: dict[str, object]
    statistic: float = math.nan  # RTS test only


def _plan(st: BootstrapSetup, delta_hat, h, orientation, rts_list, statistic=math.nan) -> _Plan:
    reflected = reflected_sample(delta_hat)
    state = {
        "x": st.x,
        "y": st.y,
        "delta_hat": delta_hat,
        "reflected": reflected,
        "h": h,
        "sigma2": float(np.var(reflected, ddof=1)),
        "orientation": orientation,
        "rts_list": list(rts_list),
        "labels": st.labels,
    }
    return _Plan(st, delta_hat, h, state, statistic)


def _scores_plan(data, inputs, outputs, dmu, rts, orientation, reps, alpha, bw, file) -> _Plan:
    _check_reps(reps, alpha)
    st = _setup(data, inputs, outputs, dmu, file)
    delta_hat = _farrell(st.x, st.y, rts, orientation, st.labels)
    return _plan(st, delta_hat, _bandwidth_for(delta_hat, bw, file), orientation, [rts])


def _test_plan(data, inputs, outputs, dmu, orientation, reps, bw, file) -> _Plan:
    if reps < 1:
        raise InputError(f"reps must be at least 1, got {reps}")
    st = _setup(data, inputs, outputs, dmu, file)
    crs = _farrell(st.x, st.y, "crs", orientation, st.labels)
    vrs = _farrell(st.x, st.y, "vrs", orientation, st.labels)
    statistic = float(np.mean(vrs / crs))  # (1/crs) / (1/vrs): theta_crs / theta_vrs
    h = _bandwidth_for(crs, bw, file)
    return _plan(st, crs, h, orientation, ["crs", "vrs"], statistic)


def _replications_for(
    plan: _Plan, reps: int, seed: int, workers: int, given: Replications | None
) -> Replications:
    """The run's replications: computed here, or ``given`` (gathered shards), checked."""
    n = len(plan.setup.labels)
    if given is None:
        boot, resolved = _run_replications(plan.state, reps, seed, workers, 0, reps)
        return Replications(0, reps, boot, resolved)
    k = len(plan.state["rts_list"])
    if (given.start, given.stop) != (0, reps) or given.boot.shape != (reps, k, n):
        raise ValueError(
            f"replications {given.start}-{given.stop} of shape {given.boot.shape} are not the "
            f"{reps} replications of {n} DMUs this bootstrap needs"
        )
    return given


#: The settings of :func:`bootstrap_dea` (and, without rts and alpha, of :func:`rts_test`).
SETTINGS = {
    "rts": "vrs",
    "orientation": "in",
    "reps": 2000,
    "seed": 0,
    "alpha": 0.05,
    "bandwidth_override": None,
}


def bootstrap_replications(
    data: pd.DataFrame,
    inputs: Sequence[str],
    outputs: Sequence[str],
    dmu: str | None = None,
    *,
    test: bool = False,
    start: int = 0,
    stop: int | None = None,
    workers: int | None = None,
    file: str | None = None,
    **settings: object,
) -> Replications:
    """Replications ``start..stop-1`` of :func:`bootstrap_dea` (``test=False``) or of
    :func:`rts_test` (``test=True``; ``rts`` and ``alpha`` unused) called with the same
    ``settings`` (keys of :data:`SETTINGS`): one shard of a run split by replication.
    Passing the joined shards (:func:`join_replications`) as ``replications=`` gives exactly
    the unsharded result."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError(f"unknown bootstrap settings: {sorted(unknown)}")
    kw = SETTINGS | settings
    orientation = check_choice("orientation", str(kw["orientation"]), BOOT_ORIENTATIONS)
    reps = int(kw["reps"])
    bw = kw["bandwidth_override"]
    stop = reps if stop is None else int(stop)
    if not 0 <= start <= stop <= reps:
        raise ValueError(f"replication range {start}-{stop} is not within 0-{reps}")
    if test:
        plan = _test_plan(data, inputs, outputs, dmu, orientation, reps, bw, file)
    else:
        rts = check_choice("rts", str(kw["rts"]), BOOT_RTS)
        alpha = float(kw["alpha"])
        plan = _scores_plan(data, inputs, outputs, dmu, rts, orientation, reps, alpha, bw, file)
    n = len(plan.setup.labels)
    lps = (stop - start) * n * (2 if test else 1)
    n_workers = _auto_workers(lps, 1) if workers is None else max(1, int(workers))
    boot, resolved = _run_replications(plan.state, reps, int(kw["seed"]), n_workers, start, stop)
    return Replications(start, stop, boot, resolved)


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
    replications: Replications | None = None,
) -> pd.DataFrame:
    """Simar-Wilson (1998) bootstrap of every DMU's radial score (see the module docstring).

    Columns ``dmu, te, te_bc, bias, variance, lower, upper``, one row per DMU in input order,
    on the printed scale (te <= 1 in both orientations). ``attrs`` carries ``bandwidth``,
    ``reps``, ``seed``, ``alpha``, ``workers``, ``infeasible`` (replications without a score,
    per DMU; they are left out of the means) and ``warnings``. Raises InputError when
    ``reps * alpha / 2 < 10``, when every DMU is efficient (nothing to resample), and on bad
    data. ``replications`` (the joined shards of :func:`bootstrap_replications` with the same
    arguments) skips the LPs.
    """
    rts = check_choice("rts", rts, BOOT_RTS)
    orientation = check_choice("orientation", orientation, BOOT_ORIENTATIONS)
    reps = int(reps)
    plan = _scores_plan(
        data, inputs, outputs, dmu, rts, orientation, reps, alpha, bandwidth_override, file
    )
    st, delta_hat, h = plan.setup, plan.delta_hat, plan.h
    n = len(st.labels)
    n_workers = _auto_workers(reps, n) if workers is None else max(1, int(workers))
    done = _replications_for(plan, reps, int(seed), n_workers, replications)
    boot, resolved = done.boot[:, 0, :], done.resolved
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
        resolved=resolved,
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
    replications: Replications | None = None,
) -> dict[str, float]:
    """Simar and Wilson's (2002) bootstrap test of H0: CRS against VRS.

    Returns ``statistic`` (mean over DMUs of theta_crs / theta_vrs on the printed scale),
    ``p_value`` (share of bootstrap statistics at or below it), ``reps``, ``seed`` and
    ``bandwidth``. A small p-value rejects constant returns to scale. ``replications``: as
    for :func:`bootstrap_dea` (``bootstrap_replications(..., test=True)``).
    """
    orientation = check_choice("orientation", orientation, BOOT_ORIENTATIONS)
    reps = int(reps)
    plan = _test_plan(data, inputs, outputs, dmu, orientation, reps, bandwidth_override, file)
    statistic, h = plan.statistic, plan.h
    n = len(plan.setup.labels)
    n_workers = _auto_workers(2 * reps, n) if workers is None else max(1, int(workers))
    boot = _replications_for(plan, reps, int(seed), n_workers, replications).boot
    stats = np.nanmean(boot[:, 1, :] / boot[:, 0, :], axis=1)
    return {
        "statistic": statistic,
        "p_value": float(np.mean(stats <= statistic)),
        "reps": reps,
        "seed": int(seed),
        "bandwidth": h,
    }
