"""Benchmark: start-up of the ``sciteff`` command line, against a bare ``python -c pass``.

Why: a command that takes a second before it reads its first argument feels broken, and a
pipeline calls the CLI many times. The target (issue 17) is a start-up under 0.3 s: the CLI
modules import only the standard library when they parse the command line; numpy, pandas,
scipy and HiGHS are imported when a command runs.

Each case is a whole command as a user runs it (a new process), repeated ``--reps`` times in
an interleaved order; the median is printed with the difference to and the ratio against a
bare ``python -c pass`` measured in the same run, beside the load averages (timings on a shared
machine are noisy). Cases:

- ``sciteff --help`` and ``sciteff dea --help``: parsing only;
- ``sciteff dea`` with a usage error (a missing ``--outputs``): the import part of ``sciteff
  dea`` up to the point where it would run;
- ``sciteff dea`` on a 7-DMU CSV: the whole command, including the numerical libraries;
- ``python -c "import numpy, pandas, scipy.sparse, highspy"``: the floor the libraries set.

Usage: python benchmarks/bench_cli_startup.py [--reps 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_malmquist import user_env  # benchmarks/ is the script's folder

DATA = "firm,x1,x2,y\nA,2,5,1\nB,2,4,2\nC,6,6,3\nD,3,2,1\nE,6,2,2\nF,5,3,2\nG,4,4,3\n"
TARGET = 0.3


def sciteff() -> list[str]:
    """The installed ``sciteff`` script beside this Python, else ``python -m sciteff.cli``."""
    script = Path(sys.executable).with_name("sciteff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sciteff.cli"]


def cases(data: Path) -> dict[str, tuple[list[str], int]]:
    """Name -> (command, expected exit status)."""
    cli = sciteff()
    dea = [*cli, "dea", str(data), "--inputs", "x1,x2"]
    return {
        "python -c pass (baseline)": ([sys.executable, "-c", "pass"], 0),
        "sciteff --help": ([*cli, "--help"], 0),
        "sciteff dea --help": ([*cli, "dea", "--help"], 0),
        "sciteff dea, usage error (import part)": (dea, 2),
        "sciteff dea, 7 DMUs (whole command)": ([*dea, "--outputs", "y", "--dmu", "firm"], 0),
        "import numpy, pandas, scipy.sparse, highspy": (
            [sys.executable, "-c", "import numpy, pandas, scipy.sparse, highspy"],
            0,
        ),
    }


def time_once(command: list[str], status: int) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=user_env())
    elapsed = time.perf_counter() - start
    if done.returncode != status:
        raise SystemExit(
            f"{' '.join(command)} exited {done.returncode}, expected {status}:\n"
            + done.stderr.decode(errors="replace")
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=7, help="runs per case (default: 7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "dea.csv"
        data.write_text(DATA, encoding="utf-8")
        todo = cases(data)
        times: dict[str, list[float]] = {name: [] for name in todo}
        load_before = os.getloadavg()
        for command, status in todo.values():  # warm the file cache once
            time_once(command, status)
        for _ in range(args.reps):
            for name, (command, status) in todo.items():
                times[name].append(time_once(command, status))
        load_after = os.getloadavg()
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.reps} runs per case")
    print("load averages before: {:.2f} {:.2f} {:.2f}".format(*load_before))
    print("load averages after:  {:.2f} {:.2f} {:.2f}".format(*load_after))
    print(f"{'case':46s} {'median s':>9s} {'- python':>9s} {'x python':>9s}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:46s} {median:9.3f} {median - base:9.3f} {median / base:9.1f}")
    startup = statistics.median(times["sciteff dea, usage error (import part)"])
    verdict = "meets" if startup < TARGET else "misses"
    print(f"start-up of sciteff dea: {startup:.3f} s, {verdict} the {TARGET} s target")


if __name__ == "__main__":
    main()
