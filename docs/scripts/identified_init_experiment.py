#!/usr/bin/env python3
"""Does an S4D model started from the data's identified modes train faster or better than S4D-Lin? (docs/identification.md)

One-off; run by hand after a release build (swift build -c release -Xswiftc -target-cpu -Xswiftc native):
    python3 docs/scripts/identified_init_experiment.py [--seeds 5] [--epochs 30]
For each bundled set: `phasor identify` on the concatenated TRAINING split only (the test split is never seen) writes
an S4D layer of M modes (one channel, copied to every channel and every layer by `train --init-from`); then, for each
seed, three runs that differ only in the spectrum they start from — `--init lin` (S4D-Lin, log-uniform Δ),
`--init-from layer` (the identified modes, Δ = 1 sample), and a control `--init-from` a layer from `phasor design` with
the same number of modes and Δ = 1 but generic timescales (periods log-spaced over the identified range, real modes
kept, every memory the geometric mean of the identified ones) — with d_state = 2M, the same seed (so the same encoder, C, D, decoder, splits, shuffling and
dropout), a stratified 20% validation split that selects the epoch, and the test split only reported.
Prints a markdown table: validation accuracy (mean ± std over seeds) after epochs 1, 3, 10 and the last; test accuracy
of the selected epoch; epochs to reach 90% of the final validation accuracy of the default arm; then the paired (same
seed) test-accuracy differences with their standard errors and how many seeds the first arm won.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHASOR = os.path.join(ROOT, ".build", "release", "phasor")

SETS = {
    # name: (identify arguments, train arguments)
    "ItalyPowerDemand": (["--delays", "48"], ["--layers", "2", "--d-model", "32", "--batch", "16"]),
    "GunPoint": (["--delays", "150"], ["--layers", "2", "--d-model", "32", "--batch", "16"]),
}


def run(args):
    out = subprocess.run([PHASOR] + args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def mean_std(values):
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values) if len(values) > 1 else 0:.3f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=30)
    options = parser.parse_args()
    rows, paired = [], []
    with tempfile.TemporaryDirectory() as work:
        for name, (identify_args, train_args) in SETS.items():
            folder = os.path.join(ROOT, "Data", "ucr", name)
            layer = os.path.join(work, name + "-layer.safetensors")
            found = run(["identify", "--data", os.path.join(folder, name + "_TRAIN.ts"), "--out", layer, "--json"]
                        + identify_args)
            modes = found["designed_modes"]
            periods = sorted(o["period"] for o in found["oscillators"] if o["period"] is not None)
            print(f"{name}: identified rank {found['rank']}, {modes} modes; periods {', '.join(f'{p:.3g}' for p in periods)}")
            targets = found["design_targets"]
            finite = sorted(t["period"] for t in targets if t["period"] is not None)
            ratio = (finite[-1] / finite[0]) ** (1 / max(len(finite) - 1, 1))
            control_periods = [finite[0] * ratio ** k for k in range(len(finite))] + ["inf"] * (len(targets) - len(finite))
            memory = math.exp(statistics.mean(math.log(t["memory"]) for t in targets))
            control = os.path.join(work, name + "-control.safetensors")
            subprocess.run([PHASOR, "design", "--periods", ",".join(str(p) for p in control_periods),
                            "--memories", ",".join([str(memory)] * len(targets)), "--out", control],
                           check=True, capture_output=True)
            arms = {"S4D-Lin": ["--init", "lin"], "identified": ["--init-from", layer],
                    "generic Δ = 1 (control)": ["--init-from", control]}
            results = {arm: [] for arm in arms}
            for seed in range(options.seeds):
                for arm, extra in arms.items():
                    report = run(["train", "--data", folder, "--d-state", str(2 * modes), "--epochs", str(options.epochs),
                                  "--seed", str(seed), "--out", os.path.join(work, f"{name}-{arm}-{seed}.safetensors"),
                                  "--json"] + train_args + extra)
                    results[arm].append(report)
                    print(f"  seed {seed} {arm}: best epoch {report['bestEpoch']}, test {report['test']['accuracy']:.4f}")
            tests = {arm: [r["test"]["accuracy"] for r in reports] for arm, reports in results.items()}
            for first, second in [("identified", "S4D-Lin"), ("generic Δ = 1 (control)", "S4D-Lin"),
                                  ("identified", "generic Δ = 1 (control)")]:
                d = [a - b for a, b in zip(tests[first], tests[second])]
                paired.append((name, f"{first} − {second}", f"{statistics.mean(d):+.4f}",
                               f"{statistics.stdev(d) / math.sqrt(len(d)):.4f}", f"{sum(x > 0 for x in d)}/{len(d)}"))
            final_default = statistics.mean(r["epochs"][-1]["validationAccuracy"] for r in results["S4D-Lin"])
            for arm, reports in results.items():
                def val(epoch):
                    return [r["epochs"][epoch - 1]["validationAccuracy"] for r in reports]

                def reach(r):
                    hits = [e["epoch"] for e in r["epochs"] if e["validationAccuracy"] >= 0.9 * final_default]
                    return hits[0] if hits else float("inf")

                rows.append((name, arm, 2 * modes, mean_std(val(1)), mean_std(val(3)), mean_std(val(10)),
                             mean_std(val(options.epochs)), mean_std([r["test"]["accuracy"] for r in reports]),
                             f"{statistics.median(reach(r) for r in reports):g}"))
    print()
    print(f"| set | start | d_state | val acc epoch 1 | epoch 3 | epoch 10 | epoch {options.epochs} | test acc (selected epoch) "
          "| epochs to 90% of S4D-Lin's final val acc (median) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")
    print()
    print("| set | paired test-accuracy difference | mean | standard error | seeds won |")
    print("|---|---|---|---|---|")
    for row in paired:
        print("| " + " | ".join(str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
