"""``sciteff window``: DEA window analysis (Charnes et al. 1985) of a long-format panel.

Contract (stable): ``sciteff window DATA.csv --dmu COL --period COL --inputs A,B --outputs C,D
--width W [--rts crs|vrs] [--orientation in|out] [--drop-incomplete] [--allow-zero]
[--out FILE] [--sheet NAME|N] [--digits N] [--encoding E] [--decimal D]`` writes one row per
DMU, window and period (``dmu, window, period, te``; DMUs in input order; te <= 1 as DEAP
prints it; ``--allow-zero`` adds ``status``: a DMU-period whose LP zeros make infeasible or
unbounded has no te and its status says why) and, as a second table, the window table (per
DMU: window rows, period columns, ``mean``, ``ldw``, ``range``, and ``mean`` / ``ldp`` rows):
with ``--out FILE.csv`` it goes to ``FILE.table.csv`` beside it, with ``--out FILE.xlsx`` to
its own sheet. Dropped DMUs (``--drop-incomplete``) are listed on standard error.
"""

from __future__ import annotations

import argparse

from sciteff.cli.common import (
    RTS,
    add_allow_zero,
    add_data_arguments,
    add_io_arguments,
    read_options,
    whole_number,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``window`` subcommand."""
    p = subparsers.add_parser(
        "window",
        help="DEA window analysis: every DMU-period scored in each window of W periods",
        description=(
            "Charnes et al.'s window analysis: each window of W consecutive periods is one "
            "reference set of all its DMU-periods; scores per DMU, window and period, and the "
            "window table with row and column means and stability measures."
        ),
    )
    add_data_arguments(p, panel=True)
    p.add_argument("--width", required=True, type=whole_number, metavar="W", help="window width")
    p.add_argument("--rts", choices=RTS, default="crs", help="returns to scale (default: crs)")
    p.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="drop DMUs with a missing period or value instead of failing",
    )
    add_allow_zero(p)
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, solve every window, write both tables. Returns the exit status."""
    from sciteff.cli.tables import dropped_lines, read_panel_table, write_command_result
    from sciteff.efficiency.window import window_analysis

    frame = read_panel_table(args.data, [*args.inputs, *args.outputs], **read_options(args))
    result = window_analysis(
        frame,
        dmu=args.dmu,
        period=args.period,
        inputs=args.inputs,
        outputs=args.outputs,
        width=args.width,
        rts=args.rts,
        orientation=args.orientation,
        drop_incomplete=args.drop_incomplete,
        source=str(args.data),
        allow_zero=args.allow_zero,
    )
    dropped = dropped_lines(result.dropped)
    tables = {"scores": result.scores, "table": result.table}
    write_command_result(args, tables, warnings=dropped, width=result.width, rts=result.rts)
    return 0
