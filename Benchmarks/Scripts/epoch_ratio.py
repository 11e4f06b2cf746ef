#!/usr/bin/env python3
"""Phasor's training epoch against PyTorch's, alternating in one run (docs/performance.md).

The PyTorch side is state-spaces `example.py`'s recipe on CPU with the S4D layer of *your* state-spaces checkout
(`models/s4/s4d.py`, imported from --state-spaces; nothing of it is copied here). example.py itself cannot be imported
(it parses arguments and downloads CIFAR at import), so its S4Model backbone — encoder Linear(d_input → H), n × [S4D,
Dropout1d, residual add, post-LayerNorm], mean over time, decoder Linear(H → classes) — and its optimiser set-up
(AdamW lr 0.01 wd 0.01; the S4D parameters that carry an `_optim` dict get that dict's lr and weight decay) are
rebuilt below from that description.

Both train the same synthetic set (synthetic.py): `--series` univariate series of length `--length`, `--classes`
classes (a noisy sine whose frequency is the class), standardised with the training statistics as Phasor does. Each round runs
`phasor train` for `--epochs` epochs (its per-epoch wall times from --json) and then PyTorch for as many epochs in
this process; the first epoch of each is warm-up and not counted. Reported: median wall seconds per epoch of each
over all rounds and their ratio, and — because a shared machine stretches wall times unevenly — CPU seconds per epoch
(all threads; for Phasor the whole process's CPU divided by its epochs, start-up and warm-up included, so an upper
bound), with the machine's load average before and after.

  pip install torch einops            # what s4d.py imports
  git clone https://github.com/state-spaces/s4 ~/s4
  swift build -c release               # the build to measure
  python3 Benchmarks/Scripts/epoch_ratio.py --state-spaces ~/s4 --phasor .build/release/phasor
"""
import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import synthetic


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--state-spaces", required=True, help="path of a state-spaces/s4 checkout (has models/s4/s4d.py)")
    p.add_argument("--phasor", default=".build/release/phasor", help="the phasor executable to measure")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds (Phasor then PyTorch)")
    p.add_argument("--epochs", type=int, default=3, help="epochs per round and side; the first is warm-up")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--d-state", type=int, default=64)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--series", type=int, default=160)
    p.add_argument("--length", type=int, default=256)
    p.add_argument("--classes", type=int, default=4)
    p.add_argument("--threads", type=int, default=2, help="threads of both (torch.set_num_threads, --threads)")
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p.parse_args()


def phasor_epochs(args, csv, out_dir):
    """One `phasor train` run: its per-epoch wall seconds, CPU seconds per epoch (whole process / epochs), command."""
    model = os.path.join(out_dir, "phasor.safetensors")
    for f in (model, os.path.join(out_dir, "phasor.resume.safetensors")):
        if os.path.exists(f):
            os.remove(f)
    cmd = [args.phasor, "train", "--data", csv, "--layers", str(args.layers), "--d-model", str(args.d_model),
           "--d-state", str(args.d_state), "--batch", str(args.batch), "--epochs", str(args.epochs),
           "--dropout", str(args.dropout), "--validation-fraction", "0", "--threads", str(args.threads),
           "--seed", str(args.seed), "--out", model, "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        sys.exit(f"epoch_ratio: {' '.join(cmd)} failed: {run.stderr.strip().splitlines()[-1:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / args.epochs
    return [e["seconds"] for e in json.loads(run.stdout)["epochs"]], cpu, cmd


def torch_model(args, s4d_class, d_input):
    import torch.nn as nn

    class Backbone(nn.Module):
        """example.py's S4Model (post-norm): encoder → n × [S4D, Dropout1d, +x, LayerNorm] → mean over L → decoder."""

        def __init__(self):
            super().__init__()
            h = args.d_model
            self.encoder = nn.Linear(d_input, h)
            self.blocks = nn.ModuleList(s4d_class(h, d_state=args.d_state, dropout=args.dropout, transposed=True,
                                                  lr=0.001) for _ in range(args.layers))
            self.norms = nn.ModuleList(nn.LayerNorm(h) for _ in range(args.layers))
            self.drops = nn.ModuleList(nn.Dropout1d(args.dropout) for _ in range(args.layers))
            self.decoder = nn.Linear(h, args.classes)

        def forward(self, x):                        # x: (B, L, d_input)
            x = self.encoder(x).transpose(-1, -2)    # (B, H, L)
            for block, norm, drop in zip(self.blocks, self.norms, self.drops):
                z, _ = block(x)
                x = norm((drop(z) + x).transpose(-1, -2)).transpose(-1, -2)
            return self.decoder(x.mean(dim=-1))

    return Backbone()


def optimiser(model):
    """AdamW lr 0.01, wd 0.01; parameters tagged `_optim` by s4d.py (log_dt, A) in their own group with that dict."""
    import torch
    tagged = [p for p in model.parameters() if hasattr(p, "_optim")]
    plain = [p for p in model.parameters() if not hasattr(p, "_optim")]
    opt = torch.optim.AdamW(plain, lr=0.01, weight_decay=0.01)
    groups = {}
    for p in tagged:
        groups.setdefault(tuple(sorted(p._optim.items())), []).append(p)
    for hp, params in groups.items():
        opt.add_param_group({"params": params, **dict(hp)})
    return opt


def main():
    args = parse()
    import torch
    torch.set_num_threads(args.threads)
    sys.path.insert(0, os.path.abspath(args.state_spaces))
    try:
        from models.s4.s4d import S4D
    except ImportError as e:
        sys.exit(f"epoch_ratio: cannot import models.s4.s4d from {args.state_spaces}: {e}")

    x, labels = synthetic.series(args.series, args.length, args.classes, args.seed)
    work = tempfile.mkdtemp(prefix="phasor-epoch-ratio-")
    csv = os.path.join(work, "synthetic.csv")
    synthetic.write_csv(csv, x, labels)
    # standardised with the training statistics, as phasor train does
    xs = torch.tensor((x - x.mean()) / x.std(), dtype=torch.float32).unsqueeze(-1)    # (n, L, 1)
    ys = torch.tensor(labels, dtype=torch.long)

    torch.manual_seed(args.seed)
    model = torch_model(args, S4D, d_input=1)
    opt = optimiser(model)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.rounds * args.epochs)
    loss_fn = torch.nn.CrossEntropyLoss()

    def torch_epoch():
        model.train()
        order = torch.randperm(args.series)
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, args.series, args.batch):
            idx = order[i:i + args.batch]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
        schedule.step()
        return time.perf_counter() - started, time.process_time() - cpu

    load_before = os.getloadavg()
    phasor, pytorch, phasor_cpu, pytorch_cpu, command = [], [], [], [], None
    for r in range(args.rounds):
        seconds, cpu, command = phasor_epochs(args, csv, work)
        phasor += seconds[1:]
        phasor_cpu.append(cpu)
        epochs = [torch_epoch() for _ in range(args.epochs)][1:]
        pytorch += [e[0] for e in epochs]
        pytorch_cpu += [e[1] for e in epochs]
        if not args.json:
            print(f"round {r + 1}/{args.rounds}: phasor {statistics.median(seconds[1:]):.3f} s/epoch, "
                  f"pytorch {statistics.median(pytorch[-(args.epochs - 1):]):.3f} s/epoch", file=sys.stderr)
    load_after = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)
    version = subprocess.run([args.phasor, "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    p, t = statistics.median(phasor), statistics.median(pytorch)
    pc, tc = statistics.median(phasor_cpu), statistics.median(pytorch_cpu)
    result = {"phasor_seconds_per_epoch": p, "pytorch_seconds_per_epoch": t, "ratio": p / t,
              "phasor_cpu_seconds_per_epoch": pc, "pytorch_cpu_seconds_per_epoch": tc, "cpu_ratio": pc / tc,
              "phasor_epochs": phasor, "pytorch_epochs": pytorch, "torch": torch.__version__,
              "phasor_build": version[1] if len(version) > 1 else "", "threads": args.threads,
              "load_average_before": load_before, "load_average_after": load_after,
              "configuration": {k: getattr(args, k) for k in ("layers", "d_model", "d_state", "batch", "series",
                                                               "length", "classes", "dropout")},
              "phasor_command": " ".join(command)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Phasor {p:.3f} s/epoch, PyTorch {torch.__version__} {t:.3f} s/epoch (CPU, {args.threads} threads): "
              f"ratio {p / t:.3f} (medians of {len(phasor)} epochs each); CPU per epoch {pc:.3f} s vs {tc:.3f} s: "
              f"ratio {pc / tc:.3f}; load average {load_before[0]:.1f} → {load_after[0]:.1f}; {result['phasor_build']}")


if __name__ == "__main__":
    main()
