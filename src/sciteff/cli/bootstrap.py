"""``sciteff bootstrap``: Simar-Wilson (1998) bootstrap of DEA scores in a user's CSV.

Contract (stable): ``sciteff bootstrap DATA.csv --inputs A,B --outputs C,D [--dmu COL]
[--orientation in|out] [--rts crs|vrs] [--reps B] [--seed S] [--alpha 0.05] [--bandwidth H]
[--workers W] [--rts-test] [--out FILE]`` writes one row per DMU in input order: ``dmu, te,
te_bc, bias, variance, lower, upper`` (scores <= 1 as DEAP prints them, in both orientations;
``lower``/``upper`` the 1 - alpha interval). ``--rts-test`` adds Simar and Wilson's (2002) test
of constant returns to scale as a second table (``rts_test``: statistic, p_value, reps, seed,
bandwidth), written beside ``--out`` (``FILE.rts_test.csv`` or a sheet) and summarised on
standard error. The same seed gives the same numbers for any ``--workers``.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from sciteff.cli._tables import read_numeric, write_tables
from sciteff.cli.common import column_list
from sciteff.core.errors import InputError
from sciteff.efficiency.bootstrap import bootstrap_dea, rts_test


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bootstrap`` subcommand."""
    p = subparsers.add_parser(
        "bootstrap",
        help="bias-corrected DEA scores and confidence intervals (Simar-Wilson 1998)",
        description=(
            "Smoothed homogeneous bootstrap of radial DEA scores (Simar and Wilson 1998): "
            "bias-corrected scores, bias, variance and percentile confidence intervals; "
            "--rts-test adds Simar and Wilson's (2002) bootstrap test of CRS against VRS."
        ),
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV with one row per DMU")
    p.add_argument("--inputs", required=True, type=column_list, help="input columns")
    p.add_argument("--outputs", required=True, type=column_list, help="output columns")
    p.add_argument("--dmu", default=None, help="column of DMU labels (default: row number)")
    p.add_argument("--orientation", choices=["in", "out"], default="in", help="default: in")
    p.add_argument("--rts", choices=["crs", "vrs"], default="vrs", help="default: vrs")
    p.add_argument("--reps", type=_positive_int, default=2000, help="replications B (2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--alpha", type=_number, default=0.05, help="1 - confidence level (0.05)")
    p.add_argument(
        "--bandwidth",
        type=_number,
        default=None,
        help="smoothing bandwidth h (default: 1.06 min(sd, IQR/1.34) (2n)^(-1/5))",
    )
    p.add_argument(
        "--workers", type=_positive_int, default=None, help="processes (default: automatic)"
    )
    p.add_argument(
        "--rts-test", action="store_true", help="add the Simar-Wilson (2002) test of CRS"
    )
    p.add_argument("--out", default=None, help="output file (default: standard output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, bootstrap, write. Returns the exit status."""
    labels = [args.dmu] if args.dmu else []
    for name in labels:
        if name in args.inputs or name in args.outputs:
            raise InputError("the DMU column cannot be an input or output", column=name)
    frame = read_numeric(args.data, [*args.inputs, *args.outputs], labels).reset_index(drop=True)
    common = {
        "dmu": args.dmu,
        "orientation": args.orientation,
        "reps": args.reps,
        "seed": args.seed,
        "bandwidth_override": args.bandwidth,
        "workers": args.workers,
        "file": str(args.data),
    }
    result = bootstrap_dea(
        frame, args.inputs, args.outputs, rts=args.rts, alpha=args.alpha, **common
    )
    tables = {"scores": result}
    if args.rts_test:
        test = rts_test(frame, args.inputs, args.outputs, **common)
        tables["rts_test"] = pd.DataFrame([test])
        print(
            f"sciteff bootstrap: returns-to-scale test (H0: CRS): statistic "
            f"{test['statistic']:.6g}, p-value {test['p_value']:.4g} ({test['reps']} reps)",
            file=sys.stderr,
        )
    write_tables(tables, args.out, command="bootstrap", warnings=result.attrs["warnings"])
    return 0
