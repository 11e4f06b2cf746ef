"""The synthetic classification set the benchmark scripts train on (no download, same bytes for every tool)."""
import math


def series(n, length, classes, seed):
    """x[i, l] = sin(2π(c + 1)l/L + φ_i) + 0.5·ε_il with c = i mod classes, φ_i ~ U[0, 2π), ε ~ N(0, 1)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    labels = np.arange(n) % classes
    phases = rng.uniform(0, 2 * math.pi, size=n)
    x = np.sin(2 * math.pi * (labels[:, None] + 1) * t[None, :] / length + phases[:, None])
    x += 0.5 * rng.standard_normal((n, length))
    return x, labels


def write_csv(path, x, labels):
    """One series per line, the label last (what `phasor train --data x.csv` reads)."""
    with open(path, "w") as f:
        for row, c in zip(x, labels):
            f.write(",".join(f"{v:.9g}" for v in row) + f",{c}\n")
