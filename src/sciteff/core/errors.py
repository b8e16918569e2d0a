"""Errors that point a user at the exact place in their data that is wrong.

Every input problem the pipeline can detect is raised as an :class:`InputError` that names the
file, the row and the column, so that a failed job tells the user what to fix without a
traceback hunt.
"""

from __future__ import annotations


class SciteffError(Exception):
    """Base class for all errors raised deliberately by sciteff."""


class InputError(SciteffError, ValueError):
    """Bad input data, located as precisely as we can: file, row (1-based data row), column."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        where = []
        if file is not None:
            where.append(f"file {file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class SolverError(SciteffError, RuntimeError):
    """A linear program returned a status or a solution we refuse to report as a number."""
