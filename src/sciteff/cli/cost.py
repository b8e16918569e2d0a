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

from sciteff.cli.common import add_io_arguments, column_list, read_numeric_table, write_result
from sciteff.core.errors import InputError
from sciteff.efficiency.cost import COST_RTS, cost_summary


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
    p.add_argument("data", metavar="DATA", help="CSV or .xlsx file with one row per DMU")
    p.add_argument(
        "--inputs", required=True, type=column_list, help="input columns, comma-separated"
    )
    p.add_argument(
        "--outputs", required=True, type=column_list, help="output columns, comma-separated"
    )
    p.add_argument(
        "--prices",
        required=True,
        type=column_list,
        help="input price columns, one per input and in the order of --inputs",
    )
    p.add_argument("--dmu", default=None, help="column of DMU labels (default: row number)")
    p.add_argument("--rts", choices=COST_RTS, default="crs", help="returns to scale (crs)")
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    labels = [args.dmu] if args.dmu else []
    for name in labels:
        if name in args.inputs or name in args.outputs or name in args.prices:
            raise InputError("the DMU column cannot be an input, output or price", column=name)
    numeric = list(dict.fromkeys([*args.inputs, *args.outputs, *args.prices]))
    frame = read_numeric_table(args.data, numeric, labels=labels, sheet=args.sheet)
    result = cost_summary(
        frame.reset_index(drop=True),
        args.inputs,
        args.outputs,
        args.prices,
        dmu=args.dmu,
        rts=args.rts,
        file=str(frame.attrs.get("file", args.data)),
    )
    write_result(
        {"scores": result},
        args.out,
        command="cost",
        warnings=result.attrs.get("warnings", []),
        meta={"data": str(args.data), "rts": args.rts, "prices": args.prices},
        digits=args.digits,
    )
    return 0
