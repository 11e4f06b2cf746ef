#!/usr/bin/env python3
"""Two or more phasor builds (or SIMD levels) against each other, alternating in one run (docs/performance.md).

Each round runs, for every build in turn, `phasor bench s4d` (forward and forward + backward, f32 and f64) and one
`phasor train` run; nothing runs concurrently. Reported per build: the median over rounds of the bench's per-call
medians (wall and process CPU ms) and of the training run's epoch wall seconds (epochs after the first), with the CPU
seconds of the whole training process — CPU time is what a shared machine stretches least — and the load average.

A build is `PATH` or `PATH@VAR=VALUE@…` (environment for that build, e.g. `.build/release/phasor@PHASOR_SIMD=generic`).

  swift build -c release                                                    # plain (what SwiftPM users get)
  swift build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native
  python3 Benchmarks/Scripts/compare_builds.py .build/release/phasor .build-native/release/phasor \\
      --train-data synthetic:100,275,2
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

import synthetic


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("builds", nargs="+", help="phasor executables, each optionally followed by @VAR=VALUE")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--bench", default="--batch 8 --channels 128 --state 64 --length 1024 --repeats 5",
                   help="options of `phasor bench s4d` (besides --precision, --backward, --json)")
    p.add_argument("--train-data", help="data for the training run, or `synthetic:N,L,C` for N series of length L "
                                        "in C classes (synthetic.py, seed 0); omit to skip training")
    p.add_argument("--train", default="--epochs 3 --validation-fraction 0 --threads 2",
                   help="options of `phasor train` (besides --data, --out, --json); default model sizes unless given")
    p.add_argument("--json", action="store_true")
    return p.parse_args()


def split_build(spec):
    exe, *pairs = spec.split("@")
    env = dict(os.environ)
    for kv in pairs:
        k, _, v = kv.partition("=")
        env[k] = v
    return exe, env


def run(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"compare_builds: {' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main():
    args = parse()
    modes = [("forward", "f32", []), ("forward", "f64", []),
             ("forward+backward", "f32", ["--backward"]), ("forward+backward", "f64", ["--backward"])]
    work = tempfile.mkdtemp(prefix="phasor-compare-")
    if args.train_data and args.train_data.startswith("synthetic:"):
        n, length, classes = (int(v) for v in args.train_data.split(":", 1)[1].split(","))
        args.train_data = os.path.join(work, "synthetic.csv")
        synthetic.write_csv(args.train_data, *synthetic.series(n, length, classes, seed=0))
    results = {b: {"bench": {}, "train": []} for b in args.builds}
    load_before = os.getloadavg()
    for _ in range(args.rounds):
        for mode, precision, flags in modes:
            for b in args.builds:
                exe, env = split_build(b)
                out, _ = run([exe, "bench", "s4d", "--json", "--precision", precision] + flags + args.bench.split(), env)
                d = json.loads(out)
                results[b]["bench"].setdefault(f"{mode} {precision}", []).append((d["layer_ms"], d["layer_cpu_ms"]))
        if args.train_data:
            for b in args.builds:
                exe, env = split_build(b)
                model = os.path.join(work, "model.safetensors")
                out, cpu = run([exe, "train", "--data", args.train_data, "--out", model, "--json"] + args.train.split(), env)
                epochs = [e["seconds"] for e in json.loads(out)["epochs"]]
                results[b]["train"].append((statistics.median(epochs[1:] or epochs), cpu))
    load_after = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)
    summary = {"load_average_before": load_before, "load_average_after": load_after, "builds": {}}
    for b in args.builds:
        exe, env = split_build(b)
        version = run([exe, "--version"], env)[0].strip().splitlines()
        s = {"build": version[1] if len(version) > 1 else "", "bench": {}, "train": None}
        for key, values in results[b]["bench"].items():
            s["bench"][key] = {"wall_ms": statistics.median(v[0] for v in values),
                               "cpu_ms": statistics.median(v[1] for v in values)}
        if results[b]["train"]:
            s["train"] = {"epoch_seconds": statistics.median(v[0] for v in results[b]["train"]),
                          "process_cpu_seconds": statistics.median(v[1] for v in results[b]["train"])}
        summary["builds"][b] = s
    if args.json:
        print(json.dumps(summary))
        return
    for b, s in summary["builds"].items():
        print(f"{b} — {s['build']}")
        for key, v in s["bench"].items():
            print(f"  bench s4d {key:20s} wall {v['wall_ms']:8.1f} ms   CPU {v['cpu_ms']:8.1f} ms")
        if s["train"]:
            print(f"  train epoch {s['train']['epoch_seconds']:.3f} s   process CPU {s['train']['process_cpu_seconds']:.2f} s")
    print(f"load average {load_before[0]:.1f} → {load_after[0]:.1f} (rounds: {args.rounds})")


if __name__ == "__main__":
    main()
