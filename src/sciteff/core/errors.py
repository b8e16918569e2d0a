"""Errors that point a user at the exact place in their data that is wrong.

Every input problem the pipeline can detect is raised as an :class:`InputError` that names the
file, the line as an editor shows it (the header is line 1), the column and the offending
token, so that a failed job tells the user what to fix without a traceback hunt.
"""

from __future__ import annotations


class SciteffError(Exception):
    """Base class for all errors raised deliberately by sciteff."""


class InputError(SciteffError, ValueError):
    """Bad input data, located as precisely as we can.

    ``line`` is the line number an editor shows (header = line 1); ``row`` is the older
    1-based data-row form, kept for callers that have no line (a frame built in memory).
    ``token`` is the offending cell text, verbatim, when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        column: str | None = None,
        line: int | None = None,
        token: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.line = line
        self.column = column
        self.token = token
        self.reason = message
        where = []
        if file is not None:
            where.append(f"file {file}")
        if line is not None:
            where.append(f"line {line}")
        elif row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class OutputError(SciteffError):
    """An output file could not be written (its folder cannot be made, no permission, disk
    full): the message names the file and the system's reason."""


class SolverError(SciteffError, RuntimeError):
    """A linear program returned a status or a solution we refuse to report as a number."""
