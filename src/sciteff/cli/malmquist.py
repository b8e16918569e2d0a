"""``sciteff malmquist``: DEA-Malmquist indices of a long-format panel CSV.

Contract (stable): ``sciteff malmquist DATA.csv --dmu COL --period COL --inputs A,B
--outputs C,D [--orientation in|out] [--frontier adjacent|global|sequential] [--drop-incomplete]
[--out FILE]`` writes a CSV with one row per DMU and later period: ``dmu, period, effch, techch,
pech, sech, tfpch``, then the raw distances (``--frontier global`` adds ``d_crs_g_t,
d_crs_g_t1``), ``base_period``, ``status`` and ``cumulative_tfpch``. Without ``--out`` the
CSV goes to standard output; with it the file is written atomically. Dropped DMUs are reported
on standard error.

Tables: the per-period ``indices`` (the main table), DEAP's ``annual_means`` and
``firm_means`` (geometric means); ``--out FILE.csv`` writes them as FILE.csv,
FILE.annual_means.csv and FILE.firm_means.csv with FILE.meta.json, ``--out FILE.xlsx`` as
sheets of one workbook. The input may be an ``.xlsx`` sheet (``--sheet``); ``--digits N``
writes N decimals.
"""

from __future__ import annotations

import argparse
import sys

from sciteff.cli.common import (
    FRONTIERS,
    add_allow_zero,
    add_data_arguments,
    add_io_arguments,
    read_options,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``malmquist`` subparser."""
    parser = subparsers.add_parser(
        "malmquist",
        help="DEA-Malmquist productivity indices between adjacent periods (DEAP 2.1 layout)",
        description=(
            "Malmquist TFP change and its decomposition (effch, techch, pech, sech, tfpch) "
            "for every DMU and pair of adjacent periods of a balanced long-format panel."
        ),
    )
    add_data_arguments(
        parser,
        panel=True,
        orientation_help=(
            "DEA orientation of every distance (default: in); indices > 1 mean improvement"
        ),
    )
    parser.add_argument(
        "--frontier",
        choices=FRONTIERS,
        default="adjacent",
        help=(
            "reference frontier of each period: adjacent (its own, DEAP; default), global "
            "(all periods pooled, Pastor-Lovell, circular) or sequential (all periods so far)"
        ),
    )
    add_allow_zero(parser)
    parser.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="drop DMUs with a missing period or value (listed on stderr) instead of failing",
    )
    add_io_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute the indices and write them; input errors propagate as InputError."""
    from sciteff.cli.tables import dropped_lines, read_panel_table, write_command_result
    from sciteff.core.io import require_columns
    from sciteff.efficiency.malmquist import malmquist

    frame = read_panel_table(args.data, [*args.inputs, *args.outputs], **read_options(args))
    # Named columns first, with the delimiter hint for a semicolon-separated export.
    require_columns(frame, [args.dmu, args.period, *args.inputs, *args.outputs], file=args.data)
    result = malmquist(
        frame,
        dmu=args.dmu,
        period=args.period,
        inputs=args.inputs,
        outputs=args.outputs,
        orientation=args.orientation,
        drop_incomplete=args.drop_incomplete,
        source=str(args.data),
        frontier=args.frontier,
        allow_zero=args.allow_zero,
    )
    tables = {
        "indices": result.indices,
        "annual_means": result.annual_means,
        "firm_means": result.firm_means,
    }
    dropped = dropped_lines(result.dropped)
    for line in dropped:  # printed in these words, so a drop is never silent
        print(f"sciteff malmquist: {line}", file=sys.stderr)
    write_command_result(
        args, tables, reported=dropped, orientation=args.orientation, frontier=args.frontier
    )
    return 0
