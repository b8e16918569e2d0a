"""Running one DEAP 2.1 job: read its instruction and data files, solve its model, write the
``.out`` in DEAP's layout, and keep (and compare with) an earlier ``.out`` sciteff did not
write. The command line of ``sciteff deap`` is in :mod:`sciteff.cli.deap`; this module holds
the work, so parsing the command line imports no numerical library.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.cli.deap.compare import compare_outputs
from sciteff.cli.deap.files import DeapJob, read_dta, read_ins
from sciteff.cli.deap.models import dea_run
from sciteff.cli.deap.output import DEAP_FIRST_LINE, FIRST_LINE, cost_out, dea_out, malmquist_out
from sciteff.core.errors import InputError
from sciteff.core.io import write_atomic
from sciteff.efficiency.cost import cost_efficiency
from sciteff.efficiency.malmquist import malmquist
from sciteff.efficiency.validate import validate_dea_data


def run_job(opts: argparse.Namespace) -> int:
    """Run the job ``opts.ins`` and write its output (``opts.out`` or the file it names)."""
    job = read_ins(opts.ins)
    for note in job.notes:
        print(f"sciteff deap: note: {note}", file=sys.stderr)
    text = job_output(job, Path(opts.ins).name)
    target = Path(opts.out) if opts.out else job.output_path
    kept = _keep_old_output(target)
    write_atomic(target, lambda tmp: tmp.write_bytes(text.encode("ascii", "replace")))
    print(f"sciteff deap: wrote {target}", file=sys.stderr)
    if kept is not None:
        old = kept.read_bytes().decode("latin-1").splitlines()
        if old and old[0] == DEAP_FIRST_LINE:
            for note in compare_outputs(old, text.split("\r\n")[:-1], kept.name):
                print(f"sciteff deap: {note}", file=sys.stderr)
    return 0


def _keep_old_output(target: Path) -> Path | None:
    """Move an existing output sciteff did not write to ``NAME.deap<ext>`` (never lose it);
    return where it went (None when there was nothing to keep)."""
    if not target.is_file():
        return None
    with target.open("rb") as fh:
        first = fh.readline().decode("latin-1").rstrip("\r\n")
    if first.startswith(FIRST_LINE.split(" (")[0]):
        return None  # our own earlier output: replace it
    backup = target.with_name(f"{target.stem}.deap{target.suffix}")
    if backup.exists():
        raise InputError(
            f"{target.name} was not written by sciteff and {backup.name} already exists; "
            "give --out FILE to write elsewhere",
            file=str(target),
        )
    target.rename(backup)
    what = "DEAP's" if first == DEAP_FIRST_LINE else "the"
    print(f"sciteff deap: kept {what} earlier {target.name} as {backup.name}", file=sys.stderr)
    return backup


@dataclass(frozen=True)
class JobData:
    """A job's data split into outputs ``y``, inputs ``x`` and prices ``w`` (rows in file order)."""

    y: np.ndarray
    x: np.ndarray
    w: np.ndarray | None
    lines: list[int]
    warnings: list[str]


def job_data(job: DeapJob) -> JobData:
    """Read and split the job's data file (outputs first, then inputs, then prices)."""
    values, lines, warnings = read_dta(job)
    s, m = job.outputs, job.inputs
    w = values[:, s + m :] if job.model == 1 else None
    return JobData(y=values[:, :s], x=values[:, s : s + m], w=w, lines=lines, warnings=warnings)


def job_frame(job: DeapJob, data: JobData) -> pd.DataFrame:
    """The job's data as a sciteff table: ``firm`` (``period``), ``y1..``, ``x1..``, ``w1..``."""
    frame = pd.DataFrame()
    n = data.y.shape[0]
    frame["firm"] = [i % job.firms + 1 for i in range(n)]
    if job.model == 2:
        frame["period"] = [i // job.firms + 1 for i in range(n)]
    for k in range(job.outputs):
        frame[f"y{k + 1}"] = data.y[:, k]
    for k in range(job.inputs):
        frame[f"x{k + 1}"] = data.x[:, k]
    if data.w is not None:
        for k in range(job.inputs):
            frame[f"w{k + 1}"] = data.w[:, k]
    return frame


def names(job: DeapJob) -> tuple[list[str], list[str], list[str]]:
    """Column names of outputs, inputs and prices in :func:`job_frame`."""
    return (
        [f"y{k + 1}" for k in range(job.outputs)],
        [f"x{k + 1}" for k in range(job.inputs)],
        [f"w{k + 1}" for k in range(job.inputs)] if job.model == 1 else [],
    )


def job_output(job: DeapJob, ins_name: str) -> str:
    """Run the job's model and return the .out text (CRLF line ends)."""
    data = job_data(job)
    for warning in data.warnings:
        print(f"sciteff deap: warning: {warning}", file=sys.stderr)
    frame = job_frame(job, data)
    outs, ins, _ = names(job)
    file = str(job.data_path)
    if job.model == 2:
        res = malmquist(
            frame,
            dmu="firm",
            period="period",
            inputs=ins,
            outputs=outs,
            orientation=job.orientation,
            source=file,
        )
        return malmquist_out(job, res, ins_name)
    _, _, _, warnings = validate_dea_data(frame, ins, outs, dmu="firm", file=file)
    for warning in warnings:
        print(f"sciteff deap: warning: {warning}", file=sys.stderr)
    if job.model == 1:
        if job.orientation == "out":
            print(
                "sciteff deap: note: cost-DEA is input orientated (as in DEAP); the "
                "orientation line of the instruction file is not used",
                file=sys.stderr,
            )
        assert data.w is not None
        return cost_out(job, cost_efficiency(data.x, data.y, data.w, rts=job.rts), ins_name)
    result = dea_run(data.x, data.y, rts=job.rts, orientation=job.orientation, model=job.model)
    return dea_out(job, result, ins_name)
