"""Benchmark: ``sciteff malmquist`` against R Benchmarking and DEAP 2.1's stored figure.

Workload: a balanced panel of ``--dmus`` DMUs (default 1,000) over ``--periods`` periods
(default 5), 3 inputs and 3 outputs drawn uniform(1, 10) with a fixed seed, input orientation,
DEAP's full decomposition (effch, techch, pech, sech, tfpch: the four CRS distances of every
adjacent pair and the VRS own-period distances). Both sides are timed as a user runs them,
whole commands from a shell, start-up included:

- sciteff: ``sciteff malmquist data.csv --dmu dmu --period t --inputs ... --outputs ...
  --out out.csv``;
- R Benchmarking (measured in the same run when ``Rscript`` is on the PATH and Benchmarking is
  in R's library path, e.g. through ``R_LIBS``; otherwise the benchmark says it was not found):
  ``Rscript`` running ``malmquist(X, Y, ID, TIME, RTS = "crs", ORIENTATION = "in")`` (the four
  CRS distances) plus ``dea(..., RTS = "vrs")`` of every period (the VRS distances pech needs);
- DEAP 2.1: not available here; its time for this workload, 6.8 s measured on this machine
  class (issue 17), is printed as a stored figure, marked as such.

Each command runs ``--repeat`` times (default 3) after one unmeasured run (as an installed
package, sciteff's bytecode is then cached; see :func:`user_env`); the table shows the median
and the load averages before and after. ``--readme`` rewrites the block between
``<!-- bench:malmquist:start -->`` and ``<!-- bench:malmquist:end -->`` in README.md.

Usage: python benchmarks/bench_malmquist.py [--dmus 1000] [--periods 5] [--repeat 3] [--readme]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from readme_block import rewrite_block  # benchmarks/ is the script's folder

DEAP_SECONDS = 6.8  # issue 17: DEAP 2.1, 1,000 DMUs x 5 periods, 3 x 3, on this machine class
INPUTS, OUTPUTS = ["x1", "x2", "x3"], ["y1", "y2", "y3"]

R_SCRIPT = """
suppressMessages(library(Benchmarking))
d <- read.csv(commandArgs(TRUE)[1])
X <- as.matrix(d[, c("x1", "x2", "x3")]); Y <- as.matrix(d[, c("y1", "y2", "y3")])
m <- malmquist(X, Y, d$dmu, d$t, RTS = "crs", ORIENTATION = "in")
v <- lapply(sort(unique(d$t)), function(p) {
  s <- d$t == p
  eff(dea(X[s, , drop = FALSE], Y[s, , drop = FALSE], RTS = "vrs", ORIENTATION = "in"))
})
cat(length(m$m), length(unlist(v)), "\\n")
"""


def make_panel(n: int, periods: int, seed: int = 20240601) -> pd.DataFrame:
    """n DMUs x periods, 3 inputs and 3 outputs uniform(1, 10)."""
    rng = np.random.default_rng(seed)
    frames = []
    for t in range(periods):
        frame = pd.DataFrame(rng.uniform(1, 10, (n, 6)), columns=INPUTS + OUTPUTS)
        frame.insert(0, "t", 2000 + t)
        frame.insert(0, "dmu", [f"d{i:05d}" for i in range(n)])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def sciteff_command(data: Path, out: Path) -> list[str]:
    """The command a user types (the venv's console script next to this Python)."""
    script = Path(sys.executable).with_name("sciteff")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "sciteff.cli"]
    columns = ["--inputs", ",".join(INPUTS), "--outputs", ",".join(OUTPUTS)]
    return [*head, "malmquist", str(data), "--dmu", "dmu", "--period", "t", *columns,
            "--out", str(out)]  # fmt: skip


def benchmarking_found() -> bool:
    """Rscript on the PATH and Benchmarking in R's own library path (R_LIBS etc.)."""
    if shutil.which("Rscript") is None:
        return False
    probe = 'quit(status = if (requireNamespace("Benchmarking", quietly = TRUE)) 0 else 1)'
    return subprocess.run(["Rscript", "-e", probe], capture_output=True).returncode == 0


def user_env() -> dict[str, str]:
    """The environment a user's shell gives the command: this one without
    PYTHONDONTWRITEBYTECODE, which some sandboxes and CI images set and which makes every run
    compile sciteff's modules afresh (about 0.06 s a command here); an installed package has
    its bytecode cached after the first run (each benchmark runs the command once first)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str]) -> float:
    """Wall seconds of one run of ``cmd`` (which must succeed), as a user runs it."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=user_env())
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{done.stderr[-2000:]}")
    return seconds


def load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dmus", type=int, default=1000)
    ap.add_argument("--periods", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--readme", action="store_true", help="rewrite the README block")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "panel.csv"
        make_panel(args.dmus, args.periods).to_csv(data, index=False)
        r_file = Path(tmp) / "malmquist.R"
        r_file.write_text(R_SCRIPT, encoding="utf-8")
        has_r = benchmarking_found()
        before = load()
        ours, peer = [], []
        timed(sciteff_command(data, Path(tmp) / "out.csv"))  # first run: bytecode cached
        for _ in range(args.repeat):  # interleaved, so both see the same load
            ours.append(timed(sciteff_command(data, Path(tmp) / "out.csv")))
            if has_r:
                peer.append(timed(["Rscript", str(r_file), str(data)]))
        after = load()
    mine = statistics.median(ours)
    lines = [
        f"Malmquist, {args.dmus:,} DMUs x {args.periods} periods, 3 inputs x 3 outputs, input "
        f"orientation, whole commands (start-up included), median of {args.repeat}; "
        f"{machine()}; load averages (1/5/15 min) {before} before, {after} after.",
        "",
        "| program | wall | sciteff faster by |",
        "|---|---:|---:|",
        f"| sciteff malmquist | {mine:.2f} s | |",
    ]
    if has_r:
        theirs = statistics.median(peer)
        lines.append(f"| R Benchmarking (malmquist CRS + dea VRS) | {theirs:.2f} s | "
                     f"{theirs / mine:.1f}x |")  # fmt: skip
    else:
        lines.append(
            "| R Benchmarking | not found (Rscript/Benchmarking not in R's library path) | |"
        )
    lines.append(f"| DEAP 2.1 (stored figure, not run here) | {DEAP_SECONDS:.1f} s | "
                 f"{DEAP_SECONDS / mine:.1f}x |")  # fmt: skip
    lines.append("")
    runs = f"sciteff runs: {', '.join(f'{t:.2f}' for t in ours)} s"
    if peer:
        runs += f"; Benchmarking runs: {', '.join(f'{t:.2f}' for t in peer)} s"
    lines.append(runs)
    text = "\n".join(lines)
    print(text)
    if args.readme:
        rewrite_block("malmquist", text)


if __name__ == "__main__":
    main()
