#!/usr/bin/env python3
"""Phasor against Hugging Face transformers on CPU: the forward pass of a Mamba-130m-sized language model.

    swift build -c release -Xswiftc -target-cpu -Xswiftc native      # from the repository root
    python3 Benchmarks/mamba_vs_transformers.py [--rounds 3] [--repeats 3] [--length 128] [--precision f32]

Needs torch and transformers. The script
  1. builds MambaForCausalLM with Mamba-130m's sizes (24 layers, d_model 768, d_state 16, vocab 50280) and random
     weights, saves them with safetensors (transformers' key names, head tied) and 128 token ids;
  2. checks that `phasor predict --tokens` gives transformers' logits (relative error printed);
  3. times, alternating in each round, transformers' forward (torch.no_grad, float32, torch's default threads) and
     `phasor bench mamba` on the same checkpoint and tokens (median of --repeats after one warm-up each), and prints
     wall and process-CPU milliseconds, tokens per second, the ratio, and the load average around each measurement.
transformers runs its own PyTorch path on CPU (the CUDA kernels of mamba_ssm / causal_conv1d are not available), as
a CPU user of MambaForCausalLM gets it. With --precision f64 transformers' `model.double()` still rounds A, Δ's bias,
D and the RMSNorm statistics to float32 (its casts are written for bf16 weights; see
Tests/Fixtures/mamba/make_mamba_fixtures.py), so the printed logit difference is ~1e-5 there, not ~1e-12.
The checkpoint is written to a temporary folder that is removed at the end.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import MambaConfig, MambaForCausalLM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def load():
    return os.getloadavg()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phasor", default=os.path.join(ROOT, ".build", "release", "phasor"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--length", type=int, default=128)
    parser.add_argument("--precision", default="f32", choices=["f32", "f64"])
    args = parser.parse_args()
    dtype = torch.float32 if args.precision == "f32" else torch.float64

    torch.manual_seed(0)
    config = MambaConfig(vocab_size=50280, hidden_size=768, state_size=16, num_hidden_layers=24, conv_kernel=4, expand=2)
    model = MambaForCausalLM(config).to(dtype).eval()
    ids = torch.tensor([[(i * 7919 + 13) % config.vocab_size for i in range(args.length)]])
    with tempfile.TemporaryDirectory(prefix="mamba-bench-") as folder:
        run(args, model, ids, config, folder)


def run(args, model, ids, config, folder):
    state = {k: v.detach().float().contiguous() for k, v in model.state_dict().items() if k != "lm_head.weight"}
    save_file(state, os.path.join(folder, "model.safetensors"))
    config.to_json_file(os.path.join(folder, "config.json"))
    tokens = os.path.join(folder, "tokens.npy")
    np.save(tokens, ids.numpy().astype(np.int64))
    print(f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters, {args.length} tokens, "
          f"{args.precision}; torch {torch.__version__} ({torch.get_num_threads()} threads)")

    with torch.no_grad():
        reference = model(ids).logits.double().numpy()
    out = os.path.join(folder, "logits.npy")
    subprocess.run([args.phasor, "predict", "--model", folder, "--tokens", tokens, "--output", out,
                    "--precision", args.precision], check=True)
    phasor = np.load(out)
    print(f"phasor predict vs transformers: max |Δlogit| / max |logit| = "
          f"{np.abs(phasor - reference).max() / np.abs(reference).max():.2e}")

    rows = []
    for r in range(args.rounds):
        before = load()
        with torch.no_grad():
            model(ids)  # warm-up
            wall, cpu = [], []
            for _ in range(args.repeats):
                t, c = time.perf_counter(), cpu_ms()
                model(ids)
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append(cpu_ms() - c)
        hf = (statistics.median(wall), statistics.median(cpu), before, load())
        before = load()
        result = subprocess.run([args.phasor, "bench", "mamba", "--model", folder, "--tokens", tokens, "--precision",
                                 args.precision, "--repeats", str(args.repeats), "--json"],
                                check=True, capture_output=True, text=True)
        ph = json.loads(result.stdout)
        ph = (ph["forward_ms"], ph["forward_cpu_ms"], before, load())
        rows.append((hf, ph))
        print(f"round {r + 1}: transformers {hf[0]:8.1f} ms (CPU {hf[1]:8.1f}, load {hf[2]:.1f}→{hf[3]:.1f})   "
              f"phasor {ph[0]:8.1f} ms (CPU {ph[1]:8.1f}, load {ph[2]:.1f}→{ph[3]:.1f})   "
              f"ratio wall {hf[0] / ph[0]:.2f}×, CPU {hf[1] / ph[1]:.2f}×")
    hf_wall = statistics.median(r[0][0] for r in rows)
    ph_wall = statistics.median(r[1][0] for r in rows)
    hf_cpu = statistics.median(r[0][1] for r in rows)
    ph_cpu = statistics.median(r[1][1] for r in rows)
    print(f"median: transformers {hf_wall:.1f} ms = {args.length / hf_wall * 1000:.0f} tokens/s (CPU {hf_cpu:.1f} ms); "
          f"phasor {ph_wall:.1f} ms = {args.length / ph_wall * 1000:.0f} tokens/s (CPU {ph_cpu:.1f} ms); "
          f"phasor is {hf_wall / ph_wall:.2f}× faster in wall time, {hf_cpu / ph_cpu:.2f}× in CPU time")


if __name__ == "__main__":
    sys.exit(main())
