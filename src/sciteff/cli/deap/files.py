"""Reading DEAP 2.1 instruction (``.ins``) and data (``.dta``) files as DEAP reads them.

DEAP 2.1 is a Fortran program. It reads the instruction file with nine list-directed reads:
the value is the first token of each line and the rest of the line is a comment. Data lines
are read with one list-directed ``READ`` per firm, which has two traps this module guards
against rather than reproduce:

* a row with too *few* numbers is silently completed from the *next* line (every later firm
  is then shifted), and a row with too many has its extra numbers dropped;
* a blank line is skipped (harmless), ``,`` separates values like blanks and tabs, ``r*v``
  repeats a value, ``/`` ends the read early and ``,,`` is a "null" value that keeps
  whatever was in memory.

So every data line must start with the expected count of numbers (what DEAP does not read,
a consistent extra column or lines after the last firm, is ignored with a warning, as DEAP
ignores it); anything DEAP would misread is an :class:`InputError` naming the file, the line
as an editor numbers it, the field and the token. File names are resolved relative to the
``.ins`` file's folder and, as on Windows (where DEAP runs), case-insensitively; ``\\``
separators are accepted. Line ends may be CRLF or LF, a UTF-8 byte-order mark and a trailing
DOS end-of-file mark (Ctrl-Z) are ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sciteff.core.errors import InputError

#: DEAP's model codes (ninth line of the instruction file).
MODELS = {
    0: "DEA (multi-stage slacks)",
    1: "cost-DEA",
    2: "Malmquist-DEA",
    3: "DEA (1-stage, residual slacks)",
    4: "DEA (2-stage slacks)",
}

#: The nine instruction-file lines, in order: (field name, what DEAP calls it).
INS_FIELDS = (
    ("data_file", "DATA FILE NAME"),
    ("output_file", "OUTPUT FILE NAME"),
    ("firms", "NUMBER OF FIRMS"),
    ("periods", "NUMBER OF TIME PERIODS"),
    ("outputs", "NUMBER OF OUTPUTS"),
    ("inputs", "NUMBER OF INPUTS"),
    ("orientation", "0=INPUT AND 1=OUTPUT ORIENTATED"),
    ("rts", "0=CRS AND 1=VRS"),
    ("model", "0=DEA(MULTI-STAGE), 1=COST-DEA, 2=MALMQUIST-DEA, 3=DEA(1-STAGE), 4=DEA(2-STAGE)"),
)

#: Fortran list-directed reads accept a D exponent (1.5D3) as well as E.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


def _error(message: str, *, file: str, row: str | None = None) -> InputError:
    """An InputError for a DEAP file: "file F: line N, field K (...): ..." as an editor counts."""
    return InputError(f"{row}, {message}" if row else message, file=file)


@dataclass(frozen=True)
class DeapJob:
    """One DEAP 2.1 job: the instruction file's nine values and where its files are.

    ``data_name``/``output_name`` are the names as written in the ``.ins`` (DEAP prints them
    so); ``data_path`` is the resolved data file, ``output_path`` the file to write.
    """

    ins_path: Path
    data_name: str
    output_name: str
    data_path: Path
    output_path: Path
    firms: int
    periods: int
    outputs: int
    inputs: int
    orientation: str  # "in" or "out"
    rts: str  # "crs" or "vrs"
    model: int
    notes: tuple[str, ...] = ()

    @property
    def columns_per_row(self) -> int:
        """Numbers on each data line: outputs, inputs, and for cost-DEA one price per input."""
        return self.outputs + self.inputs + (self.inputs if self.model == 1 else 0)


def read_text_lines(path: Path) -> list[str]:
    """The lines of a DOS or Unix text file (CRLF, LF or CR ends; BOM and Ctrl-Z dropped)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise _error("is a folder, not a file", file=str(path)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    raw = raw.rstrip(b"\x1a")  # DOS editors end files with Ctrl-Z
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # comments may be in a DOS code page; numbers are ASCII
    return text.splitlines()


def is_absolute(name: str) -> bool:
    """A DOS/Windows or Unix absolute path (``C:\\DEAP\\EG1.DTA``, ``\\DEAP\\x``, ``/x``)."""
    return bool(re.match(r"^[A-Za-z]:", name)) or name.startswith(("/", "\\"))


def _file_name(name: str) -> str:
    """The last component of a DOS or Unix path."""
    return re.split(r"[\\/:]", name)[-1]


def resolve_case_insensitive(folder: Path, name: str, *, must_exist: bool) -> Path:
    """``name`` (as written in an instruction file) relative to ``folder``, case-insensitively.

    Each path component matches an existing entry whatever its case, as on Windows. An exact
    match wins; two entries differing only in case are an error (we cannot tell which DEAP
    saw). When ``must_exist`` is false a missing last component keeps the name as written.
    """
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if is_absolute(name):
        raise _error(
            f"absolute path {name!r} in the instruction file; sciteff resolves file names "
            "relative to the .ins folder (write the name without a drive or folder)",
            file=str(folder),
        )
    current = folder
    for pos, part in enumerate(parts):
        exact = current / part
        last = pos == len(parts) - 1
        if exact.exists():
            current = exact
            continue
        try:
            matches = [e for e in current.iterdir() if e.name.lower() == part.lower()]
        except (FileNotFoundError, NotADirectoryError):
            matches = []
        if len(matches) > 1:
            names = ", ".join(sorted(e.name for e in matches))
            raise _error(
                f"{name!r} matches several files that differ only in case ({names}); rename one",
                file=str(current),
            )
        if matches:
            current = matches[0]
        elif last and not must_exist:
            current = exact
        else:
            raise _error(
                f"file {name!r} named in the instruction file not found (looked in {folder})",
                file=str(folder / name.replace("\\", "/")),
            )
    return current


def _ins_value(lines: list[str], path: Path) -> list[tuple[int, str]]:
    """First token of each of the nine non-blank lines, with its 1-based line number."""
    values: list[tuple[int, str]] = []
    for lineno, line in enumerate(lines, start=1):
        if len(values) == len(INS_FIELDS):
            break
        text = line.strip()
        quoted = re.match(r"""^(['"])(.*?)\1""", text)
        if quoted:  # a list-directed read takes a quoted name without its quotes
            values.append((lineno, quoted.group(2)))
            continue
        tokens = text.replace(",", " ").split()
        if not tokens:
            continue  # list-directed reads skip blank lines
        values.append((lineno, tokens[0]))
    if len(values) < len(INS_FIELDS):
        missing = INS_FIELDS[len(values)][1]
        raise _error(
            f"instruction file has {len(values)} value lines, DEAP needs 9 "
            f"(first missing: {missing})",
            file=str(path),
        )
    return values


def _ins_integer(path: Path, lineno: int, token: str, field: str, low: int, high: int) -> int:
    if not _INTEGER.fullmatch(token):
        raise _error(
            f"field {field}: {token!r} is not a whole number", file=str(path), row=f"line {lineno}"
        )
    value = int(token)
    if not low <= value <= high:
        allowed = f"{low} or {high}" if high == low + 1 else f"{low}..{high}"
        if high > 10**8:
            allowed = f">= {low}"
        raise _error(
            f"field {field}: {value} is out of range (allowed: {allowed})",
            file=str(path),
            row=f"line {lineno}",
        )
    return value


def read_ins(path: str | Path) -> DeapJob:
    """Parse a DEAP 2.1 instruction file and resolve its data and output files.

    The instruction file itself is found case-insensitively too (``EG1.INS`` typed for
    ``eg1.ins``), as DEAP finds it on Windows.
    """
    path = Path(path)
    if not path.exists() and path.parent.is_dir():
        matches = [e for e in path.parent.iterdir() if e.name.lower() == path.name.lower()]
        if len(matches) == 1:
            path = matches[0]
    values = _ins_value(read_text_lines(path), path)
    (_, data_name), (l_out, output_name) = values[0], values[1]
    big = 10**9
    nums = {}
    bounds = {
        "firms": (1, big),
        "periods": (1, big),
        "outputs": (1, big),
        "inputs": (1, big),
        "orientation": (0, 1),
        "rts": (0, 1),
        "model": (0, 4),
    }
    for (field, label), (lineno, token) in zip(INS_FIELDS[2:], values[2:], strict=True):
        low, high = bounds[field]
        nums[field] = _ins_integer(path, lineno, token, f"{field} ({label})", low, high)
    if nums["model"] == 2 and nums["periods"] < 2:
        raise _error(
            "field periods: Malmquist-DEA (model 2) needs at least 2 time periods",
            file=str(path),
            row=f"line {values[3][0]}",
        )
    if nums["model"] != 2 and nums["periods"] != 1:
        raise _error(
            f"field periods: {nums['periods']} time periods, but model {nums['model']} "
            f"({MODELS[nums['model']]}) reads one period (use model 2 for panels)",
            file=str(path),
            row=f"line {values[3][0]}",
        )
    folder = path.resolve().parent
    notes = []
    # An old job may name its files with a DOS path (C:\\DEAP\\EG1.DTA): the job has moved,
    # so its files are looked for beside the .ins, and the user is told.
    names = {}
    for key, name in (("data", data_name), ("output", output_name)):
        names[key] = name
        if is_absolute(name):
            names[key] = _file_name(name)
            notes.append(
                f"the instruction file names the {key} file by the path {name!r}; sciteff "
                f"uses {names[key]!r} in the folder of the .ins ({folder})"
            )
    data_path = resolve_case_insensitive(folder, names["data"], must_exist=True)
    output_path = resolve_case_insensitive(folder, names["output"], must_exist=False)
    if output_path.resolve() in (data_path.resolve(), path.resolve()):
        raise _error(
            f"the output file {output_name!r} is the data or instruction file",
            file=str(path),
            row=f"line {l_out}",
        )
    return DeapJob(
        ins_path=path,
        data_name=data_name,
        output_name=output_name,
        data_path=data_path,
        output_path=output_path,
        firms=nums["firms"],
        periods=nums["periods"],
        outputs=nums["outputs"],
        inputs=nums["inputs"],
        orientation="out" if nums["orientation"] == 1 else "in",
        rts="vrs" if nums["rts"] == 1 else "crs",
        model=nums["model"],
        notes=tuple(notes),
    )


def _field_name(job: DeapJob, k: int) -> str:
    """Human name of the k-th (0-based) number on a data line."""
    if k < job.outputs:
        return f"output {k + 1}"
    if k < job.outputs + job.inputs:
        return f"input {k - job.outputs + 1}"
    return f"price of input {k - job.outputs - job.inputs + 1}"


def _line_numbers(path: Path, lineno: int, line: str, expected: int) -> tuple[list[float], int]:
    """The first ``expected`` numbers of a data line, read as Fortran's list-directed READ
    reads them, and the count of further items on the line (which that READ skips).

    What the READ would take from stale memory or from the next line is an InputError naming
    the line and field: a null value (``,,`` or a leading comma) or a ``/`` before the
    ``expected`` values are read. Items after them are not parsed (DEAP never reads them).
    """
    values: list[float] = []
    extra = 0
    where = {"file": str(path), "row": f"line {lineno}"}
    after_comma = True  # a comma at the very start is a null value, too
    for item in re.findall(r"[^\s,]+|,", line):
        reading = len(values) < expected
        if item == ",":
            if after_comma and reading:
                raise _error(
                    f"field {len(values) + 1}: empty field between commas (DEAP would reuse "
                    "the previous value)",
                    **where,
                )
            after_comma = True
            continue
        after_comma = False
        if not reading:
            extra += 1
            continue
        if "/" in item:
            raise _error(
                f"field {len(values) + 1}: '/' ends a Fortran read early (DEAP would keep "
                "stale values); remove it",
                **where,
            )
        count, _, body = item.rpartition("*") if "*" in item else ("1", "", item)
        field = f"field {len(values) + 1}"
        if not (_INTEGER.fullmatch(count) and int(count) > 0 and _NUMBER.fullmatch(body)):
            raise _error(f"{field}: {item!r} is not a number", **where)
        value = float(body.replace("D", "E").replace("d", "e"))
        if not math.isfinite(value):
            raise _error(f"{field}: {item!r} is not a finite number", **where)
        repeat = int(count)
        take = min(repeat, expected - len(values))
        values.extend([value] * take)
        extra += repeat - take
    return values, extra


def _layout(job: DeapJob) -> str:
    parts = [f"{job.outputs} outputs", f"{job.inputs} inputs"]
    if job.model == 1:
        parts.append(f"{job.inputs} prices")
    return ", ".join(parts)


def read_dta(job: DeapJob) -> tuple[np.ndarray, list[int], list[str]]:
    """The data file as a (firms x periods) x columns array, rows in file order, the 1-based
    line number of every row (blank lines are skipped, as DEAP skips them) and warnings.

    Each of the first ``firms x periods`` non-blank lines must start with
    ``job.columns_per_row`` numbers; a short line is an error (DEAP would complete it from
    the next line). Like DEAP, sciteff does not read what follows: items after those numbers
    when *every* line has the same count of them (an extra column, e.g. the prices of a
    cost-DEA file run as DEA) and lines after the last firm are ignored with one warning; an
    extra item on only some lines is an error (a typo DEAP would silently drop). Errors name
    the line and the field (output k, input k or price of input k).
    """
    path = job.data_path
    expected = job.columns_per_row
    rows: list[list[float]] = []
    where: list[int] = []
    extras: list[int] = []
    ignored: list[int] = []
    warnings: list[str] = []
    lines = read_text_lines(path)
    need = job.firms * job.periods
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(rows) >= need:
            ignored.append(lineno)
            continue
        values, extra = _line_numbers(path, lineno, line, expected)
        firm = len(rows) % job.firms + 1
        period = len(rows) // job.firms + 1
        who = f"firm {firm}" + (f", period {period}" if job.periods > 1 else "")
        if len(values) < expected:
            missing = _field_name(job, len(values))
            detail = (
                f"field {len(values) + 1} ({missing}) is missing; DEAP would take it "
                "from the next line and misread every later firm"
            )
            raise _error(
                f"{who}: {len(values)} numbers, expected {expected} ({_layout(job)}): {detail}",
                file=str(path),
                row=f"line {lineno}",
            )
        rows.append(values)
        where.append(lineno)
        extras.append(extra)
    if len(rows) < need:
        raise _error(
            f"{len(rows)} data lines, the instruction file needs firms x periods = "
            f"{job.firms} x {job.periods} = {need}",
            file=str(path),
        )
    if any(extras):
        if len(set(extras)) > 1:
            first = extras[0]
            r = next(k for k, e in enumerate(extras) if e != first)
            comma = " (a comma separates values, as in DEAP; write decimals with a point)"
            raise _error(
                f"{expected + extras[r]} items where line {where[0]} has {expected + first}: "
                f"DEAP reads the first {expected} of each line ({_layout(job)}) and would "
                "silently drop the rest; give every line the same items"
                + (comma if "," in lines[where[r] - 1] else ""),
                file=str(path),
                row=f"line {where[r]}",
            )
        warnings.append(
            f"{path.name}: every data line has {expected + extras[0]} items; the job reads the "
            f"first {expected} ({_layout(job)}) and ignores the last {extras[0]}, as DEAP does"
        )
    if ignored:
        warnings.append(
            f"{path.name}: lines {ignored[0]}-{ignored[-1]} come after the firms x periods = "
            f"{need} data lines and are not read, as DEAP does not read them"
            if len(ignored) > 1
            else f"{path.name}: line {ignored[0]} comes after the firms x periods = {need} data "
            "lines and is not read, as DEAP does not read it"
        )
    data = np.asarray(rows, dtype=float).reshape(need, expected)
    for k in range(expected):
        kind = _field_name(job, k)
        for r in np.flatnonzero(data[:, k] < 0):
            raise _error(
                f"field {k + 1} ({kind}): negative value {data[r, k]!r} (DEA needs values >= 0)",
                file=str(path),
                row=f"line {where[r]}",
            )
        if kind.startswith("input"):
            for r in np.flatnonzero(data[:, k] == 0):
                raise _error(
                    f"field {k + 1} ({kind}): zero input (inputs must be strictly positive)",
                    file=str(path),
                    row=f"line {where[r]}",
                )
    for r in np.flatnonzero(~np.any(data[:, : job.outputs] > 0, axis=1)):
        raise _error("every output is zero", file=str(path), row=f"line {where[r]}")
    if job.model == 1:
        prices = data[:, job.outputs + job.inputs :]
        for r in np.flatnonzero(~np.any(prices > 0, axis=1)):
            raise _error(
                "every input price is zero (cost efficiency is undefined)",
                file=str(path),
                row=f"line {where[r]}",
            )
    return data, where, warnings
