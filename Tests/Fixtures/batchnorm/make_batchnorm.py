#!/usr/bin/env python3
"""PyTorch's own nn.BatchNorm1d on a (B, H, L) input, as the reference for Phasor's BatchNorm (Layers/BatchNorm.swift).

Run once (torch, safetensors):  python3 Tests/Fixtures/batchnorm/make_batchnorm.py
It writes batchnorm.safetensors next to itself (float64, < 2 KB):
    x                    input (B, H, L) = (3, 4, 5)
    weight, bias         γ, β (H), non-trivial
    running_mean0/var0   the running statistics before the training step (non-trivial)
    out_train            the module's output in training mode (batch statistics)
    running_mean1/var1   the running statistics after that step (momentum 0.1, unbiased variance)
    num_batches_tracked  after the step (int64, 8: it started at 7)
    out_eval             the module's output in eval mode after the step (running statistics)
"""
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
B, H, L = 3, 4, 5
g = torch.Generator().manual_seed(5)
x = 2.0 * torch.randn(B, H, L, generator=g, dtype=torch.float64) + 0.7
bn = torch.nn.BatchNorm1d(H).double()                       # eps 1e-5, momentum 0.1 (PyTorch's defaults)
assert bn.eps == 1e-5 and bn.momentum == 0.1
with torch.no_grad():
    bn.weight.copy_(1 + 0.3 * torch.randn(H, generator=g, dtype=torch.float64))
    bn.bias.copy_(0.2 * torch.randn(H, generator=g, dtype=torch.float64))
    bn.running_mean.copy_(0.5 * torch.randn(H, generator=g, dtype=torch.float64))
    bn.running_var.copy_(0.5 + torch.rand(H, generator=g, dtype=torch.float64))
    bn.num_batches_tracked.fill_(7)
mean0, var0 = bn.running_mean.clone(), bn.running_var.clone()
bn.train()
with torch.no_grad():
    out_train = bn(x)
bn.eval()
with torch.no_grad():
    out_eval = bn(x)
save_file({"x": x, "weight": bn.weight.detach().clone(), "bias": bn.bias.detach().clone(),
           "running_mean0": mean0, "running_var0": var0, "out_train": out_train,
           "running_mean1": bn.running_mean.clone(), "running_var1": bn.running_var.clone(),
           "num_batches_tracked": bn.num_batches_tracked.clone(), "out_eval": out_eval},
          os.path.join(HERE, "batchnorm.safetensors"))
print("wrote batchnorm.safetensors; num_batches_tracked", int(bn.num_batches_tracked))
