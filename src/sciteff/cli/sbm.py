"""``sciteff sbm``: Tone's slacks-based measure (and super-SBM) of a user's CSV.

Contract (stable): ``sciteff sbm DATA.csv --inputs A,B --outputs C,D [--dmu COL]
[--orientation in|out|non] [--rts crs|vrs] [--undesirable E,F] [--super] [--out FILE]
[--sheet NAME|N] [--digits N] [--encoding E] [--decimal D]`` writes
one row per DMU in input order: ``dmu, sbm``, then ``slack_<var>`` and ``target_<var>`` for
every input, output and undesirable output; with ``--super`` also ``super_sbm`` (super-SBM for
SBM-efficient DMUs, the SBM score otherwise), ``efficient`` and ``super_status``. Bad input ends
with one line on standard error naming the file, row and column (exit status 2).
"""

from __future__ import annotations

import argparse

from sciteff.cli.common import (
    RTS,
    add_data_arguments,
    add_io_arguments,
    column_list,
    label_columns,
    read_options,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sbm`` subcommand."""
    p = subparsers.add_parser(
        "sbm",
        help="slacks-based measure (Tone 2001), super-SBM (Tone 2002), undesirable outputs",
        description=(
            "Tone's slacks-based measure of every row of DATA against all rows, with "
            "slacks and targets; --super adds Tone's super-SBM for the SBM-efficient DMUs."
        ),
    )
    add_data_arguments(
        p,
        orientations=("in", "out", "non"),
        orientation_default="non",
        orientation_help="input, output or non-oriented (default: non, Tone's SBM)",
        outputs_help="(desirable) output columns, comma-separated",
    )
    p.add_argument(
        "--undesirable",
        type=column_list,
        default=[],
        metavar="E,F",
        help="undesirable (bad) output columns, e.g. emissions (Tone's SBM with bad outputs)",
    )
    p.add_argument("--rts", choices=RTS, default="crs", help="returns to scale (default: crs)")
    p.add_argument("--super", action="store_true", help="add super-SBM scores (Tone 2002)")
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    from sciteff.cli.tables import read_numeric_table, write_command_result
    from sciteff.efficiency.sbm import sbm

    bad = [c for c in args.undesirable if c not in args.outputs]
    variables = list(dict.fromkeys([*args.inputs, *args.outputs, *bad]))
    labels = label_columns(args.dmu, variables)
    frame = read_numeric_table(args.data, variables, labels, **read_options(args))
    result = sbm(
        frame.reset_index(drop=True),
        args.inputs,
        [*args.outputs, *bad],
        dmu=args.dmu,
        orientation=args.orientation,
        rts=args.rts,
        undesirable=args.undesirable,
        super_sbm=args.super,
        file=str(args.data),
    )
    warnings = result.attrs.get("warnings", [])
    write_command_result(
        args, {"scores": result}, warnings=warnings, orientation=args.orientation, rts=args.rts
    )
    return 0
