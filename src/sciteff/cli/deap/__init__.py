"""``sciteff deap``: run a DEAP 2.1 job (``.ins`` + data file) and write DEAP's ``.out``.

Three forms:

* ``sciteff deap JOB.ins [--out FILE]`` reads the instruction file and its data file as
  DEAP 2.1 does (:mod:`sciteff.cli.deap.files`), runs the job's model (0 multi-stage DEA,
  1 cost-DEA, 2 Malmquist-DEA, 3 one-stage DEA, 4 two-stage DEA) and writes the output file
  the instruction file names (or ``--out``) in DEAP's layout (:mod:`sciteff.cli.deap.output`).
  An existing output that sciteff did not write (an old DEAP ``.out``) is never overwritten:
  it is kept as ``NAME.deap.out`` beside it, so the two can be diffed, and sciteff says how
  many lines differ and where DEAP printed impossible scores (:mod:`.compare`).
* ``sciteff deap convert JOB.ins --out DIR`` writes the job's data as a sciteff CSV plus the
  equivalent ``sciteff dea``/``cost``/``malmquist`` command.
* ``sciteff deap export DATA.csv --outputs ... --inputs ... --ins JOB.ins`` writes a DEAP job
  from a sciteff table (see :mod:`sciteff.cli.deap.convert`).
"""

from __future__ import annotations

import argparse

HELP = """\
usage: sciteff deap JOB.ins [--out FILE]
       sciteff deap convert JOB.ins --out DIR
       sciteff deap export DATA --outputs A,B --inputs C,D [--prices P,Q] [--dmu COL]
                           [--period COL] [--orientation in|out] [--rts crs|vrs]
                           [--model 0-4] [--sheet NAME|N] [--encoding NAME]
                           [--decimal .|,] --ins JOB.ins

Run a DEAP 2.1 job and write its .out in DEAP's layout, or move jobs between DEAP and sciteff.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``deap`` subcommand (its three forms are parsed in :func:`run`)."""
    p = subparsers.add_parser(
        "deap",
        help="run a DEAP 2.1 job (.ins/.dta) and write DEAP's .out; convert/export jobs",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    p.add_argument("words", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sciteff deap", description=HELP.split("\n\n")[1])
    p.add_argument("ins", metavar="JOB.ins", help="DEAP 2.1 instruction file")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write the .out here instead of the output file named in the instruction file",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Dispatch ``sciteff deap`` to running a job, ``convert`` or ``export``."""
    words = list(args.words)
    if not words or words[0] in ("-h", "--help"):
        print(HELP, end="")
        return 0
    if words[0] in ("convert", "export"):
        from sciteff.cli.deap import convert

        return convert.main(words[0], words[1:])
    from sciteff.cli.deap.job import run_job

    return run_job(_run_parser().parse_args(words))
