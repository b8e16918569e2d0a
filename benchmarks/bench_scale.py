"""Scale benchmark of sharded DEA: n = 10^4 .. 10^6 firms, 3 inputs and 3 outputs.

Runs the same library steps the workflow's jobs run (``dea_frontier``, ``dea_shard``,
``dea_gather``), each step in its own process as a scheduler would, the shards two at a time
(this machine's cores); reports per step the wall time and the peak resident memory of its
process, the frontier sizes, and how the time grows with n. Also the sharding overhead: the
same n scored unsharded in one process (``run_dea``, two worker processes) against the
sharded steps, as a ratio measured in the same run.

    nice -n 19 .venv/bin/python benchmarks/bench_scale.py --sizes 10000 100000 \
        --variants uniform clustered --overhead-n 100000

Each finished measurement is appended to ``--out`` as one JSON line at once, so a long run
leaves partial results; every line records the command, the CPU model and the load averages
before and after (the machine is shared, so wall times depend on its load; the CPU seconds
of each job do much less). ``--table`` prints the Markdown table of a results file.
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

from sciteff.efficiency import shards
from sciteff.efficiency.analyses import dea_table, run_dea

SPEC = {"inputs": ["x1", "x2", "x3"], "outputs": ["y1", "y2", "y3"]}


def firms(n: int, variant: str, seed: int = 0) -> pd.DataFrame:
    """Synthetic firms: ``uniform`` (every variable uniform on [1, 10]) or ``clustered``
    (a log-normal firm size multiplies every variable, outputs with a random elasticity)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, (n, 3))
    y = rng.uniform(1, 10, (n, 3))
    if variant == "clustered":
        size = rng.lognormal(0, 1, (n, 1))
        x, y = x * size, y * size ** rng.uniform(0.7, 1.1, (n, 1))
    data = pd.DataFrame(np.hstack([x, y]), columns=[*SPEC["inputs"], *SPEC["outputs"]])
    data.insert(0, "dmu", [f"f{i}" for i in range(n)])
    data.insert(1, "period", 2020)
    return data


def usage() -> dict[str, float]:
    """This job's peak resident memory (MB; its largest forked worker if larger) and CPU
    seconds (its own plus its workers')."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "peak_mb": max(own.ru_maxrss, kids.ru_maxrss) / 1024,
        "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
    }


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo and the cores this process may use."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        model = next(ln.split(":", 1)[1].strip() for ln in text.splitlines() if "model name" in ln)
    except (OSError, StopIteration):
        model = "unknown CPU"
    return f"{model}, {len(os.sched_getaffinity(0))} cores"


def step(args: argparse.Namespace) -> None:
    """One job's work, in this process; prints a JSON line with its time and peak memory."""
    work = Path(args.work)
    start = time.perf_counter()
    data = firms(args.n, args.variant)
    info: dict[str, object] = {}
    if args.step == "frontier":
        units = shards.plan_units(data)
        runs = shards.shard_units(units, args.shards)
        fronts = shards.frontiers(data, SPEC, source="bench")
        shards.save({"units": units, "runs": runs, "fronts": fronts}, work / "frontier.pkl")
        info["frontier"] = {r: int(i.size) for r, i in fronts[2020].frontier.items()}
    elif args.step == "shard":
        plan = shards.load(work / "frontier.pkl")
        run = plan["runs"][args.index]
        parts = shards.score_units(data, SPEC, run, plan["fronts"], source="bench")
        shards.save(parts, work / f"shard_{args.index}.pkl")
    elif args.step == "gather":
        plan = shards.load(work / "frontier.pkl")
        parts = [p for k in range(args.shards) for p in shards.load(work / f"shard_{k}.pkl")]
        table = dea_table(shards.gather_units(parts, plan["units"]))
        table.to_csv(work / "sharded.csv", index=False)
    elif args.step == "unsharded":
        run_dea(data, SPEC, source="bench").to_csv(work / "unsharded.csv", index=False)
    info.update(seconds=time.perf_counter() - start, **usage())
    print(json.dumps(info))


def spawn(*argv: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *argv], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # Progress of a long run (which step finished when), so a stopped run shows how far it got.
    when = time.strftime("%H:%M:%S", time.gmtime())
    print(f"{when} UTC done: {' '.join(argv[:4])} {result}", file=sys.stderr, flush=True)
    return result


def sharded_run(n: int, variant: str, count: int, work: Path, cores: int) -> dict:
    """frontier -> ``count`` shards (``cores`` at a time) -> gather, each in its own process."""
    common = ["--n", str(n), "--variant", variant, "--work", str(work), "--shards", str(count)]
    start = time.perf_counter()
    frontier = spawn("--step", "frontier", *common)
    with ThreadPoolExecutor(cores) as pool:
        shard_runs = list(
            pool.map(lambda k: spawn("--step", "shard", "--index", str(k), *common), range(count))
        )
    gather = spawn("--step", "gather", *common)
    return {
        "wall_s": time.perf_counter() - start,
        "frontier_s": frontier["seconds"],
        "frontier": frontier["frontier"],
        "shard_s_max": max(s["seconds"] for s in shard_runs),
        "shard_s_sum": sum(s["seconds"] for s in shard_runs),
        "gather_s": gather["seconds"],
        "cpu_s": frontier["cpu_s"] + sum(s["cpu_s"] for s in shard_runs) + gather["cpu_s"],
        "peak_mb": {
            "frontier": frontier["peak_mb"],
            "shard": max(s["peak_mb"] for s in shard_runs),
            "gather": gather["peak_mb"],
        },
    }


def record(out: Path, row: dict, load_before: tuple[float, ...]) -> None:
    """Append one measurement with the load averages (1, 5, 15 min) before and after it."""
    row = {**row, "load_before": [round(v, 2) for v in load_before],
           "load_after": [round(v, 2) for v in os.getloadavg()],
           "machine": cpu_model(), "command": " ".join(sys.argv), "utc": time.strftime(
               "%Y-%m-%dT%H:%M:%SZ", time.gmtime())}  # fmt: skip
    print(json.dumps(row), flush=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")


def table(path: Path, since: str = "") -> str:
    """The README's Markdown table from a results file: the rows that record their load
    averages and were measured at or after ``since`` (a UTC time as the rows record it,
    e.g. ``2026-12-02T03:40:00Z``), so that rows of an earlier engine can be left out."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if "load_before" in r and r.get("utc", "") >= since]
    head = (
        "| n | data | shards | wall (s) | CPU-s, all jobs | frontier job (s) "
        "| slowest shard (s) | gather (s) | peak MB frontier/shard/gather "
        "| frontier CRS/VRS | load avg 1/5/15 min before -> after |\n"
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|"
    )
    lines = [head]
    for r in rows:
        if r["kind"] != "sharded":
            continue
        p = r["peak_mb"]
        lines.append(
            f"| {r['n']:,} | {r['variant']} | {r['shards']} | {r['wall_s']:.0f} "
            f"| {r['cpu_s']:.0f} | {r['frontier_s']:.0f} | {r['shard_s_max']:.0f} "
            f"| {r['gather_s']:.0f} | {p['frontier']:.0f}/{p['shard']:.0f}/{p['gather']:.0f} "
            f"| {r['frontier']['crs']}/{r['frontier']['vrs']} | {_loads(r)} |"
        )
    for r in rows:
        if r["kind"] == "overhead":
            lines.append(
                f"\nSharding overhead at n = {r['n']:,} ({r['variant']}): sharded "
                f"{r['sharded_s']:.0f} s / unsharded {r['unsharded_s']:.0f} s = "
                f"{r['ratio']:.2f}x wall (CPU-s {r['sharded_cpu_s']:.0f} / "
                f"{r['unsharded_cpu_s']:.0f} = {r['sharded_cpu_s'] / r['unsharded_cpu_s']:.2f}x; "
                f"unsharded peak {r['unsharded_peak_mb']:.0f} MB; load {_loads(r)}); "
                f"files identical: {r['identical']}."
            )
    lines.extend(growth(rows))
    return "\n".join(lines)


def growth(rows: list[dict]) -> list[str]:
    """How the CPU seconds grow from the smallest n to each larger one of a data variant,
    against n and n x VRS frontier size (the expected cost: one LP per DMU against the
    frontier's columns). CPU seconds rather than wall time: the load differs between runs."""
    out = []
    sharded = [r for r in rows if r["kind"] == "sharded"]
    for variant in dict.fromkeys(r["variant"] for r in sharded):
        runs = sorted((r for r in sharded if r["variant"] == variant), key=lambda r: r["n"])
        base = runs[0]
        for r in runs[1:]:
            if r["n"] == base["n"]:
                continue
            work = (r["n"] * r["frontier"]["vrs"]) / (base["n"] * base["frontier"]["vrs"])
            out.append(
                f"\nGrowth ({variant}) from n = {base['n']:,} to {r['n']:,}: CPU-s x"
                f"{r['cpu_s'] / base['cpu_s']:.1f} (frontier job x"
                f"{r['frontier_s'] / base['frontier_s']:.1f} wall), n x{r['n'] / base['n']:.0f}, "
                f"n x VRS frontier x{work:.1f}."
            )
    return out


def _loads(row: dict) -> str:
    def fmt(values: list[float]) -> str:
        return "/".join(f"{v:.1f}" for v in values)

    return f"{fmt(row['load_before'])} -> {fmt(row['load_after'])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--variants", nargs="*", default=["uniform", "clustered"])
    parser.add_argument("--shard-size", type=int, default=50_000)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--overhead-n", type=int, default=100_000)
    parser.add_argument("--overhead-variants", nargs="*", default=["uniform"])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/scale_results.jsonl"))
    parser.add_argument("--table", type=Path)
    parser.add_argument("--since", default="", help="--table: rows measured at/after (UTC)")
    parser.add_argument("--readme", action="store_true", help="--table: rewrite README block")
    parser.add_argument("--step", choices=["frontier", "shard", "gather", "unsharded"])
    parser.add_argument("--n", type=int)
    parser.add_argument("--variant")
    parser.add_argument("--work")
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--index", type=int, default=0)
    args = parser.parse_args()
    if args.step:
        step(args)
        return
    if args.table:
        text = table(args.table, args.since)
        print(text)
        if args.readme:
            from readme_block import rewrite_block  # benchmarks/ is the script's folder

            rewrite_block("scale", text)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for n in sorted(args.sizes):
        for variant in args.variants:
            count = max(args.cores, -(-n // args.shard_size))
            scratch = Path(__file__).parent / "out"  # intermediates: git-ignored, not /tmp
            scratch.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                load = os.getloadavg()
                res = sharded_run(n, variant, count, Path(tmp), args.cores)
                record(args.out, {"kind": "sharded", "n": n, "variant": variant,
                                  "shards": count, **res}, load)  # fmt: skip
                if n == args.overhead_n and variant in args.overhead_variants:
                    common = ["--n", str(n), "--variant", variant, "--work", tmp]
                    load = os.getloadavg()
                    start = time.perf_counter()
                    plain = spawn("--step", "unsharded", *common)
                    plain_s = time.perf_counter() - start
                    same = (Path(tmp) / "sharded.csv").read_bytes() == (
                        Path(tmp) / "unsharded.csv"
                    ).read_bytes()
                    record(args.out, {"kind": "overhead", "n": n, "variant": variant,
                                      "sharded_s": res["wall_s"], "unsharded_s": plain_s,
                                      "ratio": res["wall_s"] / plain_s,
                                      "sharded_cpu_s": res["cpu_s"],
                                      "unsharded_cpu_s": plain["cpu_s"],
                                      "unsharded_peak_mb": plain["peak_mb"],
                                      "identical": same}, load)  # fmt: skip


if __name__ == "__main__":
    main()
