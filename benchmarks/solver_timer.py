"""Shared by the DEA benchmarks: time every LP solver call, in this process and its workers.

The solver calls are the batched simplex (``batch_lp.solve`` as :mod:`sciteff.efficiency.
batch_radial` and :mod:`sciteff.efficiency.batch_slacks` call it: one call for many LPs, its
certificate included) and HiGHS (``Highs.run``: the LPs the batch does not certify). The
timers add into shared memory created before any fork pool starts, so a pool's workers add
into the same counters: the result is the solver time summed over every process as it really
ran (each worker slowed by whatever the others cost it on shared cores and caches), the
quantity of issue 17's rule "wall <= 1.3 x (solver time summed over workers / workers) +
start-up".

As a script it runs a ``sciteff`` command with the timers on and writes what they measured
beside it, so that the command's wall time and its solver time come from the same run::

    python benchmarks/solver_timer.py OUT.json sciteff dea data.csv --inputs ... --out ...

``OUT.json`` gets ``{"seconds": ..., "lps": ...}``; the exit status is the command's.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class SolverTime:
    """Seconds and LPs counted by :func:`timing` (shared with forked workers)."""

    def __init__(self) -> None:
        fork = multiprocessing.get_context("fork")
        self._seconds, self._lps = fork.Value("d", 0.0), fork.Value("q", 0)

    def add(self, seconds: float, lps: int) -> None:
        with self._seconds.get_lock():
            self._seconds.value += seconds
            self._lps.value += lps

    @property
    def seconds(self) -> float:
        return float(self._seconds.value)

    @property
    def lps(self) -> int:
        return int(self._lps.value)


def _patches() -> list[tuple[Any, str, Callable[..., int]]]:
    """(object, attribute, LPs a call solves) of every solver entry point."""
    import highspy

    from sciteff.efficiency import batch_radial, batch_slacks

    patches: list[tuple[Any, str, Callable[..., int]]] = [(highspy.Highs, "run", lambda *_: 1)]
    for mod in (batch_radial, batch_slacks):
        patches.append((mod, "solve", lambda lp, *_: lp.extra.shape[0]))
    return patches


@contextmanager
def timing() -> Iterator[SolverTime]:
    """Every solver call inside the block (and in workers forked inside it) timed."""
    spent = SolverTime()

    def timed(original: Callable[..., Any], lps: Callable[..., int]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent.add(time.perf_counter() - t0, lps(*args))

        return run

    patches = _patches()
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    for obj, name, lps in patches:
        setattr(obj, name, timed(getattr(obj, name), lps))
    try:
        yield spent
    finally:
        for obj, name, original in saved:
            setattr(obj, name, original)


def main(argv: list[str]) -> int:
    """Run ``sciteff ARGS...`` (``argv`` = OUT.json sciteff ARGS...) with the timers on."""
    out, _, *args = argv
    from sciteff.cli.main import main as sciteff_main

    sys.argv = ["sciteff", *args]
    with timing() as spent:
        try:
            status = sciteff_main()
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    Path(out).write_text(json.dumps({"seconds": spent.seconds, "lps": spent.lps}))
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
