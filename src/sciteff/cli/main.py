"""The ``sciteff`` command line: the library's computations on a user's own CSV files.

Each subcommand is a module of :mod:`sciteff.cli` and registers itself here. Bad input ends
the program with exit status 2 and one line on standard error naming the file, row and column.

Start-up: a command module imports only :mod:`argparse` and :mod:`sciteff.cli.common` at its
top, and numpy, pandas and HiGHS inside the function that runs it, so ``sciteff --help`` and
argument errors answer at once (``benchmarks/bench_cli_startup.py`` measures it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sciteff import __version__
from sciteff.core.errors import SciteffError

#: The registered subcommands (modules of :mod:`sciteff.cli`), in the order ``--help``
#: lists them.
COMMANDS: list[str] = ["malmquist", "dea", "sbm", "deap", "cost", "paper", "window", "bootstrap"]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per registered command."""
    parser = argparse.ArgumentParser(
        prog="sciteff",
        description="DEA, Malmquist and technology-transfer metrics for S&T finance studies.",
    )
    parser.add_argument("--version", action="version", version=f"sciteff {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"sciteff.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if not hasattr(args, "words"):
            parser.parse_args(argv)  # argparse's usual error for an unknown argument
        # `sciteff deap` parses its own words (three forms); argparse keeps a leading option
        # such as --help out of the REMAINDER it collects.
        args.words = [*extra, *args.words]
    try:
        return int(args.run(args) or 0)
    except SciteffError as exc:
        message = " ".join(str(exc).split())
        print(f"sciteff {args.command}: error: {message}", file=sys.stderr)
        return 2
