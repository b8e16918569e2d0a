"""Monte-Carlo coverage of the Simar-Wilson (1998) bootstrap intervals (run by hand, not in CI).

Design (a known frontier, as in Simar and Wilson's experiments): one input, one output,
efficient input x_e ~ uniform(1, 10), output y = x_e ** 0.5 (a concave VRS frontier), true
input efficiency theta = exp(-U) with half-normal U = |N(0, 0.3^2)|, observed input
x = x_e / theta. Each trial draws n DMUs, runs ``bootstrap_dea`` (input orientation, VRS; and
CRS on a CRS design y = x_e when ``--rts crs``) with B replications, and records for every DMU
whether the 1 - alpha interval [lower, upper] contains its true theta. Reported: coverage (share
of DMU-trials covered) with its Monte-Carlo standard error (standard deviation of the per-trial
coverage rates / sqrt(trials)), mean interval width, and the same for bias-corrected vs raw
scores' mean squared error.

Usage: python benchmarks/coverage_bootstrap.py [--n 100] [--trials 200] [--reps 500]
       [--rts vrs|crs] [--alpha 0.05] [--out results.csv]
       python benchmarks/coverage_bootstrap.py --summary results.csv
Each trial's rates are appended to --out as they finish, so a long run can be stopped early;
``--summary`` prints the README table rows (one per n, RTS and B) from such a file.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.efficiency.bootstrap import bootstrap_dea


def draw(n: int, rts: str, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """n DMUs from the design above and their true input efficiencies."""
    x_e = rng.uniform(1, 10, n)
    y = np.sqrt(x_e) if rts == "vrs" else x_e
    theta = np.exp(-np.abs(rng.normal(0, 0.3, n)))
    return pd.DataFrame({"x": x_e / theta, "y": y}), theta


def summary_rows(table: pd.DataFrame) -> list[str]:
    """README table rows: n, trials, B, coverage (MC s.e.), mean width, MSE te -> te_bc."""
    rows = []
    for (n, rts, reps), g in table.groupby(["n", "rts", "reps"], sort=True):
        se = g["coverage"].std(ddof=1) / math.sqrt(len(g)) if len(g) > 1 else math.nan
        rows.append(
            f"| {n} | {rts.upper()} | {len(g)} | {reps} | {g['coverage'].mean():.3f} ({se:.3f}) "
            f"| {g['width'].mean():.3f} | {g['mse_te'].mean():.5f} -> "
            f"{g['mse_te_bc'].mean():.5f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--rts", choices=["crs", "vrs"], default="vrs")
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1998)
    parser.add_argument("--out", default=None, help="CSV of per-trial results (appended)")
    parser.add_argument("--summary", default=None, help="print the table rows of this CSV")
    args = parser.parse_args()
    if args.summary:
        print("\n".join(summary_rows(pd.read_csv(args.summary))))
        return
    rng = np.random.default_rng(args.seed)
    rows = []
    start = time.perf_counter()
    for trial in range(args.trials):
        data, theta = draw(args.n, args.rts, rng)
        res = bootstrap_dea(
            data, ["x"], ["y"], rts=args.rts, reps=args.reps, alpha=args.alpha, seed=trial
        )
        inside = (res["lower"] <= theta) & (theta <= res["upper"])
        row = {
            "n": args.n,
            "rts": args.rts,
            "reps": args.reps,
            "trial": trial,
            "coverage": float(inside.mean()),
            "width": float((res["upper"] - res["lower"]).mean()),
            "mse_te": float(((res["te"] - theta) ** 2).mean()),
            "mse_te_bc": float(((res["te_bc"] - theta) ** 2).mean()),
        }
        rows.append(row)
        if args.out:
            path = Path(args.out)
            pd.DataFrame([row]).to_csv(path, mode="a", header=not path.exists(), index=False)
    table = pd.DataFrame(rows)
    se = table["coverage"].std(ddof=1) / math.sqrt(len(table)) if len(table) > 1 else math.nan
    print(
        f"n = {args.n}, {args.rts.upper()}, B = {args.reps}, {len(table)} trials, "
        f"{100 * (1 - args.alpha):g} % intervals: coverage {table['coverage'].mean():.3f} "
        f"(MC s.e. {se:.3f}), mean width {table['width'].mean():.3f}, "
        f"MSE te {table['mse_te'].mean():.5f} vs te_bc {table['mse_te_bc'].mean():.5f} "
        f"[{time.perf_counter() - start:.0f} s]"
    )


if __name__ == "__main__":
    main()
