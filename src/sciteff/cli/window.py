"""``sciteff window``: DEA window analysis (Charnes et al. 1985) of a long-format panel.

Contract (stable): ``sciteff window DATA.csv --dmu COL --period COL --inputs A,B --outputs C,D
--width W [--rts crs|vrs] [--orientation in|out] [--drop-incomplete] [--out FILE]`` writes one
row per DMU, window and period (``dmu, window, period, te``; DMUs in input order; te <= 1 as
DEAP prints it) and, as a second table, the window table (per DMU: window rows, period
columns, ``mean``, ``ldw``, ``range``, and ``mean`` / ``ldp`` rows): with ``--out FILE.csv``
it goes to ``FILE.table.csv`` beside it, with ``--out FILE.xlsx`` to its own sheet.
"""

from __future__ import annotations

import argparse

from sciteff.cli._tables import read_text, write_tables
from sciteff.cli.common import column_list
from sciteff.efficiency.window import window_analysis


def _width(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


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
    p.add_argument("data", metavar="DATA.csv", help="one row per DMU and period")
    p.add_argument("--dmu", required=True, metavar="COL", help="DMU label column")
    p.add_argument("--period", required=True, metavar="COL", help="period column")
    p.add_argument("--inputs", required=True, type=column_list, metavar="A,B")
    p.add_argument("--outputs", required=True, type=column_list, metavar="C,D")
    p.add_argument("--width", required=True, type=_width, metavar="W", help="window width")
    p.add_argument("--rts", choices=["crs", "vrs"], default="crs", help="default: crs")
    p.add_argument("--orientation", choices=["in", "out"], default="in", help="default: in")
    p.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="drop DMUs with a missing period or value instead of failing",
    )
    p.add_argument("--out", default=None, help="output file (default: standard output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, solve every window, write both tables. Returns the exit status."""
    frame = read_text(args.data)
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
    )
    write_tables({"scores": result.scores, "table": result.table}, args.out, command="window")
    return 0
