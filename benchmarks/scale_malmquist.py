"""Scale benchmark of sharded Malmquist: a panel of n firms x T years, 3 inputs, 3 outputs.

Runs the library steps the workflow's jobs run (``malmquist_frontier``: every period's
frontiers; ``malmquist_shard``: blocks of firms, all their distances; ``malmquist_gather``:
the indices and means), each step in its own process as a scheduler would, the shards two at
a time (this machine's cores); records per step the wall time and the peak resident memory
of its process, and the frontier sizes. Every finished run is appended to ``--out`` as one
JSON line (``kind: "malmquist_sharded"``), so a long run leaves partial results.

    nice -n 19 .venv/bin/python benchmarks/scale_malmquist.py --sizes 20000 200000 --shards 4

Not part of CI (minutes to hours).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from sciteff.efficiency import malmquist_shards as ms
from sciteff.efficiency.malmquist import malmquist, prepare_panel
from sciteff.efficiency.shards import load, save, shard_units

INPUTS, OUTPUTS = ["x1", "x2", "x3"], ["y1", "y2", "y3"]


def panel(n: int, years: int, seed: int = 0) -> pd.DataFrame:
    """n firms x years: a log-normal firm size scales uniform(1, 10) inputs and outputs
    (outputs with a random elasticity), and productivity drifts 2 % a year."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0, 1, (n, 1))
    frames = []
    for t in range(years):
        x = rng.uniform(1, 10, (n, 3)) * size
        y = rng.uniform(1, 10, (n, 3)) * size ** rng.uniform(0.7, 1.1, (n, 1)) * 1.02**t
        frame = pd.DataFrame(np.hstack([x, y]), columns=INPUTS + OUTPUTS)
        frame.insert(0, "year", 2020 + t)
        frame.insert(0, "firm", [f"f{i}" for i in range(n)])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _panel(work: Path):
    data = pd.read_parquet(work / "data.parquet")
    return data, prepare_panel(data, dmu="firm", period="year", inputs=INPUTS, outputs=OUTPUTS)


def step(args: argparse.Namespace) -> None:
    """One job's work, in this process; prints a JSON line with its time and peak memory."""
    work = Path(args.work)
    t0 = time.perf_counter()
    data, pan = _panel(work)
    info: dict = {}
    if args.step == "frontier":
        fronts = ms.frontiers(pan, "in", "adjacent")
        blocks = ms.plan_blocks(len(pan.dmus))
        save({"fronts": fronts, "blocks": blocks, "runs": shard_units(blocks, args.shards)},
             work / "frontier.pkl")  # fmt: skip
        info["frontier"] = {" ".join(map(str, k)): f.size for k, f in fronts.items()}
    elif args.step == "shard":
        plan = load(work / "frontier.pkl")
        run = plan["runs"][args.index]
        save(ms.score_blocks(pan, run, plan["fronts"], "in", "adjacent"),
             work / f"shard_{args.index}.pkl")  # fmt: skip
    else:
        plan = load(work / "frontier.pkl")
        parts = [p for k in range(len(plan["runs"])) for p in load(work / f"shard_{k}.pkl")]
        distances = ms.gather_blocks(parts, plan["blocks"])
        result = malmquist(data, dmu="firm", period="year", inputs=INPUTS, outputs=OUTPUTS,
                           distances=distances)  # fmt: skip
        info["mean_tfpch"] = float(result.annual_means["tfpch"].iloc[-1])
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "cpu_s": cpu.ru_utime + cpu.ru_stime,
                      "peak_mb": peak_mb(), **info}))  # fmt: skip


def spawn(*argv: str, out: Path, n: int) -> dict:
    """Run one step in its own process; its result is also appended to ``out`` at once
    (``kind: "malmquist_step"``), so a run stopped half-way keeps its finished steps."""
    done = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    row = json.loads(done.stdout.strip().splitlines()[-1])
    record(out, {"kind": "malmquist_step", "n": n, "step": " ".join(argv[1:2] + argv[4:]), **row})
    return row


def record(out: Path, row: dict) -> None:
    row["load"] = [round(v, 1) for v in os.getloadavg()]
    with open(out, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")


def sharded_run(n: int, years: int, shards: int, work: Path, out: Path) -> dict:
    panel(n, years).to_parquet(work / "data.parquet")
    t0 = time.perf_counter()
    w = str(work)
    front = spawn("--step", "frontier", "--work", w, "--shards", str(shards), out=out, n=n)
    with ThreadPoolExecutor(2) as pool:
        args = [("--step", "shard", "--work", w, "--index", str(k)) for k in range(shards)]
        parts = list(pool.map(lambda a: spawn(*a, out=out, n=n), args))
    gather = spawn("--step", "gather", "--work", w, out=out, n=n)
    wall = time.perf_counter() - t0
    return {
        "kind": "malmquist_sharded",
        "n": n,
        "years": years,
        "shards": shards,
        "wall_s": wall,
        "frontier_s": front["seconds"],
        "shard_s_max": max(p["seconds"] for p in parts),
        "shard_s_sum": sum(p["seconds"] for p in parts),
        "gather_s": gather["seconds"],
        "cpu_s": front["cpu_s"] + sum(p["cpu_s"] for p in parts) + gather["cpu_s"],
        "peak_mb": {
            "frontier": front["peak_mb"],
            "shard": max(p["peak_mb"] for p in parts),
            "gather": gather["peak_mb"],
        },
        "frontier": front["frontier"],
        "mean_tfpch": gather["mean_tfpch"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 200000])
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--out", default=str(Path(__file__).with_name("scale_results.jsonl")))
    ap.add_argument("--step", choices=["frontier", "shard", "gather"], help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        step(args)
        return
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            row = sharded_run(n, args.years, args.shards, Path(tmp), Path(args.out))
        record(Path(args.out), row)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
