"""Moving jobs between DEAP 2.1 and sciteff, in both directions.

``sciteff deap convert JOB.ins --out DIR`` writes ``DIR/<job>.csv`` (columns ``firm``,
``period`` for Malmquist, ``y1..`` outputs, ``x1..`` inputs, ``w1..`` prices; numbers exactly
as in the data file) and ``DIR/<job>.command.txt`` with the equivalent sciteff command, which is
also printed. ``sciteff deap export DATA ... --ins JOB.ins`` writes ``JOB.ins`` and its data
file (``JOB.dta``, tab-separated, CRLF as DEAP's DOS tools write them) from a sciteff table,
plus ``JOB.firms.csv`` mapping DEAP's firm numbers to the table's DMU labels.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sciteff.cli.common import add_read_arguments, column_list, read_options
from sciteff.cli.deap.files import INS_FIELDS, MODELS, read_ins
from sciteff.cli.tables import parse_cell, read_table
from sciteff.core.errors import InputError
from sciteff.core.io import write_atomic, write_csv
from sciteff.core.numbers import NumberFormat


def exact(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (data are copied, not rounded)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def main(mode: str, words: list[str]) -> int:
    """Run ``convert`` or ``export`` with its own arguments."""
    if mode == "convert":
        return convert(_convert_parser().parse_args(words))
    return export(_export_parser().parse_args(words))


def _convert_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sciteff deap convert",
        description="Turn a DEAP 2.1 job into a sciteff CSV and the equivalent sciteff command.",
    )
    p.add_argument("ins", metavar="JOB.ins")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the CSV and command")
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sciteff deap export",
        description="Write a DEAP 2.1 job (.ins + .dta) from a sciteff CSV or .xlsx table.",
    )
    p.add_argument("data", metavar="DATA")
    p.add_argument("--outputs", required=True, type=column_list)
    p.add_argument("--inputs", required=True, type=column_list)
    p.add_argument("--prices", type=column_list, default=None, help="one per input (cost-DEA)")
    p.add_argument("--dmu", default=None, help="DMU label column (row order is kept)")
    p.add_argument("--period", default=None, help="period column (Malmquist-DEA)")
    p.add_argument("--orientation", choices=("in", "out"), default="in")
    p.add_argument("--rts", choices=("crs", "vrs"), default="crs")
    p.add_argument(
        "--model",
        type=int,
        choices=sorted(MODELS),
        default=None,
        help="DEAP model (default: 2 with --period, 1 with --prices, else 0)",
    )
    add_read_arguments(p)
    p.add_argument("--ins", required=True, metavar="JOB.ins", help="instruction file to write")
    return p


def sciteff_command(
    model: int,
    csv_name: str,
    outputs: Sequence[str],
    inputs: Sequence[str],
    prices: Sequence[str],
    orientation: str,
    rts: str,
) -> str:
    """The sciteff command that computes what DEAP's ``model`` computes."""
    common = ["--inputs", ",".join(inputs), "--outputs", ",".join(outputs)]
    if model == 2:
        args = ["sciteff", "malmquist", csv_name, "--dmu", "firm", "--period", "period"]
        args += [*common, "--orientation", orientation]
    elif model == 1:
        args = ["sciteff", "cost", csv_name, "--dmu", "firm", *common]
        args += ["--prices", ",".join(prices), "--rts", rts]
    else:
        slacks = {0: "multi-stage", 3: "none", 4: "two-stage"}[model]
        args = ["sciteff", "dea", csv_name, "--dmu", "firm", *common]
        args += ["--orientation", orientation, "--slacks", slacks]
    return shlex.join(args)


def _notes(model: int, rts: str) -> list[str]:
    notes = []
    if model in (0, 3, 4):
        notes.append(
            f"sciteff dea reports both CRS and VRS scores (crste, vrste, scale, rts); its "
            f"slacks, targets and peers are VRS ones (this job is {rts.upper()}: use "
            "`sciteff deap JOB.ins` for DEAP's own tables)"
        )
    if model == 4:
        notes.append(
            "sciteff's two-stage slacks maximise the sum of slacks scaled by each variable's "
            "mean (unit-invariant); DEAP's sum raw slacks (`sciteff deap` reproduces DEAP's)"
        )
    if model == 3:
        notes.append("--slacks none gives radial targets; DEAP prints residual slacks")
    return notes


def convert(args: argparse.Namespace) -> int:
    """``sciteff deap convert``."""
    from sciteff.cli.deap.job import job_data, job_frame, names

    job = read_ins(args.ins)
    data = job_data(job)
    for warning in data.warnings:
        print(f"sciteff deap convert: warning: {warning}", file=sys.stderr)
    frame = job_frame(job, data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(args.ins).stem
    csv_path = out / f"{stem}.csv"
    text = frame.copy()
    for name in text.columns[1 if job.model != 2 else 2 :]:
        text[name] = [exact(v) for v in text[name]]
    write_csv(text, csv_path)
    outs, ins, prices = names(job)
    command = sciteff_command(job.model, csv_path.name, outs, ins, prices, job.orientation, job.rts)
    lines = [
        f"# DEAP 2.1 job {Path(args.ins).name}: model {job.model} ({MODELS[job.model]}), "
        f"{job.orientation}put orientated, {job.rts.upper()}",
        *(f"# note: {n}" for n in _notes(job.model, job.rts)),
        command,
    ]
    body = "\n".join(lines) + "\n"
    write_atomic(out / f"{stem}.command.txt", lambda tmp: tmp.write_text(body, encoding="utf-8"))
    print(command)
    print(f"sciteff deap convert: wrote {csv_path} and {stem}.command.txt", file=sys.stderr)
    return 0


def _sorted_periods(labels: list[str]) -> list[str]:
    try:
        return sorted(labels, key=float)
    except ValueError:
        return sorted(labels)


def export(args: argparse.Namespace) -> int:
    """``sciteff deap export``."""
    prices = args.prices or []
    model = args.model
    if model is None:
        model = 2 if args.period else 1 if prices else 0
    if model == 1 and len(prices) != len(args.inputs):
        raise InputError(
            f"cost-DEA (model 1) needs --prices with one column per input "
            f"({len(args.inputs)}), got {len(prices)}"
        )
    if model == 2 and not args.period:
        raise InputError("Malmquist-DEA (model 2) needs --period COL")
    if model != 1 and prices:
        raise InputError(f"--prices is only for cost-DEA (model 1), not model {model}")
    frame = read_table(args.data, **read_options(args))
    file = str(frame.attrs.get("file", args.data))
    numeric = [*args.outputs, *args.inputs, *prices]
    for name in [*numeric, *(c for c in (args.dmu, args.period) if c)]:
        if name not in frame.columns:
            raise InputError(
                f"missing column (the file has: {', '.join(frame.columns)})",
                file=file,
                column=name,
            )
    values = pd.DataFrame(index=frame.index)
    fmt = NumberFormat(decimal=args.decimal)
    for name in numeric:
        values[name] = [parse_cell(frame, r, v, name, fmt) for r, v in frame[name].items()]
    labels = frame[args.dmu].astype(str).str.strip() if args.dmu else frame.index.astype(str)
    if model == 2:
        periods = frame[args.period].astype(str).str.strip()
        order = _sorted_periods(list(dict.fromkeys(periods)))
        firms = list(dict.fromkeys(labels))
        rows = []
        for period in order:
            here = {lab: r for lab, r, p in zip(labels, frame.index, periods, strict=True)
                    if p == period}  # fmt: skip
            missing = [f for f in firms if f not in here]
            if missing or len(here) != (periods == period).sum():
                raise InputError(
                    f"period {period!r}: DEAP needs every firm exactly once in every period "
                    f"(missing or repeated: {', '.join(map(repr, missing)) or 'a repeated DMU'})",
                    file=file,
                    column=args.period,
                )
            rows += [here[f] for f in firms]
        n_periods = len(order)
    else:
        firms = list(labels)
        if len(set(firms)) != len(firms):
            raise InputError("duplicate DMU label", file=file, column=args.dmu)
        rows = list(frame.index)
        n_periods = 1
    ins_path = Path(args.ins)
    stem = ins_path.stem
    data_name, out_name = f"{stem}.dta", f"{stem}.out"
    if len(stem) > 8:
        print(
            f"sciteff deap export: note: DEAP 2.1 (a DOS program) needs 8.3 file names; "
            f"{stem!r} has {len(stem)} characters",
            file=sys.stderr,
        )
    dta = "".join("\t".join(exact(values.at[r, c]) for c in numeric) + "\r\n" for r in rows)
    ins_values = [
        data_name,
        out_name,
        len(firms),
        n_periods,
        len(args.outputs),
        len(args.inputs),
        1 if args.orientation == "out" else 0,
        1 if args.rts == "vrs" else 0,
        model,
    ]
    ins_text = "".join(
        f"{v!s:<16}{label}\r\n" for v, (_, label) in zip(ins_values, INS_FIELDS, strict=True)
    )
    folder = ins_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / data_name, lambda tmp: tmp.write_bytes(dta.encode("ascii")))
    write_atomic(ins_path, lambda tmp: tmp.write_bytes(ins_text.encode("ascii")))
    firm_table = pd.DataFrame({"firm": range(1, len(firms) + 1), "dmu": firms})
    write_csv(firm_table, folder / f"{stem}.firms.csv")
    print(
        f"sciteff deap export: wrote {ins_path}, {data_name} and {stem}.firms.csv "
        f"(model {model}: {MODELS[model]})",
        file=sys.stderr,
    )
    return 0
