"""DEAP 2.1's ``.out`` layout, line for line, so that an old output diffs cleanly against ours.

The layout (spacing, blank lines holding one space, section order, CRLF line ends, 3 decimals)
was taken from outputs printed by DEAP 2.1 itself (``tests/cli/data/deap/*.out``). The only
deliberate differences from DEAP are:

* the first line says that sciteff wrote the file (DEAP's reads " Results from DEAP Version
  2.1");
* a number too wide for DEAP's Fortran field is printed in full (DEAP prints ``*****``);
* a value that rounds to zero is printed ``0.000``, never ``-0.000``.

Numbers are rounded as Fortran prints them: the exact binary value, ties away from zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sciteff import __version__
from sciteff.cli.deap.files import DeapJob
from sciteff.cli.deap.models import DeaRun
from sciteff.cli.numtext import fixed
from sciteff.efficiency.cost import CostArrays
from sciteff.efficiency.malmquist import INDEX_COLUMNS, MalmquistResult

#: The first line of every .out sciteff writes (DEAP's own first line, for comparison).
FIRST_LINE = f" Results from sciteff {__version__} (DEAP Version 2.1 layout)"
DEAP_FIRST_LINE = " Results from DEAP Version 2.1"

_ORIENTATION = {"in": "Input", "out": "Output"}
_SLACK_LINE = {
    0: " Slacks calculated using multi-stage method",
    3: " Single-stage DEA - residual slacks presented",
    4: " Two-stage DEA method",
}


def f3(value: float, width: int) -> str:
    """Fortran ``F<width>.3`` (ties away from zero, :func:`fixed`), widened instead of
    starred, with no negative zero."""
    v = float(value)
    if not np.isfinite(v):
        return f"{'NaN':>{width}}"
    return f"{fixed(v, 3):>{width}}"


def _header(job: DeapJob, ins_name: str) -> list[str]:
    return [
        FIRST_LINE,
        " ",
        f"Instruction file = {ins_name:<12}",
        f"Data file          = {job.data_name:<12}",
        " ",
    ]


def _table(kind: str, rows: np.ndarray, mean: bool) -> list[str]:
    """One of DEAP's per-variable tables (slacks, targets, cost-minimising quantities)."""
    label = f"{kind + ':':<7}"
    lines = [f" firm  {label}" + "".join(f"{k:12d}" for k in range(1, rows.shape[1] + 1))]
    for i, row in enumerate(rows, start=1):
        lines.append(f"{i:5d}" + _cells(row))
    if mean:
        lines += ["", " mean" + _cells(rows.mean(axis=0))]
    return lines


def _cells(row: Sequence[float]) -> str:
    return "".join(f3(v, 21 if k == 0 else 12) for k, v in enumerate(row))


def dea_out(job: DeapJob, run: DeaRun, ins_name: str) -> str:
    """The .out text of a DEA job (models 0, 3, 4)."""
    vrs = run.vrste is not None
    n = run.x.shape[0]
    lines = _header(job, ins_name)
    lines += [
        f" {_ORIENTATION[job.orientation]} orientated DEA",
        " ",
        f" Scale assumption: {job.rts.upper()}",
        " ",
        _SLACK_LINE[job.model],
        " ",
        " ",
        " EFFICIENCY SUMMARY:",
        " ",
    ]
    if vrs:
        assert run.crste is not None and run.scale is not None and run.rts_label is not None
        lines += ["  firm  crste  vrste  scale", " "]
        for i in range(n):
            mark = " - " if run.rts_label[i] == "-" else str(run.rts_label[i])
            lines.append(
                f"{i + 1:5d}{f3(run.crste[i], 7)}{f3(run.vrste[i], 7)}{f3(run.scale[i], 7)} {mark}"
            )
        means = (run.crste.mean(), run.vrste.mean(), run.scale.mean())
        lines += [" ", " mean" + "".join(f3(v, 7) for v in means)]
        lines += [
            "",
            "Note: crste = technical efficiency from CRS DEA",
            "      vrste = technical efficiency from VRS DEA",
            "      scale = scale efficiency = crste/vrste",
            "",
            "",
            "Note also that all subsequent tables refer to VRS results",
        ]
    else:
        lines.append("  firm     te")
        lines += [f"{i + 1:5d}{f3(run.te[i], 7)}" for i in range(n)]
        lines += [" ", " mean" + f3(run.te.mean(), 7)]
    lines += [" ", " ", " SUMMARY OF OUTPUT SLACKS:", " "]
    lines += _table("output", run.slack_y, mean=True)
    lines += [" ", " ", " SUMMARY OF INPUT SLACKS:", " "]
    lines += _table("input", run.slack_x, mean=True)
    lines += [" ", " ", " SUMMARY OF PEERS:", " ", "  firm  peers:"]
    for i, peers in enumerate(run.peers, start=1):
        lines.append(f"{i:5d}  " + "".join(f"{j + 1:5d}" for j, _ in peers))
    lines += [" ", " ", " SUMMARY OF PEER WEIGHTS:", "   (in same order as above)", " "]
    lines.append("  firm  peer weights:")
    for i, peers in enumerate(run.peers, start=1):
        lines.append(f"{i:5d}  " + "".join(f3(w, 6) for _, w in peers))
    lines += [" ", " ", " PEER COUNT SUMMARY:"]
    lines += ["   (i.e., no. times each firm is a peer for another)", " ", "  firm  peer count:"]
    count = np.zeros(n, dtype=int)
    for i, peers in enumerate(run.peers):
        for j, _ in peers:
            if j != i:
                count[j] += 1
    lines += [f"{j + 1:5d}{count[j]:8d}" for j in range(n)]
    lines += [" ", " ", " ", " SUMMARY OF OUTPUT TARGETS:", " "]
    lines += _table("output", run.target_y, mean=False)
    lines += [" ", " ", " SUMMARY OF INPUT TARGETS:", " "]
    lines += _table("input", run.target_x, mean=False)
    lines += [" ", " ", " ", " FIRM BY FIRM RESULTS:"]
    te = run.vrste if vrs else run.te
    for i in range(n):
        lines += [
            " ",
            " ",
            f"Results for firm:{i + 1:6d}",
            f"Technical efficiency = {f3(te[i], 5)}",
        ]
        if vrs:
            assert run.scale is not None and run.rts_label is not None
            mark = "crs" if run.rts_label[i] == "-" else str(run.rts_label[i])
            lines.append(f"Scale efficiency     = {f3(run.scale[i], 5)}  ({mark})")
        lines += [
            " PROJECTION SUMMARY:",
            "  variable           original        radial         slack     projected",
            "                        value      movement      movement         value",
        ]
        blocks = (
            ("output", run.y[i], run.radial_y[i], run.slack_y[i], run.target_y[i]),
            ("input ", run.x[i], run.radial_x[i], -run.slack_x[i], run.target_x[i]),
        )
        for kind, orig, radial, slack, proj in blocks:
            for k in range(orig.size):
                lines.append(
                    f" {kind}{k + 1:6d}{f3(orig[k], 16)}{f3(radial[k] - orig[k], 14)}"
                    f"{f3(slack[k], 14)}{f3(proj[k], 14)}"
                )
        lines += [" LISTING OF PEERS:", "  peer   lambda weight"]
        lines += [f"{j + 1:5d}{f3(w, 11)}" for j, w in run.peers[i]]
    return "\r\n".join(lines) + "\r\n"


def cost_out(job: DeapJob, res: CostArrays, ins_name: str) -> str:
    """The .out text of a cost-DEA job (model 1)."""
    n = res.te.size
    lines = _header(job, ins_name)
    lines += [
        " Cost efficiency DEA",
        " ",
        f" Scale assumption: {job.rts.upper()}",
        " ",
        " ",
        " EFFICIENCY SUMMARY:",
        " ",
        "  firm     te     ae     ce",
    ]
    lines += [f"{i + 1:5d}{f3(res.te[i], 7)}{f3(res.ae[i], 7)}{f3(res.ce[i], 7)}" for i in range(n)]
    lines += [" ", " mean" + "".join(f3(v.mean(), 7) for v in (res.te, res.ae, res.ce))]
    lines += [
        "",
        "Note: te = technical efficiency",
        "      ae = allocative efficiency = ce/te",
        "      ce = cost efficiency",
        "",
        " ",
        " ",
        " SUMMARY OF COST MINIMISING INPUT QUANTITIES:",
        " ",
    ]
    lines += _table("input", res.x_min, mean=False)
    return "\r\n".join(lines) + "\r\n"


def malmquist_out(job: DeapJob, res: MalmquistResult, ins_name: str) -> str:
    """The .out text of a Malmquist-DEA job (model 2): distances, indices and their means."""
    idx = res.indices
    periods = list(res.periods)
    firms = list(dict.fromkeys(idx["dmu"]))
    n = len(firms)
    lines = _header(job, ins_name)
    lines += [f" {_ORIENTATION[job.orientation]} orientated Malmquist DEA", " ", ""]
    lines += [" DISTANCES SUMMARY", "", ""]
    zeros = np.zeros(n)
    for t, period in enumerate(periods):
        if t == 0:
            first = idx[idx["period"] == periods[1]]
            prev, cur = zeros, first["d_crs_t_t"].to_numpy()
            vrs = first["d_vrs_t_t"].to_numpy()
        else:
            here = idx[idx["period"] == period]
            prev, cur = here["d_crs_t_t1"].to_numpy(), here["d_crs_t1_t1"].to_numpy()
            vrs = here["d_vrs_t1_t1"].to_numpy()
        if t + 1 < len(periods):
            nxt = idx[idx["period"] == periods[t + 1]]["d_crs_t1_t"].to_numpy()
        else:
            nxt = zeros
        lines += [
            f" year ={t + 1:6d}",
            "",
            "   firm      crs te rel to tech in yr      vrs",
            "    no.      ************************       te",
            "              t-1         t       t+1",
            " ",
        ]
        cols = (prev, cur, nxt, vrs)
        lines += [f"{i + 1:6d}" + "".join(f3(c[i], 10) for c in cols) for i in range(n)]
        lines += ["", " mean " + "".join(f3(np.mean(c), 10) for c in cols)]
        if t + 1 < len(periods):
            lines.append("")
    lines += [" ", " [Note that t-1 in year 1 and t+1 in the final year are not defined]"]
    lines += ["", "", " MALMQUIST INDEX SUMMARY", ""]
    head = "   firm   effch  techch    pech    sech   tfpch"
    tables = res.pair_tables()
    for t, period in enumerate(periods[1:], start=2):
        table = tables[period]
        body = table.iloc[:-1]
        lines += [f" year ={t:6d}", "", head, " "]
        lines += [
            f"{i + 1:6d}" + "".join(f3(v, 8) for v in row)
            for i, row in enumerate(body[list(INDEX_COLUMNS)].to_numpy())
        ]
        lines += ["", " mean " + "".join(f3(v, 8) for v in table.iloc[-1][list(INDEX_COLUMNS)])]
        lines.append("")
    lines += ["", " MALMQUIST INDEX SUMMARY OF ANNUAL MEANS", ""]
    lines += [head.replace("firm", "year"), " "]
    annual = res.annual_means
    for t, row in enumerate(annual.iloc[:-1][list(INDEX_COLUMNS)].to_numpy(), start=2):
        lines.append(f"{t:6d}" + "".join(f3(v, 8) for v in row))
    lines += ["", " mean " + "".join(f3(v, 8) for v in annual.iloc[-1][list(INDEX_COLUMNS)])]
    lines += ["", "", " MALMQUIST INDEX SUMMARY OF FIRM MEANS", "", head, " "]
    fm = res.firm_means
    for i, row in enumerate(fm.iloc[:-1][list(INDEX_COLUMNS)].to_numpy(), start=1):
        lines.append(f"{i:6d}" + "".join(f3(v, 8) for v in row))
    lines += ["", " mean " + "".join(f3(v, 8) for v in fm.iloc[-1][list(INDEX_COLUMNS)])]
    lines += [" ", " [Note that all Malmquist index averages are geometric means]"]
    return "\r\n".join(lines) + "\r\n"
