"""``sciteff bootstrap``: Simar-Wilson (1998) bootstrap of DEA scores in a user's CSV.

Contract (stable): ``sciteff bootstrap DATA.csv --inputs A,B --outputs C,D [--dmu COL]
[--orientation in|out] [--rts crs|vrs] [--reps B] [--seed S] [--alpha 0.05] [--bandwidth H]
[--workers W] [--rts-test] [--out FILE] [--sheet NAME|N] [--digits N] [--encoding E]
[--decimal D]`` writes one row per DMU in input order: ``dmu, te,
te_bc, bias, variance, lower, upper`` (scores <= 1 as DEAP prints them, in both orientations;
``lower``/``upper`` the 1 - alpha interval). ``--rts-test`` adds Simar and Wilson's (2002) test
of constant returns to scale as a second table (``rts_test``: statistic, p_value, reps, seed,
bandwidth), written beside ``--out`` (``FILE.rts_test.csv`` or a sheet) and summarised on
standard error. The same seed gives the same numbers for any ``--workers``.
"""

from __future__ import annotations

import argparse
import sys

from sciteff.cli.common import (
    RTS,
    add_data_arguments,
    add_io_arguments,
    label_columns,
    number,
    positive_int,
    read_options,
    whole_number,
)


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
    add_data_arguments(p)
    p.add_argument("--rts", choices=RTS, default="vrs", help="returns to scale (default: vrs)")
    p.add_argument("--reps", type=positive_int, default=2000, help="replications B (default: 2000)")
    p.add_argument("--seed", type=whole_number, default=0, help="random seed (default: 0)")
    p.add_argument(
        "--alpha", type=number, default=0.05, help="1 - confidence level (default: 0.05)"
    )
    p.add_argument(
        "--bandwidth",
        type=number,
        default=None,
        help="smoothing bandwidth h (default: 1.06 min(sd, IQR/1.34) (2n)^(-1/5))",
    )
    p.add_argument(
        "--workers", type=positive_int, default=None, help="processes (default: automatic)"
    )
    p.add_argument(
        "--rts-test", action="store_true", help="add the Simar-Wilson (2002) test of CRS"
    )
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, bootstrap, write. Returns the exit status."""
    import pandas as pd

    from sciteff.cli.tables import read_numeric_table, write_command_result
    from sciteff.efficiency.bootstrap import bootstrap_dea, rts_test

    labels = label_columns(args.dmu, args.inputs, args.outputs)
    frame = read_numeric_table(
        args.data, [*args.inputs, *args.outputs], labels, **read_options(args)
    ).reset_index(drop=True)
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
    write_command_result(
        args,
        tables,
        warnings=result.attrs["warnings"],
        rts=args.rts,
        reps=args.reps,
        seed=args.seed,
    )
    return 0
