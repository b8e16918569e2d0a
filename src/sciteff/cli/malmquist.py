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

import pandas as pd

from sciteff.cli.common import add_io_arguments, column_list, read_table, write_result
from sciteff.core.io import require_columns
from sciteff.efficiency.malmquist import FRONTIERS, MalmquistResult, malmquist


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
    parser.add_argument("data", metavar="DATA", help="CSV or .xlsx: one row per DMU and period")
    parser.add_argument("--dmu", required=True, metavar="COL", help="DMU label column")
    parser.add_argument(
        "--period",
        required=True,
        metavar="COL",
        help="period column (sorted numerically if every label is a number, else as text)",
    )
    parser.add_argument(
        "--inputs", required=True, type=column_list, metavar="A,B", help="input columns"
    )
    parser.add_argument(
        "--outputs", required=True, type=column_list, metavar="C,D", help="output columns"
    )
    parser.add_argument(
        "--orientation",
        choices=("in", "out"),
        default="in",
        help="DEA orientation of every distance (default: in); indices > 1 mean improvement",
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
    parser.add_argument(
        "--allow-zero",
        action="store_true",
        help=(
            "accept zero inputs (default: a zero input is an error); a distance they make "
            "undefined is then a row status, never a number"
        ),
    )
    parser.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="drop DMUs with a missing period or value (listed on stderr) instead of failing",
    )
    add_io_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute the indices and write them; input errors propagate as InputError."""
    frame = read_table(args.data, args.sheet)
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
    _report_dropped(result)
    tables = {
        "indices": result.indices,
        "annual_means": result.annual_means,
        "firm_means": result.firm_means,
    }
    dropped = [
        f"dropped DMU {dmu!r}: {reason}"
        for dmu, reason in zip(result.dropped["dmu"], result.dropped["reason"], strict=True)
    ]
    meta = {"data": str(args.data), "orientation": args.orientation}
    write_result(
        tables, args.out, command="malmquist", meta=meta, digits=args.digits, reported=dropped
    )
    return 0


def _report_dropped(result: MalmquistResult) -> None:
    """One stderr line per dropped DMU, so a drop is never silent."""
    dropped: pd.DataFrame = result.dropped
    for dmu, reason in zip(dropped["dmu"], dropped["reason"], strict=True):
        print(f"sciteff malmquist: dropped DMU {dmu!r}: {reason}", file=sys.stderr)
