"""A silent, single-threaded HiGHS instance (shared by the DEA engine's modules)."""

from __future__ import annotations

import os
import sys

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
    """The model status of the last ``h.run()``; HiGHS's ambiguous "unbounded or infeasible"
    (a presolve answer) is settled by solving again without presolve."""
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        h.clearSolver()
        h.setOptionValue("presolve", "off")
        h.run()
        status = h.getModelStatus()
        h.setOptionValue("presolve", "choose")
    return status
