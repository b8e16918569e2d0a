"""Worker processes for the DEA engine: one fork pool per run, reused by every stage.

Why fixed blocks. The LP models warm-start each solve from the previous basis, so with
degenerate LPs the last bits of a result (and the weights among alternative optima) depend on
which DMUs were solved before it in the same model. Splitting the work into as many chunks as
there are workers would make the output depend on the machine's core count; instead the rows
are cut into blocks of :data:`BLOCK` consecutive DMUs, each block solved with LP models of its
own, and the blocks are handed to however many workers there are. The results are then the
same for 1, 2 or 8 workers.

Why one pool. Forking costs about 0.1 s on the 2-core machines this runs on; a DEAP summary has
four LP stages (CRS, VRS, NIRS, slacks), so the pool is started once by the caller and passed
to each stage.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any

import numpy as np

#: DMUs per block: the unit of sequential LP work (see the module docstring).
BLOCK = 500

#: Below this many evaluated DMUs a single process is used (forking costs ~0.1 s).
PARALLEL_MIN_EVAL = 1500


def cpu_count() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def auto_workers(k: int) -> int:
    """Processes worth forking for ``k`` LPs per stage: the CPU count (at most 8), or 1."""
    cpus = cpu_count()
    if cpus < 2 or k < PARALLEL_MIN_EVAL:
        return 1
    return min(cpus, 8)


def blocks(k: int, size: int = BLOCK) -> list[np.ndarray]:
    """Row indices 0..k-1 cut into consecutive blocks of ``size`` (the last may be shorter)."""
    return [np.arange(start, min(start + size, k)) for start in range(0, k, size)]


@contextmanager
def pool_for(k: int, workers: int | None = None) -> Iterator[Pool | None]:
    """A fork pool of ``workers`` processes (default :func:`auto_workers`), or None for one."""
    n = auto_workers(k) if workers is None else max(1, int(workers))
    if n == 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(n) as pool:
        yield pool


def pool_size(pool: Pool) -> int:
    """The number of worker processes of ``pool`` (``Pool`` keeps it, without a public name)."""
    return int(pool._processes)  # type: ignore[attr-defined]


def run_blocks(
    func: Callable[..., Any], args: Sequence[tuple[Any, ...]], pool: Pool | None
) -> list[Any]:
    """``[func(*a) for a in args]``, in the pool's workers when there is one (order kept)."""
    if pool is None or len(args) < 2:
        return [func(*a) for a in args]
    return pool.starmap(func, args, chunksize=1)
