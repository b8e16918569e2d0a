"""``sciteff dea``: DEAP 2.1's VRS summary (crste, vrste, scale, irs/drs) of a user's table.

Reads a CSV or an ``.xlsx`` sheet (``--sheet``). Writes one row per DMU in input order (the
``scores`` table) and the peers in long form (``peers``: dmu, peer, weight), to standard
output (scores only) or atomically to ``--out`` FILE.csv / FILE.xlsx (see
:mod:`sciteff.cli.common`). Warnings are printed once on standard error and kept in the meta
file. Bad input ends with one line on standard error naming the file, row and column (exit
status 2).
"""

from __future__ import annotations

import argparse

import pandas as pd

from sciteff.cli.common import add_io_arguments, column_list, read_numeric_table, write_result
from sciteff.core.errors import InputError
from sciteff.efficiency.slacks import SLACK_METHODS
from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.validate import allowing_zeros


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
    p.add_argument("data", metavar="DATA", help="CSV or .xlsx file with one row per DMU")
    p.add_argument(
        "--inputs", required=True, type=column_list, help="input columns, comma-separated"
    )
    p.add_argument(
        "--outputs", required=True, type=column_list, help="output columns, comma-separated"
    )
    p.add_argument("--dmu", default=None, help="column of DMU labels (default: row number)")
    p.add_argument(
        "--orientation", choices=["in", "out"], default="in", help="DEA orientation (default: in)"
    )
    p.add_argument(
        "--slacks",
        choices=list(SLACK_METHODS),
        default="multi-stage",
        help="slack method (default: multi-stage, DEAP 2.1's default)",
    )
    p.add_argument(
        "--allow-zero",
        action="store_true",
        help="accept zero inputs (default: a zero input is an error; negatives always are)",
    )
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    labels = [args.dmu] if args.dmu else []
    for name in labels:
        if name in args.inputs or name in args.outputs:
            raise InputError("the DMU column cannot be an input or output", column=name)
    frame = read_numeric_table(
        args.data, [*args.inputs, *args.outputs], labels=labels, sheet=args.sheet
    )
    with allowing_zeros(args.allow_zero):
        result = vrs_summary(
            frame.reset_index(drop=True),
            args.inputs,
            args.outputs,
            dmu=args.dmu,
            orientation=args.orientation,
            slacks=args.slacks,
            file=str(args.data),
        )
    warnings = list(result.attrs.get("warnings", []))
    scores = result.drop(columns=["warnings"], errors="ignore")
    write_result(
        {"scores": scores, "peers": peer_table(scores)},
        args.out,
        command="dea",
        warnings=warnings,
        meta={"data": str(args.data), "orientation": args.orientation, "slacks": args.slacks},
        digits=args.digits,
    )
    return 0


def peer_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The ``peers`` column ("label:weight; ...") in long form: one row per DMU and peer."""
    rows = []
    for dmu, text in zip(scores["dmu"], scores["peers"], strict=True):
        for item in filter(None, (p.strip() for p in str(text).split(";"))):
            label, _, weight = item.rpartition(":")
            rows.append({"dmu": dmu, "peer": label, "weight": float(weight)})
    return pd.DataFrame(rows, columns=["dmu", "peer", "weight"])
