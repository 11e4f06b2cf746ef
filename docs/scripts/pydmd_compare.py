#!/usr/bin/env python3
"""One-off comparison of `phasor identify` (Hankel DMD) with PyDMD on the same data (docs/identification.md).

Not a dependency of Phasor: run it by hand after a release build,
    swift build -c release -Xswiftc -target-cpu -Xswiftc native
    python3 docs/scripts/pydmd_compare.py            # needs numpy and pydmd (pip install pydmd)
It prints the markdown table of the doc. For each series both programs get the same training part (the first
L − holdout samples), the same delays and the same rank rule (a fixed rank, or the optimal hard threshold: Phasor's
exact ω(β), PyDMD's polynomial fit of it). PyDMD runs exact DMD (exact=True); its free run is formed here from its own
modes, eigenvalues and amplitudes exactly as Phasor's is (newest block of Φ Λ^k b), and its own reconstructed_data
(reconstruction_method="first") is reported too.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from pydmd import HankelDMD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHASOR = os.path.join(ROOT, ".build", "release", "phasor")


def nrmse(model, truth):
    truth = np.asarray(truth, float)
    model = np.asarray(model, float)
    spread = ((truth - truth.mean(axis=0)) ** 2).sum()
    return math.sqrt(((model - truth) ** 2).sum() / spread)


def italy_power_demand():
    values, started = [], False
    with open(os.path.join(ROOT, "Data/ucr/ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts")) as f:
        for line in f:
            line = line.strip()
            if line.lower().startswith("@data"):
                started = True
            elif started and line and not line.startswith(("#", "@")):
                values += [float(v) for v in line.split(":")[0].split(",")]
    return np.array(values)


def lorenz_x(work):
    path = os.path.join(work, "lorenz.npy")
    subprocess.run([PHASOR, "attractor", "--name", "Lorenz", "--length", "30000", "--dt", "0.01", "--out", path],
                   check=True, capture_output=True)
    return np.load(path)[:, 0].copy()


def damped_sinusoids(noise):
    t = np.arange(400) * 0.1
    x = (np.exp(-0.05 * t) * np.cos(0.7 * t + 0.3) + 0.6 * np.exp(-0.2 * t) * np.cos(1.9 * t - 1.1)
         + 2.0 * np.exp(-0.01 * t) * np.cos(0.25 * t + 2.0))
    return x + noise * np.random.default_rng(0).standard_normal(x.size)


def true_eigenvalues(dt=0.1):
    """μ = e^{(−γ ± iω)Δ} of damped_sinusoids."""
    return [np.exp(complex(-g, s * w) * dt) for g, w in [(0.05, 0.7), (0.2, 1.9), (0.01, 0.25)] for s in (1, -1)]


def distance(found, truth):
    return max(min(abs(f - t) for f in found) for t in truth) if len(found) == len(truth) else float("nan")


def compare(name, series, delays, rank, dt, holdout, work, eigenvalues=None):
    data = os.path.join(work, name + ".npy")
    np.save(data, series)
    network = os.path.join(work, name + "-net")
    args = [PHASOR, "identify", "--data", data, "--delays", str(delays), "--dt", str(dt), "--holdout", str(holdout),
            "--network-out", network, "--json"]
    if rank is not None:
        args += ["--rank", str(rank)]
    ours = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    mu_ours = []
    for o in ours["oscillators"]:
        mu = complex(*o["mu"])
        mu_ours += [mu, mu.conjugate()] if o["pair"] else [mu]
    free_ours = np.load(os.path.join(network, "free_run.npy"))[:, 0]

    training = series[: ours["training_samples"]]
    hdmd = HankelDMD(svd_rank=0 if rank is None else rank, exact=True, d=delays).fit(training[None, :])
    eigs, modes, b = np.asarray(hdmd.eigs), np.asarray(hdmd.modes), np.asarray(hdmd.amplitudes)
    count = free_ours.size
    newest = modes[-1, :]                                     # the last block (d = 1 channel) of each mode
    free_theirs = np.real((newest[None, :] * eigs[None, :] ** np.arange(count)[:, None]) @ b)
    windows = ours["reconstruction"]["samples"]
    truth = training[delays - 1:]
    own = np.real(np.asarray(hdmd.reconstructed_data))[0, : training.size]

    eig_distance = distance(list(eigs), mu_ours)
    return {
        "name": name, "delays": delays, "rule": "GD" if rank is None else f"r = {rank}",
        "rank_ours": ours["rank"], "rank_pydmd": eigs.size, "eig_distance": eig_distance,
        "recon_ours": nrmse(free_ours[:windows], truth), "recon_pydmd": nrmse(free_theirs[:windows], truth),
        "recon_pydmd_own": nrmse(own[delays - 1:], truth),
        "free_run_difference": float(np.max(np.abs(free_ours - free_theirs)) / np.max(np.abs(series))),
        "truth": "" if eigenvalues is None else f"{distance(mu_ours, eigenvalues):.1e} / {distance(list(eigs), eigenvalues):.1e}",
    }


def main():
    if not os.path.exists(PHASOR):
        sys.exit(f"build Phasor in release mode first: {PHASOR} is missing")
    with tempfile.TemporaryDirectory() as work:
        rows = [
            compare("sinusoids", damped_sinusoids(0), 12, 6, 0.1, 0.2, work, true_eigenvalues()),
            compare("sinusoids+noise", damped_sinusoids(0.05), 100, None, 0.1, 0.2, work, true_eigenvalues()),
            compare("ItalyPowerDemand", italy_power_demand(), 48, None, 1, 0.2, work),
            compare("ItalyPowerDemand", italy_power_demand(), 48, 12, 1, 0.2, work),
            compare("Lorenz x", lorenz_x(work), 100, 20, 0.01, 0.1, work),
        ]
    print("| series | delays | rank rule | rank Phasor / PyDMD | max \\|μ − μ'\\| | max \\|μ − μ_true\\| Phasor / PyDMD | "
          "free-run NRMSE Phasor | PyDMD (same formula) | PyDMD reconstructed_data | max \\|Δ free run\\| / max \\|x\\| |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['delays']} | {r['rule']} | {r['rank_ours']} / {r['rank_pydmd']} | {r['eig_distance']:.1e} | {r['truth']} | "
              f"{r['recon_ours']:.4g} | {r['recon_pydmd']:.4g} | {r['recon_pydmd_own']:.4g} | {r['free_run_difference']:.1e} |")


if __name__ == "__main__":
    main()
