"""Argument types and output writing shared by the subcommands."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from sciteff.core.io import write_csv


def column_list(text: str) -> list[str]:
    """``A,B`` -> ``["A", "B"]``; an empty name is a usage error."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return names


def emit(frame: pd.DataFrame, out: str | None) -> None:
    """Write a result CSV atomically to ``out``, or to standard output when ``out`` is None."""
    if out:
        write_csv(frame, out)
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
