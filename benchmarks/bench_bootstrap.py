"""Benchmark: the Simar-Wilson bootstrap, B = 2,000 replications on n = 300 DMUs, 3 x 3.

Target (issue 18): under 60 s wall on a 2-core machine. Workload: 3 inputs uniform(1, 10), 3
outputs from a Cobb-Douglas frontier times half-normal inefficiency, fixed seed; input
orientation, VRS. The baseline, measured in the same run, is one plain DEA of the same data
(the n VRS LPs once with the engine, ``radial_scores``, one process): the bootstrap solves B
times as many LPs, so ``bootstrap wall / (B x baseline)`` is its cost per LP relative to a DEA
run, a number less sensitive to how busy the machine is. Workers: automatic (one per core).

Prints wall time, CPU time of all processes, LPs, LPs re-solved by the engine, the ratio and
the load averages before and after. Every run is appended to
``benchmarks/bootstrap_results.jsonl``; ``--readme`` rewrites the README's "**Bootstrap**"
paragraph (its table lists every recorded run) from that file.

Usage: python benchmarks/bench_bootstrap.py [--reps 2000] [--n 300] [--workers W] [--readme]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.efficiency.bootstrap import bootstrap_dea
from sciteff.efficiency.radial import radial_scores

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "bootstrap_results.jsonl"


def make_data(n: int, seed: int = 20240601) -> pd.DataFrame:
    """3 inputs, 3 outputs on a known frontier with half-normal inefficiency."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, (n, 3))
    level = np.prod(x, axis=1) ** 0.25 * np.exp(-np.abs(rng.normal(0, 0.3, n)))
    mix = rng.dirichlet(np.ones(3), n)
    y = level[:, None] * mix * 3
    cols = {f"x{i + 1}": x[:, i] for i in range(3)} | {f"y{r + 1}": y[:, r] for r in range(3)}
    return pd.DataFrame(cols)


def measure(reps: int, n: int, workers: int | None) -> dict:
    """One baseline and one bootstrap run, as a record for the results file."""
    data = make_data(n)
    ins, outs = ["x1", "x2", "x3"], ["y1", "y2", "y3"]
    x, y = data[ins].to_numpy(), data[outs].to_numpy()
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    for _ in range(3):
        radial_scores(x, y, x, y, rts="vrs", orientation="in", prune=False, workers=1)
    base = (time.perf_counter() - t0) / 3
    t0, c0 = time.perf_counter(), os.times()
    res = bootstrap_dea(data, ins, outs, rts="vrs", reps=reps, seed=1, workers=workers)
    wall = time.perf_counter() - t0
    c1 = os.times()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "n": n,
        "reps": reps,
        "workers": res.attrs["workers"],
        "cpus": len(os.sched_getaffinity(0)),
        "lps": reps * n,
        "resolved": res.attrs["resolved"],
        "baseline_s": round(base, 4),
        "wall_s": round(wall, 2),
        "cpu_s": round(sum(c1[:4]) - sum(c0[:4]), 2),  # this process and its reaped workers
        "ratio": round(wall / (reps * base), 4),
        "load_before": [round(v, 1) for v in load_before],
        "load_after": [round(v, 1) for v in os.getloadavg()],
        "mean_bias": round(float(res["bias"].mean()), 5),
    }


def readme_block(records: list[dict]) -> str:
    """The README's "**Bootstrap**" paragraph, table from every recorded run."""
    intro = (
        "**Bootstrap** (`benchmarks/bench_bootstrap.py`: Simar-Wilson bootstrap, n = 300, 3 "
        "inputs x 3 outputs, VRS input orientation, worker processes one per core; baseline in "
        "the same run = one plain DEA of the same 300 DMUs with the engine). Load averages (1 / "
        "5 / 15 min) are the shared machine's at the start of each run; the CPU seconds and the "
        "ratio to the same-run baseline are the numbers that least depend on them:"
    )
    table = [
        "| B | LPs | wall | CPU (all processes) | re-solved by engine | "
        "wall / (B x one DEA) | load |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in records:
        load = " / ".join(f"{v:g}" for v in r["load_before"])
        table.append(
            f"| {r['reps']:,} | {r['lps']:,} | {r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | "
            f"{r['resolved']} | {r['ratio']:.3f} | {load} |"
        )
    best = min(records, key=lambda r: r["wall_s"])
    target = (
        f"Against the issue's target (under 60 s wall on a 2-core machine): {best['wall_s']:.1f} "
        f"s at load {best['load_before'][0]:g}; the {best['cpu_s']:.0f} CPU-seconds spread over "
        f"two idle cores would be about {best['cpu_s'] / 2:.0f} s (an estimate: the shared "
        "machine was never idle during these runs)."
    )
    outro = (
        "The n LPs of a replication are solved together by a batched revised simplex in numpy "
        "(`efficiency/bootstrap_lp.py`), each answer certified like the engine's (relative "
        "primal residuals and a rigorous dual bound); what it does not certify is re-solved by "
        "the engine (certified, re-scaled or exact, or an error naming the DMUs). Profiling "
        "the former one-HiGHS-call-per-LP loop showed ~0.55 ms of fixed solver cost per LP (85 "
        "% of the time), which pruning (299 of 300 pseudo-DMUs are undominated here) or "
        "block-diagonal batching (2 ms per LP) do not remove. In the pipeline a bootstrap "
        "analysis with `shards: N` (or `shard_size: S` replications per job) runs N "
        "replication jobs and a gather that writes byte-identical files (tested). `python "
        "benchmarks/bench_bootstrap.py --reps 2000 --readme` reruns it."
    )
    fill = textwrap.fill
    parts = [fill(intro, 96), "", *table, "", fill(target, 96), "", fill(outro, 96)]
    return "\n".join(parts) + "\n"


def rewrite_readme(records: list[dict]) -> None:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"\*\*Bootstrap\*\* \(.*?(?=\n\*\*Bootstrap coverage\*\*)", re.S)
    if not pattern.search(text):
        raise SystemExit("README.md has no **Bootstrap** paragraph before **Bootstrap coverage**")
    new = pattern.sub(lambda _: readme_block(records), text, count=1)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--readme", action="store_true", help="rewrite the README paragraph")
    parser.add_argument("--no-run", action="store_true", help="with --readme: only rewrite")
    args = parser.parse_args()
    if not args.no_run:
        r = measure(args.reps, args.n, args.workers)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(r) + "\n")
        print(f"n = {r['n']}, 3 x 3, B = {r['reps']}, VRS input; {r['workers']} workers")
        print(
            f"  {r['cpus']} CPUs, load average before {r['load_before']}, after {r['load_after']}"
        )
        print(f"  baseline (one DEA, {r['n']} LPs, one process): {r['baseline_s']:.3f} s")
        print(f"  bootstrap ({r['lps']:,} LPs): {r['wall_s']:.1f} s wall (target < 60 s)")
        print(f"  CPU time of the bootstrap (all processes): {r['cpu_s']:.1f} s")
        print(f"  LPs re-solved by the engine: {r['resolved']}")
        print(f"  ratio bootstrap wall / (B x baseline): {r['ratio']:.3f}")
    if args.readme:
        records = [json.loads(line) for line in RESULTS.read_text().splitlines() if line]
        rewrite_readme(records)
        print(f"README.md: Bootstrap paragraph rewritten from {len(records)} run(s)")


if __name__ == "__main__":
    main()
