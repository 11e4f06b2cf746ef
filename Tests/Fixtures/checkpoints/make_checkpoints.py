#!/usr/bin/env python3
"""Small S4Model checkpoints saved the ways PyTorch users save them, with PyTorch's own logits, for Phasor's tests.

The model is written here from the structure of state-spaces `example.py` (encoder → n × [prenorm? LayerNorm → S4D
block → dropout → residual → postnorm? LayerNorm] → mean over time → decoder) with the same `state_dict` key names;
its S4D block (kernel from log_dt, C, log_A_real, A_imag; y = K * u + D u; GELU; 1×1 conv to 2H; GLU) is an
independent implementation in float64 — no state-spaces code is copied. Run once (torch, safetensors, numpy):

    python3 Tests/Fixtures/checkpoints/make_checkpoints.py

It writes, next to itself (a few KB in all):
    x.npy                        model inputs (B, L, d_input) = (3, 12, 1), float64
    data.csv                     12 labelled sequences of length 12 (last column: class a/b/c) for eval/operator/analyze
    plain.safetensors            safetensors.torch.save_file(model.state_dict()) — F32, no metadata (post-norm, ZOH)
    dataparallel.safetensors     the same weights from torch.nn.DataParallel(model).state_dict() ("module." keys)
    compiled.safetensors         the same weights from torch.compile(model).state_dict() ("_orig_mod." keys)
    lightning.safetensors        the same weights under "model." (a LightningModule holding the model as .model)
    nested.safetensors           the same weights under "_orig_mod.module." (compile of a DataParallel model)
    bundle.safetensors           the model under "student." beside other tensors ("teacher.…"): needs --prefix student
    prenorm.safetensors          a prenorm=True model saved WITHOUT metadata (the case that must never pass silently)
    bilinear.safetensors         a bilinear-discretised model, metadata {"discretization": "bilinear", "prenorm": "False"}
    half.safetensors, bfloat16.safetensors   the plain model's weights as F16 / BF16
    logits_<name>.npy            PyTorch's float64 logits of plain, prenorm, bilinear, half and bfloat16 on x.npy,
                                 computed from the weights AS STORED (F32/F16/BF16-rounded, widened to float64); the
                                 wrapped files hold plain's weights, so plain's logits are theirs
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
D_INPUT, H, N, LAYERS, CLASSES, B, L = 1, 4, 4, 2, 3, 3, 12


class Kernel(nn.Module):
    """The S4D kernel's parameters under state-spaces' names; K[h, l] = 2 Re Σ_n C̃_hn μ_hn^l."""

    def __init__(self, generator):
        super().__init__()
        m = N // 2
        self.log_dt = nn.Parameter(torch.empty(H).uniform_(math.log(1e-2), math.log(3e-1), generator=generator))
        self.C = nn.Parameter(torch.randn(H, m, 2, generator=generator) * 0.7)
        self.log_A_real = nn.Parameter(math.log(0.5) + 0.3 * torch.randn(H, m, generator=generator))
        self.A_imag = nn.Parameter(math.pi * torch.arange(m).repeat(H, 1).double() + 0.2 * torch.randn(H, m, generator=generator))

    def kernel(self, length, bilinear):
        dt = torch.exp(self.log_dt.double())[:, None]                        # Δ (H, 1)
        lam = torch.complex(-torch.exp(self.log_A_real.double()), self.A_imag.double())   # λ (H, M)
        c = torch.complex(self.C[..., 0].double(), self.C[..., 1].double())
        x = dt * lam
        if bilinear:
            mu = (1 + x / 2) / (1 - x / 2)                                    # (1 + Δλ/2)/(1 − Δλ/2)
            ct = c * dt / (1 - x / 2)                                         # C Δ/(1 − Δλ/2)
        else:
            mu = torch.exp(x)                                                 # e^{Δλ}
            ct = c * (torch.exp(x) - 1) / lam                                 # C (e^{Δλ} − 1)/λ
        powers = mu[..., None] ** torch.arange(length, dtype=torch.float64)   # μ^l (H, M, L)
        return 2 * torch.einsum("hm,hml->hl", ct, powers).real


class Block(nn.Module):
    def __init__(self, generator, bilinear):
        super().__init__()
        self.bilinear = bilinear
        self.D = nn.Parameter(torch.randn(H, generator=generator))
        self.kernel = Kernel(generator)
        self.output_linear = nn.Sequential(nn.Conv1d(H, 2 * H, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):                                                     # u (B, H, L)
        length = u.shape[-1]
        k = self.kernel.kernel(length, self.bilinear)
        y = torch.zeros_like(u)
        for l in range(length):                                               # causal convolution, written out
            y[..., l] = torch.einsum("bhj,hj->bh", u[..., : l + 1].flip(-1), k[:, : l + 1])
        y = y + u * self.D.double()[None, :, None]
        a = torch.nn.functional.gelu(y)                                       # erf form
        conv = self.output_linear[0]
        z = torch.einsum("oh,bhl->bol", conv.weight.double()[..., 0], a) + conv.bias.double()[None, :, None]
        return z[:, :H] * torch.sigmoid(z[:, H:])                             # GLU over channels


class S4Model(nn.Module):
    def __init__(self, seed, prenorm=False, bilinear=False):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self.prenorm = prenorm
        self.encoder = nn.Linear(D_INPUT, H)
        self.s4_layers = nn.ModuleList([Block(g, bilinear) for _ in range(LAYERS)])
        self.norms = nn.ModuleList([nn.LayerNorm(H) for _ in range(LAYERS)])
        self.dropouts = nn.ModuleList([nn.Identity() for _ in range(LAYERS)])
        self.decoder = nn.Linear(H, CLASSES)
        with torch.no_grad():                                                 # non-trivial LayerNorm affines
            for norm in self.norms:
                norm.weight.copy_(1 + 0.2 * torch.randn(H, generator=g))
                norm.bias.copy_(0.1 * torch.randn(H, generator=g))

    def forward(self, x):                                                     # (B, L, d_input), float64 arithmetic
        x = (x @ self.encoder.weight.double().T + self.encoder.bias.double()).transpose(-1, -2)
        for layer, norm in zip(self.s4_layers, self.norms):
            def ln(v):
                return torch.nn.functional.layer_norm(v.transpose(-1, -2), (H,), norm.weight.double(), norm.bias.double(),
                                                      eps=1e-5).transpose(-1, -2)
            z = ln(x) if self.prenorm else x
            x = layer(z) + x
            if not self.prenorm:
                x = ln(x)
        return x.mean(dim=-1) @ self.decoder.weight.double().T + self.decoder.bias.double()


def rounded(state, dtype):
    """The state dict as stored in `dtype` (what a user's file holds)."""
    return {k: v.detach().to(dtype).contiguous() for k, v in state.items()}


def logits_of(model_factory, state):
    """PyTorch's float64 logits of a fresh model carrying exactly `state`'s (rounded) values."""
    model = model_factory().double()
    model.load_state_dict({k: v.double() for k, v in state.items()}, strict=True)
    with torch.no_grad():
        return model(torch.from_numpy(X)).numpy()


def save(name, state, metadata=None, logits=None):
    save_file(state, os.path.join(HERE, name + ".safetensors"), metadata=metadata)
    if logits is not None:
        np.save(os.path.join(HERE, "logits_" + name + ".npy"), logits)


if __name__ == "__main__":                                                  # (make_exact_checkpoints.py imports the modules above)
    rng = np.random.default_rng(7)
    X = rng.normal(size=(B, L, D_INPUT))
    np.save(os.path.join(HERE, "x.npy"), X)

    plain = S4Model(seed=1)
    f32 = rounded(plain.state_dict(), torch.float32)
    plain_logits = logits_of(lambda: S4Model(seed=1), f32)
    save("plain", f32, logits=plain_logits)

    wrapped = nn.DataParallel(plain)                                          # CPU: no device ids, keys "module."
    assert all(k.startswith("module.") for k in wrapped.state_dict())
    save("dataparallel", rounded(wrapped.state_dict(), torch.float32))
    compiled = torch.compile(plain)                                           # lazy: nothing is compiled here
    assert all(k.startswith("_orig_mod.") for k in compiled.state_dict())
    save("compiled", rounded(compiled.state_dict(), torch.float32))
    save("lightning", {"model." + k: v for k, v in f32.items()})
    nested = torch.compile(nn.DataParallel(plain))
    assert all(k.startswith("_orig_mod.module.") for k in nested.state_dict())
    save("nested", rounded(nested.state_dict(), torch.float32))
    teacher = S4Model(seed=9)
    bundle = {"student." + k: v for k, v in f32.items()}
    bundle.update({"teacher." + k: v for k, v in rounded(teacher.state_dict(), torch.float32).items()})
    bundle["step"] = torch.tensor([100.0])
    save("bundle", bundle)

    prenorm = S4Model(seed=2, prenorm=True)
    pre32 = rounded(prenorm.state_dict(), torch.float32)
    save("prenorm", pre32, logits=logits_of(lambda: S4Model(seed=2, prenorm=True), pre32))

    bilinear = S4Model(seed=3, bilinear=True)
    bil32 = rounded(bilinear.state_dict(), torch.float32)
    save("bilinear", bil32, metadata={"discretization": "bilinear", "prenorm": "False"},
         logits=logits_of(lambda: S4Model(seed=3, bilinear=True), bil32))

    for name, dtype in [("half", torch.float16), ("bfloat16", torch.bfloat16)]:
        low = rounded(plain.state_dict(), dtype)
        save(name, low, logits=logits_of(lambda: S4Model(seed=1), low))

    # A tiny labelled set (CSV, label last) the commands that read data can run on.
    with open(os.path.join(HERE, "data.csv"), "w") as f:
        for i in range(12):
            label = "abc"[i % 3]
            seq = np.sin((1 + i % 3) * 0.5 * np.arange(L) + 0.3 * i) + 0.1 * rng.normal(size=L)
            f.write(",".join(f"{v:.6f}" for v in seq) + f",{label}\n")

    print(json.dumps({n: list(np.load(os.path.join(HERE, f"logits_{n}.npy")).shape) for n in
                      ["plain", "prenorm", "bilinear", "half", "bfloat16"]}))
