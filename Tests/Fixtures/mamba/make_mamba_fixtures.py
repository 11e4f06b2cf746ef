#!/usr/bin/env python3
"""Small random Mamba-1 language models and their logits, as written by Hugging Face transformers.

Run by hand (needs torch + transformers; CI does not run it):

    python3 Tests/Fixtures/mamba/make_mamba_fixtures.py

Each fixture is a folder as `save_pretrained` writes it (weights + config.json), plus
    tokens.npy          int64 (B, L) token ids
    logits_f64.npy      float64 (B, L, vocab): transformers' MambaForCausalLM in float64 (see below)
    logits_f32.npy      float32 (B, L, vocab): the same model run by transformers as shipped, in float32
The Swift tests compare Phasor against these without Python.

Fixtures (vocab 64, d_model 16, d_inner 32, d_state 8, d_conv 4, 2 layers):
    hf_tied     transformers key names, tied head (no lm_head.weight in the file), F32, config.json (ε = 1e-5)
    hf_untied   transformers key names, own lm_head.weight, in_proj/out_proj biases (use_bias), F32, ε = 1e-3 in
                config.json (so a reader that ignores config.json fails), time_step_rank 3
    ssm_bf16    mamba_ssm key names (backbone.embedding.weight), tied, BF16 tensors, no config.json (ε = 1e-5 default),
                no conv bias (use_conv_bias False)
    sharded     transformers key names split over several files with model.safetensors.index.json + config.json,
                F16 tensors

float64 reference: transformers' Mamba code upcasts to float32 in places meant for bf16/fp16 weights
(`A_log.float()`, `dt_proj.bias.float()`, `D.float()`, RMSNorm `.to(torch.float32)`, residual_in_fp32). With float64
weights those casts would round to float32, so while computing logits_f64 this script makes `Tensor.float()` and
`Tensor.to(torch.float32)` return a float64 tensor unchanged when it already is float64. Nothing else in the model
changes. The script checks that the float64 logits agree with an independent float64 NumPy forward pass to 1e-12
(so no float32 rounding is left in them) and with the untouched float32 run to ~1e-6.
"""
import json
import os
import shutil

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import MambaConfig, MambaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, D_MODEL, D_STATE, D_CONV, LAYERS = 64, 16, 8, 4, 2
BATCH, LENGTH = 2, 12


class KeepFloat64:
    """Within the block, float64 tensors are not downcast by .float() / .to(torch.float32)."""

    def __enter__(self):
        self.float, self.to = torch.Tensor.float, torch.Tensor.to
        original_float, original_to = self.float, self.to

        def keep_float(t, *args, **kwargs):
            return t if t.dtype == torch.float64 else original_float(t, *args, **kwargs)

        def keep_to(t, *args, **kwargs):
            if t.dtype == torch.float64:
                args = tuple(torch.float64 if a is torch.float32 else a for a in args)
                if kwargs.get("dtype") is torch.float32:
                    kwargs["dtype"] = torch.float64
            return original_to(t, *args, **kwargs)

        torch.Tensor.float, torch.Tensor.to = keep_float, keep_to

    def __exit__(self, *exc):
        torch.Tensor.float, torch.Tensor.to = self.float, self.to


def randomise(model, generator, dtype):
    """Moves every parameter away from its structured initialisation (norm weights 1, D = 1, zero biases, A_log =
    log(n+1)) so that a wrong convention cannot pass by accident; values are rounded to `dtype` (the stored type)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("A_log"):
                v = torch.log(torch.arange(1, D_STATE + 1, dtype=torch.float64)).expand_as(p) \
                    + 0.3 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            elif name.endswith(".D"):
                v = 1 + 0.5 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            elif name.endswith("norm.weight") or name.endswith("norm_f.weight"):
                v = 1 + 0.3 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            elif name.endswith("dt_proj.bias"):
                v = p.detach().double() + 0.5 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            elif name.endswith("bias"):
                v = 0.1 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            elif "embedding" in name or "lm_head" in name:
                v = 0.5 * torch.randn(p.shape, generator=generator, dtype=torch.float64)
            else:  # in_proj, conv1d, x_proj, dt_proj, out_proj weights
                fan_in = p.shape[1] * (p.shape[2] if p.dim() == 3 else 1)
                v = torch.randn(p.shape, generator=generator, dtype=torch.float64) / fan_in ** 0.5
            p.copy_(v.to(dtype).to(p.dtype))


def numpy_reference(model, tokens):
    """The same forward pass written out in NumPy float64 (embedding, [RMSNorm, mixer, residual] × n, RMSNorm, head)."""
    w = {k: v.detach().double().numpy() for k, v in model.state_dict().items()}
    eps = model.config.layer_norm_epsilon

    def rms(x, g):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * g

    def silu(x):
        return x / (1 + np.exp(-x))

    out = []
    for ids in tokens:
        h = w["backbone.embeddings.weight"][ids]
        for i in range(model.config.num_hidden_layers):
            p = f"backbone.layers.{i}."
            xz = rms(h, w[p + "norm.weight"]) @ w[p + "mixer.in_proj.weight"].T + w.get(p + "mixer.in_proj.bias", 0)
            e = xz.shape[1] // 2
            x, z = xz[:, :e], xz[:, e:]
            kernel = w[p + "mixer.conv1d.weight"][:, 0, :]
            k = kernel.shape[1]
            padded = np.vstack([np.zeros((k - 1, e)), x])
            u = silu(np.stack([(padded[t:t + k] * kernel.T).sum(0) for t in range(len(x))])
                     + w.get(p + "mixer.conv1d.bias", 0))
            xi = u @ w[p + "mixer.x_proj.weight"].T
            r, n = w[p + "mixer.dt_proj.weight"].shape[1], w[p + "mixer.A_log"].shape[1]
            dt = np.logaddexp(0, xi[:, :r] @ w[p + "mixer.dt_proj.weight"].T + w[p + "mixer.dt_proj.bias"])
            b, c, a = xi[:, r:r + n], xi[:, r + n:], -np.exp(w[p + "mixer.A_log"])
            s, ys = np.zeros((e, n)), []
            for t in range(len(x)):
                s = np.exp(dt[t][:, None] * a) * s + dt[t][:, None] * b[t][None, :] * u[t][:, None]
                ys.append(s @ c[t] + w[p + "mixer.D"] * u[t])
            h = h + (np.array(ys) * silu(z)) @ w[p + "mixer.out_proj.weight"].T + w.get(p + "mixer.out_proj.bias", 0)
        out.append(rms(h, w["backbone.norm_f.weight"]) @ w.get("lm_head.weight", w["backbone.embeddings.weight"]).T)
    return np.array(out)


def logits(model, tokens, dtype):
    m = model.to(dtype).eval()
    with torch.no_grad():
        if dtype == torch.float64:
            with KeepFloat64():
                out = m(torch.from_numpy(tokens)).logits
        else:
            out = m(torch.from_numpy(tokens)).logits
    return out.numpy()


def make(name, *, seed, use_bias=False, use_conv_bias=True, eps=1e-5, tie=True, rank="auto", store=torch.float32,
         ssm_names=False, config_file=True, shard=None):
    folder = os.path.join(HERE, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(seed)
    config = MambaConfig(vocab_size=VOCAB, hidden_size=D_MODEL, state_size=D_STATE, num_hidden_layers=LAYERS,
                         conv_kernel=D_CONV, expand=2, use_bias=use_bias, use_conv_bias=use_conv_bias,
                         layer_norm_epsilon=eps, tie_word_embeddings=tie, time_step_rank=rank)
    model = MambaForCausalLM(config).double()
    generator = torch.Generator().manual_seed(seed)
    randomise(model, generator, store)
    if tie:
        model.tie_weights()
    tokens = torch.randint(0, VOCAB, (BATCH, LENGTH), generator=generator).numpy().astype(np.int64)

    f64 = logits(model, tokens, torch.float64)
    independent = np.abs(numpy_reference(model, tokens) - f64).max() / np.abs(f64).max()
    assert independent < 1e-12, f"{name}: transformers float64 and NumPy differ by {independent}"
    f32 = logits(model, tokens, torch.float32)  # the float32 weights are exactly the stored values (store ⊂ float32)
    gap = np.abs(f64 - f32).max() / np.abs(f64).max()
    assert gap < 1e-5, f"{name}: float64 and float32 runs differ by {gap}"

    if shard is not None:
        model.to(store).save_pretrained(folder, max_shard_size=shard)
        assert os.path.exists(os.path.join(folder, "model.safetensors.index.json")), "expected a sharded save"
    else:
        state = {k: v.detach().to(store).contiguous() for k, v in model.state_dict().items()}
        if tie:
            state.pop("lm_head.weight")
        if ssm_names:
            state = {k.replace("backbone.embeddings.", "backbone.embedding."): v for k, v in state.items()}
        save_file(state, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        if config_file:
            model.config.to_json_file(os.path.join(folder, "config.json"))
    np.save(os.path.join(folder, "tokens.npy"), tokens)
    np.save(os.path.join(folder, "logits_f64.npy"), f64.astype(np.float64))
    np.save(os.path.join(folder, "logits_f32.npy"), f32.astype(np.float32))
    files = sorted(os.listdir(folder))
    print(f"{name}: {files}; max|logit| {np.abs(f64).max():.3f}; vs NumPy {independent:.1e}; f64 vs f32 {gap:.1e}")
    return model, tokens, f64


def main():
    make("hf_tied", seed=1)
    make("hf_untied", seed=2, use_bias=True, eps=1e-3, tie=False, rank=3)
    make("ssm_bf16", seed=3, use_conv_bias=False, store=torch.bfloat16, ssm_names=True, config_file=False)
    make("sharded", seed=4, store=torch.float16, shard="4KB")

    # Sanity: the keys written for the mamba_ssm spelling load back into transformers (its load hook renames them).
    state = load_file(os.path.join(HERE, "ssm_bf16", "model.safetensors"))
    assert "backbone.embedding.weight" in state and "lm_head.weight" not in state
    with open(os.path.join(HERE, "sharded", "model.safetensors.index.json")) as f:
        index = json.load(f)
    print("sharded files:", sorted(set(index["weight_map"].values())))


if __name__ == "__main__":
    main()
