#!/usr/bin/env python3
"""The best test accuracy a user reaches by tuning on the validation split alone (docs/training.md, the yardstick of
"Settings chosen from the data").

Runs `phasor train` on one data set for every configuration below and every seed, each with ONE validation split
(`--folds 0`: the epoch selected on that split), then picks the configuration with the best mean validation accuracy
of its selected epochs (ties: the lower mean validation loss) and reports that configuration's mean TEST accuracy.
The test split chooses nothing. Every run's numbers are printed, so the choice can be checked.

  swift build -c release
  python3 Benchmarks/Scripts/validation_tuned.py --phasor .build/release/phasor --data Data/ucr/GunPoint
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

CONFIGURATIONS = {
    "defaults": [],
    "d-model 128": ["--d-model", "128"],
    "4 layers": ["--layers", "4"],
    "bilinear head": ["--block", "bilinear"],
    "lr 0.003": ["--lr", "0.003"],
    "s5": ["--core", "s5"],
    "lru": ["--core", "lru"],
    "linoss-im": ["--core", "linoss-im"],
}


def run(phasor, data, seed, options, extra, folder):
    out = os.path.join(folder, "m.safetensors")
    command = [phasor, "train", "--data", data, "--seed", str(seed), "--folds", "0", "--out", out, "--json"]
    report = json.loads(subprocess.run(command + extra + options, check=True, capture_output=True, text=True).stdout)
    selected = next(e for e in report["epochs"] if e["epoch"] == report["bestEpoch"])
    return selected["validationAccuracy"], selected["validationLoss"], report["test"]["accuracy"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phasor", required=True)
    parser.add_argument("--data", required=True, help="a folder with *_TRAIN.ts/*_TEST.ts, or a file with --test-fraction")
    parser.add_argument("--test-fraction", help="for a single file: the test part (passed to phasor train)")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    extra = ["--test-fraction", args.test_fraction] if args.test_fraction else []
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, options in CONFIGURATIONS.items():
            runs = [run(args.phasor, args.data, seed, options, extra, folder) for seed in range(args.seeds)]
            results[name] = runs
            print(f"{name:14s} validation accuracy {statistics.mean(r[0] for r in runs):.4f} "
                  f"loss {statistics.mean(r[1] for r in runs):.4f}  test {statistics.mean(r[2] for r in runs):.4f} "
                  f"({' / '.join(f'{r[2]:.4f}' for r in runs)})", flush=True)
    chosen = max(results, key=lambda n: (statistics.mean(r[0] for r in results[n]), -statistics.mean(r[1] for r in results[n])))
    print(f"chosen by validation: {chosen}; its mean test accuracy {statistics.mean(r[2] for r in results[chosen]):.4f}")


if __name__ == "__main__":
    main()
