"""Data envelopment analysis (DEA) as DEAP 2.1 reports it, solved robustly with HiGHS.

Public API (see ``docs/dea_conventions.md`` for the DEAP 2.1 conventions in one place):

- :func:`efficiency` - radial scores of any DMUs against any reference set (the building block
  of Malmquist indices and super-efficiency).
- :func:`radial_scores` - the same with LP status, radial factors and peer weights.
- :func:`super_efficiency` - Andersen-Petersen scores (reference set excludes the DMU itself).
- :func:`vrs_summary` (in :mod:`sciteff.efficiency.summary`, re-exported here) - DEAP's VRS summary
  table: crste, vrste, scale, irs/drs/-, nirs_te, slacks, targets, peers, warnings.
- :func:`scale_rts` - DEAP 2.1's irs/drs/- decision rule.
"""

from __future__ import annotations

from sciteff.efficiency.radial import LAMBDA_ZERO_TOL, RadialResult, efficiency, radial_scores
from sciteff.efficiency.summary import scale_rts, super_efficiency, vrs_summary

__all__ = [
    "LAMBDA_ZERO_TOL",
    "RadialResult",
    "efficiency",
    "radial_scores",
    "scale_rts",
    "super_efficiency",
    "vrs_summary",
]
