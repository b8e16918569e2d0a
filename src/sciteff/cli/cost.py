"""``sciteff cost``: cost efficiency DEA (DEAP 2.1's model 1) of a user's table with prices.

``sciteff cost DATA --inputs X1,X2 --outputs Y --prices W1,W2 [--rts crs|vrs] [--dmu COL]
[--sheet NAME|N] [--out FILE.csv|FILE.xlsx] [--digits N]`` writes one row per DMU: ``dmu, te,
ae, ce, cost, min_cost`` and ``min_<input>``, the cost-minimising input quantities DEAP prints
(see :mod:`sciteff.efficiency.cost`). ``--prices`` names one price column per input, in the
order of ``--inputs``; prices may differ between DMUs. Bad input ends with one line on
standard error naming the file, row and column (exit status 2).
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
    """Add the ``cost`` subcommand."""
    p = subparsers.add_parser(
        "cost",
        help="cost efficiency DEA as DEAP 2.1 reports it (te, ae = ce/te, ce, min-cost inputs)",
        description=(
            "Cost efficiency of every row of DATA against all rows: the minimum cost of its "
            "outputs at its own input prices over its actual cost (ce), the input-orientated "
            "technical efficiency (te) and the allocative efficiency ae = ce/te."
        ),
    )
    add_data_arguments(p, orientations=None)
    p.add_argument(
        "--prices",
        required=True,
        type=column_list,
        help="input price columns, one per input and in the order of --inputs",
    )
    p.add_argument("--rts", choices=RTS, default="crs", help="returns to scale (default: crs)")
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    from sciteff.cli.tables import read_numeric_table, write_command_result
    from sciteff.efficiency.cost import cost_summary

    labels = label_columns(args.dmu, args.inputs, args.outputs, args.prices)
    numeric = list(dict.fromkeys([*args.inputs, *args.outputs, *args.prices]))
    frame = read_numeric_table(args.data, numeric, labels=labels, **read_options(args))
    result = cost_summary(
        frame.reset_index(drop=True),
        args.inputs,
        args.outputs,
        args.prices,
        dmu=args.dmu,
        rts=args.rts,
        file=str(frame.attrs.get("file", args.data)),
    )
    warnings = result.attrs.get("warnings", [])
    write_command_result(
        args, {"scores": result}, warnings=warnings, rts=args.rts, prices=args.prices
    )
    return 0
