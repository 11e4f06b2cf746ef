"""Export an S6 classifier of Benjamin-Walker/log-neural-cdes (PyTorch; `torch_experiments/train.py` Mamba(…, S6=True)
with `torch_experiments/s6_recurrence.py` S6Layer) — the "S6" baseline of the Log-NCDE and LinOSS UEA tables — to
safetensors for Phasor. The keys are the model's `state_dict()` names unchanged.

The reference code is imported from --repo (and needs `mamba_ssm` for its selective scan); nothing of it is
copied here.

User export (a model saved with `torch.save(model.state_dict(), "model.pt")`):

    python export_s6.py export --repo ~/log-neural-cdes --checkpoint model.pt --out model.safetensors

(the shapes are read from the state dict), or `export_s6.export(model, "model.safetensors")` in Python.

Fixture (Tests/Fixtures/architectures/s6; float64):

    python export_s6.py fixture --repo ~/log-neural-cdes --out .

Precision: S6Layer and mamba_ssm's selective scan cast to float32 (`.float()`) wherever they touch A, D, Δ, B, C
and u, so a real export matches Phasor's float64 forward only to float32 accuracy (~1e-6 relative). The committed
fixture was produced with those casts made no-ops for float64 tensors (the float32 arithmetic is the only change),
so that it can be held to 1e-10; see docs/architectures-reference.md.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export_common as common  # noqa: E402

SEED = 23
SHAPE = (2, 12, 3)  # batch, length, d_input
D_MODEL, N_LAYERS, CLASSES, STATES = 8, 2, 3, 4


def metadata(model, codebase="Benjamin-Walker/log-neural-cdes"):
    block = model.blocks[0]
    layer = block.mamba
    return {
        "family": "s6",
        "codebase": codebase,
        "framework": "torch",
        "key_rule": "torch-state-dict",
        "block": "log-ncde-mamba",
        "activation": "full_glu",
        "gelu": "erf",
        "prenorm": "true",
        "norm": "layer",
        "norm_affine": str(block.norm.elementwise_affine).lower(),
        "norm_eps": repr(float(block.norm.eps)),
        "pooling": "mean",
        "output": "softmax",
        "d_input": str(model.linear_encoder.in_features),
        "d_model": str(model.linear_encoder.out_features),
        "n_layers": str(len(model.blocks)),
        "classes": str(model.linear_decoder.out_features),
        "state_size": str(layer.d_state),
        "dt_rank": str(layer.dt_rank),
        "dropout": repr(float(block.dropout.p)),
    }


def check_s6(model):
    from torch_experiments.s6_recurrence import S6Layer
    if not model.classification:
        raise SystemExit("export_s6: the model was built with classification=False (a regression head); "
                         "Phasor's classifier needs classification=True")
    if not all(isinstance(b.mamba, S6Layer) for b in model.blocks):
        raise SystemExit("export_s6: the blocks hold full Mamba layers (S6=False: in_proj, conv1d, gate, out_proj); "
                         "only the S6 classifier (S6=True) is supported")


def export(model, path, codebase="Benjamin-Walker/log-neural-cdes"):
    check_s6(model)
    tensors = {k: v.detach().cpu().double().numpy() for k, v in model.state_dict().items()}
    common.write_safetensors(path, tensors, metadata(model, codebase))


def build(Mamba, input_dim, output_dim, num_blocks, hidden_dim, state_dim):
    # As torch_experiments/train.py builds it for model_name "S6" (conv_dim and expansion unused by S6).
    return Mamba(num_blocks, input_dim, output_dim, hidden_dim, state_dim, True, None, None, True)


def dims_from_state_dict(sd):
    blocks = {int(k.split(".")[1]) for k in sd if k.startswith("blocks.")}
    hidden, input_dim = sd["linear_encoder.weight"].shape
    return dict(input_dim=input_dim, output_dim=sd["linear_decoder.weight"].shape[0], num_blocks=len(blocks),
                hidden_dim=hidden, state_dim=sd["blocks.0.mamba.A_log"].shape[1])


def trace_forward(model, x):
    """The model's own forward with a hook on each named submodule (dropout excluded: identity in eval mode);
    the decoder's input is the mean-pooled sequence."""
    import torch
    trace, hooks = {}, []
    for name, module in model.named_modules():
        if not name or isinstance(module, (torch.nn.Dropout, torch.nn.Sequential)):
            continue

        def hook(m, inputs, output, name=name):
            trace[name] = output.detach().numpy().copy()
            if name == "linear_decoder":
                trace["pooled"] = inputs[0].detach().numpy().copy()
        hooks.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            out = model(x).numpy()
    finally:
        for h in hooks:
            h.remove()
    trace["logits"] = trace.pop("linear_decoder")
    trace["output"] = out
    return trace


def fixture(Mamba, out, codebase):
    import torch
    torch.manual_seed(SEED)
    model = build(Mamba, SHAPE[2], CLASSES, N_LAYERS, D_MODEL, STATES).double()
    sd = {k: v.numpy() for k, v in model.state_dict().items()}
    model.load_state_dict({k: torch.from_numpy(v) for k, v in common.perturb(sd, SEED + 1).items()})
    model.eval()
    x = torch.from_numpy(common.fixture_input(SEED + 2, *SHAPE))
    trace = trace_forward(model, x)
    common.check_close("softmax(traced logits) vs model output", np.exp(common.log_softmax(trace["logits"])),
                       trace["output"], 1e-14)

    meta = metadata(model, codebase)
    meta.update(common.fixture_metadata(SEED, batchnorm=False),
                precision="float64: the reference's .float() casts were no-ops for float64 tensors",
                dt_rank_rule="ceil(d_model/16)")
    prefix = os.path.join(out, "s6")
    tensors = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    common.write_safetensors(prefix + ".safetensors", tensors, meta)
    common.write_npy(prefix + ".input.npy", x.numpy())
    common.write_npy(prefix + ".logits.npy", trace["logits"])
    common.write_safetensors(prefix + ".trace.safetensors", trace, {"input": "input.npy of the same prefix"})

    loaded, meta2 = common.read_safetensors(prefix + ".safetensors")
    torch.manual_seed(SEED + 1000)
    fresh = build(Mamba, **dims_from_state_dict(loaded)).double()
    fresh.load_state_dict({k: torch.from_numpy(v) for k, v in loaded.items()}, strict=True)
    fresh.eval()
    trace2 = trace_forward(fresh, torch.from_numpy(np.load(prefix + ".input.npy")))
    d = max(common.check_close("reloaded output", trace2["output"], trace["output"]),
            common.check_close("reloaded logits", trace2["logits"], trace["logits"]))
    assert meta2 == {k: str(v) for k, v in meta.items()}
    print(f"{prefix}: {len(tensors)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "fixture"])
    p.add_argument("--repo", required=True, help="checkout of Benjamin-Walker/log-neural-cdes")
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoint", help="torch.save(model.state_dict()) file")
    a = p.parse_args()

    sys.path.insert(0, os.path.abspath(a.repo))
    from torch_experiments.train import Mamba
    codebase = "Benjamin-Walker/log-neural-cdes@" + common.git_commit(a.repo)
    if a.command == "fixture":
        fixture(Mamba, a.out, codebase)
        return
    if a.checkpoint is None:
        raise SystemExit("export_s6: export needs --checkpoint")
    import torch
    sd = torch.load(a.checkpoint, map_location="cpu")
    model = build(Mamba, **dims_from_state_dict(sd))
    model.load_state_dict(sd, strict=True)
    export(model, a.out, codebase)


if __name__ == "__main__":
    main()
