"""A silent, single-threaded HiGHS instance (shared by the DEA engine's modules)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import highspy

_BANNER_SUPPRESSED = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    highspy prints a copyright banner on standard output the first time a ``Highs`` object is
    created in a process; the ``sciteff`` CLI writes CSV to standard output, so the banner is
    sent to ``/dev/null`` at the file-descriptor level for that first construction.
    """
    global _BANNER_SUPPRESSED
    if _BANNER_SUPPRESSED:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _BANNER_SUPPRESSED = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", 1)
    # Keep matrix entries HiGHS would otherwise drop as zero (default: below 1e-9) or refuse
    # (above 1e15); an entry still below 1e-12 makes passModel warn, and callers then do not
    # trust that model (see sciteff.efficiency.engine).
    h.setOptionValue("small_matrix_value", 1e-12)
    h.setOptionValue("large_matrix_value", 1e300)
    return h


def run_resolved(h: highspy.Highs) -> highspy.HighsModelStatus:
    """The model status of the last ``h.run()``, settled where it is not an answer.

    HiGHS's "unbounded or infeasible" (a presolve answer) and "unknown" or "solve error" (seen
    after a warm start from the previous DMU's basis, where a cold solve of the same LP says
    "infeasible" or "optimal") are solved again from scratch, then also without presolve."""
    ms = highspy.HighsModelStatus
    unsettled = (ms.kUnboundedOrInfeasible, ms.kUnknown, ms.kSolveError)
    status = h.getModelStatus()
    if status not in unsettled:
        return status
    for presolve in ("choose", "off"):
        h.clearSolver()
        h.setOptionValue("presolve", presolve)
        h.run()
        status = h.getModelStatus()
        if status not in unsettled:
            break
    h.setOptionValue("presolve", "choose")
    return status


#: HiGHS's primal and dual feasibility tolerances for :func:`tightened` (its defaults: 1e-7).
TIGHT_TOL = 1e-10


@contextlib.contextmanager
def tightened(h: highspy.Highs) -> Iterator[highspy.Highs]:
    """``h`` with feasibility tolerances of :data:`TIGHT_TOL` and no warm start, for one more
    solve where a solution within the default 1e-7 broke a caller's check (a Charnes-Cooper
    model divides every value by its t, and a small t magnifies those 1e-7)."""
    names = ("primal_feasibility_tolerance", "dual_feasibility_tolerance")
    saved = [h.getOptionValue(name) for name in names]
    saved = [v[1] if isinstance(v, tuple) else v for v in saved]  # (status, value) in highspy 1.x
    for name in names:
        h.setOptionValue(name, TIGHT_TOL)
    h.clearSolver()
    try:
        yield h
    finally:
        for name, value in zip(names, saved, strict=True):
            h.setOptionValue(name, value)
        h.clearSolver()
