"""Benchmark: sciteff's full DEAP summary against R Benchmarking, measured in the same run.

Workload: n DMUs with k inputs and k outputs drawn uniform(1, 10) (seed 20240601), input
orientation. Measured, interleaved so that all see the same load:

- ``sciteff dea data.csv ... --slacks multi-stage --out out.csv``: the whole command as a user
  types it (start-up included), the full DEAP summary (CRS, VRS, NIRS, multi-stage slacks,
  targets, peers). The maximum resident memory of the command (and its workers) is read with
  ``resource.getrusage(RUSAGE_CHILDREN)``.
- the same command with a timer around every LP solver call (:mod:`solver_timer`: the
  batched simplex, which solves most LPs many at a time, and HiGHS for the rest; the timers
  add into memory the forked workers share), so that its wall time and the solver time summed
  over its workers come from one run; issue 17's rule, wall <= 1.3 x (solver time summed
  over workers / workers) + start-up, is checked run by run, with the start-up (the same
  command on 20 DMUs) measured just before it. Each command runs ``--repeat`` times (default
  3), interleaved, and the table shows medians and how many runs were within the bound.
- the library call ``vrs_summary`` in this process, and once more with one worker and the
  timers on (the solver time with nothing competing for the cores). The blocks of LPs are
  the same whatever the number of workers (:mod:`sciteff.efficiency.workers`).
- R Benchmarking's ``dea`` with RTS "crs", "vrs" and "drs" (= NIRS), no slacks, when
  ``Rscript`` finds Benchmarking in R's own library path (``R_LIBS``); otherwise the per-DMU
  ``scipy.optimize.linprog`` baseline (CRS + VRS + NIRS, one LP per DMU and model, n <= 1,000
  only) and a line saying Benchmarking was not found.

Usage: python benchmarks/bench_dea.py [--cases 1000x3,5000x3,1000x5,5000x5] [--repeat 3]
[--large] [--readme]. ``--large`` adds n = 100,000 (3 x 3: sciteff only, whole command, time and
memory). ``--readme`` rewrites the README block between ``<!-- bench:dea:start -->`` and
``<!-- bench:dea:end -->``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_malmquist import benchmarking_found, load, machine, user_env
from readme_block import rewrite_block  # benchmarks/ is the script's folder
from solver_timer import timing

from sciteff.efficiency.summary import vrs_summary
from sciteff.efficiency.workers import auto_workers

R_SCRIPT = """
suppressMessages(library(Benchmarking))
d <- read.csv(commandArgs(TRUE)[1])
k <- as.integer(commandArgs(TRUE)[2])
X <- as.matrix(d[, paste0("x", 1:k)]); Y <- as.matrix(d[, paste0("y", 1:k)])
e <- sapply(c("crs", "vrs", "drs"), function(r) eff(dea(X, Y, RTS = r, ORIENTATION = "in")))
cat(dim(e), "\\n")
"""


def make_data(n: int, k: int, seed: int = 20240601) -> pd.DataFrame:
    """n DMUs, k inputs x1..xk and k outputs y1..yk, uniform(1, 10)."""
    rng = np.random.default_rng(seed)
    cols = {f"x{i}": rng.uniform(1, 10, n) for i in range(1, k + 1)}
    cols |= {f"y{r}": rng.uniform(1, 10, n) for r in range(1, k + 1)}
    return pd.DataFrame(cols)


def names(k: int) -> tuple[list[str], list[str]]:
    return [f"x{i}" for i in range(1, k + 1)], [f"y{i}" for i in range(1, k + 1)]


def sciteff_command(data: Path, k: int, out: Path) -> list[str]:
    """The command a user types (the venv's console script next to this Python)."""
    script = Path(sys.executable).with_name("sciteff")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "sciteff.cli"]
    xs, ys = names(k)
    return [*head, "dea", str(data), "--inputs", ",".join(xs), "--outputs", ",".join(ys),
            "--slacks", "multi-stage", "--out", str(out)]  # fmt: skip


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and max resident MB (children so far) of one successful run of ``cmd``."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=user_env())
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{done.stderr[-2000:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def lp_seconds(data: pd.DataFrame, k: int, workers: int) -> tuple[float, int]:
    """(LP solver seconds summed over all processes, LPs) of the library call with
    ``workers`` processes (:func:`solver_timer.timing`)."""
    with timing() as spent:
        vrs_summary(data, *names(k), slacks="multi-stage", workers=workers)
    return spent.seconds, spent.lps


def timed_command(cmd: list[str], tmp: Path) -> tuple[float, float]:
    """(wall, LP solver seconds summed over workers) of one run of the ``sciteff`` command
    ``cmd`` with the solver timers on (:mod:`solver_timer`): both from the same run."""
    report = tmp / "solver.json"
    wrapper = [sys.executable, str(Path(__file__).with_name("solver_timer.py")), str(report)]
    seconds, _ = run_child([*wrapper, "sciteff", *cmd[cmd.index("dea") :]])
    return seconds, json.loads(report.read_text())["seconds"]


def linprog_baseline(x: np.ndarray, y: np.ndarray) -> None:
    """CRS, VRS and NIRS input scores, one linprog call per DMU per model (the naive way)."""
    n, m = x.shape
    s = y.shape[1]
    ones = np.concatenate([[0.0], np.ones(n)])[None, :]
    for j in range(n):
        a_ub = np.zeros((m + s, n + 1))
        a_ub[:m, 0], a_ub[:m, 1:], a_ub[m:, 1:] = -x[j], x.T, -y.T
        b_ub = np.concatenate([np.zeros(m), -y[j]])
        c = np.zeros(n + 1)
        c[0] = 1.0
        linprog(c, A_ub=a_ub, b_ub=b_ub, method="highs")
        linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=ones, b_eq=[1.0], method="highs")
        linprog(c, A_ub=np.vstack([a_ub, ones]), b_ub=np.append(b_ub, 1.0), method="highs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="1000x3,5000x3,1000x5,5000x5")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    ap.add_argument("--large", action="store_true", help="add n = 100,000 (3 x 3)")
    ap.add_argument("--readme", action="store_true", help="rewrite the README block")
    args = ap.parse_args()
    cases = [tuple(int(v) for v in c.split("x")) for c in args.cases.split(",") if c]
    median = statistics.median
    has_r = benchmarking_found()
    before = load()
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.csv"
        make_data(20, 3).to_csv(tiny, index=False)
        tiny_cmd = sciteff_command(tiny, 3, Path(tmp) / "tiny_out.csv")
        run_child(tiny_cmd)  # bytecode cached
        startups = [run_child(tiny_cmd)[0] for _ in range(args.repeat)]
        r_file = Path(tmp) / "dea.R"
        r_file.write_text(R_SCRIPT, encoding="utf-8")
        for n, k in cases:
            frame = make_data(n, k)
            data = Path(tmp) / f"d{n}x{k}.csv"
            frame.to_csv(data, index=False)
            cmd = sciteff_command(data, k, Path(tmp) / "out.csv")
            workers = auto_workers(n)
            plain, timed, bounds = [], [], []
            for _ in range(args.repeat):  # interleaved: all see the same load
                plain.append(run_child(cmd)[0])
                startups.append(run_child(tiny_cmd)[0])  # each run held to its neighbour's
                timed.append(timed_command(cmd, Path(tmp)))
                bounds.append(1.3 * timed[-1][1] / workers + startups[-1])
            within = sum(wall <= bound for (wall, _), bound in zip(timed, bounds, strict=True))
            t0 = time.perf_counter()
            vrs_summary(frame, *names(k), slacks="multi-stage")
            library = time.perf_counter() - t0
            serial, lps = lp_seconds(frame, k, 1)
            if has_r:
                peer, _ = run_child(["Rscript", str(r_file), str(data), str(k)])
                peer_name = "Benchmarking CRS+VRS+DRS, no slacks"
            elif n <= 1000:
                xs, ys = names(k)
                t0 = time.perf_counter()
                linprog_baseline(frame[xs].to_numpy(), frame[ys].to_numpy())
                peer, peer_name = time.perf_counter() - t0, "per-DMU linprog CRS+VRS+NIRS"
            else:
                peer, peer_name = float("nan"), "(no baseline at this n)"
            rows.append((n, k, median(plain), library, serial, lps, workers,
                         median(w for w, _ in timed), median(s for _, s in timed),
                         median(bounds), within, peer, peer_name))  # fmt: skip
            triples = zip(timed, bounds, strict=True)
            shown = ", ".join(f"{w:.2f}/{s:.2f}/{b:.2f}" for (w, s), b in triples)
            print(f"n={n:,} {k}x{k}: command {', '.join(f'{c:.2f}' for c in plain)} s; timed "
                  f"command wall/solver/bound {shown} s; library {library:.2f} s; {peer_name} "
                  f"{peer:.2f} s", flush=True)  # fmt: skip
        if args.large:
            data = Path(tmp) / "d100000x3.csv"
            make_data(100_000, 3).to_csv(data, index=False)
            seconds, rss = run_child(sciteff_command(data, 3, Path(tmp) / "out.csv"))
            notes.append(
                f"n = 100,000 (3 x 3), full summary, whole command: {seconds:.1f} s, maximum "
                f"resident memory {rss:,.0f} MB (largest process)."
            )
            print(notes[-1], flush=True)
    after = load()
    if not has_r:
        notes.append("R Benchmarking was not found (Rscript or Benchmarking not in R's "
                     "library path): the baseline is per-DMU scipy linprog.")  # fmt: skip
    r, startup = args.repeat, median(startups)
    lines = [
        f"DEAP summary (CRS, VRS, NIRS, multi-stage slacks, targets, peers), input orientation, "
        f"uniform(1, 10) data; {machine()}; load averages (1/5/15 min) {before} before, "
        f"{after} after; start-up (`sciteff dea` on 20 DMUs, median of {len(startups)} runs) "
        f"{startup:.2f} s. "
        f"Commands: median of {r} runs; the timed command is the same command with the solver "
        f"timers on, its wall time and solver time from the same run, its bound with the "
        f"start-up measured just before it.",
        "",
        "| DMUs | in x out | `sciteff dea` (command) | library call | LP solver, 1 worker (LPs) |"
        " workers | timed command | its LP solver summed over workers |"
        " 1.3 x that / workers + start-up | runs within | peer | peer time | faster by |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for (n, k, command, library, serial, lps, workers, wall, solver, bound, within, peer,
         name) in rows:  # fmt: skip
        ratio = f"{peer / command:.1f}x" if np.isfinite(peer) else ""
        lines.append(
            f"| {n:,} | {k} x {k} | {command:.2f} s | {library:.2f} s | {serial:.2f} s "
            f"({lps:,}) | {workers} | {wall:.2f} s | {solver:.2f} s | {bound:.2f} s | "
            f"{within}/{r} | {name} | {peer:.2f} s | {ratio} |"
        )
    lines += ["", *notes]
    text = "\n".join(lines)
    print(text)
    if args.readme:
        rewrite_block("dea", text)


if __name__ == "__main__":
    main()
