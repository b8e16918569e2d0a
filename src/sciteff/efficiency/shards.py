"""Sharded DEA: one period's frontier once, its DMUs scored in blocks, the blocks gathered.

Why blocks. The LP engine reuses one HiGHS model per reference set and warm-starts every
solve from the previous basis, so with degenerate LPs the last bits of a score (and the peer
weights among alternative optima) depend on which DMUs were solved before it in the same
model. A result that must not depend on how many jobs or processes shared the work therefore
needs a fixed unit of sequential work. A period with more than :data:`BLOCK_SIZE` DMUs is
scored in consecutive blocks of ``BLOCK_SIZE`` DMUs, each block with LP models of its own
against the period's frontier; a shard is a run of whole blocks. The unsharded analysis
(``run_dea``) computes exactly the same blocks, so the sharded and unsharded files are
byte-identical by construction, whatever the number of shards, jobs or cores. Periods of at
most ``BLOCK_SIZE`` DMUs are one unit scored with :func:`vrs_summary` and
:func:`super_efficiency_columns` directly, as before.

Why this is exact (not an approximation). Scores, slacks and targets depend on the reference
set only through the technology it generates, and :func:`frontier_candidates` returns a
subset generating the same technology (proof in :mod:`sciteff.efficiency.frontier`). For
super-efficiency, a DMU outside such a generating set F leaves the technology unchanged when
it is removed (F still generates it), so its super-efficiency score is its ordinary score;
only the members of F are re-solved against all other DMUs, in one sequence, by the frontier
step. The frontier step is the only one that needs all of a period's DMUs; each block needs its
own rows and the frontier rows.

The library knows nothing of Snakemake: the workflow's glue scripts call
:func:`period_frontier` (frontier job), :func:`score_units` (one per shard) and
:func:`gather_units` (gather job), passing the pickled results along.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sciteff.core.errors import SolverError
from sciteff.core.io import write_atomic
from sciteff.efficiency.batch_radial import certified_factors
from sciteff.efficiency.engine import RadialModel, scale_factors
from sciteff.efficiency.frontier import frontier_candidates, undominated, vrs_generators
from sciteff.efficiency.radial import radial_scores
from sciteff.efficiency.summary import (
    check_own_scores,
    crs_vrs_nirs,
    peer_texts,
    peer_weights,
    project_block,
    radial_columns,
    super_efficiency_columns,
    super_score,
    uncertified_error,
    vrs_summary,
)
from sciteff.efficiency.validate import allowing_zeros, validate_dea_data, zeros_allowed

#: DMUs per block: the unit of sequential LP work (see the module docstring). Changing it
#: changes the last bits of large periods' results, never their meaning.
BLOCK_SIZE = 500

_RTS = ("crs", "vrs", "nirs")


@dataclass(frozen=True)
class Unit:
    """One unit of scoring work: rows ``start:stop`` of one period (``whole`` = the period is
    small and scored in one piece by the unsharded functions)."""

    period: Any
    start: int
    stop: int
    whole: bool


@dataclass
class PeriodFrontier:
    """What every block of a large period needs: scaling, frontiers and super-efficiency.

    ``frontier[rts]`` are row indices (sorted) generating the period's technology under that
    returns to scale; ``x_front[rts]``/``y_front[rts]`` their scaled data (scaled by the whole
    period's means ``sx``, ``sy``). ``super_score[rts]``/``super_status[rts]`` are the
    Andersen-Petersen results of the frontier members (CRS and VRS).
    """

    period: Any
    n: int
    labels: list[str]
    warnings: list[str]
    sx: np.ndarray
    sy: np.ndarray
    frontier: dict[str, np.ndarray] = field(default_factory=dict)
    x_front: dict[str, np.ndarray] = field(default_factory=dict)
    y_front: dict[str, np.ndarray] = field(default_factory=dict)
    super_score: dict[str, np.ndarray] = field(default_factory=dict)
    super_status: dict[str, np.ndarray] = field(default_factory=dict)


def _options(spec: Mapping[str, object]) -> tuple[list[str], list[str], str, str]:
    return (
        list(spec["inputs"]),
        list(spec["outputs"]),
        str(spec.get("orientation", "in")).lower(),
        str(spec.get("slacks", "multi-stage")),
    )


def periods(data: pd.DataFrame) -> list[tuple[Any, pd.DataFrame]]:
    """The analysis' periods in the order ``run_dea`` reports them, each with its rows."""
    return [(p, g.reset_index(drop=True)) for p, g in data.groupby("period", sort=True)]


def plan_units(data: pd.DataFrame, block_size: int = BLOCK_SIZE) -> list[Unit]:
    """All units of an analysis in output order: one per small period, else one per block."""
    units = []
    for period, group in periods(data):
        n = len(group)
        if n <= block_size:
            units.append(Unit(period, 0, n, True))
        else:
            units.extend(
                Unit(period, a, min(a + block_size, n), False) for a in range(0, n, block_size)
            )
    return units


def shard_units(units: Sequence[Unit], shards: int) -> list[list[Unit]]:
    """Split the units into ``shards`` contiguous runs of nearly equal DMU counts (some may be
    empty when there are fewer units than shards)."""
    if shards < 1:
        raise ValueError("shards must be at least 1")
    sizes = np.array([u.stop - u.start for u in units], dtype=float)
    ends = np.cumsum(sizes)
    total = ends[-1] if ends.size else 0.0
    # Unit i goes to the shard in which its midpoint (in DMUs) falls.
    mids = ends - sizes / 2
    owner = np.minimum((mids / total * shards).astype(int), shards - 1) if total else []
    out: list[list[Unit]] = [[] for _ in range(shards)]
    for unit, k in zip(units, owner, strict=True):
        out[int(k)].append(unit)
    return out


def shard_count(spec: Mapping[str, object], n_dmu_periods: int) -> int:
    """Number of scoring shards an analysis asks for: ``shard_size: S`` (DMU-periods per
    shard, rounded up; it wins over ``shards``, which the config schema always fills in) or
    ``shards: N``; 1 when neither is set."""
    if spec.get("shard_size") is not None:
        size = max(1, int(spec["shard_size"]))
        return max(1, -(-n_dmu_periods // size))
    return max(1, int(spec.get("shards") or 1))


def period_frontier(
    group: pd.DataFrame, spec: Mapping[str, object], period: Any, *, file: str | None = None
) -> PeriodFrontier:
    """The frontier step of one large period: validation, scaling, the generating set of
    each technology (CRS, VRS, NIRS) and the super-efficiency LPs of their members."""
    inputs, outputs, orientation, _ = _options(spec)
    x, y, labels, warnings = validate_dea_data(group, inputs, outputs, dmu="dmu", file=file)
    sx, sy = scale_factors(x), scale_factors(y)
    xs, ys = x / sx, y / sy
    front = PeriodFrontier(period, len(labels), labels, list(warnings), sx, sy)
    cand = undominated(xs, ys)
    # The VRS generating set grown BuildHull-style (cost: undominated x frontier, where
    # screening every undominated DMU against all of them cost undominated^2: 44 of 52 s of
    # a 10^5-firm size-clustered frontier job); it generates the CRS and NIRS technologies
    # too, so their frontiers are pruned from it.
    gens = vrs_generators(xs, ys, candidates=cand)
    for rts in _RTS:
        idx = frontier_candidates(xs, ys, rts=rts, orientation=orientation, candidates=gens)
        front.frontier[rts] = np.asarray(idx, dtype=int)
        front.x_front[rts] = xs[idx]
        front.y_front[rts] = ys[idx]
    union = super_union(xs, ys, cand)
    for rts in ("crs", "vrs"):
        members = front.frontier[rts]
        score = _batched_super(xs, ys, union, members, rts, orientation)
        status = np.full(members.size, "optimal", dtype=object)
        for pos in np.flatnonzero(np.isnan(score)):  # not certified by the batch
            i = int(members[pos])
            ref = union[union != i]  # generates the technology of all DMUs but i
            try:
                model = RadialModel(xs[ref], ys[ref], rts=rts, orientation=orientation)
                sol = model.solve(xs[i], ys[i])
            except SolverError:
                # HiGHS can end a solve without a status ("Unknown"); the same LP against
                # all other DMUs (the same technology) is then solved instead.
                model = RadialModel(xs, ys, rts=rts, orientation=orientation)
                model.exclude(i)
                sol = model.solve(xs[i], ys[i])
            score[pos], status[pos] = super_score(sol, orientation, xs, ys, rts, i, labels)
        front.super_score[rts] = score
        front.super_status[rts] = status
    return front


#: Super-efficiency LPs solved together by the batched simplex.
SUPER_BATCH = 256


def super_union(xs: np.ndarray, ys: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Rows (sorted) U such that, for every undominated DMU k, U without k generates the
    technology of all DMUs but k: the undominated DMUs ``cand`` and the DMUs dominated by
    exactly one of them. A DMU dominated by two undominated DMUs is still dominated by one
    of them when the other is removed, so it lies in the technology of the rest; a DMU
    dominated by one only (k) is in U."""
    kept = np.zeros(xs.shape[0], dtype=bool)
    kept[cand] = True
    z = np.hstack([xs, -ys])
    others = np.flatnonzero(~kept)
    count = np.zeros(others.size, dtype=np.int64)
    for a in range(0, others.size, 2048):
        part = others[a : a + 2048]
        dom = np.ones((cand.size, part.size), dtype=bool)
        for v in range(z.shape[1]):
            dom &= z[cand, None, v] <= z[None, part, v]
        count[a : a + part.size] = dom.sum(axis=0)
    return np.sort(np.concatenate([cand, others[count == 1]]))


def _batched_super(
    xs: np.ndarray,
    ys: np.ndarray,
    union: np.ndarray,
    members: np.ndarray,
    rts: str,
    orientation: str,
) -> np.ndarray:
    """Andersen-Petersen scores of ``members`` (undominated DMUs), each against ``union``
    without itself (:func:`super_union`), by the batched simplex; NaN where it certified no
    answer (an infeasible LP among them), for the engine to settle."""
    factor = certified_factors(
        xs[union], ys[union], xs[members], ys[members], rts=rts, orientation=orientation,
        exclude=np.searchsorted(union, members), chunk=SUPER_BATCH,
    )  # fmt: skip
    return factor if orientation == "in" else 1.0 / factor


def score_block(
    group: pd.DataFrame, spec: Mapping[str, object], front: PeriodFrontier, start: int, stop: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows ``start:stop`` of a large period scored against its frontier, with fresh LP models:
    the rows of :func:`vrs_summary` and :func:`super_efficiency_columns` for those DMUs."""
    inputs, outputs, orientation, slacks = _options(spec)
    rows = group.iloc[start:stop]
    x = rows[inputs].to_numpy(dtype=float)
    y = rows[outputs].to_numpy(dtype=float)
    xs, ys = x / front.sx, y / front.sy
    labels = front.labels[start:stop]
    k = len(labels)

    def run(rts: str, sel: np.ndarray | None = None):
        xe, ye = (xs, ys) if sel is None else (xs[sel], ys[sel])
        return radial_scores(
            xe,
            ye,
            front.x_front[rts],
            front.y_front[rts],
            rts=rts,
            orientation=orientation,
            prune=False,
            workers=1,
        )

    allow = zeros_allowed()
    crs, vrs, nirs = crs_vrs_nirs(
        run, lambda name, score: check_own_scores(name, score, labels, allow)
    )
    out, status = radial_columns(labels, crs, vrs, nirs, orientation)
    names = inputs + outputs
    ref = front.frontier["vrs"]
    factor = np.where(status == "optimal", vrs.factor, np.nan)  # not: zeros (allowed) make
    target, slack, lam, failed = project_block(  # the LP infeasible or unbounded
        front.x_front["vrs"], front.y_front["vrs"], orientation, slacks, xs, ys, factor,
        vrs.lambdas.toarray(), vrs.basis,
    )  # fmt: skip
    if failed:
        raise uncertified_error(f"{slacks} slacks", x, y, names, list(labels), failed)
    scale = np.concatenate([front.sx, front.sy])
    target = target * scale
    slack = slack * scale
    peers = peer_texts(k, *peer_weights(lam, ref), front.labels)  # "" where not optimal
    for j, name in enumerate(names):
        out[f"slack_{name}"] = slack[:, j]
    for j, name in enumerate(names):
        out[f"target_{name}"] = target[:, j]
    out["peers"] = peers
    if allow:
        out["status"] = status
    out["warnings"] = "; ".join(front.warnings)
    ranks = pd.DataFrame(index=range(k))
    for rts, res in (("crs", crs), ("vrs", vrs)):
        status = np.asarray(res.status, dtype=object).copy()  # zeros can make it not optimal
        score = np.where(status == "optimal", res.score, np.nan)
        members = front.frontier[rts]
        pos = np.searchsorted(members, np.arange(start, stop))
        inside = (pos < members.size) & (
            members[np.minimum(pos, members.size - 1)] == np.arange(start, stop)
        )
        score[inside] = front.super_score[rts][pos[inside]]
        status[inside] = front.super_status[rts][pos[inside]]
        ranks[f"super_te_{rts}"] = score
        ranks[f"super_te_{rts}_status"] = status
    ranks["super_te"] = ranks["super_te_vrs"]
    ranks["super_te_status"] = ranks["super_te_vrs_status"]
    return out, ranks


def score_unit(
    group: pd.DataFrame,
    spec: Mapping[str, object],
    unit: Unit,
    front: PeriodFrontier | None,
    *,
    file: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One unit's (summary rows, super-efficiency rows); ``front`` is unused for whole units."""
    if unit.whole:
        inputs, outputs, orientation, slacks = _options(spec)
        summary = vrs_summary(
            group, inputs, outputs, dmu="dmu", orientation=orientation, slacks=slacks, file=file
        )
        ranks = super_efficiency_columns(group, inputs, outputs, dmu="dmu", orientation=orientation)
        return summary, ranks
    if front is None:
        raise ValueError(f"unit {unit} of a large period needs its frontier")
    return score_block(group, spec, front, unit.start, unit.stop)


def join_units(parts: Sequence[tuple[pd.DataFrame, pd.DataFrame]]) -> tuple[pd.DataFrame, ...]:
    """One period's (summary, ranks) from its units' parts, in order; the warnings of the
    period travel in ``summary.attrs["warnings"]`` as with :func:`vrs_summary`."""
    if len(parts) == 1:
        return parts[0]
    summary = pd.concat([p[0] for p in parts], ignore_index=True)
    ranks = pd.concat([p[1] for p in parts], ignore_index=True)
    text = str(summary["warnings"].iloc[0]) if len(summary) else ""
    summary.attrs["warnings"] = text.split("; ") if text else []
    return summary, ranks


def _where(source: str, period: Any) -> str:
    return f"{source} (period {period})"


def frontiers(
    data: pd.DataFrame, spec: Mapping[str, object], *, source: str, block_size: int = BLOCK_SIZE
) -> dict[Any, PeriodFrontier]:
    """The frontier step of every large period of an analysis (small periods need none),
    under the analysis' zero policy (``allow_zero``), as ``run_dea`` applies it."""
    with allowing_zeros(bool(spec.get("allow_zero", False))):
        return {
            period: period_frontier(group, spec, period, file=_where(source, period))
            for period, group in periods(data)
            if len(group) > block_size
        }


def score_units(
    data: pd.DataFrame,
    spec: Mapping[str, object],
    units: Iterable[Unit],
    fronts: Mapping[Any, PeriodFrontier],
    *,
    source: str,
) -> list[tuple[Unit, pd.DataFrame, pd.DataFrame]]:
    """Score the given units (one shard's work): ``[(unit, summary rows, ranks rows)]``,
    under the analysis' zero policy (``allow_zero``)."""
    groups = dict(periods(data))
    out = []
    with allowing_zeros(bool(spec.get("allow_zero", False))):
        for unit in units:
            summary, ranks = score_unit(
                groups[unit.period],
                spec,
                unit,
                fronts.get(unit.period),
                file=_where(source, unit.period),
            )
            out.append((unit, summary, ranks))
    return out


def gather_units(
    parts: Iterable[tuple[Unit, pd.DataFrame, pd.DataFrame]], units: Sequence[Unit]
) -> list[tuple[Any, pd.DataFrame, pd.DataFrame]]:
    """Per period, in order: ``(period, summary, ranks)`` joined from every unit's part.

    Raises ValueError if a unit is missing or scored twice (a shard file from another plan).
    """
    by_unit: dict[Unit, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for unit, summary, ranks in parts:
        if unit in by_unit:
            raise ValueError(f"unit {unit} was scored twice")
        by_unit[unit] = (summary, ranks)
    missing = [u for u in units if u not in by_unit]
    extra = set(by_unit) - set(units)
    if missing or extra:
        raise ValueError(f"shard results do not match the plan ({len(missing)} units missing)")
    out: list[tuple[Any, pd.DataFrame, pd.DataFrame]] = []
    for period in dict.fromkeys(u.period for u in units):
        pieces = [by_unit[u] for u in units if u.period == period]
        summary, ranks = join_units(pieces)
        out.append((period, summary, ranks))
    return out


def _pool_workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, int(cpus or 1))


def scored_periods(
    data: pd.DataFrame,
    spec: Mapping[str, object],
    *,
    source: str,
    workers: int | None = None,
) -> list[tuple[Any, pd.DataFrame, pd.DataFrame]]:
    """The unsharded run: every unit in one process (blocks spread over ``workers`` forked
    processes; the result does not depend on how many)."""
    units = plan_units(data)
    fronts = frontiers(data, spec, source=source)
    n_workers = _pool_workers() if workers is None else max(1, int(workers))
    blocks = sum(not u.whole for u in units)
    if n_workers > 1 and blocks > 1:
        import multiprocessing

        runs = shard_units(units, n_workers)
        with multiprocessing.get_context("fork").Pool(len(runs)) as pool:
            results = [
                pool.apply_async(score_units, (data, spec, run, fronts), {"source": source})
                for run in runs
            ]
            parts = [part for res in results for part in res.get()]
    else:
        parts = score_units(data, spec, units, fronts, source=source)
    return gather_units(parts, units)


def save(obj: object, path: str | os.PathLike[str]) -> Path:
    """Write an intermediate result (frontier or shard) atomically as a pickle."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(pickle.dumps(obj, protocol=5)))


def load(path: str | os.PathLike[str]) -> Any:
    """Read an intermediate written by :func:`save` (only ever our own workflow's files)."""
    return pickle.loads(Path(path).read_bytes())
