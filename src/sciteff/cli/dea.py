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
from typing import TYPE_CHECKING

from sciteff.cli.common import (
    SLACK_METHODS,
    add_allow_zero,
    add_data_arguments,
    add_io_arguments,
    label_columns,
    read_options,
)

if TYPE_CHECKING:
    import pandas as pd


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
    add_data_arguments(p, orientation_help="DEA orientation (default: in)")
    p.add_argument(
        "--slacks",
        choices=list(SLACK_METHODS),
        default="multi-stage",
        help="slack method (default: multi-stage, DEAP 2.1's default)",
    )
    add_allow_zero(p)
    add_io_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, validate, solve, write. Returns the exit status."""
    from sciteff.cli.tables import read_numeric_table, write_command_result
    from sciteff.efficiency.summary import vrs_summary
    from sciteff.efficiency.validate import allowing_zeros

    labels = label_columns(args.dmu, args.inputs, args.outputs)
    frame = read_numeric_table(
        args.data, [*args.inputs, *args.outputs], labels=labels, **read_options(args)
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
    write_command_result(
        args,
        {"scores": scores, "peers": peer_table(scores)},
        warnings=warnings,
        orientation=args.orientation,
        slacks=args.slacks,
    )
    return 0


def peer_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The peers in long form (``dmu, peer, weight``: one row per DMU and peer, full
    weights), as :func:`~sciteff.efficiency.summary.vrs_summary` attaches them."""
    return scores.attrs["peer_weights"].frame
