"""An independent NumPy reading of docs/architectures-reference.md, checked against every fixture in this folder.

It imports no reference code, no JAX/Flax/Equinox/PyTorch: plain NumPy loops written from the written specification
(sequential recurrences, complex arithmetic), so a pass shows that the specification — not just the export — gives
the reference logits. The Swift implementation is meant to be the same reading.

    python check_spec.py            # every fixture under this folder; exit status 1 on any miss

For each fixture it prints max |Δ| of the logits and of every block's output against the reference trace.
"""

import glob
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_common import log_softmax, read_safetensors  # noqa: E402

TOL = 1e-12


# ------------------------------------------------------------------------------------------ shared pieces (spec §1)

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gelu(x, kind):
    if kind == "tanh":  # jax.nn.gelu / flax.linen.gelu default (approximate=True)
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    erf = np.vectorize(math.erf)  # torch.nn.GELU() default
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def layer_norm(x, scale, bias, eps):  # over the last (feature) axis, biased variance
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * scale + bias


def batch_norm(x, mean, var, eps, scale=None, bias=None):  # inference: running statistics per feature
    y = (x - mean) / np.sqrt(var + eps)
    return y if scale is None else y * scale + bias


def softplus(x):  # torch.nn.functional.softplus (beta 1, threshold 20)
    return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))


def complex_of(t):  # trailing axis (re, im)
    return t[..., 0] + 1j * t[..., 1]


def diagonal_scan(lam, bu, reverse=False):
    """x_k = lam ⊙ x_{k−1} + bu_k from x = 0 (reverse: x_k = lam ⊙ x_{k+1} + bu_k from the end). bu: (L, P)."""
    x = np.zeros(bu.shape[1], dtype=complex)
    out = np.zeros_like(bu, dtype=complex)
    steps = range(bu.shape[0] - 1, -1, -1) if reverse else range(bu.shape[0])
    for k in steps:
        x = lam * x + bu[k]
        out[k] = x
    return out


# ------------------------------------------------------------------------------------------------- cores (spec §2–5)

def s5_core(u, p, meta):
    """u: (L, H) real → (L, H)."""
    lam_re = p["Lambda_re"]
    if meta["clip_eigs"] == "true":
        lam_re = np.minimum(lam_re, -1e-4)
    lam = lam_re + 1j * p["Lambda_im"]
    b = complex_of(p["B"])  # (P, H)
    c = np.concatenate([complex_of(p["C1"]), complex_of(p["C2"])], axis=1) if "C1" in p else complex_of(p["C"])
    delta = float(meta["step_rescale"]) * np.exp(p["log_step"][:, 0])
    if meta["discretization"] == "zoh":
        lam_bar = np.exp(lam * delta)
        b_bar = ((lam_bar - 1.0) / lam)[:, None] * b
    else:  # bilinear
        den = 1.0 - delta / 2.0 * lam
        lam_bar = (1.0 + delta / 2.0 * lam) / den
        b_bar = (delta / den)[:, None] * b
    bu = u @ b_bar.T
    xs = diagonal_scan(lam_bar, bu)
    if meta["bidirectional"] == "true":
        xs = np.concatenate([xs, diagonal_scan(lam_bar, bu, reverse=True)], axis=1)
    f = 2.0 if meta["conj_sym"] == "true" else 1.0
    return f * (xs @ c.T).real + p["D"] * u


def lru_core(u, p, meta):
    lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
    b = (p["B_re"] + 1j * p["B_im"]) * np.exp(p["gamma_log"])[:, None]
    c = p["C_re"] + 1j * p["C_im"]
    xs = diagonal_scan(lam, u @ b.T)
    return (xs @ c.T).real + p["D"] * u


def linoss_core(u, p, meta):
    a = np.maximum(p["A_diag"], 0.0)
    dt = sigmoid(p["steps"])
    b, c = complex_of(p["B"]), complex_of(p["C"])
    if meta["discretization"] == "IM":
        s = 1.0 / (1.0 + dt ** 2 * a)
        m11, m12, m21, m22 = s, -dt * a * s, dt * s, s
        f1, f2 = dt * s, dt ** 2 * s
    else:  # IMEX
        m11, m12, m21, m22 = np.ones_like(a), -dt * a, dt, 1.0 - dt ** 2 * a
        f1, f2 = dt, dt ** 2
    z = np.zeros(a.shape, dtype=complex)
    y = np.zeros(a.shape, dtype=complex)
    out = np.zeros(u.shape)
    for k in range(u.shape[0]):
        v = b @ u[k]
        z, y = m11 * z + m12 * y + f1 * v, m21 * z + m22 * y + f2 * v
        out[k] = (c @ y).real + p["D"] * u[k]
    return out


def s6_core(u, p, meta):
    a = -np.exp(p["A_log"])  # (H, N)
    n = a.shape[1]
    r = p["dt_proj.weight"].shape[1]
    h = np.zeros(a.shape)
    out = np.zeros(u.shape)
    for t in range(u.shape[0]):
        xi = p["x_proj.weight"] @ u[t]
        delta = softplus(p["dt_proj.weight"] @ xi[:r] + p["dt_proj.bias"])
        bt, ct = xi[r:r + n], xi[r + n:r + 2 * n]
        h = np.exp(delta[:, None] * a) * h + (delta * u[t])[:, None] * bt[None, :]
        out[t] = h @ ct + p["D"] * u[t]
    return out


CORES = {"s5": s5_core, "lru": lru_core, "linoss": linoss_core, "s6": s6_core}


# ------------------------------------------------------------------------------------------ blocks and classifiers

def sub(t, prefix):
    return {k[len(prefix):]: v for k, v in t.items() if k.startswith(prefix)}


def flax_dense(x, t, name):
    return x @ t[name + ".kernel"] + t[name + ".bias"]


def linear(x, t, name):
    return x @ t[name + ".weight"].T + t[name + ".bias"]


def flax_classifier(t, meta, u):
    """lindermanlab/S5 ClassificationModel and minimal-LRU ClassificationModel (spec §2, §4)."""
    core = CORES[meta["family"]]
    norm_name = "norm" if meta["family"] == "s5" else "normalization"
    eps = float(meta["norm_eps"])
    outputs = {}
    x = flax_dense(u, t, "params.encoder.encoder")
    for i in range(int(meta["n_layers"])):
        lp, ls = f"params.encoder.layers_{i}.", f"batch_stats.encoder.layers_{i}."

        def norm(v):
            if meta["norm"] == "layer":
                return layer_norm(v, t[lp + norm_name + ".scale"], t[lp + norm_name + ".bias"], eps)
            return batch_norm(v, t[ls + norm_name + ".mean"], t[ls + norm_name + ".var"], eps,
                              t[lp + norm_name + ".scale"], t[lp + norm_name + ".bias"])

        skip = x
        if meta["prenorm"] == "true":
            x = norm(x)
        y = core(x, sub(t, lp + "seq."), meta)
        act = meta["activation"]
        if act == "full_glu":
            g = gelu(y, meta["gelu"])
            y = flax_dense(g, t, lp + "out1") * sigmoid(flax_dense(g, t, lp + "out2"))
        elif act == "half_glu1":
            g = gelu(y, meta["gelu"])
            y = g * sigmoid(flax_dense(g, t, lp + "out2"))
        elif act == "half_glu2":
            y = y * sigmoid(flax_dense(gelu(y, meta["gelu"]), t, lp + "out2"))
        else:  # gelu
            y = gelu(y, meta["gelu"])
        x = skip + y
        if meta["prenorm"] != "true":
            x = norm(x)
        outputs[f"encoder.layers_{i}"] = x
    pooled = x.mean(axis=0) if meta["pooling"] == "mean" else x[-1]
    return flax_dense(pooled, t, "params.decoder"), outputs


def linoss_repo_classifier(t, meta, u):
    """The LinOSS, S5 and LRU classifiers of tk-rusch/linoss = log-neural-cdes (spec §3)."""
    core = CORES[meta["family"]]
    core_name = {"linoss": "ssm", "s5": "ssm", "lru": "lru"}[meta["family"]]
    eps = float(meta["norm_eps"])
    outputs = {}
    x = linear(u, t, "linear_encoder")
    for i in range(int(meta["n_layers"])):
        b = f"blocks.{i}."
        y = batch_norm(x, t[f"state.{b}norm.mean"], t[f"state.{b}norm.var"], eps)
        y = gelu(core(y, sub(t, b + core_name + "."), meta), meta["gelu"])
        y = linear(y, t, b + "glu.w1") * sigmoid(linear(y, t, b + "glu.w2"))
        x = x + y
        outputs[f"blocks.{i}.output"] = x
    return linear(x.mean(axis=0), t, "linear_layer"), outputs


def s6_classifier(t, meta, u):
    """log-neural-cdes torch_experiments Mamba(S6=True) (spec §5)."""
    h = int(meta["d_model"])
    eps = float(meta["norm_eps"])
    outputs = {}
    x = linear(u, t, "linear_encoder")
    for i in range(int(meta["n_layers"])):
        b = f"blocks.{i}."
        y = layer_norm(x, t[b + "norm.weight"], t[b + "norm.bias"], eps)
        y = gelu(s6_core(y, sub(t, b + "mamba."), meta), meta["gelu"])
        o = linear(y, t, b + "glu.linear")
        x = x + o[:, :h] * sigmoid(o[:, h:])
        outputs[f"blocks.{i}"] = x
    return linear(x.mean(axis=0), t, "linear_decoder"), outputs


CLASSIFIERS = {"s5-flax": flax_classifier, "minimal-lru": flax_classifier, "linoss-repo": linoss_repo_classifier,
               "log-ncde-mamba": s6_classifier}


def check(path):
    prefix = path[: -len(".safetensors")]
    t, meta = read_safetensors(path)
    trace, _ = read_safetensors(prefix + ".trace.safetensors")
    u = np.load(prefix + ".input.npy")
    logits_ref = np.load(prefix + ".logits.npy")
    rows = [CLASSIFIERS[meta["block"]](t, meta, u[b]) for b in range(u.shape[0])]
    logits = np.stack([r[0] for r in rows])
    worst = float(np.max(np.abs(logits - logits_ref)))
    out = log_softmax(logits) if meta["output"] == "log_softmax" else np.exp(log_softmax(logits))
    worst_out = float(np.max(np.abs(out - trace["output"])))
    layers = {k: float(np.max(np.abs(np.stack([r[1][k] for r in rows]) - trace[k]))) for k in rows[0][1]}
    ok = max([worst, worst_out] + list(layers.values())) <= TOL
    print(f"{'ok  ' if ok else 'MISS'} {os.path.relpath(path)}: logits {worst:.1e}, output {worst_out:.1e}, "
          + ", ".join(f"{k} {v:.1e}" for k, v in layers.items()))
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    paths = sorted(p for p in glob.glob(os.path.join(here, "*", "*.safetensors")) if not p.endswith(".trace.safetensors"))
    if not paths:
        raise SystemExit("check_spec: no fixtures found")
    results = [check(p) for p in paths]
    if not all(results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
