"""The arguments every data-reading subcommand shares, defined once.

Why a module of its own: the same options (the data file, ``--inputs``, ``--outputs``,
``--dmu``, ``--orientation``, ``--out``, ``--sheet``, ``--digits``, ``--encoding``,
``--decimal``, ``--allow-zero``) must mean the same thing, with the same defaults and help
text, in every command. This module imports only the standard library, so ``sciteff --help``
and the parsing of a command's arguments start without numpy, pandas or HiGHS (they are
imported when a command runs; start-up is measured by ``benchmarks/bench_cli_startup.py``).

The choices of some options are the library's constants repeated as literals (the library
modules import numpy); ``tests/cli/test_cli_common.py`` checks that they are equal.
"""

from __future__ import annotations

import argparse
import codecs
from collections.abc import Sequence

from sciteff.core.errors import InputError

#: Radial orientations (``--orientation``) of dea, cost, malmquist, window and bootstrap.
ORIENTATIONS = ("in", "out")
#: Returns to scale (``--rts``); = sciteff.efficiency.window.WINDOW_RTS and cost.COST_RTS.
RTS = ("crs", "vrs")
#: = sciteff.efficiency.slacks.SLACK_METHODS.
SLACK_METHODS = ("none", "two-stage", "multi-stage")
#: = sciteff.efficiency.malmquist.FRONTIERS.
FRONTIERS = ("adjacent", "global", "sequential")


# --- argument types ----------------------------------------------------------------------------


def column_list(text: str) -> list[str]:
    """``A,B`` -> ``["A", "B"]``; an empty name is a usage error."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return names


def whole_number(text: str) -> int:
    """A whole number argument (``--width``, ``--seed``)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def positive_int(text: str) -> int:
    """A whole number of at least 1 (``--reps``, ``--workers``)."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def number(text: str) -> float:
    """A plain number argument (``--alpha``, ``--bandwidth``)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def digits_type(text: str) -> int:
    """``--digits N``: 0 to 15 decimals."""
    value = whole_number(text)
    if not 0 <= value <= 15:
        raise argparse.ArgumentTypeError("--digits must be between 0 and 15")
    return value


def encoding_type(text: str) -> str:
    """``--encoding NAME``: a text encoding Python knows (``gbk``, ``utf-16``, ``latin-1``)."""
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {text!r} (for example utf-8, gbk, gb18030, utf-16, latin-1)"
        ) from None
    return text


# --- argument blocks ---------------------------------------------------------------------------


def add_data_arguments(
    parser: argparse.ArgumentParser,
    *,
    panel: bool = False,
    orientations: Sequence[str] | None = ORIENTATIONS,
    orientation_default: str = "in",
    orientation_help: str | None = None,
    outputs_help: str = "output columns, comma-separated",
) -> None:
    """The data file, ``--inputs``, ``--outputs``, ``--dmu`` and ``--orientation``.

    ``panel`` commands (one row per DMU and period) require ``--dmu`` and take ``--period``;
    the others label DMUs by row number when ``--dmu`` is not given. ``orientations`` None:
    the model has no orientation option (cost efficiency is input orientated).
    """
    parser.add_argument(
        "data",
        metavar="DATA",
        help="CSV or .xlsx file with one row per DMU"
        + (" and period" if panel else "")
        + " and a header line",
    )
    parser.add_argument(
        "--inputs",
        required=True,
        type=column_list,
        metavar="A,B",
        help="input columns, comma-separated",
    )
    parser.add_argument(
        "--outputs", required=True, type=column_list, metavar="C,D", help=outputs_help
    )
    if panel:
        parser.add_argument("--dmu", required=True, metavar="COL", help="DMU label column")
        parser.add_argument(
            "--period",
            required=True,
            metavar="COL",
            help="period column (sorted numerically if every label is a number, else as text)",
        )
    else:
        parser.add_argument(
            "--dmu", default=None, metavar="COL", help="column of DMU labels (default: row number)"
        )
    if orientations is None:
        return
    parser.add_argument(
        "--orientation",
        choices=list(orientations),
        default=orientation_default,
        help=orientation_help or f"orientation (default: {orientation_default})",
    )


def add_read_arguments(parser: argparse.ArgumentParser) -> None:
    """``--sheet``, ``--encoding`` and ``--decimal``: how to read the data file."""
    parser.add_argument(
        "--sheet",
        metavar="NAME|N",
        default=None,
        help="sheet of an .xlsx input: its name or 1-based number (default: the first sheet)",
    )
    parser.add_argument(
        "--encoding",
        type=encoding_type,
        default=None,
        metavar="NAME",
        help="text encoding of a CSV input, e.g. gbk for a Chinese Windows export "
        "(default: UTF-8, with or without a BOM)",
    )
    parser.add_argument(
        "--decimal",
        choices=[".", ","],
        default=".",
        help="decimal mark of the numbers (default: '.', where a comma groups thousands "
        "only as 1,234,567; with ',' the grouping mark is '.': 1.234,5)",
    )


def add_io_arguments(parser: argparse.ArgumentParser) -> None:
    """The reading options (:func:`add_read_arguments`), ``--out`` and ``--digits``."""
    add_read_arguments(parser)
    parser.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help="FILE.csv (extra tables as FILE.<table>.csv, FILE.meta.json) or FILE.xlsx "
        "(one sheet per table); default: the main table as CSV on standard output",
    )
    parser.add_argument(
        "--digits",
        type=digits_type,
        default=None,
        metavar="N",
        help="write numbers with N decimals (DEAP prints 3); default: 12 significant digits",
    )


def add_allow_zero(parser: argparse.ArgumentParser) -> None:
    """``--allow-zero``: the policy of :mod:`sciteff.efficiency.validate`, said the same way."""
    parser.add_argument(
        "--allow-zero",
        action="store_true",
        help="accept zero inputs and all-zero outputs (default: they are an error; negative "
        "values always are); an LP that zeros make infeasible or unbounded is then "
        "reported as a status, never as a number",
    )


def label_columns(dmu: str | None, *roles: Sequence[str]) -> list[str]:
    """``[dmu]`` (or ``[]``); the DMU column named as an input, output or price is an error."""
    if dmu is None:
        return []
    if any(dmu in names for names in roles):
        raise InputError("the DMU column cannot be an input, output or price", column=dmu)
    return [dmu]


def read_options(args: argparse.Namespace) -> dict[str, object]:
    """The reading options of :func:`add_read_arguments` as keyword arguments of the readers in
    :mod:`sciteff.cli.tables`."""
    return {"sheet": args.sheet, "encoding": args.encoding, "decimal": args.decimal}
