#!/usr/bin/env python3
"""Exact-by-construction S4Models (bilinear head; BatchNorm1d or no norm) built in PyTorch as a user would, with
PyTorch's own logits, for Phasor's tests — and a check that a Phasor-written model loads into the same module.

The modules keep example.py's `state_dict` key names: the bilinear head is the same `output_linear` Sequential
(Conv1d(H, 2H, 1) at index 0, then a tensor-free product), and BatchNorm1d — on example.py's (B, L, H) layout,
hence the transposes — sits at `norms.{i}` with weight, bias, running_mean, running_var, num_batches_tracked. The
S4D kernel is make_checkpoints.py's (an independent float64 implementation). Run once (torch, safetensors, numpy):

    python3 Tests/Fixtures/checkpoints/make_exact_checkpoints.py

It writes, next to itself (a few KB; the input is make_checkpoints.py's x.npy):
    exact_batch.safetensors   2 layers, bilinear head, post-norm BatchNorm1d whose running statistics come from
                              three training-mode forward passes; metadata {"block": "bilinear"} only (the norm kind
                              is read from the keys), F32 as save_file(model.state_dict()) writes it
    exact_none.safetensors    2 layers, bilinear head, no norm (nn.Identity: no norms.{i} keys), metadata {"block": "bilinear"}
    logits_exact_batch.npy, logits_exact_none.npy   PyTorch's float64 eval-mode logits of the weights as stored

    python3 Tests/Fixtures/checkpoints/make_exact_checkpoints.py --check MODEL.safetensors DATA.npy

loads a Phasor checkpoint (phasor train --block bilinear --norm batch|none|layer) into these modules with strict
load_state_dict and prints its float64 logits on DATA (B, L, d_input; standardise it first with the checkpoint's
input_mean/input_std, as `phasor predict` does) — compare with `phasor predict --precision f64`.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_checkpoints import Kernel, rounded  # noqa: E402  (the S4D kernel under state-spaces' names)


class Bilinear(nn.Module):
    """The bilinear GLU (Shazeer 2020): a ⊙ b over the two channel halves of (B, 2H, L); no GELU, no sigmoid."""

    def forward(self, z):
        a, b = z.chunk(2, dim=-2)
        return a * b


class BatchNormBLH(nn.BatchNorm1d):
    """nn.BatchNorm1d(H) on example.py's (B, L, H) activations (its norms see that layout); same keys as BatchNorm1d."""

    def forward(self, x):
        return super().forward(x.transpose(-1, -2)).transpose(-1, -2)


class BilinearS4D(nn.Module):
    """s4d.py's S4D block with the activation removed and the GLU replaced by the bilinear product."""

    def __init__(self, h, n, generator):
        super().__init__()
        self.h = h
        self.D = nn.Parameter(torch.randn(h, generator=generator))
        self.kernel = KernelOf(h, n, generator)
        self.output_linear = nn.Sequential(nn.Conv1d(h, 2 * h, kernel_size=1), Bilinear())

    def forward(self, u, bilinear_discretisation=False):                   # u (B, H, L)
        length = u.shape[-1]
        k = self.kernel.kernel(length, bilinear_discretisation)
        y = torch.fft.irfft(torch.fft.rfft(u, n=2 * length) * torch.fft.rfft(k, n=2 * length), n=2 * length)[..., :length]
        y = y + u * self.D[None, :, None]
        return self.output_linear(y)                                          # Conv1d, then a ⊙ b


class KernelOf(Kernel):
    """make_checkpoints.Kernel (same parameters, same kernel) at any H and N (its own constants are H = N = 4)."""

    def __init__(self, h, n, generator):
        nn.Module.__init__(self)
        import math
        m = n // 2
        self.log_dt = nn.Parameter(torch.empty(h).uniform_(math.log(1e-2), math.log(3e-1), generator=generator))
        self.C = nn.Parameter(torch.randn(h, m, 2, generator=generator) * 0.7)
        self.log_A_real = nn.Parameter(math.log(0.5) + 0.3 * torch.randn(h, m, generator=generator))
        self.A_imag = nn.Parameter(math.pi * torch.arange(m).repeat(h, 1).double() + 0.2 * torch.randn(h, m, generator=generator))


class ExactS4Model(nn.Module):
    """example.py's S4Model with bilinear blocks and norms `norm` ("batch", "none" or "layer")."""

    def __init__(self, d_input, h, n, layers, classes, norm, prenorm=False, seed=0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self.prenorm = prenorm
        self.encoder = nn.Linear(d_input, h)
        self.s4_layers = nn.ModuleList([BilinearS4D(h, n, g) for _ in range(layers)])
        make = {"batch": lambda: BatchNormBLH(h), "layer": lambda: nn.LayerNorm(h), "none": nn.Identity}[norm]
        self.norms = nn.ModuleList([make() for _ in range(layers)])
        self.decoder = nn.Linear(h, classes)

    def forward(self, x):                                                     # (B, L, d_input)
        x = self.encoder(x)                                                   # (B, L, H)
        for layer, norm in zip(self.s4_layers, self.norms):
            z = norm(x) if self.prenorm else x
            x = layer(z.transpose(-1, -2)).transpose(-1, -2) + x
            if not self.prenorm:
                x = norm(x)
        return self.decoder(x.mean(dim=1))


def build(norm, seed, x):
    model = ExactS4Model(1, 4, 4, 2, 3, norm, seed=seed).double()
    model.train()
    g = torch.Generator().manual_seed(seed + 100)
    with torch.no_grad():
        for m in model.norms:                                                 # non-trivial affines
            if hasattr(m, "weight"):
                m.weight.copy_(1 + 0.2 * torch.randn(4, generator=g, dtype=torch.float64))
                m.bias.copy_(0.1 * torch.randn(4, generator=g, dtype=torch.float64))
        for _ in range(3):                                                    # running statistics ≠ (0, 1)
            model(1.5 * torch.randn(5, x.shape[1], 1, generator=g, dtype=torch.float64) + 0.3)
    state = rounded(model.state_dict(), torch.float32)
    state = {k: (v.to(torch.int64) if k.endswith("num_batches_tracked") else v) for k, v in state.items()}
    fresh = ExactS4Model(1, 4, 4, 2, 3, norm, seed=seed).double()
    fresh.load_state_dict({k: (v if v.dtype == torch.int64 else v.double()) for k, v in state.items()}, strict=True)
    fresh.eval()
    with torch.no_grad():
        logits = fresh(torch.from_numpy(x)).numpy()
    return state, logits


def check(path, data):
    with safe_open(path, "pt") as f:
        meta = f.metadata() or {}
        state = {k: f.get_tensor(k) for k in f.keys()}
    w = state["encoder.weight"]
    h, d_input = w.shape
    n = 2 * state["s4_layers.0.kernel.A_imag"].shape[1]
    layers = len({k.split(".")[1] for k in state if k.startswith("s4_layers.")})
    classes = state["decoder.weight"].shape[0]
    assert meta.get("block") == "bilinear", "not a bilinear model"
    model = ExactS4Model(d_input, h, n, layers, classes, meta.get("norm", "layer"),
                         prenorm=meta.get("prenorm") == "true").double()
    model.load_state_dict({k: (v if v.dtype == torch.int64 else v.double()) for k, v in state.items()}, strict=True)
    model.eval()
    x = torch.from_numpy(np.load(data).astype(np.float64))
    if meta.get("discretization", "zoh") != "zoh":
        raise SystemExit("this check implements ZOH only")
    with torch.no_grad():
        print(json.dumps(model(x).tolist()))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
        sys.exit(0)
    X = np.load(os.path.join(HERE, "x.npy"))
    for name, norm, seed in [("exact_batch", "batch", 11), ("exact_none", "none", 12)]:
        state, logits = build(norm, seed, X)
        save_file(state, os.path.join(HERE, name + ".safetensors"), metadata={"block": "bilinear"})
        np.save(os.path.join(HERE, "logits_" + name + ".npy"), logits)
        print(name, sorted(state)[:3], logits.shape)
