"""``sciteff sbm``: Tone's slacks-based measure (and super-SBM) of a user's CSV.

Contract (stable): ``sciteff sbm DATA.csv --inputs A,B --outputs C,D [--dmu COL]
[--orientation in|out|non] [--rts crs|vrs] [--undesirable E,F] [--super] [--out FILE]`` writes
one row per DMU in input order: ``dmu, sbm``, then ``slack_<var>`` and ``target_<var>`` for
every input, output and undesirable output; with ``--super`` also ``super_sbm`` (super-SBM for
SBM-efficient DMUs, the SBM score otherwise), ``efficient`` and ``super_status``. Bad input ends
with one line on standard error naming the file, row and column (exit status 2).
"""

from __future__ import annotations

import argparse

from sciteff.cli._tables import read_numeric, write_tables
from sciteff.cli.common import column_list
from sciteff.core.errors import InputError
from sciteff.efficiency.sbm import sbm


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sbm`` subcommand."""
    p = subparsers.add_parser(
        "sbm",
        help="slacks-based measure (Tone 2001), super-SBM (Tone 2002), undesirable outputs",
        description=(
            "Tone's slacks-based measure of every row of DATA.csv against all rows, with "
            "slacks and targets; --super adds Tone's super-SBM for the SBM-efficient DMUs."
        ),
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV with one row per DMU")
    p.add_argument("--inputs", required=True, type=column_list, help="input columns")
    p.add_argument("--outputs", required=True, type=column_list, help="(desirable) outputs")
    p.add_argument(
        "--undesirable",
        type=column_list,
        default=[],
        metavar="E,F",
        help="undesirable (bad) output columns, e.g. emissions (Tone's SBM with bad outputs)",
    )
    p.add_argument("--dmu", default=None, help="column of DMU labels (default: row number)")
    p.add_argument(
        "--orientation",
        choices=["in", "out", "non"],
        default="non",
        help="input, output or non-oriented (default: non, Tone's SBM)",
    )
    p.add_argument("--rts", choices=["crs", "vrs"], default="crs", help="default: crs")
    p.add_argument("--super", action="store_true", help="add super-SBM scores (Tone 2002)")
    p.add_argument("--out", default=None, help="output CSV (default: standard output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    labels = [args.dmu] if args.dmu else []
    variables = [*args.inputs, *args.outputs]
    variables += [c for c in args.undesirable if c not in variables]
    for name in labels:
        if name in variables:
            raise InputError("the DMU column cannot be an input or output", column=name)
    frame = read_numeric(args.data, variables, labels)
    result = sbm(
        frame.reset_index(drop=True),
        args.inputs,
        [*args.outputs, *[c for c in args.undesirable if c not in args.outputs]],
        dmu=args.dmu,
        orientation=args.orientation,
        rts=args.rts,
        undesirable=args.undesirable,
        super_sbm=args.super,
        file=str(args.data),
    )
    warnings = result.attrs.get("warnings", [])
    write_tables({"scores": result}, args.out, command="sbm", warnings=warnings)
    return 0
