"""Benchmark: sciteff's DEA engine against one scipy ``linprog`` call per DMU and model.

Workload: the full DEAP-style VRS summary (CRS + VRS + NIRS scores, no slacks) of n DMUs with
3 inputs and 3 outputs drawn uniform(1, 10) with a fixed seed. The baseline solves the three
envelopment LPs of every DMU with ``scipy.optimize.linprog(method="highs")`` against all n
DMUs, building each LP from scratch (the naive approach). It is run only while it stays under
``--baseline-limit`` seconds; beyond, its time is extrapolated from the largest measured size
(time per LP grows about linearly with n, so the total grows like n**2) and marked "~".

Usage: python benchmarks/bench_dea.py [--sizes 100,1000,10000] [--quick]
Reference (not measured here): R package Benchmarking, ~110 s at n = 5,000.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from sciteff.efficiency.dea import vrs_summary


def make_data(n: int, seed: int = 20240601) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {f"x{i}": rng.uniform(1, 10, n) for i in range(1, 4)}
    cols |= {f"y{r}": rng.uniform(1, 10, n) for r in range(1, 4)}
    return pd.DataFrame(cols)


def baseline(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRS, VRS and NIRS input scores, one linprog call per DMU per model."""
    n, m = x.shape
    s = y.shape[1]
    out = np.empty((3, n))
    for k in range(n):
        # variables [theta, lambda_1..n]; rows: X'lam - theta x0 <= 0 ; -Y'lam <= -y0
        a_ub = np.zeros((m + s, n + 1))
        a_ub[:m, 0] = -x[k]
        a_ub[:m, 1:] = x.T
        a_ub[m:, 1:] = -y.T
        b_ub = np.concatenate([np.zeros(m), -y[k]])
        c = np.zeros(n + 1)
        c[0] = 1
        ones = np.concatenate([[0.0], np.ones(n)])[None, :]
        for idx, kw in enumerate(
            ({}, {"A_eq": ones, "b_eq": [1.0]}, {"A_ub": np.vstack([a_ub, ones])})
        ):
            if "A_ub" in kw:
                res = linprog(c, A_ub=kw["A_ub"], b_ub=np.append(b_ub, 1.0), method="highs")
            else:
                res = linprog(c, A_ub=a_ub, b_ub=b_ub, method="highs", **kw)
            out[idx, k] = res.fun
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,500,1000,5000,10000,20000")
    ap.add_argument("--quick", action="store_true", help="sizes 100,500,1000 only")
    ap.add_argument("--baseline-limit", type=float, default=60.0)
    args = ap.parse_args()
    sizes = [100, 500, 1000] if args.quick else [int(v) for v in args.sizes.split(",")]
    rows = []
    last = None  # (n, seconds) of the largest measured baseline
    for n in sizes:
        data = make_data(n)
        inputs, outputs = ["x1", "x2", "x3"], ["y1", "y2", "y3"]
        t0 = time.perf_counter()
        res = vrs_summary(data, inputs, outputs, slacks="none")
        ours = time.perf_counter() - t0
        base, mark = float("nan"), ""
        if last is None or last[1] * (n / last[0]) ** 2 < args.baseline_limit:
            x, y = data[inputs].to_numpy(), data[outputs].to_numpy()
            t0 = time.perf_counter()
            ref = baseline(x, y)
            base = time.perf_counter() - t0
            last = (n, base)
            np.testing.assert_allclose(res["crste"], ref[0], atol=1e-6)
            np.testing.assert_allclose(res["vrste"], ref[1], atol=1e-6)
            np.testing.assert_allclose(res["nirs_te"], ref[2], atol=1e-6)
        elif last is not None:
            base, mark = last[1] * (n / last[0]) ** 2, "~"
        rows.append((n, ours, base, mark))
        print(f"n={n:>6}: sciteff {ours:8.2f} s   linprog {mark}{base:10.2f} s", flush=True)
    print()
    print("| n | sciteff (s) | linprog per DMU (s) | speed-up |")
    print("|---:|---:|---:|---:|")
    for n, ours, base, mark in rows:
        print(f"| {n:,} | {ours:.2f} | {mark}{base:.1f} | {mark}{base / ours:.0f}x |")
    print("\n~ = extrapolated (quadratic in n) from the largest measured baseline size.")


if __name__ == "__main__":
    main()
