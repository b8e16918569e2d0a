"""``sciteff dea``: DEAP 2.1's VRS summary (crste, vrste, scale, irs/drs) of a user's CSV.

Writes one row per DMU in input order, to standard output or atomically to ``--out``. Bad
input ends with one line on standard error naming the file, row and column (exit status 2).
"""

from __future__ import annotations

import argparse
import sys

from sciteff.cli.common import column_list, emit
from sciteff.core.errors import InputError
from sciteff.core.io import read_numeric_csv
from sciteff.efficiency.slacks import SLACK_METHODS
from sciteff.efficiency.summary import vrs_summary


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``dea`` subcommand."""
    p = subparsers.add_parser(
        "dea",
        help="DEA efficiency scores as DEAP 2.1 reports them (CRS, VRS, scale, irs/drs)",
        description=(
            "Radial DEA of every row of DATA.csv against all rows: crste, vrste, "
            "scale = crste/vrste, rts (DEAP 2.1 rule), nirs_te, slacks, targets and peers."
        ),
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV with one row per DMU")
    p.add_argument(
        "--inputs", required=True, type=column_list, help="input columns, comma-separated"
    )
    p.add_argument(
        "--outputs", required=True, type=column_list, help="output columns, comma-separated"
    )
    p.add_argument("--dmu", default=None, help="column of DMU labels (default: row number)")
    p.add_argument("--orientation", choices=["in", "out"], default="in")
    p.add_argument(
        "--slacks",
        choices=list(SLACK_METHODS),
        default="multi-stage",
        help="slack method (default: multi-stage, DEAP 2.1's default)",
    )
    p.add_argument("--out", default=None, help="output CSV (default: standard output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    labels = [args.dmu] if args.dmu else []
    for name in labels:
        if name in args.inputs or name in args.outputs:
            raise InputError("the DMU column cannot be an input or output", column=name)
    frame = read_numeric_csv(args.data, [*args.inputs, *args.outputs], labels=labels)
    result = vrs_summary(
        frame.reset_index(drop=True),
        args.inputs,
        args.outputs,
        dmu=args.dmu,
        orientation=args.orientation,
        slacks=args.slacks,
        file=str(args.data),
    )
    emit(result, args.out)
    for warning in result.attrs.get("warnings", []):
        print(f"sciteff dea: warning: {warning}", file=sys.stderr)
    return 0
