"""Benchmark: the Simar-Wilson bootstrap, B = 2,000 replications on n = 300 DMUs, 3 x 3.

Target (issue 18): under 60 s on a 2-core machine. Workload: 3 inputs uniform(1, 10), 3 outputs
from a Cobb-Douglas frontier times half-normal inefficiency, fixed seed; input orientation,
VRS. The baseline, measured in the same run, is the plain DEA of the same data (the n VRS LPs
once, ``radial_scores``): the bootstrap solves B times as many LPs, so
``bootstrap time / (B x baseline time)`` is its cost per LP relative to one DEA run, a number
that does not depend on how fast or busy the machine is. Workers: automatic (one per core).

Usage: python benchmarks/bench_bootstrap.py [--reps 2000] [--n 300] [--workers W] [--alpha A]
Reference (not run here): R Benchmarking's dea.boot(NREP = 2000) on the same size.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from sciteff.efficiency.bootstrap import bootstrap_dea
from sciteff.efficiency.radial import radial_scores


def make_data(n: int, seed: int = 20240601) -> pd.DataFrame:
    """3 inputs, 3 outputs on a known frontier with half-normal inefficiency."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, (n, 3))
    level = np.prod(x, axis=1) ** 0.25 * np.exp(-np.abs(rng.normal(0, 0.3, n)))
    mix = rng.dirichlet(np.ones(3), n)
    y = level[:, None] * mix * 3
    cols = {f"x{i + 1}": x[:, i] for i in range(3)} | {f"y{r + 1}": y[:, r] for r in range(3)}
    return pd.DataFrame(cols)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args()
    data = make_data(args.n)
    ins, outs = ["x1", "x2", "x3"], ["y1", "y2", "y3"]
    x, y = data[ins].to_numpy(), data[outs].to_numpy()
    t0 = time.perf_counter()
    for _ in range(3):
        radial_scores(x, y, x, y, rts="vrs", orientation="in", prune=False, workers=1)
    base = (time.perf_counter() - t0) / 3
    t0, c0 = time.perf_counter(), os.times()
    res = bootstrap_dea(data, ins, outs, rts="vrs", reps=args.reps, seed=1, workers=args.workers)
    boot = time.perf_counter() - t0
    c1 = os.times()
    cpu = sum(c1[:4]) - sum(c0[:4])  # this process and its (reaped) worker processes
    cpus = len(os.sched_getaffinity(0))
    print(f"n = {args.n}, 3 x 3, B = {args.reps}, VRS input; {res.attrs['workers']} workers")
    print(f"  {cpus} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  baseline (one DEA, {args.n} LPs, one process): {base:.3f} s")
    print(
        f"  bootstrap ({args.reps * args.n:,} LPs): {boot:.1f} s (target < 60 s at B=2000, n=300)"
    )
    print(f"  CPU time of the bootstrap (all processes): {cpu:.1f} s")
    print(f"  ratio bootstrap / (B x baseline): {boot / (args.reps * base):.2f}")
    print(f"  mean bias {res['bias'].mean():.4f}, bandwidth {res.attrs['bandwidth']:.4f}")


if __name__ == "__main__":
    main()
